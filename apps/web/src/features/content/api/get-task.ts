import { ApiError, type Task, TaskSchema } from '@envdesk/domain';
import { queryOptions, skipToken, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { contentKeys } from './list-content';

/**
 * GET /v1/tasks/{id}?first=N&wait=S&until=output: the log lines from `first` on; the answer comes
 * as soon as there is a line after them or the task ends, or after S seconds.
 */
export async function getTask(id: string, { first, wait }: { first: number; wait: number }, signal?: AbortSignal): Promise<Task> {
  const path = `/v1/tasks/${encodeURIComponent(id)}?first=${first}&wait=${wait}&until=output`;
  return TaskSchema.parse(await apiClient.get(path, { signal }));
}

/** A task's whole log so far, as polling builds it up. */
export interface TaskLog {
  readonly lines: readonly string[];
  /** Lines read so far: the next poll's `first`. */
  readonly last: number;
  readonly finished: boolean;
  /** 0 when the task succeeded. */
  readonly code: number;
  readonly error: string;
}

/** A quiet task holds each request this long; a line written ends it at once, so the log follows line by line. */
const WAIT_SECONDS = 10;
/** After a failed poll (the server restarting, the network gone), wait this long before the next. */
const AFTER_FAILURE_MS = 2_000;

/** Poll again as soon as an answer comes back, until the task has finished; a refusal (the task is gone) ends it. */
function nextPollMs(data: TaskLog | undefined, error: unknown): number | false {
  if (data?.finished) return false;
  if (error instanceof ApiError && error.status < 500) return false;
  return error ? AFTER_FAILURE_MS : 10;
}

export const taskLogQueryOptions = (id: string | null) =>
  queryOptions({
    queryKey: contentKeys.task(id ?? ''),
    queryFn:
      id === null
        ? skipToken
        : async ({ client, queryKey, signal }): Promise<TaskLog> => {
            // Each poll asks only for the lines after those already read, and appends them.
            const previous = client.getQueryData<TaskLog>(queryKey);
            const task = await getTask(id, { first: previous?.last ?? 0, wait: previous ? WAIT_SECONDS : 0 }, signal);
            return {
              lines: [...(previous?.lines ?? []), ...task.output],
              last: task.last,
              finished: task.finished,
              code: task.code,
              error: task.error,
            };
          },
    refetchInterval: (query) => nextPollMs(query.state.data, query.state.error),
    refetchIntervalInBackground: true,
    refetchOnWindowFocus: false,
    staleTime: Infinity,
  });

/** Streams a task's log: lines appear as the server writes them, until it has finished. */
export function useTaskLog(id: string | null) {
  return useQuery(taskLogQueryOptions(id));
}
