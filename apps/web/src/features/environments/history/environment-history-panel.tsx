import type { AuditEvent, Environment } from '@envdesk/domain';
import { useId, useState } from 'react';
import { formatDateTime } from '../../../components/date-time';
import { ConfirmDialog } from '../../../components/dialog';
import { displayTitle } from '../../../components/environment-columns';
import { LoadError } from '../../../components/load-error';
import { errorMessage } from '../../../lib/api-client';
import { useEnvironmentHistory, useRestoreToEvent } from '../api/environment-history';
import { editConflictFrom } from '../api/edit-conflict-error';
import { fieldLabel, formatValue, restoreChanges, viaText } from './describe-change';
import { VIA_LABELS } from './via-labels';
import './history.css';

// With seconds: two changes may fall in one minute.
const formatTime = (time: string) => formatDateTime(time, { seconds: true });

export interface EnvironmentHistoryPanelProps {
  /** The version the page shows: a restore is sent with its ETag. */
  readonly environment: Environment;
  /** Administrators may restore hand-made environments; the file decides about its own. */
  readonly canRestore: boolean;
  readonly onRestored: (restored: Environment) => void;
}

/** Who changed the environment, when, how and what, newest first; Restore puts a version back (issue 13 § 3). */
export function EnvironmentHistoryPanel({ environment, canRestore, onRestored }: EnvironmentHistoryPanelProps) {
  const history = useEnvironmentHistory(environment.guid);
  const restore = useRestoreToEvent();
  const [confirming, setConfirming] = useState<AuditEvent | null>(null);
  const [restoreError, setRestoreError] = useState<string | null>(null);
  const headingId = useId();
  const managed = environment.managed_by !== null;

  let body;
  if (history.isPending) {
    body = (
      <p role="status" className="muted">
        Loading the history…
      </p>
    );
  } else if (history.isError && !history.isFetchNextPageError) {
    body = <LoadError what="The history" error={history.error} onRetry={() => void history.refetch()} />;
  } else if (history.data.pages[0]?.length === 0) {
    body = <p className="muted">No changes are recorded for this environment.</p>;
  } else {
    const events = history.data.pages.flat();
    // The newest event that keeps a state is the version shown now: restoring to it changes nothing.
    const current = events.find((event) => event.state !== null);
    body = (
      <>
        <ol className="history-list" aria-labelledby={headingId}>
          {events.map((event) => (
            <HistoryEntry
              key={event.id}
              event={event}
              onRestore={canRestore && !managed && event.state !== null && event !== current ? () => setConfirming(event) : null}
            />
          ))}
        </ol>
        {history.isFetchNextPageError && (
          <p role="alert" className="alert alert-error">
            The older changes did not load. {errorMessage(history.error)}
          </p>
        )}
        {history.hasNextPage && (
          <button type="button" className="button button-small" onClick={() => void history.fetchNextPage()} disabled={history.isFetchingNextPage}>
            {history.isFetchingNextPage ? 'Loading older changes…' : 'Show older changes'}
          </button>
        )}
      </>
    );
  }

  const changes = confirming ? (restoreChanges(environment, confirming) ?? []) : [];
  return (
    <section className="history-panel" aria-labelledby={headingId}>
      <h2 id={headingId}>History</h2>
      {managed && canRestore && (
        <p className="muted">This environment is defined in the environments file, so earlier versions are restored by changing the file.</p>
      )}
      {body}
      {confirming && (
        <ConfirmDialog
          title={`Restore “${displayTitle(environment)}” as it was on ${formatTime(confirming.time)}?`}
          confirmLabel="Restore this version"
          busyLabel="Restoring…"
          busy={restore.isPending}
          error={restoreError}
          onCancel={() => {
            setConfirming(null);
            setRestoreError(null);
          }}
          onConfirm={() => {
            setRestoreError(null);
            restore.mutate(
              { environment, event: confirming },
              {
                onSuccess: (restored) => {
                  setConfirming(null);
                  onRestored(restored);
                },
                onError: (error) => {
                  const stale = editConflictFrom(error);
                  setRestoreError(
                    stale
                      ? `Not restored: ${stale.updated_by?.username ?? 'someone'} changed it after this page was loaded. Reload the page to see their version first.`
                      : `Not restored. ${errorMessage(error)}`,
                  );
                },
              },
            );
          }}
        >
          {changes.length === 0 ? (
            <p>This version has the same details as the current one; restoring it records the restore and changes nothing else.</p>
          ) : (
            <>
              <p>These details change back; access control stays as it is now. Edits not yet saved in the form are discarded.</p>
              <ChangeTable changes={changes} caption="What the restore changes" beforeLabel="Now" afterLabel="Restored" />
            </>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}

function HistoryEntry({ event, onRestore }: { event: AuditEvent; onRestore: (() => void) | null }) {
  return (
    <li className="history-entry">
      <div className="history-entry-header">
        <p className="history-description">{event.event_description}</p>
        {onRestore && (
          <button type="button" className="button button-small" onClick={onRestore}>
            Restore<span className="visually-hidden"> the version of {formatTime(event.time)}</span>
          </button>
        )}
      </div>
      <p className="muted">
        <time dateTime={event.time}>{formatTime(event.time)}</time> · {event.user_description} {viaText(event)}{' '}
        <span className="badge" aria-hidden="true">
          {VIA_LABELS[event.via]}
        </span>
      </p>
      {event.changes.length > 0 && (
        <details>
          <summary>
            {event.changes.length === 1 ? `1 field: ${fieldLabel(event.changes[0]!.field)}` : `${event.changes.length} fields`}
          </summary>
          <ChangeTable changes={event.changes} caption={`Changes of ${formatTime(event.time)}`} beforeLabel="Before" afterLabel="After" />
        </details>
      )}
    </li>
  );
}

function ChangeTable({
  changes,
  caption,
  beforeLabel,
  afterLabel,
}: {
  changes: AuditEvent['changes'];
  caption: string;
  beforeLabel: string;
  afterLabel: string;
}) {
  return (
    <table className="change-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">{beforeLabel}</th>
          <th scope="col">{afterLabel}</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={change.field}>
            <th scope="row">{fieldLabel(change.field)}</th>
            <td>
              <del>{formatValue(change.field, change.before)}</del>
            </td>
            <td>
              <ins>{formatValue(change.field, change.after)}</ins>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
