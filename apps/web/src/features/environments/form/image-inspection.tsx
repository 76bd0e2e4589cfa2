import { FOLDER_NAME_SOURCE, type FoundInstallation, INSPECTED_LANGUAGES, type ImageInspectionResult, LANGUAGE_LABELS, diffInstallations } from '@envdesk/domain';
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useAnnounce } from '../../../components/announcer';
import { errorMessage } from '../../../lib/api-client';
import { useImageInspection } from '../api/inspect-image';
import { type FoundEntry, addFoundInstallations, foundEntries, installationsByLanguage, isInForm, rowsMatchingImage } from './apply-inspection';
import type { FormMode, InstallationRow } from './environment-form-values';
import './image-inspection.css';

export interface ImageInspectionProps {
  readonly mode: FormMode;
  /** The image name as typed. */
  readonly imageName: string;
  /** The image name field, which the button sits beside. */
  readonly field: ReactNode;
  readonly rows: readonly InstallationRow[];
  readonly onApply: (rows: InstallationRow[]) => void;
}

const versionSource = (installation: FoundInstallation): string =>
  installation.version_source === null
    ? 'No file in the image names its version: type it in.'
    : installation.version_source === FOLDER_NAME_SOURCE
      ? 'Version taken from its folder’s name.'
      : `Version read from ${installation.version_source}.`;

const installationName = (entry: Pick<FoundEntry, 'language' | 'installation'>): string =>
  `${LANGUAGE_LABELS[entry.language]} ${entry.installation.version ?? '(version unknown)'}`;

/**
 * *Inspect image* on the add form and *Re-inspect* on a hand-made environment (issue 12): reads the
 * image from its registry, shows the task's progress, then what it found — a checklist to fill the
 * installations from, or what differs from the installations listed.
 */
export function ImageInspection({ mode, imageName, field, rows, onApply }: ImageInspectionProps) {
  const inspection = useImageInspection();
  const { state } = inspection;
  const id = useId().replace(/:/g, '');
  const name = imageName.trim();
  const empty = name === '';
  const running = state.phase === 'running';
  const label = mode === 'create' ? 'Inspect image' : 'Re-inspect image';
  const log = useRef<HTMLPreElement>(null);
  const lines = state.phase === 'idle' ? [] : state.lines;

  // The log follows its newest line.
  useEffect(() => {
    if (log.current) log.current.scrollTop = log.current.scrollHeight;
  }, [lines.length]);

  return (
    <div className="image-inspection">
      <div className="image-name-row">
        {field}
        <div className="inspect-action">
          <button
            type="button"
            className="button"
            aria-disabled={empty || running ? true : undefined}
            aria-describedby={empty ? `${id}-why` : undefined}
            onClick={() => {
              if (empty || running) return;
              inspection.inspect({ name });
            }}
          >
            {running ? 'Inspecting…' : label}
          </button>
        </div>
      </div>
      {empty && (
        <p id={`${id}-why`} className="field-hint inspect-why">
          {mode === 'create'
            ? 'Type an image name to inspect it: envdesk reads the image from its registry and finds its Python, R and Quarto installations.'
            : 'This environment has no image name to inspect.'}
        </p>
      )}
      {/* Present before anything is said in it, so screen readers read what it says. */}
      <p role="status" className="visually-hidden">
        {running ? `Inspecting ${name}…` : state.phase === 'done' ? `Inspected ${state.result.name}.` : ''}
      </p>
      {lines.length > 0 || running ? (
        <pre ref={log} className="inspection-log" role="log" aria-label="Inspection progress" tabIndex={0}>
          {lines.length > 0 ? lines.join('\n') : 'Waiting for the first line…'}
        </pre>
      ) : null}
      {inspection.pollError !== null && running && (
        <p className="field-hint">The server did not answer ({errorMessage(inspection.pollError)}); still trying.</p>
      )}
      {state.phase === 'failed' && (
        <div role="alert" className="alert alert-error">
          <p>Could not inspect the image. {state.error}</p>
        </div>
      )}
      {state.phase === 'done' &&
        (mode === 'create' ? (
          <FoundChecklist key={inspection.taskId} result={state.result} rows={rows} onApply={onApply} />
        ) : (
          <Differences result={state.result} rows={rows} onApply={onApply} />
        ))}
    </div>
  );
}

/** What the inspection found but could not offer (an installation whose version no file gave). */
function Warnings({ result }: { result: ImageInspectionResult }) {
  if (result.warnings.length === 0) return null;
  return (
    <ul className="alert alert-warning inspection-warnings" aria-label="Inspection warnings">
      {result.warnings.map((warning) => (
        <li key={warning}>{warning}</li>
      ))}
    </ul>
  );
}

function Platforms({ result }: { result: ImageInspectionResult }) {
  const others = result.platforms.filter((platform) => platform !== result.platform);
  return (
    <p className="field-hint">
      Read for <span className="mono">{result.platform}</span>
      {others.length > 0 && (
        <>
          ; the image also offers <span className="mono">{others.join(', ')}</span>
        </>
      )}
      .
    </p>
  );
}

/** Focus for a sentence that replaces the control just used, so keyboard users are not left on nothing. */
function useFocusWhen(condition: boolean) {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (condition) ref.current?.focus();
  }, [condition]);
  return ref;
}

function FoundChecklist({ result, rows, onApply }: { result: ImageInspectionResult; rows: readonly InstallationRow[]; onApply: (rows: InstallationRow[]) => void }) {
  const entries = foundEntries(result.installations);
  const id = useId().replace(/:/g, '');
  const announce = useAnnounce();
  // Everything found starts ticked (seed: "Remove any detected installations that you do not want").
  const [unticked, setUnticked] = useState<ReadonlySet<string>>(new Set());
  const [applied, setApplied] = useState<string | null>(null);
  const appliedNote = useFocusWhen(applied !== null);

  if (entries.length === 0) {
    return (
      <div className="alert alert-warning inspection-result">
        <p>
          No Python, R or Quarto installation was found in <span className="mono">{result.name}</span>. Add the installations by hand.
        </p>
        <Warnings result={result} />
      </div>
    );
  }
  if (applied !== null) {
    return (
      <p ref={appliedNote} tabIndex={-1} className="inspection-applied">
        {applied}
      </p>
    );
  }
  const chosen = entries.filter((entry) => !unticked.has(entry.id));
  return (
    <fieldset className="inspection-result">
      <legend>
        Found in <span className="mono">{result.name}</span>
      </legend>
      <p className="field-hint">Remove any detected installations that you do not want, then add the others to the installations below.</p>
      <Platforms result={result} />
      <Warnings result={result} />
      <ul className="found-list">
        {entries.map((entry) => {
          const checkbox = `${id}-${entry.id.replace(/[^\w-]/g, '_')}`;
          const present = isInForm(rows, entry);
          return (
            <li key={entry.id} className="found-item">
              <input
                type="checkbox"
                id={checkbox}
                checked={!unticked.has(entry.id)}
                aria-describedby={`${checkbox}-source`}
                onChange={(event) =>
                  setUnticked((current) => {
                    const next = new Set(current);
                    if (event.target.checked) next.delete(entry.id);
                    else next.add(entry.id);
                    return next;
                  })
                }
              />
              <div>
                <label htmlFor={checkbox}>
                  {installationName(entry)} <span className="mono">{entry.installation.path}</span>
                  {present && <span className="muted"> (already listed)</span>}
                </label>
                <p id={`${checkbox}-source`} className="field-hint">
                  {versionSource(entry.installation)}
                  {entry.installation.found_in === 'PATH' ? ' Found on the image’s PATH.' : ''}
                </p>
              </div>
            </li>
          );
        })}
      </ul>
      <button
        type="button"
        className="button button-primary button-small"
        aria-disabled={chosen.length === 0 ? true : undefined}
        onClick={() => {
          if (chosen.length === 0) return;
          const { rows: next, applied: count } = addFoundInstallations(rows, chosen);
          onApply(next);
          const sentence =
            count === 0
              ? 'The ticked installations were already listed; nothing was added.'
              : `Added ${count === 1 ? 'one installation' : `${count} installations`} from the image. Check them below, then save.`;
          setApplied(sentence);
          announce(sentence, 'info');
        }}
      >
        Use the ticked installations
      </button>
      {chosen.length === 0 && <p className="field-hint">Tick at least one installation to use it.</p>}
    </fieldset>
  );
}

function Differences({ result, rows, onApply }: { result: ImageInspectionResult; rows: readonly InstallationRow[]; onApply: (rows: InstallationRow[]) => void }) {
  const diff = diffInstallations(result.installations, installationsByLanguage(rows));
  const languages = INSPECTED_LANGUAGES.filter(
    (language) => diff[language].onlyInImage.length + diff[language].onlyInEnvironment.length + diff[language].versionChanged.length > 0,
  );
  const announce = useAnnounce();
  const headingId = `${useId().replace(/:/g, '')}-differences`;
  const [applied, setApplied] = useState(false);
  const sameNote = useFocusWhen(applied && languages.length === 0);

  if (languages.length === 0) {
    return (
      <div className="inspection-result">
        <p ref={sameNote} tabIndex={-1} className="inspection-applied">
          {applied
            ? 'The installations below now match the image. Save to keep them.'
            : `The installations below match what ${result.name} holds.`}
        </p>
        <Platforms result={result} />
      <Warnings result={result} />
      </div>
    );
  }
  const onlyInImage = languages.flatMap((language) => diff[language].onlyInImage.map((installation) => ({ language, installation })));
  const onlyHere = languages.flatMap((language) => diff[language].onlyInEnvironment.map((installation) => ({ language, installation })));
  const changed = languages.flatMap((language) => diff[language].versionChanged.map((change) => ({ language, change })));
  return (
    <section className="inspection-result" aria-labelledby={headingId}>
      <h3 id={headingId} className="inspection-heading">
        What differs from <span className="mono">{result.name}</span>
      </h3>
      <Platforms result={result} />
      <Warnings result={result} />
      {onlyInImage.length > 0 && (
        <>
          <h4 className="inspection-subheading">In the image, not listed here</h4>
          <ul className="difference-list">
            {onlyInImage.map((entry) => (
              <li key={`${entry.language}:${entry.installation.path}`}>
                {installationName(entry)} <span className="mono">{entry.installation.path}</span>
                <span className="field-hint"> {versionSource(entry.installation)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {onlyHere.length > 0 && (
        <>
          <h4 className="inspection-subheading">Listed here, not found in the image</h4>
          <ul className="difference-list">
            {onlyHere.map((entry) => (
              <li key={`${entry.language}:${entry.installation.path}`}>
                {LANGUAGE_LABELS[entry.language]} {entry.installation.version} <span className="mono">{entry.installation.path}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {changed.length > 0 && (
        <>
          <h4 className="inspection-subheading">Another version in the image</h4>
          <ul className="difference-list">
            {changed.map(({ language, change }) => (
              <li key={`${language}:${change.path}`}>
                {LANGUAGE_LABELS[language]} <span className="mono">{change.path}</span>: {change.environmentVersion} here, {change.imageVersion} in the image
              </li>
            ))}
          </ul>
        </>
      )}
      <button
        type="button"
        className="button button-small"
        onClick={() => {
          onApply(rowsMatchingImage(rows, result.installations));
          setApplied(true);
          announce('The Python, R and Quarto installations now match the image. Save to keep them.', 'info');
        }}
      >
        Use the image’s installations
      </button>
    </section>
  );
}
