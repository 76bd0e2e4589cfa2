import { type VolumeMountRow, type VolumeSourceType, emptyVolumeMount } from './environment-form-values';
import { FormField, fieldId } from '../../../components/form-field';
import type { RowsFieldsProps } from './installations-fields';

/** NFS shares and persistent volume claims mounted into the container during build and run. */
export function VolumeMountsFields({ formId, rows, readOnly, errorOf, onChange }: RowsFieldsProps<VolumeMountRow>) {
  const update = (key: string, change: Partial<VolumeMountRow>, field: string) =>
    onChange(
      rows.map((row) => (row.key === key ? { ...row, ...change } : row)),
      field,
    );
  const listError = errorOf('volumeMounts');

  return (
    <fieldset className="section">
      <legend className="section-title">Volume mounts</legend>
      <p className="section-hint">Storage mounted into the container whenever content is built or run in this environment.</p>
      {listError && <p className="field-error">{listError}</p>}
      {rows.length === 0 && <p className="section-empty">No volume mounts.</p>}
      <ol className="rows">
        {rows.map((row, index) => {
          const field = (leaf: string) => `volumeMounts.${row.key}.${leaf}`;
          const text = (
            leaf: 'nfsHost' | 'nfsExportPath' | 'pvcName' | 'targetPath',
            label: string,
            placeholder: string,
            { mono = false, className }: { mono?: boolean; className?: string } = {},
          ) => (
            <FormField id={fieldId(formId, field(leaf))} label={label} error={errorOf(field(leaf))} className={className}>
              {(control) => (
                <input
                  {...control}
                  className={mono ? 'mono' : undefined}
                  value={row[leaf]}
                  readOnly={readOnly}
                  placeholder={placeholder}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(event) => update(row.key, { [leaf]: event.target.value }, field(leaf))}
                />
              )}
            </FormField>
          );
          const removeButton = readOnly ? (
            <span />
          ) : (
            <button
              type="button"
              className="button button-small button-quiet row-remove"
              onClick={() => onChange(rows.filter((other) => other.key !== row.key), null)}
            >
              Remove<span className="visually-hidden"> volume mount {index + 1}</span>
            </button>
          );
          return (
            <li key={row.key} className="row-card row-volume">
              <fieldset>
                <legend className="visually-hidden">Volume mount {index + 1}</legend>
                <FormField id={fieldId(formId, field('sourceType'))} label="Volume type" error={errorOf(field('sourceType'))}>
                  {(control) => (
                    <select
                      {...control}
                      value={row.sourceType}
                      disabled={readOnly}
                      onChange={(event) => update(row.key, { sourceType: event.target.value as VolumeSourceType }, field('sourceType'))}
                    >
                      <option value="nfs">NFS share</option>
                      <option value="pvc">Persistent volume claim</option>
                    </select>
                  )}
                </FormField>
                {row.sourceType === 'nfs' ? (
                  <>
                    {text('nfsHost', 'NFS host', 'nas.example.org')}
                    {text('nfsExportPath', 'Export path', '/exports/shared', { mono: true })}
                  </>
                ) : (
                  text('pvcName', 'Claim name', 'shared-models', { className: 'field-span-2' })
                )}
                {removeButton}
                {text('targetPath', 'Mount path in the container', '/mnt/shared', { mono: true, className: 'field-target' })}
                <div className="field field-check">
                  <input
                    id={fieldId(formId, field('readOnly'))}
                    type="checkbox"
                    checked={row.readOnly}
                    disabled={readOnly}
                    onChange={(event) => update(row.key, { readOnly: event.target.checked }, field('readOnly'))}
                  />
                  <label htmlFor={fieldId(formId, field('readOnly'))}>Read-only</label>
                </div>
              </fieldset>
            </li>
          );
        })}
      </ol>
      {!readOnly && (
        <button type="button" className="button button-small" onClick={() => onChange([...rows, emptyVolumeMount()], null)}>
          Add volume mount
        </button>
      )}
    </fieldset>
  );
}
