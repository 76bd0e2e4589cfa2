import { type Actor, ApiError, ErrorCode, type Task, can, permissionDenied } from '@envdesk/domain';
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

export function createTasksService({ store }: { store: Pick<Store, 'tasks'> }) {
  return {
    /**
     * A task as Connect's clients poll it: lines from `first` on, `last` to pass back next time;
     * with `wait`, the answer waits (up to that many seconds) for the task to finish.
     */
    async get(actor: Actor, userId: number, id: string, query: { first: number; wait: number }): Promise<Task> {
      if (!can(actor, 'tasks:read')) throw permissionDenied();
      let task = await store.tasks.find(id);
      if (!task || (actor.role !== 'administrator' && task.user_id !== userId)) throw taskMissing();
      const deadline = Date.now() + Math.min(query.wait, MAX_WAIT_SECONDS) * 1000;
      while (!task.finished && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        task = (await store.tasks.find(id)) ?? task;
      }
      return presentTask(task, query.first);
    },
  };
}
export type TasksService = ReturnType<typeof createTasksService>;
