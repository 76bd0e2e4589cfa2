import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ApiError, ErrorCode } from '@envdesk/domain';
import type { Logger } from 'pino';
import { newSecret } from '../auth/secrets.js';
import { type Clock, rfc3339, timestamp } from '../clock.js';
import type { Store } from '../db/store.js';

/** The error of a task whose server stopped heartbeating (killed, crashed, cut off from the database). */
export const INTERRUPTED_BY_RESTART = 'interrupted: the server restarted';
export const INTERRUPTED_LINE = 'Interrupted: the server running this deploy stopped before it finished (it was restarted, killed or lost its database). Deploy again.';
/** The error of a task still running when a stopping server's grace period ended. */
export const INTERRUPTED_BY_SHUTDOWN = 'interrupted: the server shut down';
export const shutdownLine = (graceMs: number) =>
  `Interrupted: the server was asked to stop and this deploy did not finish within its ${Math.round(graceMs / 100) / 10} s grace period. Deploy again.`;

/**
 * An inspection's log opens with this (`Inspecting ghcr.io/org/image:tag.`), written with the task's
 * row. The tasks table records no kind of task, so this is how a replica reaping a dead server's
 * tasks tells an inspection from a deploy, whose user is told something else. No `%` or `_` (it
 * becomes a LIKE pattern).
 */
export const INSPECTION_OPENING = 'Inspecting ';
export const INTERRUPTED_INSPECTION_LINE =
  'Interrupted: the server running this inspection stopped before it finished (it was restarted, killed or lost its database). Run the inspection again.';
export const inspectionShutdownLine = (graceMs: number) =>
  `Interrupted: the server was asked to stop and this inspection did not finish within its ${Math.round(graceMs / 100) / 10} s grace period. Run the inspection again.`;
const isInspection = (output: readonly string[]) => output[0]?.startsWith(INSPECTION_OPENING) === true;

const failedInside = 'The task failed inside envdesk; the server log has the details.';

/** Names this process among the replicas sharing a database; random, as pids repeat across containers. */
export const newReplicaId = (): string => `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;

export interface TaskContext {
  readonly id: string;
  /** Appends lines to the task's log and saves it (a failed save is logged, not thrown). */
  say(...lines: string[]): Promise<void>;
  /** Aborted once the task has been finished as interrupted (a shutdown's grace period ended). */
  readonly signal: AbortSignal;
}

export interface TaskOutcome {
  readonly code: number;
  readonly error: string;
  readonly result?: unknown;
  /** Last lines of the log, written with the end. */
  readonly lines?: readonly string[];
}

export interface TaskRunnerOptions {
  readonly store: Pick<Store, 'tasks'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly replicaId: string;
  /** ENVDESK_TASK_STALE_MS: a task whose heartbeat is older than this is finished as interrupted. */
  readonly staleMs: number;
}

interface LiveTask {
  readonly output: string[];
  readonly controller: AbortController;
  done: Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs tasks (deploys) so that each one ends finished, whatever happens to this process:
 * - every task row names its owner (this replica) and carries a heartbeat, refreshed every few
 *   seconds for the tasks whose work is really in this process's memory;
 * - at start and periodically, any replica finishes the tasks whose heartbeat went stale as
 *   interrupted (one conditional UPDATE, so replicas never finish a task twice);
 * - a task's end is retried through transient database failures; if it still cannot be written,
 *   the task stops being heartbeated and the reaper finishes it;
 * - on shutdown no task starts, running ones get a grace period, the rest end as interrupted.
 */
export function createTaskRunner({ store, clock, logger, replicaId, staleMs }: TaskRunnerOptions) {
  const live = new Map<string, LiveTask>();
  const heartbeatMs = Math.max(50, Math.min(5_000, Math.floor(staleMs / 4)));
  const reapEveryMs = Math.max(100, Math.floor(staleMs / 2));
  let accepting = true;
  let heartbeating = false;
  let timers: NodeJS.Timeout[] = [];
  const stop = () => {
    for (const timer of timers) clearInterval(timer);
    timers = [];
  };

  /** Writes a task's end, retrying with backoff until `withinMs` has passed; false if it could not. */
  async function writeEnd(id: string, outcome: TaskOutcome, output: readonly string[], withinMs: number): Promise<boolean> {
    const deadline = Date.now() + withinMs;
    const end = { code: outcome.code, error: outcome.error, result: outcome.result ?? null, output };
    for (let delay = 100, attempt = 1; ; delay = Math.min(delay * 2, 2_000), attempt++) {
      try {
        const wrote = await store.tasks.finish(id, end, timestamp(clock));
        if (!wrote) logger.warn({ task: id }, 'task had already been finished as interrupted; its own end is dropped');
        return true;
      } catch (error) {
        if (Date.now() + delay > deadline) {
          logger.error({ err: error, task: id, attempt }, 'could not record the end of a task; it is no longer heartbeated, so a reaper finishes it as interrupted');
          return false;
        }
        logger.warn({ err: error, task: id, attempt, retryInMs: delay }, 'could not record the end of a task; retrying');
        await sleep(delay);
      }
    }
  }

  async function heartbeat(): Promise<void> {
    if (heartbeating || live.size === 0) return;
    heartbeating = true;
    try {
      await store.tasks.heartbeat(replicaId, [...live.keys()], clock.now().toISOString());
    } catch (error) {
      logger.warn({ err: error, tasks: [...live.keys()] }, 'could not heartbeat running tasks');
    } finally {
      heartbeating = false;
    }
  }

  /** Finishes every task whose owner stopped heartbeating; the number finished. */
  async function reapStale(): Promise<number> {
    const now = clock.now();
    const staleBefore = new Date(now.getTime() - staleMs).toISOString();
    const reaped = await store.tasks.finishStale(
      staleBefore,
      { error: INTERRUPTED_BY_RESTART, line: INTERRUPTED_LINE, byOpening: { opening: INSPECTION_OPENING, line: INTERRUPTED_INSPECTION_LINE } },
      rfc3339(now),
    );
    if (reaped.length > 0) {
      logger.warn({ tasks: reaped.map((task) => task.id), owners: [...new Set(reaped.map((task) => task.owner))] }, 'finished tasks whose server stopped heartbeating as interrupted');
    }
    return reaped.length;
  }

  return {
    replicaId,
    /** False once a shutdown began: new tasks are refused. */
    accepting: () => accepting,

    /**
     * Records a task owned by this replica, runs `work` in the background, and answers its id at
     * once. `firstLine` opens its log with the row itself (an inspection's, see INSPECTION_OPENING).
     */
    async start(
      owner: { userId: number; contentId: number | null },
      work: (task: TaskContext) => Promise<TaskOutcome>,
      options: { readonly firstLine?: string } = {},
    ): Promise<string> {
      if (!accepting) {
        throw new ApiError(ErrorCode.InternalFailure, 'envdesk is shutting down; try again in a few seconds.', null, 503);
      }
      const id = newSecret(12);
      const startedAt = clock.now();
      const output = options.firstLine === undefined ? [] : [options.firstLine];
      await store.tasks.insert(
        { id, userId: owner.userId, contentId: owner.contentId, owner: replicaId, heartbeatTime: startedAt.toISOString(), output },
        rfc3339(startedAt),
      );
      const task: LiveTask = { output, controller: new AbortController(), done: Promise.resolve() };
      const context: TaskContext = {
        id,
        signal: task.controller.signal,
        async say(...lines) {
          task.controller.signal.throwIfAborted();
          task.output.push(...lines);
          // Progress is best effort: the next write catches up, and the end carries the whole log.
          await store.tasks.setOutput(id, task.output).catch((error: unknown) => logger.warn({ err: error, task: id }, 'could not save the progress of a task'));
        },
      };
      live.set(id, task);
      task.done = (async () => {
        let outcome: TaskOutcome;
        try {
          outcome = await work(context);
        } catch (error) {
          if (task.controller.signal.aborted) return;
          logger.error({ err: error, task: id }, 'task failed');
          outcome = { code: 1, error: failedInside };
        }
        if (task.controller.signal.aborted) return;
        task.output.push(...(outcome.lines ?? []));
        await writeEnd(id, outcome, task.output, staleMs);
      })().finally(() => live.delete(id));
      return id;
    },

    reapStale,

    /** Heartbeats this replica's tasks and reaps stale ones, until `stop()` or `drain()`. */
    startHousekeeping(): void {
      const reap = () => reapStale().catch((error: unknown) => logger.warn({ err: error }, 'could not finish stale tasks'));
      timers = [setInterval(() => void heartbeat(), heartbeatMs), setInterval(() => void reap(), reapEveryMs)];
      for (const timer of timers) timer.unref();
    },

    stop,

    /**
     * A graceful stop: refuses new tasks, waits up to `graceMs` for the running ones, then finishes
     * the rest as interrupted with a line in their log saying so.
     */
    async drain(graceMs: number): Promise<void> {
      accepting = false;
      if (live.size > 0) {
        logger.info({ tasks: [...live.keys()], graceMs }, 'waiting for running tasks to finish');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([Promise.all([...live.values()].map((task) => task.done)), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
        clearTimeout(timer);
      }
      const left = [...live.entries()];
      for (const [, task] of left) task.controller.abort();
      await Promise.all(
        left.map(([id, task]) => {
          const line = isInspection(task.output) ? inspectionShutdownLine(graceMs) : shutdownLine(graceMs);
          return writeEnd(id, { code: 1, error: INTERRUPTED_BY_SHUTDOWN }, [...task.output, line], Math.min(staleMs, 5_000));
        }),
      );
      if (left.length > 0) logger.warn({ tasks: left.map(([id]) => id) }, 'finished tasks still running at the end of the grace period as interrupted');
      stop();
    },

    /** Waits for the tasks under way (tests). */
    async settle(): Promise<void> {
      await Promise.all([...live.values()].map((task) => task.done));
    },
  };
}
export type TaskRunner = ReturnType<typeof createTaskRunner>;
