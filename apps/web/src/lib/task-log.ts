import { ApiError, type Task, TaskSchema } from '@envdesk/domain';
import { type QueryKey, queryOptions, skipToken } from '@tanstack/react-query';
import { apiClient } from './api-client';

/**
 * GET /v1/tasks/{id}?first=N&wait=S[&until=output]: the log lines from `first` on; the answer comes
 * when the task ends or after S seconds, and with `untilOutput` as soon as there is a line after them.
 */
export async function getTask(id: string, { first, wait, untilOutput }: { first: number; wait: number; untilOutput: boolean }, signal?: AbortSignal): Promise<Task> {
  const path = `/v1/tasks/${encodeURIComponent(id)}?first=${first}&wait=${wait}${untilOutput ? '&until=output' : ''}`;
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
  /** What the task answered when it finished (an inspection's findings), unchecked. */
  readonly result?: unknown;
}

/** After a failed poll (the server restarting, the network gone), wait this long before the next. */
const AFTER_FAILURE_MS = 2_000;

/** Poll again as soon as an answer comes back, until the task has finished; a refusal (the task is gone) ends it. */
function nextPollMs(data: TaskLog | undefined, error: unknown): number | false {
  if (data?.finished) return false;
  if (error instanceof ApiError && error.status < 500) return false;
  return error ? AFTER_FAILURE_MS : 10;
}

/**
 * Follows task `id` under `queryKey` until it finishes: each poll asks only for the lines after those
 * already read, holds the server up to `waitSeconds`, and appends what comes back.
 */
export const taskLogQueryOptions = (
  queryKey: QueryKey,
  id: string | null,
  { waitSeconds, untilOutput, retry }: { waitSeconds: number; untilOutput: boolean; retry?: false },
) =>
  queryOptions({
    queryKey,
    queryFn:
      id === null
        ? skipToken
        : async ({ client, signal }): Promise<TaskLog> => {
            const previous = client.getQueryData<TaskLog>(queryKey);
            const task = await getTask(id, { first: previous?.last ?? 0, wait: previous ? waitSeconds : 0, untilOutput }, signal);
            return {
              lines: [...(previous?.lines ?? []), ...task.output],
              last: task.last,
              finished: task.finished,
              code: task.code,
              error: task.error,
              result: task.result,
            };
          },
    refetchInterval: (query) => nextPollMs(query.state.data, query.state.error),
    refetchIntervalInBackground: true,
    refetchOnWindowFocus: false,
    staleTime: Infinity,
    // Only when asked: otherwise the app's default retry rule applies (an explicit undefined would replace it).
    ...(retry === false ? { retry } : {}),
  });
