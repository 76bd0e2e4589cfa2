import { type FSWatcher, watch } from 'node:fs';
import { dirname } from 'node:path';
import { type FileEntry, type FileProblem, type PendingRemoval, type SyncStatus, describeProblem, listedEntries, readFileEntry } from '@envdesk/domain';
import type { Logger } from 'pino';
import { type Clock, rfc3339, timestamp } from '../clock.js';
import type { Store } from '../db/store.js';
import { DEFAULT_TOMBSTONE_DAYS, applySync } from './apply-sync.js';
import { DEFAULT_ENVIRONMENTS_MAX_BYTES } from './environments-file-limits.js';
import { type FileRead, fileSignature, parseDocumentInSlices, readEnvironmentsFileText } from './environments-file-reader.js';
import { createIncrementalYamlReader } from './incremental-yaml.js';
import { type Pause, createSlicer } from './slicer.js';

export class SyncFailure extends Error {
  override readonly name = 'SyncFailure';
  constructor(
    message: string,
    readonly problems: readonly FileProblem[] = [],
  ) {
    super(problems.length > 0 ? `${message}:\n${problems.map((p) => `  - ${describeProblem(p)}`).join('\n')}` : message);
  }
}

export interface FileSyncOptions {
  readonly store: Pick<Store, 'environments' | 'transaction'>;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly path: string;
  readonly pollMs: number;
  /** Also watch the file's folder for changes (default); polling alone when false. */
  readonly watch?: boolean;
  /** New content is applied once the same bytes are read twice this far apart (a torn write is not). */
  readonly settleMs?: number;
  /** A missing or empty file removes the file-managed environments only after staying so this long. */
  readonly removeGraceMs?: number;
  /** Tombstones of removed file-managed environments are kept this many days. */
  readonly tombstoneDays?: number;
  /** A larger file is a sync error, refused from its size before it is read. */
  readonly maxBytes?: number;
}

export const DEFAULT_SETTLE_MS = 150;
export const DEFAULT_REMOVE_GRACE_MS = 10_000;

/**
 * Watching the folder (not the file) sees editors' renames and ConfigMap link swaps at once; the
 * poll stays as the fallback where events are not delivered (some network filesystems).
 */
function watchForChanges(path: string, onChange: () => void): { close(): void } | null {
  let debounce: NodeJS.Timeout | null = null;
  let watcher: FSWatcher;
  try {
    watcher = watch(dirname(path), () => {
      if (debounce) clearTimeout(debounce);
      debounce = setTimeout(onChange, 20);
    });
  } catch {
    return null;
  }
  const close = () => {
    if (debounce) clearTimeout(debounce);
    watcher.close();
  };
  watcher.on('error', close);
  return { close };
}

/** Rehash even when the file looks untouched, in case it was rewritten within one timestamp tick. */
const REHASH_EVERY_MS = 30_000;

/** What a read saw, as the settle window compares it: the content's hash, or that there was no file. */
const MISSING = 'missing';

const monotonicMs = () => performance.now();

/**
 * Keeps the database in step with the declarative file (seed: "How sync works"): a sync at start
 * that must succeed, then a poll that re-syncs when the content hash changes. A failing poll is
 * logged, reported in the status and retried next time, with the database untouched.
 *
 * Two guards keep ordinary file writes from costing environments their GUIDs (issue 8 § 1): new
 * content is applied only once it has settled (the same bytes read twice, `settleMs` apart), and a
 * missing or empty file removes the file-managed environments only once it has stayed missing or
 * empty for `removeGraceMs`.
 */
export function createFileSync({
  store,
  logger,
  clock,
  path,
  pollMs,
  watch: watchFolder = true,
  settleMs = DEFAULT_SETTLE_MS,
  removeGraceMs = DEFAULT_REMOVE_GRACE_MS,
  tombstoneDays = DEFAULT_TOMBSTONE_DAYS,
  maxBytes = DEFAULT_ENVIRONMENTS_MAX_BYTES,
}: FileSyncOptions) {
  let status: SyncStatus = {
    enabled: true,
    file: path,
    poll_ms: pollMs,
    settle_ms: settleMs,
    remove_grace_ms: removeGraceMs,
    hash: null,
    last_sync_time: null,
    last_changes: [],
    last_error: null,
    pending_removal: null,
  };
  const statusListeners = new Set<(status: SyncStatus) => void>();
  /** A new status; listeners hear of it when what the banner shows (failed, removal pending) changed. */
  function setStatus(next: SyncStatus) {
    const before = status;
    status = next;
    if (Boolean(before.last_error) !== Boolean(next.last_error) || Boolean(before.pending_removal) !== Boolean(next.pending_removal)) {
      for (const listener of statusListeners) listener(next);
    }
  }
  let signature: string | null = null;
  let lastHashTime = 0;
  /** The hash (or MISSING) of the content the database reflects. */
  let appliedKey: string | undefined;
  /** The latest content read and since when it has been read unchanged (monotonic ms). */
  let streak: { key: string; since: number } | null = null;
  /** New content is waiting out the settle window. */
  let settling = false;
  /** The file is missing or declares nothing, and the removal waits for the grace period. */
  let absence: { since: number; sinceTime: Date } | null = null;
  let followUp: NodeJS.Timeout | null = null;
  let timer: NodeJS.Timeout | null = null;
  let watcher: { close(): void } | null = null;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  // Re-reading a 10,000-entry file after a one-line edit should cost one entry's work, not 10,000.
  const readYaml = createIncrementalYamlReader();
  let validEntries = new Map<string, FileEntry>();
  // Items the YAML reader reused are the very same objects: no need to serialise them for the memo.
  let validObjects = new WeakMap<object, { entry: FileEntry; key: string }>();

  /**
   * The file's entries, or a SyncFailure naming what is wrong with it. Parsing and validating
   * 10,000 entries takes longer than the event loop may be held, so both pause between entries.
   */
  async function entriesOf(read: FileRead, pause: Pause): Promise<FileEntry[]> {
    if (read.kind === 'unreadable') throw new SyncFailure(read.message);
    if (read.kind === 'missing') return [];
    const parsed = await parseDocumentInSlices(read.text, (text) => readYaml(text, pause));
    if (!parsed.ok) throw new SyncFailure(`${path} is ${parsed.message}`);
    const listed = listedEntries(parsed.document);
    if (!listed.ok) throw new SyncFailure(`${path} has invalid entries`, listed.error);
    const memo = new Map<string, FileEntry>();
    const objects = new WeakMap<object, { entry: FileEntry; key: string }>();
    const entries: FileEntry[] = [];
    const problems: FileProblem[] = [];
    for (const [index, raw] of listed.value.entries()) {
      await pause();
      const isObject = typeof raw === 'object' && raw !== null;
      const seen = isObject ? validObjects.get(raw) : undefined;
      const key = seen?.key ?? JSON.stringify(raw);
      const known = seen?.entry ?? validEntries.get(key);
      const result = known ? { ok: true as const, value: known } : readFileEntry(raw, index);
      if (result.ok) {
        if (isObject) objects.set(raw, { entry: result.value, key });
        memo.set(key, result.value);
        entries.push(result.value);
      } else problems.push(...result.error);
    }
    validEntries = memo;
    validObjects = objects;
    if (problems.length > 0) throw new SyncFailure(`${path} has invalid entries`, problems);
    return entries;
  }

  function scheduleFollowUp(delayMs: number) {
    if (stopped) return;
    if (followUp) clearTimeout(followUp);
    followUp = setTimeout(() => {
      followUp = null;
      void pollSoon();
    }, Math.max(0, Math.ceil(delayMs)));
  }

  /**
   * A file with no entries: apply it (removing every file-managed environment, as the seed says) only
   * once it has stayed so for the grace period; until then the status says what will happen when.
   * Answers whether the caller should apply now.
   */
  async function removalDue(read: FileRead, firstSeen: number): Promise<boolean> {
    const reason: PendingRemoval['reason'] = read.kind === 'missing' ? 'missing' : 'empty';
    // The wall-clock time is fixed once, for the status; the grace is counted on the monotonic clock.
    const started = (absence ??= { since: firstSeen, sinceTime: new Date(clock.now().getTime() - (monotonicMs() - firstSeen)) });
    const managed = await store.environments.countManaged();
    const remaining = removeGraceMs - (monotonicMs() - started.since);
    if (managed === 0 || remaining <= 0) return true;
    const pending: PendingRemoval = {
      reason,
      since: rfc3339(started.sinceTime),
      at: rfc3339(new Date(started.sinceTime.getTime() + removeGraceMs)),
      environments: managed,
    };
    if (JSON.stringify(status.pending_removal) !== JSON.stringify(pending)) {
      logger.warn({ file: path, ...pending }, `the environments file is ${reason}; its environments will be removed at ${pending.at} unless it comes back`);
    }
    setStatus({ ...status, pending_removal: pending });
    scheduleFollowUp(remaining);
    return false;
  }

  async function syncContent(read: FileRead, firstSeen: number): Promise<void> {
    const pause = createSlicer();
    const entries = await entriesOf(read, pause);
    if (entries.length === 0 && !(await removalDue(read, firstSeen))) return;
    logger.debug({ file: path, entries: entries.length }, 'syncing environments file');
    const outcome = await applySync(store, entries, clock, { file: path, tombstoneDays, pause });
    if (!outcome.ok) throw new SyncFailure(`${path} cannot be applied`, outcome.error);
    const hash = read.kind === 'read' ? read.hash : null;
    if (absence && entries.length > 0) logger.info({ file: path }, 'the environments file is back; nothing is removed');
    absence = null;
    setStatus({ ...status, hash, last_sync_time: timestamp(clock), last_changes: [...outcome.value.changes], last_error: null, pending_removal: null });
    appliedKey = read.kind === 'read' ? read.hash : MISSING;
    const counts = Object.fromEntries(['create', 'update', 'adopt', 'delete', 'restore'].map((kind) => [kind, outcome.value.changes.filter((c) => c.kind === kind).length]));
    logger.info({ file: path, missing: read.kind === 'missing', ...counts, unchanged: outcome.value.unchanged }, 'environments file synced');
  }

  function recordFailure(error: unknown) {
    const failure = error instanceof SyncFailure ? error : new SyncFailure(`sync of ${path} failed: ${(error as Error).message}`);
    if (status.last_error?.message !== failure.message) logger.error({ file: path, problems: failure.problems }, failure.message);
    setStatus({ ...status, last_error: { time: timestamp(clock), message: failure.message, problems: [...failure.problems] } });
    // Force a re-read next poll: the cause may be outside the file (a database hiccup).
    signature = null;
  }

  async function poll(): Promise<void> {
    const now = monotonicMs();
    const currentSignature = await fileSignature(path);
    const idle = !settling && absence === null && status.last_error === null;
    // An unchanged file costs one stat, as before the settle window existed.
    if (idle && currentSignature !== null && currentSignature === signature && now - lastHashTime < REHASH_EVERY_MS) return;
    signature = currentSignature;
    lastHashTime = now;
    const read = await readEnvironmentsFileText(path, maxBytes);
    const key = read.kind === 'read' ? read.hash : read.kind === 'missing' ? MISSING : null;
    if (key !== null && streak?.key !== key) streak = { key, since: now };
    settling = false;
    if (key !== null && key === appliedKey && status.last_error === null) {
      // Back to what is applied (the file returned within the grace period): nothing to do.
      if (absence) logger.info({ file: path }, 'the environments file is back; nothing is removed');
      absence = null;
      if (status.pending_removal) setStatus({ ...status, pending_removal: null });
      return;
    }
    const firstSeen = streak?.since ?? now;
    // New content waits until the same bytes have been read across a quiet window: a file being
    // written in place (truncate, write, write) is never applied half way if it is written steadily.
    if (key !== null && now - firstSeen < settleMs) {
      settling = true;
      scheduleFollowUp(settleMs - (now - firstSeen));
      return;
    }
    try {
      await syncContent(read, firstSeen);
    } catch (error) {
      recordFailure(error);
    }
  }

  /** Polls one at a time; a request during a poll runs once more right after it. */
  function pollSoon(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = poll().finally(() => {
      running = null;
      if (again) {
        again = false;
        void pollSoon();
      }
    });
    return running;
  }

  async function settled(): Promise<void> {
    await pollSoon();
    while (running) await running;
  }

  return {
    /** The start-up sync: throws a SyncFailure naming each bad entry and field, so the server refuses to start. */
    async start(): Promise<void> {
      signature = await fileSignature(path);
      const now = monotonicMs();
      lastHashTime = now;
      const read = await readEnvironmentsFileText(path, maxBytes);
      if (read.kind === 'missing') throw new SyncFailure(`the environments file ${path} does not exist`);
      if (read.kind === 'read') streak = { key: read.hash, since: now - settleMs };
      // No settle window at start: the file is what the operator deployed with.
      await syncContent(read, now);
      const loop = () => {
        void pollSoon().finally(() => {
          if (timer) timer = setTimeout(loop, pollMs);
        });
      };
      timer = setTimeout(loop, pollMs);
      if (watchFolder) watcher = watchForChanges(path, () => void pollSoon());
    },

    /**
     * Polls now and waits until no poll is left to run, including new content's settle window (tests
     * and benchmarks use it instead of waiting). A pending removal is not waited for.
     */
    async pollNow(): Promise<void> {
      await settled();
      while (settling && !stopped) {
        const wait = Math.max(0, settleMs - (monotonicMs() - (streak?.since ?? 0)));
        await new Promise((resolve) => setTimeout(resolve, wait));
        await settled();
      }
    },

    status: (): SyncStatus => status,

    /** Calls `listener` whenever the sync starts or stops failing, or a removal starts or stops pending. */
    onStatusChange(listener: (status: SyncStatus) => void): () => void {
      statusListeners.add(listener);
      return () => {
        statusListeners.delete(listener);
      };
    },

    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (followUp) clearTimeout(followUp);
      timer = null;
      followUp = null;
      watcher?.close();
      watcher = null;
      await running;
    },
  };
}
export type FileSync = ReturnType<typeof createFileSync>;
