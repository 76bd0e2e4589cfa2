import { useQuery } from '@tanstack/react-query';
import { groupQueryOptions, userDisplayName, userQueryOptions } from '../api/principals';
import { type GrantRow, sameGrantee } from './grants';
import { PrincipalPicker } from './principal-picker';

export interface AccessControlFieldsProps {
  readonly grants: readonly GrantRow[];
  readonly onChange: (grants: GrantRow[]) => void;
  /** Still editable when the rest of a file-managed environment is not. */
  readonly readOnly: boolean;
}

function GrantName({ grant }: { grant: GrantRow }) {
  const user = useQuery({ ...userQueryOptions(grant.guid), enabled: grant.name === null && grant.kind === 'user' });
  const group = useQuery({ ...groupQueryOptions(grant.guid), enabled: grant.name === null && grant.kind === 'group' });
  if (grant.name) return <>{grant.name}</>;
  if (user.data) return <>{`${userDisplayName(user.data)} (${user.data.username})`}</>;
  if (group.data) return <>{group.data.name}</>;
  if (user.isError || group.isError) return <span className="mono">{grant.guid}</span>;
  return <span className="muted">Loading…</span>;
}

/** Environment permissions (seed: "Execution environment permissions"): no entries = every publisher. */
export function AccessControlFields({ grants, onChange, readOnly }: AccessControlFieldsProps) {
  return (
    <fieldset className="section">
      <legend className="section-title">Access control</legend>
      <p className="section-hint">Who may use this environment for their content. Administrators always may.</p>
      {grants.length === 0 ? (
        <p className="section-empty access-everyone">Everyone with the publisher role can use this environment.</p>
      ) : (
        <ul className="grants" aria-label="Users and groups with access">
          {grants.map((grant) => (
            <li key={`${grant.kind}:${grant.guid}`} className="grant">
              <span className={`kind kind-${grant.kind}`}>{grant.kind === 'group' ? 'Group' : 'User'}</span>
              <span className="grant-name">
                <GrantName grant={grant} />
              </span>
              {!readOnly && (
                <button
                  type="button"
                  className="button button-small button-quiet"
                  onClick={() => onChange(grants.filter((other) => !sameGrantee(other, grant)))}
                >
                  Remove
                  <span className="visually-hidden">
                    {' '}
                    access for <GrantName grant={grant} />
                  </span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!readOnly && <PrincipalPicker granted={grants} onPick={(grant) => onChange([...grants, grant])} />}
    </fieldset>
  );
}
