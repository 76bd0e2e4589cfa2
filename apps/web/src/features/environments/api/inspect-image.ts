import { ApiError, type ImageInspectionResult, ImageInspectionSchema, type InspectImageInput } from '@envdesk/domain';
import { useMutation, useQuery } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { apiClient, errorMessage } from '../../../lib/api-client';
import { taskLogQueryOptions } from '../../../lib/task-log';

const StartedSchema = z.object({ task_id: z.string() });

/** POST /v1/environments/inspect (administrators): starts reading the image; answers the task's id. */
export async function startInspection(input: InspectImageInput): Promise<string> {
  return StartedSchema.parse(await apiClient.post('/v1/environments/inspect', { body: input })).task_id;
}

/** Each poll holds the server for up to this long, so polling again at once costs nothing. */
const WAIT_SECONDS = 1;

// Not under the environments' keys: saving an environment invalidates those, and must not poll a finished inspection again.
const inspectionKey = (taskId: string) => ['image-inspection', taskId] as const;

export const inspectionTaskQueryOptions = (taskId: string | null) =>
  taskLogQueryOptions(inspectionKey(taskId ?? ''), taskId, { waitSeconds: WAIT_SECONDS, untilOutput: false, retry: false });

export type InspectionState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'running'; readonly lines: readonly string[] }
  | { readonly phase: 'failed'; readonly lines: readonly string[]; readonly error: string }
  | { readonly phase: 'done'; readonly lines: readonly string[]; readonly result: ImageInspectionResult };

/**
 * Inspects an image in a registry (issue 12): starts the task, streams its lines, and ends with
 * what was found or a sentence saying why not (a refused name, an unreachable or refusing
 * registry, a missing tag).
 */
export function useImageInspection() {
  const start = useMutation({ mutationFn: startInspection });
  const taskId = start.data ?? null;
  const task = useQuery(inspectionTaskQueryOptions(taskId));

  const state = ((): InspectionState => {
    if (start.isIdle) return { phase: 'idle' };
    if (start.isError) return { phase: 'failed', lines: [], error: errorMessage(start.error) };
    const lines = task.data?.lines ?? [];
    const refused = task.error instanceof ApiError && task.error.status < 500;
    if (refused) return { phase: 'failed', lines, error: `The inspection's progress could not be read. ${errorMessage(task.error)}` };
    if (!task.data?.finished) return { phase: 'running', lines };
    if (task.data.code !== 0) return { phase: 'failed', lines, error: task.data.error || 'The inspection failed.' };
    const result = ImageInspectionSchema.safeParse(task.data.result);
    if (!result.success) return { phase: 'failed', lines, error: 'The inspection finished, but its answer could not be read.' };
    return { phase: 'done', lines, result: result.data };
  })();

  return {
    state,
    /** The running or last inspection's task: each inspection's findings start afresh. */
    taskId,
    /** The last poll failed (the server went away); polling goes on. */
    pollError: task.error && !(task.error instanceof ApiError && task.error.status < 500) ? task.error : null,
    inspect: (input: InspectImageInput) => start.mutate(input),
    reset: () => start.reset(),
  };
}
