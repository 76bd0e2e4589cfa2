import type { EditConflictPayload } from '@envdesk/domain';
import { Dialog } from '../../../components/dialog';
import { displayTitle } from '../../../components/environment-columns';
import type { ConflictRow } from '../form/edit-conflict';

export interface EditConflictDialogProps {
  readonly conflict: EditConflictPayload;
  /** The fields they changed since the form was opened (see conflictRows). */
  readonly rows: readonly ConflictRow[];
  /** Discard this form's edits and continue from their version. */
  readonly onReload: () => void;
  /** Save this form's values over theirs, on purpose (sent with their version's ETag). */
  readonly onOverwrite: () => void;
  /** Escape: back to the form as it is, nothing saved. */
  readonly onCancel: () => void;
  readonly busy?: boolean;
  /** Why overwriting failed, when it did. */
  readonly error?: string | null;
}

/** Shown on a 412: who saved in the meantime and what they changed, next to what this form holds. */
export function EditConflictDialog({ conflict, rows, onReload, onOverwrite, onCancel, busy = false, error }: EditConflictDialogProps) {
  const who = conflict.updated_by?.username ?? 'Someone';
  const when = new Date(conflict.environment.updated_time).toLocaleString();
  return (
    <Dialog title="This environment was changed by someone else" onCancel={onCancel} busy={busy}>
      <div className="dialog-body">
        <p>
          <strong>{who}</strong> saved “{displayTitle(conflict.environment)}” at {when}, after you opened it. Your changes were not saved.
        </p>
        {rows.length === 0 ? (
          <p>Their save left every field you can edit here as it was when you opened it.</p>
        ) : (
          <div className="conflict-table">
            <table>
              <caption>What changed since you opened the form</caption>
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Your value</th>
                  <th scope="col">Their current value</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.field}>
                    <th scope="row">
                      {row.label}
                      {row.changedByBoth && <span className="conflict-both"> (you both changed it)</span>}
                    </th>
                    <td>{row.mine}</td>
                    <td>{row.theirs}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="muted">Reloading discards your edits. Overwriting replaces their version with yours, including the fields above.</p>
      </div>
      {error && (
        <p role="alert" className="alert alert-error">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onReload} disabled={busy}>
          Reload their version
        </button>
        <button type="button" className="button button-danger" onClick={onOverwrite} disabled={busy}>
          {busy ? 'Saving…' : 'Overwrite with mine'}
        </button>
      </div>
    </Dialog>
  );
}
