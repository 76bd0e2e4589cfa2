import type { User } from '@envdesk/domain';
import { Page } from '../../components/page';
import { offers } from '../../lib/access';
import { errorMessage } from '../../lib/api-client';
import { useEnvironmentList } from './api/list-environments';

export function EnvironmentsPage({ user }: { user: User }) {
  const allowed = offers(user, 'environments:read');
  return (
    <Page title="Environments">
      {allowed ? <EnvironmentList /> : <p className="notice">The Environments page is not available to your role.</p>}
    </Page>
  );
}

/** A first look at the list; the searchable table comes with the environments issue. */
function EnvironmentList() {
  const environments = useEnvironmentList();

  if (environments.isPending) {
    return (
      <p role="status" className="muted">
        Loading environments…
      </p>
    );
  }
  if (environments.isError) {
    return (
      <div role="alert" className="alert alert-error">
        <p>The environments could not be loaded. {errorMessage(environments.error)}</p>
        <button type="button" className="button" onClick={() => void environments.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  const count = environments.data.length;
  return (
    <>
      <p className="muted">
        {count === 1 ? '1 environment' : `${count} environments`}
      </p>
      {count > 0 && (
        <ul className="simple-list" aria-label="Environments">
          {environments.data.map((environment) => (
            <li key={environment.guid}>
              <span className="simple-list-title">{environment.title ?? environment.name}</span>
              <span className="simple-list-detail">{environment.name}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
