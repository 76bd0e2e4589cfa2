import type { ImportPlanSummary } from '@envdesk/domain';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useAnnounce } from '../../../components/announcer';
import { Dialog } from '../../../components/dialog';
import { errorMessage } from '../../../lib/api-client';
import { environmentKeys } from '../../../lib/environments/list-environments';
import { applyImport, planImport } from './transfer-api';
import './transfer.css';

/** Past this the browser does not even read the file: the server refuses bodies over 2 MB. */
const MAX_FILE_BYTES = 2 * 1024 * 1024 - 64 * 1024;
const SHOWN = 50;

type State =
  | { readonly step: 'choose'; readonly error: string | null }
  | { readonly step: 'planning'; readonly fileName: string }
  | { readonly step: 'planned'; readonly fileName: string; readonly document: string; readonly plan: ImportPlanSummary; readonly error: string | null }
  | { readonly step: 'applying'; readonly fileName: string; readonly document: string; readonly plan: ImportPlanSummary };

const plural = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en')} ${count === 1 ? one : many}`;

/** "2 to create, 1 to update, 5 unchanged, no problems": the plan in one sentence. */
export function planSentence(plan: ImportPlanSummary): string {
  return [
    `${plan.creates.length.toLocaleString('en')} to create`,
    `${plan.updates.length.toLocaleString('en')} to update`,
    `${plan.unchanged.toLocaleString('en')} unchanged`,
    plan.problems.length === 0 ? 'no problems' : plural(plan.problems.length, 'problem'),
  ].join(', ');
}

/**
 * Import a declarative file (as Export or `envdesk environments export` writes it) into the
 * hand-made environments: the server plans it first, the same plan `envdesk environments plan`
 * shows, and only Apply changes anything — all of it, or nothing when the file has problems.
 */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const [state, setState] = useState<State>({ step: 'choose', error: null });
  const file = useRef<HTMLInputElement>(null);
  const queryClient = useQueryClient();
  const announce = useAnnounce();

  const choose = async (chosen: File | undefined) => {
    if (!chosen) return;
    if (chosen.size > MAX_FILE_BYTES) {
      setState({ step: 'choose', error: `${chosen.name} is ${(chosen.size / 1024 / 1024).toFixed(1)} MB; a file to import may be at most 2 MB.` });
      return;
    }
    setState({ step: 'planning', fileName: chosen.name });
    try {
      const document = await chosen.text();
      setState({ step: 'planned', fileName: chosen.name, document, plan: await planImport(document), error: null });
    } catch (error) {
      setState({ step: 'choose', error: `${chosen.name} cannot be imported. ${errorMessage(error)}` });
    }
  };

  const apply = async () => {
    if (state.step !== 'planned') return;
    setState({ ...state, step: 'applying' });
    try {
      const applied = await applyImport(state.document);
      await queryClient.invalidateQueries({ queryKey: environmentKeys.all });
      announce(`Imported ${state.fileName}: ${applied.creates.length} created, ${applied.updates.length} updated.`);
      onClose();
    } catch (error) {
      setState({ ...state, step: 'planned', error: errorMessage(error) });
    }
  };

  const busy = state.step === 'planning' || state.step === 'applying';
  const plan = state.step === 'planned' || state.step === 'applying' ? state.plan : null;
  const canApply = state.step === 'planned' && plan !== null && plan.problems.length === 0 && plan.creates.length + plan.updates.length > 0;

  return (
    <Dialog title="Import environments" onCancel={onClose} busy={busy} initialFocus={file}>
      <div className="dialog-body import-dialog">
        <p>
          Choose a file in the declarative format (as Export writes it). Nothing changes until you apply its plan; entries create or
          update hand-made environments, never delete any, and leave those the environments file manages alone.
        </p>
        <div className="field">
          <label htmlFor="import-file">File to import</label>
          <input
            ref={file}
            id="import-file"
            type="file"
            accept=".yaml,.yml,.json,application/yaml,application/json,text/yaml"
            disabled={busy}
            onChange={(event) => void choose(event.target.files?.[0])}
          />
        </div>
        {state.step === 'choose' && state.error && (
          <p role="alert" className="alert alert-error">
            {state.error}
          </p>
        )}
        {state.step === 'planning' && <p role="status">Planning {state.fileName}…</p>}
        {plan && <ImportPlanView plan={plan} fileName={state.step === 'planned' || state.step === 'applying' ? state.fileName : ''} />}
        {state.step === 'planned' && state.error && (
          <p role="alert" className="alert alert-error">
            {state.error}
          </p>
        )}
      </div>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose} disabled={busy}>
          {plan && !canApply ? 'Close' : 'Cancel'}
        </button>
        {plan && (
          <button type="button" className="button button-primary" onClick={() => void apply()} disabled={!canApply}>
            {state.step === 'applying' ? 'Applying…' : 'Apply'}
          </button>
        )}
      </div>
    </Dialog>
  );
}

function ImportPlanView({ plan, fileName }: { plan: ImportPlanSummary; fileName: string }) {
  return (
    <section aria-label="Plan" className="import-plan">
      <p role="status">
        <strong>{fileName}</strong>: {plural(plan.entries, 'entry', 'entries')} — {planSentence(plan)}.
        {plan.problems.length > 0 && ' Fix the problems in the file and choose it again; nothing is applied while there are any.'}
        {plan.problems.length === 0 && plan.creates.length + plan.updates.length === 0 && ' Nothing to do.'}
      </p>
      {plan.problems.length > 0 && (
        <List label="Problems" items={plan.problems.map((problem) => ({ key: problem, text: problem }))} className="import-problems" />
      )}
      {plan.creates.length > 0 && (
        <List
          label="To create"
          items={plan.creates.map((create) => ({ key: `c${create.entry}`, text: `Entry ${create.entry}: ${create.title ? `${create.title} — ` : ''}${create.name}` }))}
        />
      )}
      {plan.updates.length > 0 && (
        <List
          label="To update"
          items={plan.updates.map((update) => ({ key: `u${update.entry}`, text: `Entry ${update.entry}: ${update.name} (${update.fields.join(', ')})` }))}
        />
      )}
    </section>
  );
}

function List({ label, items, className }: { label: string; items: { key: string; text: string }[]; className?: string }) {
  return (
    <>
      <h3 className="import-plan-heading">{label}</h3>
      <ul className={`dialog-list ${className ?? ''}`} aria-label={label}>
        {items.slice(0, SHOWN).map((item) => (
          <li key={item.key}>{item.text}</li>
        ))}
      </ul>
      {items.length > SHOWN && <p className="muted">and {(items.length - SHOWN).toLocaleString('en')} more.</p>}
    </>
  );
}
