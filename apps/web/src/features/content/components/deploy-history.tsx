import type { Content, Deployment, User } from '@envdesk/domain';
import { Link } from '@tanstack/react-router';
import { LoadError } from '../../../components/load-error';
import { useEffect, useId, useRef, useState } from 'react';
import { offers } from '../../../lib/access';
import { errorMessage } from '../../../lib/api-client';
import { useSelectionExplanation } from '../api/explain-selection';
import { useDeploymentList } from '../api/list-deployments';
import { ownerName } from '../content-list';
import { bundleVersionsText } from '../runtime-choices';
import type { DeployState } from '../use-deploy';
import { DateTime } from '../../../components/date-time';

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

export function DeployHistory({ content, deploy, user }: { content: Content; deploy: DeployState; user: User }) {
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
          {entries[0] && statusOf(entries[0]) === 'failed' && <NextSteps content={content} user={user} />}
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

/**
 * After a failed deploy: when no environment the owner may use can run the latest bundle, which
 * versions it needs and who can add an environment with them (issue 14) — an administrator gets a
 * link to add one, anyone else is told to ask one.
 */
function NextSteps({ content, user }: { content: Content; user: User }) {
  const id = useId().replace(/:/g, '');
  const explanation = useSelectionExplanation(content.guid);
  const judged = explanation.data;
  if (!judged || judged.selected_guid !== null) return null;
  const owner = content.owner.guid === user.guid ? 'you' : ownerName(content.owner);
  const asked = judged.request.kind === 'automatic' ? null : judged.request.description;
  return (
    <div className="next-steps" role="group" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="subsection-title">
        What to do next
      </h3>
      <p>
        The latest bundle needs <strong>{bundleVersionsText(judged.bundle)}</strong>
        {asked ? ` (and asks for ${asked})` : ''}, and no environment {owner} may use has {asked ? 'that' : 'them'}.
      </p>
      {offers(user, 'environments:write') ? (
        <p>
          <Link to="/environments/new">Add an environment with {asked ? 'it' : 'these versions'}</Link>
          {owner === 'you' ? '' : `, or give ${owner} access to one that has them`}, then deploy again.
        </p>
      ) : (
        <p>
          Ask an administrator to add an environment with {asked ? 'it' : 'these versions'}, or to give {owner} access to one that has them, then deploy
          again. You can also choose another environment under Runtime.
        </p>
      )}
    </div>
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
            started <DateTime value={deployment.created_time} />
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
