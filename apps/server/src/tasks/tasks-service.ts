import { type Actor, ApiError, ErrorCode, type Task } from '@envdesk/domain';
import { authorize } from '../auth/authorize.js';
import type { TaskRow } from '../db/schema.js';
import type { Store } from '../db/store.js';

/** Long polls stop after this long whatever `wait` asks, so a request never hangs. */
const MAX_WAIT_SECONDS = 30;
const POLL_MS = 100;

const taskMissing = () => new ApiError(ErrorCode.TaskDoesNotExist, 'That task does not exist.');

export function presentTask(row: TaskRow, first: number): Task {
  const lines = JSON.parse(row.output) as string[];
  return {
    id: row.id,
    output: lines.slice(first),
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    finished: row.finished === 1,
    code: row.code,
    error: row.error,
    last: lines.length,
  };
}

export function createTasksService({ store }: { store: Store }) {
  return {
    /**
     * A task as Connect's clients poll it: lines from `first` on, `last` to pass back next time;
     * with `wait`, the answer waits (up to that many seconds) for the task to finish.
     */
    async get(actor: Actor, id: string, query: { first: number; wait: number }): Promise<Task> {
      authorize(actor, 'tasks:read');
      let row = await store.tasks.find(id);
      if (!row) throw taskMissing();
      const starter = await store.users.findById(row.user_id);
      authorize(actor, 'tasks:read', { user_guid: starter?.user.guid ?? null }, taskMissing);
      const deadline = Date.now() + Math.min(query.wait, MAX_WAIT_SECONDS) * 1000;
      while (row.finished === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        row = (await store.tasks.find(id)) ?? row;
      }
      return presentTask(row, query.first);
    },
  };
}
export type TasksService = ReturnType<typeof createTasksService>;
