import type { Content, Environment } from '@envdesk/domain';
import { LoadError } from '../../../components/load-error';
import { type FormEvent, useCallback, useId, useMemo, useState } from 'react';
import { useAnnounce } from '../../../components/announcer';
import { displayTitle } from '../../../components/environment-columns';
import { errorMessage } from '../../../lib/api-client';
import { useEnvironmentList } from '../../../lib/environments/list-environments';
import { type LatestBundleSelection, type SelectionExplanation, useSelectionExplanation } from '../api/explain-selection';
import { useUpdateContent } from '../api/update-content';
import { contentTitle } from '../content-list';
import {
  type EnvironmentChoice,
  type RuntimeChoice,
  bundleVersionsText,
  environmentChoices,
  isChoosable,
  manifestRequestOf,
  runtimeChoiceOf,
  runtimeUpdateFor,
  sameChoice,
} from '../runtime-choices';
import { EnvironmentPicker } from './environment-picker';
import { RebuildBadge } from './rebuild-badge';

const EMPTY: Environment[] = [];

/**
 * The content's Runtime settings (seed "Dashboard selection"): Automatic, or a specific environment
 * picked from those the owner may use. Changing the choice of deployed content marks it to rebuild
 * on its next deploy.
 */
export function RuntimeSection({ content }: { content: Content }) {
  const id = useId().replace(/:/g, '');
  const environments = useEnvironmentList();
  const explanation = useSelectionExplanation(content.guid);
  const update = useUpdateContent(content.guid);
  const announce = useAnnounce();
  const environmentData = environments.data ?? EMPTY;
  const saved = useMemo(() => runtimeChoiceOf(content, environmentData), [content, environmentData]);
  // What is on screen: null until the person changes something (then the saved choice shows).
  const [draft, setDraft] = useState<RuntimeChoice | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const choice = draft ?? saved;
  const dirty = draft !== null && !sameChoice(draft, saved);

  const choices = useMemo(() => environmentChoices(environmentData, explanation.data ?? null), [environmentData, explanation.data]);
  const choiceByGuid = useMemo(() => new Map(choices.map((each) => [each.environment.guid, each])), [choices]);
  const chosen = choice.mode === 'specific' && choice.guid ? choiceByGuid.get(choice.guid) : undefined;

  const choose = (next: RuntimeChoice) => {
    setDraft(next);
    setProblem(null);
  };
  const onSelect = useCallback((guid: string) => {
    setDraft({ mode: 'specific', guid });
    setProblem(null);
  }, []);

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (update.isPending || !dirty) return;
    if (choice.mode === 'specific') {
      if (!choice.guid) return setProblem('Choose an environment in the list, or switch back to Automatic.');
      if (explanation.isPending) return setProblem('Compatibility is still being checked; save again in a moment.');
      if (chosen && !isChoosable(chosen)) return setProblem(`“${displayTitle(chosen.environment)}” cannot run this content. ${chosen.reasons.join(' ')}`);
    }
    try {
      const updated = await update.mutateAsync(runtimeUpdateFor(choice, chosen?.environment));
      setDraft(null);
      setProblem(null);
      const how = choice.mode === 'automatic' ? 'chooses its environment automatically' : `builds and runs in “${chosen ? displayTitle(chosen.environment) : 'the chosen environment'}”`;
      announce(`Saved: “${contentTitle(updated)}” ${how}.${updated.needs_rebuild ? ' It rebuilds on its next deploy.' : ''}`);
    } catch (error) {
      setProblem(`The runtime was not saved. ${errorMessage(error)}`);
    }
  };

  return (
    <section className="section content-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="section-title">
        Runtime
      </h2>
      <form className="runtime-form" noValidate onSubmit={(event) => void save(event)} aria-busy={update.isPending}>
        <fieldset className="matching">
          <legend>Execution environment</legend>
          <div className="choice">
            <input
              type="radio"
              id={`${id}-automatic`}
              name={`${id}-mode`}
              checked={choice.mode === 'automatic'}
              aria-describedby={`${id}-automatic-explanation`}
              onChange={() => choose({ mode: 'automatic' })}
            />
            <label htmlFor={`${id}-automatic`}>Automatic</label>
            <p id={`${id}-automatic-explanation`} className="choice-explanation">
              envdesk picks the best compatible environment each time the content builds. <AutomaticPreview explanation={explanation.data} />
            </p>
          </div>
          <div className="choice">
            <input
              type="radio"
              id={`${id}-specific`}
              name={`${id}-mode`}
              checked={choice.mode === 'specific'}
              aria-describedby={`${id}-specific-explanation`}
              onChange={() => choose({ mode: 'specific', guid: choice.mode === 'specific' ? choice.guid : null })}
            />
            <label htmlFor={`${id}-specific`}>Use a specific environment</label>
            <p id={`${id}-specific-explanation`} className="choice-explanation">
              The content builds and runs in the environment you choose. An image named in a bundle&rsquo;s manifest still comes first.
            </p>
          </div>
        </fieldset>

        {choice.mode === 'specific' && (
          <div className="runtime-picker" role="group" aria-labelledby={`${id}-picker-title`}>
            <h3 id={`${id}-picker-title`} className="subsection-title">
              Choose an environment
            </h3>
            <ChosenSummary choice={choice} chosen={chosen} />
            <CompatibilityNote explanation={explanation} />
            {environments.isPending ? (
              <p role="status" className="muted">
                Loading environments…
              </p>
            ) : environments.isError ? (
              <LoadError what="The environments" error={environments.error} onRetry={() => void environments.refetch()} />
            ) : (
              <EnvironmentPicker choices={choices} selectedGuid={choice.guid} onSelect={onSelect} />
            )}
          </div>
        )}

        {problem && (
          <p role="alert" className="alert alert-error">
            {problem}
          </p>
        )}
        {content.needs_rebuild && (
          <p className="rebuild-note">
            <RebuildBadge />
            <span>
              The runtime changed, or an administrator cleared the package cache it was built with, since the last build: the next deploy (of the
              active bundle too) rebuilds the content in the environment chosen now.
            </span>
          </p>
        )}
        <div className="form-actions">
          {/* aria-disabled, not disabled: focus stays on the button after saving. */}
          <button type="submit" className="button button-primary" aria-disabled={!dirty || update.isPending}>
            {update.isPending ? 'Saving…' : 'Save runtime'}
          </button>
          {dirty && (
            <button
              type="button"
              className="button button-quiet"
              disabled={update.isPending}
              onClick={() => {
                choose(saved);
                // The button goes with the changes: focus moves to the choice now shown.
                document.getElementById(`${id}-${saved.mode}`)?.focus();
              }}
            >
              Discard changes
            </button>
          )}
          {dirty && <span className="muted">Unsaved changes</span>}
        </div>
      </form>
    </section>
  );
}

/** What Automatic would choose for the latest bundle, or why it would fail. */
function AutomaticPreview({ explanation }: { explanation: SelectionExplanation | null | undefined }) {
  if (!explanation) return null;
  if (manifestRequestOf(explanation)) return <>The latest bundle&rsquo;s manifest chooses its own environment, which wins over this setting.</>;
  if (explanation.selected_guid) {
    const selected = explanation.candidates.find((candidate) => candidate.guid === explanation.selected_guid);
    return <>For the latest bundle that is “{selected ? displayTitle(selected) : explanation.selected_guid}”.</>;
  }
  return <span className="text-warning">For the latest bundle no environment qualifies: {explanation.failure}</span>;
}

function ChosenSummary({ choice, chosen }: { choice: RuntimeChoice; chosen: EnvironmentChoice | undefined }) {
  if (choice.mode !== 'specific') return null;
  if (!choice.guid) return <p className="chosen-summary muted">No environment chosen yet: pick one in the list below.</p>;
  if (!chosen) {
    return (
      <p className="chosen-summary text-warning">
        The environment chosen before is not available to the content&rsquo;s owner any more (it may have been deleted or its access changed). Choose
        another, or switch back to Automatic.
      </p>
    );
  }
  return (
    <div className="chosen-summary">
      <p>
        Chosen: <strong>{displayTitle(chosen.environment)}</strong> <span className="mono muted">{chosen.environment.name}</span>
      </p>
      {!isChoosable(chosen) && (
        <p className="text-warning">
          It cannot run the latest bundle: {chosen.reasons.join(' ')} Choose another environment or Automatic, or the next deploy fails.
        </p>
      )}
    </div>
  );
}

function CompatibilityNote({ explanation }: { explanation: LatestBundleSelection }) {
  if (explanation.isPending) {
    return (
      <p role="status" className="muted">
        Checking which environments can run the latest bundle…
      </p>
    );
  }
  if (explanation.isError) {
    return (
      <div role="alert" className="alert alert-error">
        <p>Compatibility could not be checked, so every environment is offered. {errorMessage(explanation.error)}</p>
        <button type="button" className="button" onClick={() => void explanation.refetch()}>
          Check again
        </button>
      </div>
    );
  }
  const manifestRequest = manifestRequestOf(explanation.data);
  if (manifestRequest) {
    return (
      <p className="note">
        The latest bundle&rsquo;s manifest chooses for itself ({manifestRequest}): its deploys use that whatever is chosen here, so other environments
        are not checked against it.
      </p>
    );
  }
  if (!explanation.data) {
    return (
      <p className="note">
        This content has no bundle yet, so compatibility is known only after the first upload. Until then any environment available to you can be
        chosen.
      </p>
    );
  }
  return (
    <p className="muted">
      Compatibility is judged against the latest bundle, made with {bundleVersionsText(explanation.data.bundle)}. Environments that cannot run it are
      listed but cannot be chosen.
    </p>
  );
}
