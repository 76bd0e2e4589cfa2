import { useQuery } from '@tanstack/react-query';
import { taskLogQueryOptions as followTask } from '../../../lib/task-log';
import { contentKeys } from './list-content';

export type { TaskLog } from '../../../lib/task-log';

/** A quiet task holds each request this long; a line written ends it at once, so the log follows line by line. */
const WAIT_SECONDS = 10;

export const taskLogQueryOptions = (id: string | null) => followTask(contentKeys.task(id ?? ''), id, { waitSeconds: WAIT_SECONDS, untilOutput: true });

/** Streams a task's log: lines appear as the server writes them, until it has finished. */
export function useTaskLog(id: string | null) {
  return useQuery(taskLogQueryOptions(id));
}
