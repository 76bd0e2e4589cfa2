import { type FSWatcher, watch } from 'node:fs';
import { dirname } from 'node:path';
import { type FileEntry, type FileProblem, type SyncStatus, describeProblem, readEnvironmentsFile, readFileEntry } from '@envdesk/domain';
import type { Logger } from 'pino';
import { type Clock, rfc3339 } from '../clock.js';
import type { Store } from '../db/store.js';
import { applySync } from './apply-sync.js';
import { type FileRead, fileSignature, parseDocument, readEnvironmentsFileText } from './environments-file-reader.js';
import { createIncrementalYamlReader } from './incremental-yaml.js';

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
  readonly store: Store;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly path: string;
  readonly pollMs: number;
  /** Also watch the file's folder for changes (default); polling alone when false. */
  readonly watch?: boolean;
}

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

/**
 * Keeps the database in step with the declarative file (seed: "How sync works"): a sync at start
 * that must succeed, then a poll that re-syncs when the content hash changes. A failing poll is
 * logged, reported in the status and retried next time, with the database untouched.
 */
export function createFileSync({ store, logger, clock, path, pollMs, watch: watchFolder = true }: FileSyncOptions) {
  let status: SyncStatus = { enabled: true, file: path, poll_ms: pollMs, hash: null, last_sync_time: null, last_changes: [], last_error: null };
  let signature: string | null = null;
  let lastHashTime = 0;
  let appliedHash: string | null | undefined;
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

  async function syncContent(read: FileRead): Promise<void> {
    if (read.kind === 'unreadable') throw new SyncFailure(read.message);
    let entries: Parameters<typeof applySync>[1] = [];
    if (read.kind === 'read') {
      const parsed = parseDocument(read.text, readYaml);
      if (!parsed.ok) throw new SyncFailure(`${path} is ${parsed.message}`);
      const memo = new Map<string, FileEntry>();
      const objects = new WeakMap<object, { entry: FileEntry; key: string }>();
      const file = readEnvironmentsFile(parsed.document, (raw, index) => {
        const isObject = typeof raw === 'object' && raw !== null;
        const seen = isObject ? validObjects.get(raw) : undefined;
        const key = seen?.key ?? JSON.stringify(raw);
        const known = seen?.entry ?? validEntries.get(key);
        const result = known ? { ok: true as const, value: known } : readFileEntry(raw, index);
        if (result.ok) {
          if (isObject) objects.set(raw, { entry: result.value, key });
          memo.set(key, result.value);
        }
        return result;
      });
      validEntries = memo;
      validObjects = objects;
      if (!file.ok) throw new SyncFailure(`${path} has invalid entries`, file.error);
      entries = file.value;
    }
    logger.debug({ file: path, entries: entries.length }, 'syncing environments file');
    // A removed file (or an empty one) removes every file-managed environment.
    const outcome = await applySync(store, entries, clock);
    if (!outcome.ok) throw new SyncFailure(`${path} cannot be applied`, outcome.error);
    const hash = read.kind === 'read' ? read.hash : null;
    status = { ...status, hash, last_sync_time: rfc3339(clock.now()), last_changes: [...outcome.value.changes], last_error: null };
    appliedHash = hash;
    const counts = Object.fromEntries(['create', 'update', 'adopt', 'delete'].map((kind) => [kind, outcome.value.changes.filter((c) => c.kind === kind).length]));
    logger.info({ file: path, missing: read.kind === 'missing', ...counts, unchanged: outcome.value.unchanged }, 'environments file synced');
  }

  async function poll(): Promise<void> {
    const now = Date.now();
    const currentSignature = await fileSignature(path);
    if (currentSignature !== null && currentSignature === signature && now - lastHashTime < REHASH_EVERY_MS && status.last_error === null) {
      return;
    }
    signature = currentSignature;
    lastHashTime = now;
    const read = await readEnvironmentsFileText(path);
    const hash = read.kind === 'read' ? read.hash : read.kind === 'missing' ? null : undefined;
    if (hash !== undefined && hash === appliedHash && status.last_error === null) return;
    try {
      await syncContent(read);
    } catch (error) {
      const failure = error instanceof SyncFailure ? error : new SyncFailure(`sync of ${path} failed: ${(error as Error).message}`);
      if (status.last_error?.message !== failure.message) logger.error({ file: path, problems: failure.problems }, failure.message);
      status = { ...status, last_error: { time: rfc3339(clock.now()), message: failure.message, problems: [...failure.problems] } };
      // Force a re-read next poll: the cause may be outside the file (a database hiccup).
      signature = null;
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

  return {
    /** The start-up sync: throws a SyncFailure naming each bad entry and field, so the server refuses to start. */
    async start(): Promise<void> {
      signature = await fileSignature(path);
      lastHashTime = Date.now();
      const read = await readEnvironmentsFileText(path);
      if (read.kind === 'missing') throw new SyncFailure(`the environments file ${path} does not exist`);
      await syncContent(read);
      const loop = () => {
        void pollSoon().finally(() => {
          if (timer) timer = setTimeout(loop, pollMs);
        });
      };
      timer = setTimeout(loop, pollMs);
      if (watchFolder) watcher = watchForChanges(path, () => void pollSoon());
    },

    /** Polls now and waits until no poll is left to run (tests and benchmarks use it instead of waiting). */
    async pollNow(): Promise<void> {
      await pollSoon();
      while (running) await running;
    },

    status: (): SyncStatus => status,

    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      watcher?.close();
      watcher = null;
      await running;
    },
  };
}
export type FileSync = ReturnType<typeof createFileSync>;
