import { type Content, type Environment, LANGUAGE_LABELS, isDisabled } from '@envdesk/domain';
import type { SelectionCandidate, SelectionExplanation } from './api/explain-selection';

/**
 * What the Runtime picker shows for each environment (seed "Publisher selection": the publisher
 * may pick among the environments they have access to, and the one picked must satisfy the
 * content's Python and R versions). The server judges; this only sorts its reasons into what the
 * picker needs to say.
 */

export type ChoiceStatus =
  /** The latest bundle can build and run in it. */
  | 'compatible'
  /** It cannot: `reasons` say why (a missing version, an unsatisfied constraint). */
  | 'incompatible'
  /** `matching: none`: never used, whatever is chosen. */
  | 'disabled'
  /** No bundle yet (or the environment is newer than the judgement): compatibility is not known. */
  | 'unchecked';

export interface EnvironmentChoice {
  readonly environment: Environment;
  readonly status: ChoiceStatus;
  /** Why it cannot be chosen, one sentence per reason; empty when it can. */
  readonly reasons: readonly string[];
  /** The installations a build would use, e.g. "Python 3.11.3" (compatible ones only). */
  readonly uses: readonly string[];
}

export const isChoosable = (choice: EnvironmentChoice): boolean => choice.status === 'compatible' || choice.status === 'unchecked';

const sentence = (reason: string): string => reason.charAt(0).toUpperCase() + reason.slice(1);

const DISABLED_REASON = 'Disabled by an administrator (matching: none); it is never used.';

function choiceFrom(environment: Environment, candidate: SelectionCandidate | undefined): EnvironmentChoice | null {
  if (isDisabled(environment)) return { environment, status: 'disabled', reasons: [DISABLED_REASON], uses: [] };
  if (!candidate) return { environment, status: 'unchecked', reasons: [], uses: [] };
  // The content's owner may not use it: the picker leaves it out (publishers never see it at all).
  if (!candidate.checks.permitted) return null;
  // The bundle's manifest asks for an image or environment, so the server judged only that one.
  if (!candidate.checks.in_request) return { environment, status: 'unchecked', reasons: [], uses: [] };
  // `exact` environments are passed over by Automatic but allowed when chosen: only versions block.
  if (candidate.checks.compatible === false) {
    return { environment, status: 'incompatible', reasons: candidate.incompatibilities.map(sentence), uses: [] };
  }
  const uses = candidate.installations.map((installation) => `${LANGUAGE_LABELS[installation.language]} ${installation.version}`);
  return { environment, status: 'compatible', reasons: [], uses };
}

/**
 * The environments the picker offers, each with its status, in the order given. `environments` is
 * what the signed-in person may see (a publisher: those permitted to them); `explanation` is the
 * server's judgement of the latest bundle with Automatic selection, or null without a bundle.
 * Environments the content's owner may not use are left out (an administrator looking at a
 * publisher's content sees only what that publisher could choose).
 */
export function environmentChoices(environments: readonly Environment[], explanation: SelectionExplanation | null): EnvironmentChoice[] {
  const candidates = new Map(explanation?.candidates.map((candidate) => [candidate.guid, candidate]));
  const choices: EnvironmentChoice[] = [];
  for (const environment of environments) {
    const choice = choiceFrom(environment, explanation ? candidates.get(environment.guid) : undefined);
    if (choice) choices.push(choice);
  }
  return choices;
}

/** The latest bundle's manifest names an image (or environment): its deploys use that, whatever the content chooses. */
export const manifestRequestOf = (explanation: SelectionExplanation | null | undefined): string | null =>
  explanation?.request.kind === 'manifest-image' ? explanation.request.description : null;

/** The bundle's versions, as the picker's note says them: "Python 3.11.4 and R 4.4.2". */
export function bundleVersionsText(bundle: SelectionExplanation['bundle']): string {
  const parts = [
    bundle.r && `R ${bundle.r}`,
    bundle.python && `Python ${bundle.python}`,
    bundle.quarto && `Quarto ${bundle.quarto}`,
    bundle.rRequires && `R ${bundle.rRequires}`,
    bundle.pythonRequires && `Python ${bundle.pythonRequires}`,
  ].filter((part): part is string => Boolean(part));
  if (parts.length === 0) return 'no R, Python or Quarto';
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** The runtime choice as saved on the content: Automatic, or the environment (or image) it asks for. */
export type RuntimeChoice = { readonly mode: 'automatic' } | { readonly mode: 'specific'; readonly guid: string | null };

export function runtimeChoiceOf(content: Content, environments: readonly Environment[]): RuntimeChoice {
  if (content.default_environment_guid) return { mode: 'specific', guid: content.default_environment_guid };
  if (content.default_image_name) {
    // Chosen by image (through the API): the picker marks the first environment with that image.
    const byImage = environments.find((environment) => environment.name === content.default_image_name);
    return { mode: 'specific', guid: byImage?.guid ?? null };
  }
  return { mode: 'automatic' };
}

/** The PATCH body that saves a choice; Automatic clears both the environment and the image. */
export function runtimeUpdateFor(choice: RuntimeChoice, environment: Environment | undefined) {
  if (choice.mode === 'automatic') return { default_environment_guid: null, default_image_name: null };
  return { default_environment_guid: choice.guid, default_image_name: environment?.name ?? null };
}

export const sameChoice = (a: RuntimeChoice, b: RuntimeChoice): boolean =>
  a.mode === b.mode && (a.mode === 'automatic' || a.guid === (b as { guid: string | null }).guid);
