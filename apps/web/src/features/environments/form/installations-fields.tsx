import { LANGUAGE_LABELS, type Language, LANGUAGES, VERSION_EXAMPLES, otherLanguageNamedBy } from '@envdesk/domain';
import { useEffect, useState } from 'react';
import { type InstallationRow, emptyInstallation } from './environment-form-values';
import { FormField, fieldId } from '../../../components/form-field';

export interface RowsFieldsProps<Row> {
  readonly formId: string;
  readonly rows: readonly Row[];
  readonly readOnly: boolean;
  readonly errorOf: (field: string) => string | undefined;
  readonly onChange: (rows: Row[], editedField: string | null) => void;
}

export interface InstallationsFieldsProps extends RowsFieldsProps<InstallationRow> {
  /** Typing a version hides its problem; leaving the field shows it (`3.` is on its way to `3.11`). */
  readonly onTypeVersion: (field: string) => void;
  readonly onLeaveVersion: (field: string) => void;
}

const PATH_EXAMPLES: Record<Language, string> = {
  python: '/opt/python/3.11.9/bin/python3',
  r: '/opt/R/4.4.2/bin/R',
  quarto: '/opt/quarto/1.5.57/bin/quarto',
  tensorflow: '/usr/bin/tensorflow_model_server',
  nodejs: '/usr/local/bin/node',
};

/** Rows of language + version + interpreter path (seed: "Adding new environments"). */
export function InstallationsFields({ formId, rows, readOnly, errorOf, onChange, onTypeVersion, onLeaveVersion }: InstallationsFieldsProps) {
  // An added row takes the focus, so the next keystroke chooses its language.
  const [addedKey, setAddedKey] = useState<string | null>(null);
  useEffect(() => {
    if (addedKey !== null) document.getElementById(fieldId(formId, `installations.${addedKey}.language`))?.focus();
  }, [addedKey, formId]);
  const add = () => {
    const row = emptyInstallation('');
    onChange([...rows, row], null);
    setAddedKey(row.key);
  };

  const update = (key: string, change: Partial<InstallationRow>, field: string) =>
    onChange(
      rows.map((row) => (row.key === key ? { ...row, ...change } : row)),
      field,
    );
  const listError = errorOf('installations');

  return (
    <fieldset className="section">
      <legend className="section-title">Installations</legend>
      <p className="section-hint">
        The interpreters inside the image: the semantic version and the absolute path to the executable. Content is matched to
        environments by these versions.
      </p>
      {listError && <p className="field-error">{listError}</p>}
      {rows.length === 0 && <p className="section-empty">No installations. Add at least one so content can be matched to this image.</p>}
      <ol className="rows">
        {rows.map((row, index) => {
          const field = (leaf: string) => `installations.${row.key}.${leaf}`;
          const named = row.language === '' ? null : otherLanguageNamedBy(row.language, row.path);
          const warning =
            named !== null && row.language !== '' ? (
              <span className="field-warning">
                This path looks like {LANGUAGE_LABELS[named]}, not {LANGUAGE_LABELS[row.language]}: check the language.
              </span>
            ) : undefined;
          return (
            <li key={row.key} className="row-card row-installation">
              <fieldset>
                <legend className="visually-hidden">Installation {index + 1}</legend>
                <FormField id={fieldId(formId, field('language'))} label="Language" error={errorOf(field('language'))}>
                  {(control) => (
                    <select
                      {...control}
                      value={row.language}
                      disabled={readOnly}
                      onChange={(event) => update(row.key, { language: event.target.value as Language | '' }, field('language'))}
                    >
                      {row.language === '' && <option value="">Choose…</option>}
                      {LANGUAGES.map((language) => (
                        <option key={language} value={language}>
                          {LANGUAGE_LABELS[language]}
                        </option>
                      ))}
                    </select>
                  )}
                </FormField>
                <FormField id={fieldId(formId, field('version'))} label="Version" error={errorOf(field('version'))}>
                  {(control) => (
                    <input
                      {...control}
                      value={row.version}
                      readOnly={readOnly}
                      placeholder={row.language === '' ? undefined : VERSION_EXAMPLES[row.language]}
                      autoComplete="off"
                      spellCheck={false}
                      onChange={(event) => {
                        update(row.key, { version: event.target.value }, field('version'));
                        onTypeVersion(field('version'));
                      }}
                      onBlur={() => onLeaveVersion(field('version'))}
                    />
                  )}
                </FormField>
                <FormField id={fieldId(formId, field('path'))} label="Path" error={errorOf(field('path'))} hint={warning} className="field-grow">
                  {(control) => (
                    <input
                      {...control}
                      className="mono"
                      value={row.path}
                      readOnly={readOnly}
                      placeholder={row.language === '' ? undefined : PATH_EXAMPLES[row.language]}
                      autoComplete="off"
                      spellCheck={false}
                      onChange={(event) => update(row.key, { path: event.target.value }, field('path'))}
                    />
                  )}
                </FormField>
                {!readOnly && (
                  <button
                    type="button"
                    className="button button-small button-quiet row-remove"
                    onClick={() => onChange(rows.filter((other) => other.key !== row.key), null)}
                  >
                    Remove<span className="visually-hidden"> installation {index + 1}</span>
                  </button>
                )}
              </fieldset>
            </li>
          );
        })}
      </ol>
      {!readOnly && (
        <button type="button" className="button button-small" onClick={add}>
          Add installation
        </button>
      )}
    </fieldset>
  );
}
