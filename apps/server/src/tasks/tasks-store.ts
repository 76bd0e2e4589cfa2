import { type Deployment, type Task, TaskSchema } from '@envdesk/domain';
import { type Kysely, sql } from 'kysely';
import { readFlag, readJson } from '../db/columns.js';
import type { Database, TaskRow } from '../db/schema.js';

/** A task as the store keeps it: Connect's task fields with its whole log, and whose it is. */
export interface TaskRecord
  extends Readonly<Pick<Task, 'id' | 'result' | 'finished' | 'code' | 'error'> & Pick<Deployment, 'created_time' | 'finished_time' | 'output'>> {
  /** Who started it: the only one besides administrators who may read it. */
  readonly user_id: number;
  readonly content_id: number | null;
  /** The replica running it, and when it last said so (see task-runner.ts). */
  readonly owner: string | null;
  readonly heartbeat_time: string | null;
}

function toTaskRecord(row: TaskRow): TaskRecord {
  return {
    id: row.id,
    user_id: row.user_id,
    content_id: row.content_id,
    output: readJson(TaskSchema.shape.output, row.output, `tasks ${row.id} output`),
    result: row.result === null ? null : readJson(TaskSchema.shape.result, row.result, `tasks ${row.id} result`),
    finished: readFlag(row.finished),
    code: row.code,
    error: row.error,
    created_time: row.created_time,
    finished_time: row.finished_time,
    owner: row.owner,
    heartbeat_time: row.heartbeat_time,
  };
}

export interface NewTask {
  readonly id: string;
  readonly userId: number;
  readonly contentId: number | null;
  /** The replica that runs it, and when it started (ISO 8601 with milliseconds). */
  readonly owner: string;
  readonly heartbeatTime: string;
  /** The log's first lines, written with the row (see the task runner's INSPECTION_OPENING). */
  readonly output?: readonly string[];
}

export interface TaskEnd {
  readonly code: number;
  readonly error: string;
  readonly result: unknown;
  readonly output: readonly string[];
}

/** Appends one line to a task's output (compact JSON array text) in SQL both dialects run. */
const withLine = (line: string) => {
  const encoded = JSON.stringify(line);
  return sql<string>`case when output = '[]' then cast(${`[${encoded}]`} as text) else substr(output, 1, length(output) - 1) || cast(${`,${encoded}]`} as text) end`;
};

export function createTasksStore(db: Kysely<Database>) {
  return {
    async insert(task: NewTask, now: string): Promise<void> {
      await db
        .insertInto('tasks')
        .values({
          id: task.id,
          user_id: task.userId,
          content_id: task.contentId,
          owner: task.owner,
          heartbeat_time: task.heartbeatTime,
          created_time: now,
          ...(task.output && task.output.length > 0 ? { output: JSON.stringify(task.output) } : {}),
        })
        .execute();
    },

    async find(id: string): Promise<TaskRecord | undefined> {
      const row = await db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toTaskRecord(row);
    },

    /** Saves the log so far; a task already finished (interrupted by a reaper) keeps its final log. */
    async setOutput(id: string, lines: readonly string[]): Promise<void> {
      await db.updateTable('tasks').set({ output: JSON.stringify(lines) }).where('id', '=', id).where('finished', '=', 0).execute();
    },

    /** Records the end of a task; false when it had already ended (the first end written wins). */
    async finish(id: string, end: TaskEnd, now: string): Promise<boolean> {
      const result = await db
        .updateTable('tasks')
        .set({
          finished: 1,
          code: end.code,
          error: end.error,
          result: end.result === null ? null : JSON.stringify(end.result),
          output: JSON.stringify(end.output),
          finished_time: now,
        })
        .where('id', '=', id)
        .where('finished', '=', 0)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** The owner still runs these tasks: one statement for all of them. */
    async heartbeat(owner: string, ids: readonly string[], at: string): Promise<void> {
      if (ids.length === 0) return;
      await db
        .updateTable('tasks')
        .set({ heartbeat_time: at })
        .where('owner', '=', owner)
        .where('finished', '=', 0)
        .where('id', 'in', ids)
        .execute();
    },

    /**
     * Finishes, as `error` with `line` appended to the log, every unfinished task whose owner has
     * not heartbeated since `staleBefore` (or never did: tasks from before heartbeats existed); a
     * task whose log opens with `byOpening.opening` gets `byOpening.line` instead. One conditional
     * UPDATE, so replicas reaping at once finish each task exactly once.
     */
    async finishStale(
      staleBefore: string,
      interruption: { error: string; line: string; byOpening?: { opening: string; line: string } },
      now: string,
    ): Promise<Array<{ id: string; owner: string | null }>> {
      const { byOpening } = interruption;
      if (byOpening && /[%_\\]/.test(byOpening.opening)) throw new Error('a log opening must hold no LIKE wildcard');
      // The log is compact JSON text: `["Inspecting …",…]` opens with the opening's JSON string, less its closing quote.
      const output = byOpening
        ? sql<string>`case when output like ${`${JSON.stringify([byOpening.opening]).slice(0, -2)}%`} then ${withLine(byOpening.line)} else ${withLine(interruption.line)} end`
        : withLine(interruption.line);
      return db
        .updateTable('tasks')
        .set({ finished: 1, code: 1, error: interruption.error, output, finished_time: now })
        .where('finished', '=', 0)
        .where((eb) => eb.or([eb('heartbeat_time', 'is', null), eb('heartbeat_time', '<', staleBefore)]))
        .returning(['id', 'owner'])
        .execute();
    },

    async listForContent(contentId: number): Promise<TaskRecord[]> {
      const rows = await db
        .selectFrom('tasks')
        .selectAll()
        .where('content_id', '=', contentId)
        .orderBy('created_time', 'desc')
        .orderBy('id', 'desc')
        .limit(100)
        .execute();
      return rows.map(toTaskRecord);
    },
  };
}
export type TasksStore = ReturnType<typeof createTasksStore>;
