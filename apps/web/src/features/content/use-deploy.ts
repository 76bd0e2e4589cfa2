import { ApiError, type Content } from '@envdesk/domain';
import { useEffect, useRef, useState } from 'react';
import { useAnnounce } from '../../components/announcer';
import { errorMessage } from '../../lib/api-client';
import { useDeployContent, useRefreshAfterDeploy } from './api/deploy-content';
import { type TaskLog, useTaskLog } from './api/get-task';
import { useDeploymentList } from './api/list-deployments';
import { contentTitle } from './content-list';

export interface DeployState {
  /** Starts a deploy of `bundleId` (null: the latest bundle). */
  readonly deploy: (bundleId: string | null) => void;
  /** The deploy started from this page, or the one the server lists as running when the page opened. */
  readonly taskId: string | null;
  /** Its log as it streams in; null before the first answer. */
  readonly log: TaskLog | null;
  /** Starting, or running and not finished: another deploy waits. */
  readonly busy: boolean;
  /** The log could not be read (the server went away); polling keeps trying. */
  readonly logError: unknown;
}

/**
 * Deploys from the content page: starts the task, streams its log, and when it finishes refreshes
 * what a deploy changes and says how it went. A deploy already running when the page opens (a
 * reload, another tab, a publishing client) is followed the same way, so Deploy comes back only
 * once the server says it has finished — with success, an error, or interrupted by a restart.
 */
export function useDeploy(content: Content): DeployState {
  const start = useDeployContent(content.guid);
  const refresh = useRefreshAfterDeploy(content.guid);
  const announce = useAnnounce();
  const [startedId, setStartedId] = useState<string | null>(null);
  const history = useDeploymentList(content.guid);
  const runningId = history.data?.find((deployment) => !deployment.finished)?.task_id ?? null;
  const taskId = startedId ?? runningId;
  const log = useTaskLog(taskId);
  // The server refused the poll (the task is gone, the session ended): nothing is running that this page can follow.
  const refused = log.error instanceof ApiError && log.error.status < 500;
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
        setStartedId(id);
        announce(bundleId ? `Deploying bundle ${bundleId} of “${title}”…` : `Deploying “${title}”…`, 'info');
      },
      onError: (error) => announce(`The deploy of “${title}” did not start. ${errorMessage(error)}`, 'error'),
    });
  };

  return {
    deploy,
    taskId,
    log: log.data ?? null,
    busy: start.isPending || (taskId !== null && !log.data?.finished && !refused),
    logError: log.error,
  };
}
