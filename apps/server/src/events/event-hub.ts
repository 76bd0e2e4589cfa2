import {
  type Actor,
  type AuditEvent,
  type EnvironmentGrant,
  type EventAudience,
  type LiveSyncStatus,
  type SyncStatus,
  canSeeEvent,
  can,
  liveEventOf,
} from '@envdesk/domain';
import type { Response } from 'express';
import type { Logger } from 'pino';
import type { FeedSignal, IdRanges, Store } from '../db/store.js';
import type { EnvironmentListCache } from '../environments/environment-list-cache.js';
import type { FileSync } from '../sync/file-sync.js';

export const DEFAULT_HEARTBEAT_MS = 15_000;
/** A reconnecting stream is sent at most this many missed events; beyond, it is told to reload everything. */
export const REPLAY_LIMIT = 1_000;
/** A client this far behind (bytes queued for its socket) is dropped; it reconnects with Last-Event-ID. */
const MAX_QUEUED_BYTES = 1024 * 1024;
/** Ids already delivered, remembered so that a catch-up read or an overlapping range sends nothing twice. */
const REMEMBERED_IDS = 10_000;
/** More runs than this in one signal are read as one span (the remembered ids filter the rest). */
const MAX_RANGES = 100;

/** Who holds a stream's credential now; null once it no longer holds (revoked, ended, its owner locked). */
export type Recheck = () => Promise<Actor | null>;

interface Client {
  /** Who the caller is, as last checked: their role and groups may change while the stream is open. */
  actor: Actor;
  readonly res: Response;
  /** An administrator: told of everything, without reading grants or owners. */
  seesAll: boolean;
  readonly recheck: Recheck | null;
  /** Messages held while the client's replay is read, so they follow it in order; null once live. */
  pending: Array<{ readonly id: number; readonly text: string }> | null;
}

interface Message {
  readonly event: AuditEvent;
  readonly text: string;
}

/** A comment line: proxies see traffic, EventSource ignores it. The same bytes for every stream. */
const HEARTBEAT = Buffer.from(':\n\n');

const messageOf = (event: AuditEvent): Message => ({ event, text: `id: ${event.id}\ndata: ${JSON.stringify(liveEventOf(event))}\n\n` });

export interface EventHubDeps {
  readonly store: Pick<Store, 'audit' | 'content' | 'feed'>;
  readonly environments: Pick<EnvironmentListCache, 'grantsByGuid'>;
  readonly logger: Logger;
  readonly fileSync?: FileSync | null;
  readonly heartbeatMs?: number;
}

/**
 * The process's one reader of the audit feed (issue 13 § 4): each announced event is read from the
 * table once and written to every open stream whose caller may see it. Streams are plain
 * responses kept open; one timer sends every stream its heartbeat.
 */
export function createEventHub({ store, environments, logger, fileSync = null, heartbeatMs = DEFAULT_HEARTBEAT_MS }: EventHubDeps) {
  const clients = new Set<Client>();
  /** The highest id delivered: where a catch-up read starts. */
  let cursor = 0;
  const delivered = new Set<number>();
  /** Grants of the environments known, kept after a deletion so that its event reaches whoever could see it. */
  const knownGrants = new Map<string, readonly EnvironmentGrant[]>();
  const knownOwners = new Map<string, string>();
  let started: Promise<void> | null = null;
  let work: Promise<void> = Promise.resolve();
  let heartbeat: NodeJS.Timeout | null = null;
  const stops: Array<() => void> = [];
  let closed = false;

  function remember(id: number) {
    delivered.add(id);
    if (delivered.size > REMEMBERED_IDS) delivered.delete(delivered.values().next().value!);
    if (id > cursor) cursor = id;
  }

  function write(client: Client, text: string | Buffer) {
    if (client.res.writableEnded) return;
    client.res.write(text);
    if (client.res.writableLength > MAX_QUEUED_BYTES) {
      logger.warn({ user: client.actor.guid }, 'an event stream fell too far behind; closing it so it reconnects');
      drop(client);
    }
  }

  function drop(client: Client) {
    clients.delete(client);
    if (!client.res.writableEnded) client.res.end();
  }

  /**
   * Asks again who holds each stream's credential. A caller who may no longer read events (demoted
   * to viewer, locked, key revoked, signed out) has their stream ended; the reconnect is refused. One
   * whose role or groups changed is filtered by them from now on. A check that fails ends the stream
   * too: it reconnects with Last-Event-ID and loses nothing it may see.
   */
  async function recheck(targets: readonly Client[]): Promise<void> {
    for (const client of targets) {
      if (!client.recheck || !clients.has(client)) continue;
      let actor: Actor | null;
      try {
        actor = await client.recheck();
      } catch (error) {
        logger.warn({ err: error, user: client.actor.guid }, 'could not check an event stream\'s credential again; closing it so it reconnects');
        actor = null;
      }
      if (!actor || !can(actor, 'events:read')) {
        drop(client);
        continue;
      }
      client.actor = actor;
      client.seesAll = can(actor, 'environments:read-all');
    }
  }
  let rechecking: Promise<void> | null = null;

  /** Who may see each event: the environments' grants now (or before their deletion), the content's owners. */
  async function audiences(events: readonly AuditEvent[]): Promise<Map<number, EventAudience>> {
    const result = new Map<number, EventAudience>();
    const environmentGuids = events.filter((event) => event.subject_type === 'environment' && event.subject_guid).map((event) => event.subject_guid!);
    if (environmentGuids.length > 0) {
      const current = await environments.grantsByGuid();
      for (const guid of environmentGuids) {
        const grants = current.get(guid);
        if (grants) knownGrants.set(guid, grants);
      }
    }
    for (const event of events) {
      const guid = event.subject_guid;
      if (!guid) continue;
      if (event.subject_type === 'environment') {
        const grants = knownGrants.get(guid);
        result.set(event.id, grants ? { grants } : {});
      } else if (event.subject_type === 'content') {
        if (!knownOwners.has(guid)) {
          const content = await store.content.findByGuid(guid);
          if (content) knownOwners.set(guid, content.owner.guid);
        }
        const owner = knownOwners.get(guid);
        result.set(event.id, owner ? { ownerGuid: owner } : {});
      }
    }
    for (const event of events) {
      if (event.action === 'delete_environment' && event.subject_guid) knownGrants.delete(event.subject_guid);
    }
    return result;
  }

  /**
   * Writes `messages` to `targets`, each getting those its caller may see (all of them, for those who
   * see everything). Callers who may see the same messages share one encoded copy: a thousand streams
   * cost a thousand socket writes, not a thousand encodings as well.
   */
  function fanOut(targets: readonly Client[], messages: readonly Message[], audience: ReadonlyMap<number, EventAudience> | null) {
    const encoded = new Map<string, Buffer>();
    const encode = (text: string) => {
      let bytes = encoded.get(text);
      if (!bytes) {
        bytes = Buffer.from(text);
        encoded.set(text, bytes);
      }
      return bytes;
    };
    let everything: Buffer | null = null;
    for (const client of targets) {
      if (client.res.writableEnded) continue;
      if (audience === null) {
        if (client.pending) client.pending.push(...messages.map((message) => ({ id: message.event.id, text: message.text })));
        else write(client, (everything ??= encode(messages.map((message) => message.text).join(''))));
        continue;
      }
      let text = '';
      for (const message of messages) {
        if (!canSeeEvent(client.actor, message.event, audience.get(message.event.id) ?? {})) continue;
        if (client.pending) client.pending.push({ id: message.event.id, text: message.text });
        else text += message.text;
      }
      if (text) write(client, encode(text));
    }
  }

  async function handle(signal: FeedSignal): Promise<void> {
    let events: AuditEvent[];
    if (signal.kind === 'appended') {
      const ranges: IdRanges = signal.ranges.length > MAX_RANGES ? [[signal.ranges[0]![0], signal.ranges.at(-1)![1]]] : signal.ranges;
      events = await store.audit.listInRanges(ranges);
    } else {
      // After a reconnect: everything newer than what was delivered, however much it is.
      events = [];
      for (let page = await store.audit.listAfter(cursor, REPLAY_LIMIT); ; page = await store.audit.listAfter(page.at(-1)!.id, REPLAY_LIMIT)) {
        events.push(...page);
        if (page.length < REPLAY_LIMIT) break;
      }
    }
    const fresh = events.filter((event) => !delivered.has(event.id));
    if (fresh.length === 0) return;
    for (const event of fresh) remember(event.id);
    // A user's role, lock or groups changed: every stream is judged by who its caller is now, before
    // these events go out.
    if (fresh.some((event) => event.subject_type === 'user' || event.subject_type === 'group')) await recheck([...clients]);
    const messages = fresh.map(messageOf);
    // Those who see everything first: they need no grants read, so they are not kept waiting for them.
    const seeAll: Client[] = [];
    const others: Client[] = [];
    for (const client of clients) (client.seesAll ? seeAll : others).push(client);
    fanOut(seeAll, messages, null);
    // Read even with nobody else listening: the grants known now are what a later deletion is judged by.
    const audience = await audiences(fresh);
    fanOut(others.filter((client) => clients.has(client)), messages, audience);
  }

  /** Signals are handled one at a time, in the order they came. */
  function enqueue(signal: FeedSignal) {
    work = work.then(() => handle(signal)).catch((error: unknown) => logger.error({ err: error }, 'could not read announced audit events'));
  }

  function syncStatusChanged(status: SyncStatus) {
    const payload: LiveSyncStatus = { failed: status.last_error !== null, pending_removal: Boolean(status.pending_removal) };
    // No id: it is this process's own state, not an event a reconnecting stream could ask for again.
    const text = `event: sync_status\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const client of clients) if (can(client.actor, 'environment-sync:read') && !client.pending) write(client, text);
  }

  function start(): Promise<void> {
    started ??= (async () => {
      cursor = await store.audit.latestId();
      for (const [guid, grants] of await environments.grantsByGuid()) knownGrants.set(guid, grants);
      stops.push(store.feed.subscribe(enqueue));
      if (fileSync) stops.push(fileSync.onStatusChange(syncStatusChanged));
      heartbeat = setInterval(() => {
        for (const client of clients) if (!client.pending) write(client, HEARTBEAT);
        // Revoked keys and ended sessions leave no audit event: each heartbeat asks again.
        rechecking ??= recheck([...clients]).finally(() => {
          rechecking = null;
        });
      }, heartbeatMs);
      heartbeat.unref();
    })().catch((error: unknown) => {
      // The next stream tries again (the database may be back by then).
      started = null;
      throw error;
    });
    return started;
  }

  return {
    /**
     * Makes `res` an event stream for `actor`: what they missed after `lastEventId` first (when
     * given), then every change they may see, until either side closes it. `recheckCaller` says who
     * the caller is later on (see `recheck`).
     */
    async open(actor: Actor, res: Response, lastEventId: number | null, recheckCaller: Recheck | null = null): Promise<void> {
      await start();
      if (closed) throw new Error('the event hub is closed');
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        // Proxies that buffer responses (nginx) would hold the events back.
        'X-Accel-Buffering': 'no',
      });
      res.socket?.setNoDelay(true);
      // The comment makes the headers and the first bytes leave at once; `retry` paces reconnects.
      res.write('retry: 2000\n:\n\n');
      const client: Client = { actor, res, seesAll: can(actor, 'environments:read-all'), recheck: recheckCaller, pending: lastEventId === null ? null : [] };
      clients.add(client);
      res.on('close', () => clients.delete(client));
      if (lastEventId === null) return;
      try {
        const missed = await store.audit.listAfter(lastEventId, REPLAY_LIMIT + 1);
        if (missed.length > REPLAY_LIMIT) {
          // Too much to send one by one: the page reloads what it shows, and resumes from now.
          const latest = Math.max(cursor, await store.audit.latestId());
          write(client, `id: ${latest}\nevent: reset\ndata: {}\n\n`);
        } else {
          const audience = await audiences(missed);
          const sent = new Set<number>();
          let text = '';
          for (const event of missed) {
            sent.add(event.id);
            if (canSeeEvent(actor, event, audience.get(event.id) ?? {})) text += messageOf(event).text;
          }
          if (text) write(client, text);
          for (const message of client.pending ?? []) if (!sent.has(message.id)) write(client, message.text);
        }
      } catch (error) {
        logger.error({ err: error }, 'could not replay missed audit events; closing the stream so it reconnects');
        drop(client);
        return;
      }
      client.pending = null;
    },

    /** Streams open in this process. */
    connections: () => clients.size,

    /** Ends every stream (the server is stopping: clients reconnect to another replica). */
    close(): void {
      closed = true;
      if (heartbeat) clearInterval(heartbeat);
      for (const stop of stops.splice(0)) stop();
      for (const client of [...clients]) drop(client);
    },
  };
}
export type EventHub = ReturnType<typeof createEventHub>;
