import type { DeletedEnvironment, User } from '@envdesk/domain';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useAnnounce } from '../../components/announcer';
import { DateTime } from '../../components/date-time';
import { ConfirmDialog } from '../../components/dialog';
import { displayTitle } from '../../components/environment-columns';
import { LoadError } from '../../components/load-error';
import { MiddleTruncate } from '../../components/middle-truncate';
import { Page } from '../../components/page';
import { offers } from '../../lib/access';
import { errorMessage } from '../../lib/api-client';
import { useDeletedEnvironments, useRestoreDeletedEnvironment } from './api/deleted-environments';
import { listSearch } from './environments-view';
import { viaText } from './history/describe-change';
import './history/history.css';

/** `/environments/deleted`: environments deleted lately, by hand or by the file, and bringing them back. */
export function DeletedEnvironmentsPage({ user }: { user: User }) {
  const back = (
    <Link to="/environments" search={listSearch()} className="back-link">
      <span aria-hidden="true">← </span>Environments
    </Link>
  );
  if (!offers(user, 'environments:read-history')) {
    return (
      <>
        {back}
        <Page title="Recently deleted">
          <div className="notice">
            <p>This page is not available to your role.</p>
          </div>
        </Page>
      </>
    );
  }
  return (
    <>
      {back}
      <Page
        title="Recently deleted"
        lead="Deleted environments are kept for a while (30 days unless the server is set otherwise) and come back with their GUID and access control."
      >
        <DeletedList canRestore={offers(user, 'environments:write')} />
      </Page>
    </>
  );
}

function DeletedList({ canRestore }: { canRestore: boolean }) {
  const deleted = useDeletedEnvironments();
  const restore = useRestoreDeletedEnvironment();
  const announce = useAnnounce();
  const [confirming, setConfirming] = useState<DeletedEnvironment | null>(null);
  const [restoreError, setRestoreError] = useState<string | null>(null);

  if (deleted.isPending) {
    return (
      <p role="status" className="muted">
        Loading deleted environments…
      </p>
    );
  }
  if (deleted.isError) return <LoadError what="The deleted environments" error={deleted.error} onRetry={() => void deleted.refetch()} panel />;
  if (deleted.data.length === 0) {
    return (
      <div className="state-panel state-empty">
        <p>No environments were deleted recently.</p>
      </div>
    );
  }

  return (
    <>
      <table className="plain-table card-table" aria-label="Recently deleted environments">
        <thead>
          <tr>
            <th scope="col">Environment</th>
            <th scope="col">Deleted</th>
            <th scope="col">Deleted by</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {deleted.data.map((entry) => (
            <tr key={entry.guid}>
              <th scope="row">
                <span className="title-cell">
                  <span>{displayTitle(entry)}</span>
                  <MiddleTruncate value={entry.name} className="mono muted" />
                </span>
              </th>
              <td data-label="Deleted">
                <DateTime value={entry.removed_time} className="nowrap" />
              </td>
              <td data-label="Deleted by">{entry.removed_by ? `${entry.removed_by.user_description} ${viaText({ via: entry.removed_by.via, file: entry.file })}` : 'Not recorded'}</td>
              <td>
                {entry.managed_by !== null ? (
                  // The file decides what exists: putting the entry back in it restores the same environment.
                  <span className="muted">Put its entry back in {entry.file ? <span className="mono">{entry.file}</span> : 'the environments file'} to restore it.</span>
                ) : (
                  canRestore && (
                    <button type="button" className="button button-small" onClick={() => setConfirming(entry)}>
                      Restore<span className="visually-hidden"> {displayTitle(entry)}</span>
                    </button>
                  )
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {confirming && (
        <ConfirmDialog
          title={`Restore “${displayTitle(confirming)}”?`}
          confirmLabel="Restore environment"
          busyLabel="Restoring…"
          busy={restore.isPending}
          error={restoreError}
          onCancel={() => {
            setConfirming(null);
            setRestoreError(null);
          }}
          onConfirm={() => {
            setRestoreError(null);
            const entry = confirming;
            restore.mutate(entry, {
              onSuccess: (restored) => {
                setConfirming(null);
                announce(`Restored “${displayTitle(restored)}”.`);
              },
              onError: (error) => setRestoreError(`Not restored. ${errorMessage(error)}`),
            });
          }}
        >
          <p>
            The environment for the image <span className="mono">{confirming.name}</span> comes back with its GUID and the access control it had,
            except grants to users or groups deleted since.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
