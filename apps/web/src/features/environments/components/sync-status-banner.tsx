import { type FileProblem, type PendingRemoval, type SyncStatus, describeProblemForPeople } from '@envdesk/domain';
import { useSyncStatus } from '../api/sync-status';

/**
 * For administrators: when the declarative file could not be applied on its last poll, says so at
 * the top of the tab. The database keeps the last good state (PRODUCT.md §4), which is said too.
 * When the file is missing or empty, says when its environments will be removed (issue 8 § 1).
 */
export function SyncStatusBanner() {
  const status = useSyncStatus({ enabled: true });
  const lastError = status.data?.last_error;
  const pendingRemoval = status.data?.pending_removal;
  return (
    <>
      {pendingRemoval && <PendingRemovalBanner file={status.data?.file ?? null} pending={pendingRemoval} />}
      {lastError && status.data && <FailedSyncBanner message={lastError.message} problems={lastError.problems} status={status.data} />}
    </>
  );
}

function FailedSyncBanner({ message, problems, status }: { message: string; problems: readonly FileProblem[]; status: SyncStatus }) {
  const [summary] = message.split('\n');
  return (
    <div role="alert" className="alert alert-error sync-banner">
      <p className="sync-banner-title">The environments file could not be applied.</p>
      <p>{summary?.replace(/:$/, '.')}</p>
      {problems.length > 0 && (
        <ul className="sync-banner-problems">
          {problems.map((problem, index) => (
            // Two problems can read alike (one field, two messages cut short): the position keeps them apart.
            <li key={index}>{describeProblemForPeople(problem)}</li>
          ))}
        </ul>
      )}
      <p className="sync-banner-note">
        File-managed environments keep their last good definitions until the file is fixed; envdesk tries again on every change.
      </p>
      <FileStatus status={status} />
    </div>
  );
}

const when = (time: string | null | undefined) => (time ? <time dateTime={time}>{new Date(time).toLocaleString()}</time> : 'never');

/** The file's status in short, and the full record the server keeps (`GET /v1/environments/sync`). */
function FileStatus({ status }: { status: SyncStatus }) {
  return (
    <details className="sync-file-status" id="environments-file-status">
      <summary>The file’s status</summary>
      <dl>
        <dt>File</dt>
        <dd className="mono">{status.file ?? 'none configured'}</dd>
        <dt>Last applied</dt>
        <dd>{when(status.last_sync_time)}</dd>
        <dt>Last failed</dt>
        <dd>{when(status.last_error?.time)}</dd>
        {status.poll_ms !== undefined && (
          <>
            <dt>Checked</dt>
            <dd>every {Math.max(1, Math.round(status.poll_ms / 1000))} s</dd>
          </>
        )}
      </dl>
      <p>
        <a href="/__api__/v1/environments/sync" target="_blank" rel="noreferrer">
          Full status (JSON)
        </a>
      </p>
    </details>
  );
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

function PendingRemovalBanner({ file, pending }: { file: string | null; pending: PendingRemoval }) {
  const when = new Date(pending.at);
  const what = file ?? 'The environments file';
  return (
    <div role="alert" className="alert alert-warning sync-banner">
      <p className="sync-banner-title">
        {pending.reason === 'missing' ? `${what} is missing.` : `${what} is empty.`}
      </p>
      <p>
        Its {plural(pending.environments, 'file-managed environment', 'file-managed environments')} will be removed at{' '}
        <time dateTime={pending.at}>{when.toLocaleString()}</time> unless the file comes back before then.
      </p>
      <p className="sync-banner-note">
        Nothing has been removed yet. A removed environment leaves a tombstone: when the file names its image again, it
        comes back with its GUID and permissions.
      </p>
    </div>
  );
}
