import { type Environment, LANGUAGE_LABELS, LANGUAGES } from '@envdesk/domain';
import { Link } from '@tanstack/react-router';
import { LoadError } from '../../../components/load-error';
import { displayTitle } from '../../../components/environment-columns';
import { Page } from '../../../components/page';
import { useContentUsingEnvironment } from '../api/environment-content';
import { ManagedBadge } from '../components/managed-badge';
import { MATCHING_CHOICES } from '../form/advanced-fields';
import { EnvironmentFacts } from './environment-facts';

/**
 * What a publisher sees of an environment: what it holds and which of their content uses it, as a
 * page to read rather than an administrator's form they cannot change.
 */
export function EnvironmentDetails({ environment }: { environment: Environment }) {
  const installations = LANGUAGES.flatMap((language) => environment[language].installations.map((installation) => ({ language, ...installation })));
  const matching = MATCHING_CHOICES.find((choice) => choice.value === environment.matching);
  return (
    <Page title={displayTitle(environment)} lead={environment.description ?? undefined}>
      <div className="environment-details">
        <EnvironmentFacts environment={environment} />
        <section className="section" aria-labelledby="details-image">
          <h2 id="details-image" className="section-title">
            Image
          </h2>
          <p className="mono break-all">{environment.name}</p>
          {environment.managed_by && <ManagedBadge environment={environment} file={null} />}
          <p>
            <strong>Matching: {matching?.label}.</strong> {matching?.explanation}
          </p>
        </section>
        <section className="section" aria-labelledby="details-installations">
          <h2 id="details-installations" className="section-title">
            Installations
          </h2>
          {installations.length === 0 ? (
            <p className="section-empty">No installations.</p>
          ) : (
            <table className="plain-table">
              <thead>
                <tr>
                  <th scope="col">Language</th>
                  <th scope="col">Version</th>
                  <th scope="col">Path</th>
                </tr>
              </thead>
              <tbody>
                {installations.map((installation) => (
                  <tr key={`${installation.language}:${installation.path}`}>
                    <td>{LANGUAGE_LABELS[installation.language]}</td>
                    <td>{installation.version}</td>
                    <td className="mono break-all">{installation.path}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="section" aria-labelledby="details-volumes">
          <h2 id="details-volumes" className="section-title">
            Volume mounts
          </h2>
          {environment.volume_mounts.length === 0 ? (
            <p className="section-empty">No volume mounts.</p>
          ) : (
            <ul>
              {environment.volume_mounts.map((mount) => (
                <li key={mount.target.path}>
                  <span className="mono">{mount.target.path}</span> from{' '}
                  {mount.source.volume_type === 'nfs' ? (
                    <span className="mono">
                      {mount.source.nfs_host}:{mount.source.nfs_export_path}
                    </span>
                  ) : (
                    <>
                      the claim <span className="mono">{mount.source.pvc_name}</span>
                    </>
                  )}
                  {mount.target.read_only ? ' (read-only)' : ''}
                </li>
              ))}
            </ul>
          )}
        </section>
        <YourContent guid={environment.guid} />
        {environment.supervisor && (
          <p className="muted">
            Supervisor: <span className="mono">{environment.supervisor}</span>
          </p>
        )}
      </div>
    </Page>
  );
}

function YourContent({ guid }: { guid: string }) {
  const usage = useContentUsingEnvironment(guid);
  return (
    <section className="section" aria-labelledby="details-content">
      <h2 id="details-content" className="section-title">
        Your content using it
      </h2>
      {usage.isPending ? (
        <p role="status" className="muted">
          Loading your content…
        </p>
      ) : usage.isError ? (
        <LoadError what="The list of your content using it" error={usage.error} onRetry={() => void usage.refetch()} />
      ) : usage.data.length === 0 ? (
        <p className="section-empty">None of your content uses this environment.</p>
      ) : (
        <ul className="usage-list">
          {usage.data.map((content) => (
            <li key={content.guid}>
              <Link to="/content/$guid" params={{ guid: content.guid }}>
                {content.title ?? content.name}
              </Link>{' '}
              <span className="muted">
                {[content.chosen ? 'chose it' : null, content.running ? 'runs on it' : null].filter(Boolean).join(', ')}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
