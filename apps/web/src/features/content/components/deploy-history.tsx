import type { Content, Deployment } from '@envdesk/domain';
import { LoadError } from '../../../components/load-error';
import { useEffect, useId, useRef, useState } from 'react';
import { errorMessage } from '../../../lib/api-client';
import { useDeploymentList } from '../api/list-deployments';
import type { DeployState } from '../use-deploy';
import { dateTimeFormat } from './content-columns';

const SHOWN_AT_FIRST = 5;

type Status = 'running' | 'succeeded' | 'failed';
const statusOf = (deployment: Deployment): Status => (!deployment.finished ? 'running' : deployment.code === 0 ? 'succeeded' : 'failed');
const STATUS_LABELS: Record<Status, string> = { running: 'Running', succeeded: 'Succeeded', failed: 'Failed' };

/**
 * The deploys the server has, newest first; the one started from this page shows its log as it
 * streams in (it may not be in the server's list yet when it starts).
 */
export function withLiveDeploy(deployments: readonly Deployment[], deploy: Pick<DeployState, 'taskId' | 'log'>, now: string): Deployment[] {
  const { taskId, log } = deploy;
  if (!taskId) return [...deployments];
  const live = (base: Deployment): Deployment =>
    log ? { ...base, output: [...log.lines], finished: log.finished, code: log.code, error: log.error } : base;
  const listed = deployments.some((deployment) => deployment.task_id === taskId);
  if (listed) return deployments.map((deployment) => (deployment.task_id === taskId ? live(deployment) : deployment));
  return [live({ task_id: taskId, created_time: now, finished_time: null, finished: false, code: 0, error: '', output: [] }), ...deployments];
}

export function DeployHistory({ content, deploy }: { content: Content; deploy: DeployState }) {
  const id = useId().replace(/:/g, '');
  const deployments = useDeploymentList(content.guid);
  const [startedAt] = useState(() => new Date().toISOString());
  const [showAll, setShowAll] = useState(false);

  const heading = (
    <h2 id={`${id}-title`} className="section-title">
      Deploy history
    </h2>
  );
  let body;
  if (deployments.isPending && !deploy.taskId) {
    body = (
      <p role="status" className="muted">
        Loading deploys…
      </p>
    );
  } else if (deployments.isError && !deploy.taskId) {
    body = (
      <LoadError what="The deploy history" error={deployments.error} onRetry={() => void deployments.refetch()} />
    );
  } else {
    const entries = withLiveDeploy(deployments.data ?? [], deploy, startedAt);
    const shown = showAll ? entries : entries.slice(0, SHOWN_AT_FIRST);
    body =
      entries.length === 0 ? (
        <p className="section-empty">Not deployed yet. Deploy a bundle to see its log here.</p>
      ) : (
        <>
          <ol className="deployments" aria-label="Deploys, newest first">
            {shown.map((deployment, index) => (
              <DeploymentItem
                key={deployment.task_id}
                deployment={deployment}
                number={entries.length - index}
                open={index === 0}
                live={deployment.task_id === deploy.taskId}
              />
            ))}
          </ol>
          {entries.length > SHOWN_AT_FIRST && (
            <button type="button" className="button button-small button-quiet" onClick={() => setShowAll((value) => !value)}>
              {showAll ? 'Show fewer deploys' : `Show all ${entries.length} deploys`}
            </button>
          )}
          {Boolean(deploy.logError) && !deploy.log?.finished && (
            <p className="text-warning">
              {deploy.busy ? 'Lost contact with the running deploy; trying again…' : 'The deploy’s progress can no longer be read.'}{' '}
              {errorMessage(deploy.logError)}
            </p>
          )}
        </>
      );
  }
  return (
    <section className="section content-section" aria-labelledby={`${id}-title`}>
      {heading}
      {body}
    </section>
  );
}

function duration(from: string, to: string | null): string | null {
  if (!to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  if (!Number.isFinite(ms) || ms < 0) return null;
  return ms < 1000 ? 'under a second' : `${Math.round(ms / 1000)} s`;
}

interface DeploymentItemProps {
  readonly deployment: Deployment;
  /** 1 for the first deploy ever: names the log uniquely for screen readers. */
  readonly number: number;
  readonly open: boolean;
  /** Started from this page: its log is a live region that reads new lines as they come. */
  readonly live: boolean;
}

function DeploymentItem({ deployment, number, open, live }: DeploymentItemProps) {
  const status = statusOf(deployment);
  const log = useRef<HTMLPreElement>(null);
  const took = duration(deployment.created_time, deployment.finished_time);
  const lines = deployment.output;

  // A streaming log follows its newest line, unless the reader scrolled up to read.
  useEffect(() => {
    const element = log.current;
    if (!element || !live) return;
    const nearBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
    if (nearBottom) element.scrollTop = element.scrollHeight;
  }, [lines.length, live]);

  return (
    <li className={`deployment deployment-${status}`}>
      <details open={open}>
        <summary>
          <span className="deployment-number">Deploy {number}</span>
          <span className={`pill pill-${status}`}>{STATUS_LABELS[status]}</span>
          <span className="muted">
            started <time dateTime={deployment.created_time}>{dateTimeFormat.format(new Date(deployment.created_time))}</time>
            {took && `, took ${took}`}
          </span>
        </summary>
        <pre
          ref={log}
          className="log"
          tabIndex={0}
          role={live ? 'log' : 'region'}
          aria-label={`Log of deploy ${number}`}
        >
          {lines.length > 0 ? lines.join('\n') : status === 'running' ? 'Waiting for the first line…' : '(no output)'}
        </pre>
        {status === 'failed' && deployment.error && <p className="field-error">{deployment.error}</p>}
      </details>
    </li>
  );
}
