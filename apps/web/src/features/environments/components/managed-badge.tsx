import type { Environment } from '@envdesk/domain';

const baseName = (path: string): string => path.split(/[\\/]/).filter(Boolean).at(-1) ?? path;

/**
 * Says a record belongs to the declarative file. Administrators see the file's name (and hear and
 * hover its full path); publishers, who may not read the sync status, see that a file owns it.
 * `compact` (the table's Managed column, whose header says the rest) says only "File", leaving the
 * width to the titles and images.
 */
export function ManagedBadge({ environment, file, compact = false }: { environment: Environment; file: string | null; compact?: boolean }) {
  if (!environment.managed_by) return null;
  return (
    <span className="managed" title={file ? `Managed by ${file}` : 'Managed by the configuration file'}>
      <span className="badge">
        <svg viewBox="0 0 16 16" width="11" height="11" aria-hidden="true">
          <path d="M4 7V5a4 4 0 1 1 8 0v2h1v8H3V7zm2 0h4V5a2 2 0 1 0-4 0z" fill="currentColor" />
        </svg>
        {compact ? 'File' : 'Managed by file'}
      </span>
      {file && (
        <>
          <span className="visually-hidden"> {file}</span>
          <span className="managed-file mono truncate" aria-hidden="true">
            {baseName(file)}
          </span>
        </>
      )}
    </span>
  );
}
