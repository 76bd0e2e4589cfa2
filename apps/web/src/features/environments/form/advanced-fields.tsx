import type { Matching } from '@envdesk/domain';
import { useState } from 'react';
import { FormField, fieldId } from '../../../components/form-field';

/** One line each, from the seed's "Matching strategy". */
export const MATCHING_CHOICES: ReadonlyArray<{ value: Matching; label: string; explanation: string }> = [
  { value: 'any', label: 'Any', explanation: 'Chosen automatically for compatible content, or when content asks for it.' },
  { value: 'exact', label: 'Exact', explanation: 'Never chosen automatically; used only when content asks for it.' },
  { value: 'none', label: 'None', explanation: 'Disabled: never used to build or run content.' },
];

export interface AdvancedFieldsProps {
  readonly formId: string;
  readonly matching: Matching;
  readonly supervisor: string;
  readonly readOnly: boolean;
  readonly errorOf: (field: string) => string | undefined;
  readonly onChange: (change: { matching?: Matching; supervisor?: string }, field: string) => void;
}

export function AdvancedFields({ formId, matching, supervisor, readOnly, errorOf, onChange }: AdvancedFieldsProps) {
  const hasErrors = Boolean(errorOf('matching') || errorOf('supervisor'));
  const [open, setOpen] = useState(matching !== 'any' || supervisor !== '');
  return (
    <details className="section advanced" open={open || hasErrors} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className="section-title">Advanced</summary>
      <fieldset className="matching">
        <legend>Matching</legend>
        {MATCHING_CHOICES.map((choice) => (
          <div key={choice.value} className="choice">
            <input
              id={`${formId}-matching-${choice.value}`}
              type="radio"
              name={`${formId}-matching`}
              value={choice.value}
              checked={matching === choice.value}
              disabled={readOnly}
              aria-describedby={`${formId}-matching-${choice.value}-explanation`}
              onChange={() => onChange({ matching: choice.value }, 'matching')}
            />
            <label htmlFor={`${formId}-matching-${choice.value}`}>{choice.label}</label>
            <p id={`${formId}-matching-${choice.value}-explanation`} className="choice-explanation">
              {choice.explanation}
            </p>
          </div>
        ))}
        {errorOf('matching') && <p className="field-error">{errorOf('matching')}</p>}
      </fieldset>
      <FormField
        id={fieldId(formId, 'supervisor')}
        label="Supervisor (optional)"
        error={errorOf('supervisor')}
        hint="Absolute path of a script in the image that wraps every build and run of content."
      >
        {(control) => (
          <input
            {...control}
            className="mono"
            value={supervisor}
            readOnly={readOnly}
            placeholder="/usr/local/bin/supervisor.sh"
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => onChange({ supervisor: event.target.value }, 'supervisor')}
          />
        )}
      </FormField>
    </details>
  );
}
