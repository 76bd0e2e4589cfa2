import { type Actor, can } from '../access/can.js';
import { type Environment, LANGUAGE_LABELS, isDisabled } from '../environments/environment-schemas.js';
import { parseLanguageVersion, parseSpecifierSet } from '../versions/version-constraints.js';
import { type Version, parseVersion } from '../versions/version.js';
import type { Candidate, CandidateChecks } from './candidate.js';
import { bundleSummary, failureLog, successLog } from './deploy-log.js';
import {
  type EnvironmentEntry,
  type InstallationIndex,
  type InstallationJudge,
  type InstallationPick,
  incompatibility,
  indexedJudge,
} from './installation-index.js';
import type { Manifest } from './manifest-schema.js';
import {
  type InstalledVersion,
  type LanguageRequirement,
  SELECTION_LANGUAGES,
  type ScoredVersion,
  type SelectionLanguage,
  type VersionMatching,
  chooseInstallation,
  compareScored,
} from './version-matching.js';

export type { Candidate, CandidateChecks, CandidateInstallation } from './candidate.js';

export interface SelectionInput {
  manifest: Manifest;
  content: {
    default_environment_guid: string | null;
    default_image_name: string | null;
    default_r_environment_management: boolean | null;
    default_py_environment_management: boolean | null;
  };
  /** The content's owner: permissions are checked for them, whoever deploys. */
  owner: Actor;
  /**
   * Who reads the answer. An administrator sees every environment judged, the ones the owner may
   * not use included; anyone else (the owner, through the explainer or the
   * deploy log) must not learn that those exist: they are left out before anything is judged, so
   * no candidate, reason, failure sentence, log line or count can name or count them.
   */
  readBy: Actor;
  /** Every environment with its permission entries, in creation order. */
  environments: readonly EnvironmentEntry[];
  matching: VersionMatching;
  /**
   * buildInstallationIndex(environments), for this very list: what selection can work out once
   * per environments revision rather than on every deploy. The answer is the same without it.
   */
  index?: InstallationIndex;
}

export type SelectionRequestKind = 'manifest-image' | 'content-environment' | 'content-image' | 'automatic';

export interface SelectionResult {
  request: { kind: SelectionRequestKind; description: string };
  bundle: { r: string | null; python: string | null; quarto: string | null; rRequires: string | null; pythonRequires: string | null };
  /**
   * Every environment the reader may learn of (see `readBy`): accepted ones in rank order first,
   * then rejected ones in creation order.
   */
  candidates: Candidate[];
  selected: Candidate | null;
  /** When nothing is selected: one sentence saying what was asked and that no candidate qualified. */
  failure: string | null;
  environmentManagement: { r: boolean; python: boolean };
  /** Deploy-log lines, one per decision (spec/selection-reference.md "The deploy log"). */
  log: string[];
}

/** rsconnect-python writes this Quarto version when `quarto inspect` reports none: it means "unknown". */
export const UNKNOWN_QUARTO_VERSION = '99.9.9';

/** "none of the 3 environments with that image qualifies" / "the one environment with that image does not qualify" */
const noneOf = (count: number, scope: string): string =>
  count === 1 ? `the one environment${scope} does not qualify` : `none of the ${count} environments${scope} qualifies`;

/** Which environments a deploy looks at, and how to say so. */
interface SelectionRequest {
  readonly kind: SelectionRequestKind;
  readonly description: string;
  readonly includes: (environment: Environment) => boolean;
  /** The reason given to an environment the request leaves out. */
  readonly outsideReason: string;
  /** How to say that nothing is within the request (the failure's second half). */
  readonly nothingInScope: string;
  /** The failure's second half when some environments were within the request. */
  readonly noneQualifies: (count: number) => string;
  readonly requested: boolean;
}

/** A request for every environment that uses `image` (an image is a matching criterion since Connect 2025.04). */
function imageRequest(kind: 'manifest-image' | 'content-image', description: string, image: string, usable: string): SelectionRequest {
  return {
    kind,
    description,
    includes: (environment) => environment.name === image,
    outsideReason: 'not the requested image',
    nothingInScope: usable ? `no environment${usable} has that image` : 'no environment uses that image',
    noneQualifies: (count) => noneOf(count, ' with that image'),
    requested: true,
  };
}

/**
 * The order of precedence (spec/selection-reference.md "Which environments are considered"):
 * the manifest's request wins over the content's settings, so re-activating an old bundle keeps
 * the image it was made for (seed "Publisher selection"); then the content's chosen environment,
 * then its chosen image; else automatic selection among `matching: any`.
 *
 * envdesk's choice: a manifest `environment.identifier` (an environment guid) is a manifest
 * request like `image`, reported with the kind `manifest-image`; when a manifest gives both,
 * an environment must have that guid and that image.
 *
 * `usable` is " the content's owner may use" when the reader sees only those environments: then
 * "nothing in the request" must read the same whether the requested environment or image does not
 * exist or exists but is not granted, so it never says "no such environment exists".
 */
function requestOf(manifest: Manifest, content: SelectionInput['content'], usable: string): SelectionRequest {
  const image = manifest.environment?.image ?? null;
  const identifier = manifest.environment?.identifier ?? null;
  if (identifier !== null) {
    const withImage = image === null ? '' : ` with the image ${image}`;
    return {
      kind: 'manifest-image',
      description: `the bundle's manifest requests the environment ${identifier}${withImage}`,
      includes: (environment) => environment.guid === identifier && (image === null || environment.name === image),
      outsideReason: image === null ? 'not the requested environment' : 'not the requested environment and image',
      nothingInScope: usable
        ? `no environment${usable} has that guid${image === null ? '' : ' and image'}`
        : image === null
          ? 'no such environment exists'
          : 'no environment has that guid and image',
      noneQualifies: () => 'that environment does not qualify',
      requested: true,
    };
  }
  if (image !== null) return imageRequest('manifest-image', `the bundle's manifest requests the image ${image}`, image, usable);
  const chosenGuid = content.default_environment_guid;
  if (chosenGuid !== null) {
    return {
      kind: 'content-environment',
      description: `the content's settings request the environment ${chosenGuid}`,
      includes: (environment) => environment.guid === chosenGuid,
      outsideReason: 'not the requested environment',
      nothingInScope: usable ? `no environment${usable} has that guid` : 'no such environment exists',
      noneQualifies: () => 'that environment does not qualify',
      requested: true,
    };
  }
  const chosenImage = content.default_image_name;
  if (chosenImage !== null) {
    return imageRequest('content-image', `the content's settings request the image ${chosenImage}`, chosenImage, usable);
  }
  return {
    kind: 'automatic',
    description: 'automatic selection considers every environment with matching any',
    includes: () => true,
    outsideReason: '',
    nothingInScope: `there are no environments${usable}`,
    noneQualifies: (count) => noneOf(count, ''),
    requested: false,
  };
}

interface BundleRequirements {
  readonly requirements: LanguageRequirement[];
  /** Problems with the manifest's versions or constraints (only when it bypassed ManifestSchema). */
  readonly problems: string[];
}

/** The languages the bundle uses, in ranking order R, Python, Quarto, with what each needs. */
function requirementsOf(manifest: Manifest, matching: VersionMatching): BundleRequirements {
  const requirements: LanguageRequirement[] = [];
  const problems: string[] = [];
  const declared: Record<SelectionLanguage, { version: string | null; requires: string | null }> = {
    r: { version: manifest.platform ?? null, requires: manifest.environment?.r?.requires ?? null },
    python: { version: manifest.python?.version ?? null, requires: manifest.environment?.python?.requires ?? null },
    quarto: { version: manifest.quarto?.version ?? null, requires: null },
  };
  for (const language of SELECTION_LANGUAGES) {
    const { requires } = declared[language];
    const versionText = language === 'quarto' && declared.quarto.version === UNKNOWN_QUARTO_VERSION ? null : declared[language].version;
    if (declared[language].version === null && requires === null) continue;
    const label = LANGUAGE_LABELS[language];
    const version = versionText === null ? null : parseLanguageVersion(versionText);
    if (versionText !== null && version === null) problems.push(`the bundle's ${label} version "${versionText}" is not a version`);
    const constraint = requires === null ? null : parseSpecifierSet(requires);
    if (constraint && !constraint.ok) problems.push(`the bundle's ${label} constraint "${requires}" is not valid: ${constraint.error}`);
    requirements.push({
      language,
      version,
      versionText: version === null ? null : versionText,
      constraint: constraint?.ok ? constraint.value : null,
      constraintText: requires?.trim() ?? null,
      matching: matching[language],
    });
  }
  return { requirements, problems };
}

interface Installed extends InstalledVersion {
  /** Where it sits in the environment's `installations`. */
  readonly position: number;
}

type VersionReader = (text: string) => Version | null;

/** parseVersion, remembered for one selection: a site's images share a few dozen version strings. */
function versionReader(): VersionReader {
  const known = new Map<string, Version | null>();
  return (text) => {
    let version = known.get(text);
    if (version === undefined) {
      version = parseVersion(text);
      known.set(text, version);
    }
    return version;
  };
}

function installedVersions(environment: Environment, language: SelectionLanguage, read: VersionReader): Installed[] {
  const installed: Installed[] = [];
  environment[language].installations.forEach(({ version: text }, position) => {
    const version = read(text);
    if (version) installed.push({ text, version, position });
  });
  return installed;
}

/** Without an index: every installation of every environment judged where it stands. */
function directJudge(requirements: readonly LanguageRequirement[]): InstallationJudge<ScoredVersion> {
  const read = versionReader();
  return {
    choose(_position, environment, i) {
      const requirement = requirements[i]!;
      const installed = installedVersions(environment, requirement.language, read);
      const best = chooseInstallation(requirement, installed);
      if (!best) return incompatibility(requirement, installed.map((each) => each.text));
      return { position: best.installed.position, score: best.score };
    },
    compare: compareScored,
  };
}

/** An environment that qualified, waiting for its rank. */
interface Qualified<Score> {
  /** Position in the full list (creation order): a full tie goes to the lower. */
  readonly position: number;
  readonly environment: Environment;
  readonly checks: CandidateChecks;
  /** Per used language (R, Python, Quarto order). */
  readonly picks: ReadonlyArray<InstallationPick<Score>>;
}

// Many candidates share these (a result is read, never changed): 10,000 environments judged
// should cost 10,000 candidates, not also 10,000 copies of the same lists and flags.
const NONE: readonly never[] = Object.freeze([]);
const sharedChecks: CandidateChecks[] = [];
function checksOf(inRequest: boolean, matching: boolean, permitted: boolean, compatible: boolean | null): CandidateChecks {
  const key = (inRequest ? 1 : 0) + (matching ? 2 : 0) + (permitted ? 4 : 0) + (compatible === null ? 0 : compatible ? 8 : 16);
  return (sharedChecks[key] ??= Object.freeze({ inRequest, matching, permitted, compatible }));
}

/** Why an environment within the request is refused before its versions count, as bits. */
const DISABLED = 1;
const EXACT_UNREQUESTED = 2;
const NOT_PERMITTED = 4;

interface ReasonsNode {
  lists?: { readonly reasons: readonly string[]; readonly incompatibilities: readonly string[] };
  next?: Map<string, ReasonsNode>;
}

/**
 * Judges each environment of one selection: a rejected candidate at once, or (when it qualifies)
 * what ranking needs, added to `qualified`. Rejected environments with the same refusals and the
 * same incompatibility sentences (with the index, those with the same installation lists get the
 * very same strings) share one reasons list.
 */
function environmentJudge<Score>(request: SelectionRequest, owner: Actor, bundle: BundleRequirements, judge: InstallationJudge<Score>) {
  const outsideReasons: readonly string[] = Object.freeze([request.outsideReason]);
  // Without the environment, `can` answers for the role alone: viewers may use none.
  const notPermitted = can(owner, 'environments:use') ? "not granted to the content's owner" : "the content's owner is a viewer, who may not use environments";
  const roots: ReasonsNode[] = [];
  // Scratch lists, reused for every environment.
  const incompatibilities: string[] = [];
  const picks: Array<InstallationPick<Score>> = [];

  function listsFor(refusals: number): NonNullable<ReasonsNode['lists']> {
    let node = (roots[refusals] ??= {});
    for (const sentence of incompatibilities) {
      node.next ??= new Map();
      let child = node.next.get(sentence);
      if (!child) node.next.set(sentence, (child = {}));
      node = child;
    }
    if (!node.lists) {
      const reasons: string[] = [];
      if (refusals & DISABLED) reasons.push('matching is none');
      if (refusals & EXACT_UNREQUESTED) reasons.push('matching is exact (used only when requested)');
      if (refusals & NOT_PERMITTED) reasons.push(notPermitted);
      reasons.push(...incompatibilities);
      node.lists = { reasons: Object.freeze(reasons), incompatibilities: incompatibilities.length === 0 ? NONE : Object.freeze([...incompatibilities]) };
    }
    return node.lists;
  }

  return (entry: EnvironmentEntry, position: number, qualified: Array<Qualified<Score>>): Candidate | null => {
    const { environment } = entry;
    const permitted = can(owner, 'environments:use', entry);
    // `exact`: "only used if it is requested by the content" (seed "About automatic environment selection").
    const matchingAllows = environment.matching === 'any' || (environment.matching === 'exact' && request.requested);
    if (!request.includes(environment)) {
      const checks = checksOf(false, matchingAllows, permitted, null);
      return { environment, accepted: false, rank: null, reasons: outsideReasons, checks, incompatibilities: NONE, installations: NONE };
    }
    const refusals =
      (isDisabled(environment) ? DISABLED : 0) +
      (environment.matching === 'exact' && !request.requested ? EXACT_UNREQUESTED : 0) +
      (permitted ? 0 : NOT_PERMITTED);
    incompatibilities.length = 0;
    incompatibilities.push(...bundle.problems);
    picks.length = 0;
    for (let i = 0; i < bundle.requirements.length; i++) {
      const pick = judge.choose(position, environment, i);
      if (typeof pick === 'string') incompatibilities.push(pick);
      else picks.push(pick);
    }
    const checks = checksOf(true, matchingAllows, permitted, incompatibilities.length === 0);
    if (refusals === 0 && incompatibilities.length === 0) {
      qualified.push({ position, environment, checks, picks: picks.slice() });
      return null;
    }
    const { reasons, incompatibilities: versionReasons } = listsFor(refusals);
    return { environment, accepted: false, rank: null, reasons, checks, incompatibilities: versionReasons, installations: NONE };
  };
}

/** Language by language (R, Python, Quarto) the closer installation wins; a full tie goes to the environment created first. */
function rankCandidates<Score>(qualified: Array<Qualified<Score>>, judge: InstallationJudge<Score>): Array<Qualified<Score>> {
  return qualified.sort((a, b) => {
    for (let i = 0; i < a.picks.length; i++) {
      const order = judge.compare(a.picks[i]!.score, b.picks[i]!.score);
      if (order !== 0) return order;
    }
    return a.position - b.position;
  });
}

function failureSentence(request: SelectionRequest, inScope: number, requirements: readonly LanguageRequirement[]): string {
  const asked = request.description.charAt(0).toUpperCase() + request.description.slice(1);
  if (inScope === 0) return `${asked}, but ${request.nothingInScope}.`;
  const bundle = requirements.length === 0 ? 'a bundle that uses no R, Python or Quarto' : `a bundle with ${bundleSummary(requirements)}`;
  return `${asked}, but ${request.noneQualifies(inScope)} for ${bundle}.`;
}

/**
 * Chooses the environment a bundle builds and runs in, and says why — for the deploy log and for
 * the dashboard's "why this environment?" view. Pure: the caller loads the environments, their
 * grants and the settings. The rules, each with a table test, are spec/selection-reference.md.
 */
export function selectEnvironment(input: SelectionInput): SelectionResult {
  const { manifest, matching, index } = input;
  if (index && index.environments !== input.environments) throw new Error('The installation index was built from another environments list.');
  const bundle = requirementsOf(manifest, matching);
  return index ? selectWith(input, bundle, indexedJudge(index, bundle.requirements)) : selectWith(input, bundle, directJudge(bundle.requirements));
}

function selectWith<Score>(input: SelectionInput, bundle: BundleRequirements, judge: InstallationJudge<Score>): SelectionResult {
  const { manifest, content, owner, readBy } = input;
  // Publishers see only what they may use: for anyone but an administrator the environments the
  // owner may not use are dropped here, before any judgement, so nothing below can leak them.
  const restricted = !can(readBy, 'environments:read-all');
  const request = requestOf(manifest, content, restricted ? " the content's owner may use" : '');

  const qualified: Array<Qualified<Score>> = [];
  const rejected: Candidate[] = [];
  const judgeEnvironment = environmentJudge(request, owner, bundle, judge);
  let considered = 0;
  input.environments.forEach((entry, position) => {
    if (restricted && !can(owner, 'environments:use', entry)) return;
    considered++;
    const candidate = judgeEnvironment(entry, position, qualified);
    if (candidate) rejected.push(candidate);
  });
  const accepted = rankCandidates(qualified, judge).map(
    ({ environment, checks, picks }, i): Candidate => ({
      environment,
      accepted: true,
      rank: i + 1,
      reasons: NONE,
      checks,
      incompatibilities: NONE,
      installations: picks.map(({ position }, language) => {
        const requirement = bundle.requirements[language]!;
        const { version, path } = environment[requirement.language].installations[position]!;
        return { language: requirement.language, version, path };
      }),
    }),
  );
  const candidates = accepted.concat(rejected);
  const selected = candidates[0]?.accepted ? candidates[0] : null;

  // Content settings win over the manifest, which wins over the default (seed: immutable-environments cookbook).
  const environmentManagement = {
    r: content.default_r_environment_management ?? manifest.environment?.environment_management?.r ?? true,
    python: content.default_py_environment_management ?? manifest.environment?.environment_management?.python ?? true,
  };

  let failure: string | null = null;
  let log: string[];
  if (selected) {
    log = successLog(bundle.requirements, selected, environmentManagement);
  } else {
    const inScope = candidates.filter((candidate) => request.includes(candidate.environment));
    failure = failureSentence(request, inScope.length, bundle.requirements);
    log = failureLog(failure, inScope, considered - inScope.length, request.outsideReason);
  }

  return {
    request: { kind: request.kind, description: request.description },
    bundle: {
      r: manifest.platform ?? null,
      python: manifest.python?.version ?? null,
      quarto: manifest.quarto?.version ?? null,
      rRequires: manifest.environment?.r?.requires ?? null,
      pythonRequires: manifest.environment?.python?.requires ?? null,
    },
    candidates,
    selected,
    failure,
    environmentManagement,
    log,
  };
}
