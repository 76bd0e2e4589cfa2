import type { Kysely } from 'kysely';
import type { Database, TaskRow } from '../db/schema.js';

export function createTasksStore(db: Kysely<Database>) {
  return {
    async insert(id: string, userId: number, contentId: number | null, now: string): Promise<void> {
      await db.insertInto('tasks').values({ id, user_id: userId, content_id: contentId, created_time: now }).execute();
    },

    find(id: string): Promise<TaskRow | undefined> {
      return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
    },

    async setOutput(id: string, lines: readonly string[]): Promise<void> {
      await db.updateTable('tasks').set({ output: JSON.stringify(lines) }).where('id', '=', id).execute();
    },

    async finish(id: string, outcome: { code: number; error: string; result: unknown; output: readonly string[] }, now: string): Promise<void> {
      await db
        .updateTable('tasks')
        .set({
          finished: 1,
          code: outcome.code,
          error: outcome.error,
          result: outcome.result === null ? null : JSON.stringify(outcome.result),
          output: JSON.stringify(outcome.output),
          finished_time: now,
        })
        .where('id', '=', id)
        .execute();
    },

    async listForContent(contentId: number): Promise<TaskRow[]> {
      return db
        .selectFrom('tasks')
        .selectAll()
        .where('content_id', '=', contentId)
        .orderBy('created_time', 'desc')
        .orderBy('id', 'desc')
        .limit(100)
        .execute();
    },
  };
}
export type TasksStore = ReturnType<typeof createTasksStore>;
