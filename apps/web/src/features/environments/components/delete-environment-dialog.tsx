import type { Environment } from '@envdesk/domain';
import { ConfirmDialog } from '../../../components/dialog';
import { useContentUsingEnvironment } from '../api/environment-content';
import { displayTitle } from '../../../components/environment-columns';

export interface DeleteEnvironmentDialogProps {
  readonly environment: Environment;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
  readonly busy?: boolean;
  /** Why deleting failed, when it did. */
  readonly error?: string | null;
}

const SHOWN_CONTENT = 8;

/** What would lose this environment (PRODUCT.md §3); asked when the dialog opens, never blocking it. */
function ContentUsing({ environment }: { environment: Environment }) {
  const content = useContentUsingEnvironment(environment.guid);
  if (content.isPending) return <p className="muted">Checking which content uses it…</p>;
  if (content.isError) return <p className="muted">Which content uses it could not be checked.</p>;
  if (content.data.length === 0) return <p>No content uses this environment.</p>;
  const count = content.data.length;
  return (
    <>
      <p>
        {count === 1 ? 'One content item uses' : `${count} content items use`} this environment and will need another one the next time
        {count === 1 ? ' it is' : ' they are'} built:
      </p>
      <ul className="dialog-list" aria-label="Content using this environment">
        {content.data.slice(0, SHOWN_CONTENT).map((item) => (
          <li key={item.guid}>
            <strong>{item.title ?? item.name}</strong> <span className="muted">by {item.owner_username}</span>
            <span className="muted">
              {' '}
              ({[item.chosen && 'chosen in its settings', item.running && 'runs in it now'].filter(Boolean).join(', ')})
            </span>
          </li>
        ))}
      </ul>
      {count > SHOWN_CONTENT && <p className="muted">and {count - SHOWN_CONTENT} more.</p>}
    </>
  );
}

/** Names the environment and its image, so nobody deletes the wrong one of two similar titles. */
export function DeleteEnvironmentDialog({ environment, onConfirm, onCancel, busy, error }: DeleteEnvironmentDialogProps) {
  return (
    <ConfirmDialog
      title={`Delete “${displayTitle(environment)}”?`}
      confirmLabel="Delete environment"
      busyLabel="Deleting…"
      busy={busy}
      error={error}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>
        The environment for the image <span className="mono">{environment.name}</span> will be removed, together with its access control.
        Administrators can restore it from Recently deleted for a while (30 days unless the server is set otherwise).
      </p>
      <ContentUsing environment={environment} />
    </ConfirmDialog>
  );
}
