import { describeProblem } from '@envdesk/domain';
import { useSyncStatus } from '../api/sync-status';

/**
 * For administrators: when the declarative file could not be applied on its last poll, says so at
 * the top of the tab. The database keeps the last good state (PRODUCT.md §4), which is said too.
 */
export function SyncStatusBanner() {
  const status = useSyncStatus({ enabled: true });
  const lastError = status.data?.last_error;
  if (!lastError) return null;
  const [summary] = lastError.message.split('\n');
  return (
    <div role="alert" className="alert alert-error sync-banner">
      <p className="sync-banner-title">The environments file could not be applied.</p>
      <p>{summary?.replace(/:$/, '.')}</p>
      {lastError.problems.length > 0 && (
        <ul className="sync-banner-problems">
          {lastError.problems.map((problem) => (
            <li key={describeProblem(problem)}>{describeProblem(problem)}</li>
          ))}
        </ul>
      )}
      <p className="sync-banner-note">
        File-managed environments keep their last good definitions until the file is fixed; envdesk tries again on every change.
      </p>
    </div>
  );
}
