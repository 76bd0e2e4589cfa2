import { type Actor, ApiError, ErrorCode, type Task } from '@envdesk/domain';
import { authorize } from '../auth/authorize.js';
import type { Store } from '../db/store.js';
import type { TaskRecord } from './tasks-store.js';

/** Long polls stop after this long whatever `wait` asks, so a request never hangs. */
const MAX_WAIT_SECONDS = 30;
const POLL_MS = 100;

const taskMissing = () => new ApiError(ErrorCode.TaskDoesNotExist, 'That task does not exist.');

export function presentTask(task: TaskRecord, first: number): Task {
  return {
    id: task.id,
    output: task.output.slice(first),
    result: task.result,
    finished: task.finished,
    code: task.code,
    error: task.error,
    last: task.output.length,
  };
}

export function createTasksService({ store }: { store: Pick<Store, 'tasks' | 'users'> }) {
  return {
    /**
     * A task as Connect's clients poll it: lines from `first` on, `last` to pass back next time;
     * with `wait`, the answer waits (up to that many seconds) for the task to finish, or with
     * `until: 'output'` for its next lines.
     */
    async get(actor: Actor, id: string, query: { first: number; wait: number; until?: 'finished' | 'output' | undefined }): Promise<Task> {
      authorize(actor, 'tasks:read');
      let task = await store.tasks.find(id);
      if (!task) throw taskMissing();
      const starter = await store.users.findById(task.user_id);
      authorize(actor, 'tasks:read', { user_guid: starter?.user.guid ?? null }, taskMissing);
      const deadline = Date.now() + Math.min(query.wait, MAX_WAIT_SECONDS) * 1000;
      const hasNewLines = (current: TaskRecord) => query.until === 'output' && current.output.length > query.first;
      while (!task.finished && !hasNewLines(task) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        task = (await store.tasks.find(id)) ?? task;
      }
      return presentTask(task, query.first);
    },
  };
}
export type TasksService = ReturnType<typeof createTasksService>;
