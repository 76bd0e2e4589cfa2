import type { Content } from '@envdesk/domain';
import { useEffect, useRef, useState } from 'react';
import { useAnnounce } from '../../components/announcer';
import { errorMessage } from '../../lib/api-client';
import { useDeployContent, useRefreshAfterDeploy } from './api/deploy-content';
import { type TaskLog, useTaskLog } from './api/get-task';
import { contentTitle } from './content-list';

export interface DeployState {
  /** Starts a deploy of `bundleId` (null: the latest bundle). */
  readonly deploy: (bundleId: string | null) => void;
  /** The deploy started from this page, while the page is open. */
  readonly taskId: string | null;
  /** Its log as it streams in; null before the first answer. */
  readonly log: TaskLog | null;
  /** Starting, or started and not finished: another deploy waits. */
  readonly busy: boolean;
  /** The log could not be read (the server went away); polling keeps trying. */
  readonly logError: unknown;
}

/**
 * Deploys from the content page: starts the task, streams its log, and when it finishes refreshes
 * what a deploy changes and says how it went.
 */
export function useDeploy(content: Content): DeployState {
  const start = useDeployContent(content.guid);
  const refresh = useRefreshAfterDeploy(content.guid);
  const announce = useAnnounce();
  const [taskId, setTaskId] = useState<string | null>(null);
  const log = useTaskLog(taskId);
  const reported = useRef<string | null>(null);
  const title = contentTitle(content);

  useEffect(() => {
    if (!taskId || !log.data?.finished || reported.current === taskId) return;
    reported.current = taskId;
    void refresh();
    if (log.data.code === 0) announce(`Deployed “${title}”.`);
    else announce(`The deploy of “${title}” failed. ${log.data.error}`, 'error');
  }, [taskId, log.data, refresh, announce, title]);

  const deploy = (bundleId: string | null) => {
    start.mutate(bundleId, {
      onSuccess: (id) => {
        setTaskId(id);
        announce(bundleId ? `Deploying bundle ${bundleId} of “${title}”…` : `Deploying “${title}”…`, 'info');
      },
      onError: (error) => announce(`The deploy of “${title}” did not start. ${errorMessage(error)}`, 'error'),
    });
  };

  return {
    deploy,
    taskId,
    log: log.data ?? null,
    busy: start.isPending || (taskId !== null && !log.data?.finished),
    logError: log.error,
  };
}
