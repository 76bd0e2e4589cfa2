import type { EnvironmentGrant } from '../access/can.js';
import { type Environment, LANGUAGE_LABELS } from '../environments/environment-schemas.js';
import { type Version, parseVersion } from '../versions/version.js';
import {
  type InstalledVersion,
  type LanguageRequirement,
  SELECTION_LANGUAGES,
  type ScoredVersion,
  type SelectionLanguage,
  compareScored,
  isCompatible,
  scoreVersion,
} from './version-matching.js';

/** An environment as selection reads it: the record and who it is granted to. */
export interface EnvironmentEntry {
  readonly environment: Environment;
  readonly grants: readonly EnvironmentGrant[];
}

/**
 * One distinct list of a language's installations (by version text, in declared order): a site's
 * images share a few dozen such lists, so a selection judges each list once, not each image.
 */
interface InstallationSet {
  /** Where each installation whose version parses sits in the environment's `installations`. */
  readonly positions: readonly number[];
  /** The same installations' distinct-version ids (see LanguageIndex.versions). */
  readonly versionIds: readonly number[];
  /** The same installations' version texts, as the "has …" part of a rejection names them. */
  readonly texts: readonly string[];
}

interface LanguageIndex {
  /** Every distinct version text any environment has for the language (parsed once per revision). */
  readonly versions: readonly InstalledVersion[];
  /** `major.minor` → ids of the versions with that release prefix (what major-minor and exact can match). */
  readonly byMajorMinor: ReadonlyMap<string, readonly number[]>;
  readonly sets: readonly InstallationSet[];
  /** Environment position → its installation set. */
  readonly setOf: Uint32Array;
}

/**
 * What selection can work out about a list of environments before any bundle is known: each
 * version text parsed once, environments grouped by identical installation lists, versions
 * grouped by major.minor. Build it once per environments revision (the server caches it beside
 * the list) and pass it to selectEnvironment with that same list; the result is exactly the one
 * selection gives without it.
 */
export interface InstallationIndex {
  /** The list the index was built from, in creation order. */
  readonly environments: readonly EnvironmentEntry[];
  readonly languages: Readonly<Record<SelectionLanguage, LanguageIndex>>;
}

interface ListNode {
  set?: number;
  next?: Map<string, ListNode>;
}

const majorMinorOf = (version: Version): string => `${version.parts[0] ?? 0}.${version.parts[1] ?? 0}`;

function indexLanguage(environments: readonly EnvironmentEntry[], language: SelectionLanguage): LanguageIndex {
  const versions: InstalledVersion[] = [];
  const idOfText = new Map<string, number | null>();
  const byMajorMinor = new Map<string, number[]>();
  const sets: InstallationSet[] = [];
  // Installation lists by version text, one text per level: the node at the end holds the set.
  const root: ListNode = {};
  const setOf = new Uint32Array(environments.length);

  const idOf = (text: string): number | null => {
    let id = idOfText.get(text);
    if (id === undefined) {
      const version = parseVersion(text);
      id = version === null ? null : versions.push({ text, version }) - 1;
      idOfText.set(text, id);
      if (version !== null) {
        const key = majorMinorOf(version);
        const ids = byMajorMinor.get(key);
        if (ids) ids.push(id!);
        else byMajorMinor.set(key, [id!]);
      }
    }
    return id;
  };

  environments.forEach(({ environment }, position) => {
    const installations = environment[language].installations;
    let node = root;
    for (const { version } of installations) {
      node.next ??= new Map();
      let child = node.next.get(version);
      if (!child) node.next.set(version, (child = {}));
      node = child;
    }
    let set = node.set;
    if (set === undefined) {
      const positions: number[] = [];
      const versionIds: number[] = [];
      const texts: string[] = [];
      installations.forEach(({ version: text }, i) => {
        const id = idOf(text);
        if (id === null) return;
        positions.push(i);
        versionIds.push(id);
        texts.push(text);
      });
      set = node.set = sets.push({ positions, versionIds, texts }) - 1;
    }
    setOf[position] = set;
  });
  return { versions, byMajorMinor, sets, setOf };
}

export function buildInstallationIndex(environments: readonly EnvironmentEntry[]): InstallationIndex {
  const languages = Object.fromEntries(SELECTION_LANGUAGES.map((language) => [language, indexLanguage(environments, language)]));
  return { environments, languages: languages as Record<SelectionLanguage, LanguageIndex> };
}

const releaseText = (requirement: LanguageRequirement, length: number): string =>
  Array.from({ length }, (_, i) => requirement.version?.parts[i] ?? 0).join('.');

/** Why none of the installations (their version texts, in declared order) is compatible with `requirement`. */
export function incompatibility(requirement: LanguageRequirement, texts: readonly string[]): string {
  const label = LANGUAGE_LABELS[requirement.language];
  if (texts.length === 0) return `no ${label} installation`;
  const versions = texts.join(', ');
  if (requirement.constraint) {
    return `${label} ${versions} ${texts.length === 1 ? 'does' : 'do'} not satisfy ${requirement.constraintText}`;
  }
  const wanted = releaseText(requirement, requirement.matching === 'exact' ? 3 : 2);
  return `no ${label} ${wanted} installation (has ${versions})`;
}

/** The installation an environment offers for one requirement (where it sits in its `installations`), with how good a choice it is. */
export interface InstallationPick<Score> {
  readonly position: number;
  readonly score: Score;
}

/**
 * How one selection picks each environment's installation for each of the bundle's requirements
 * and orders the picks; `choose` answers the rejection reason when no installation is compatible.
 */
export interface InstallationJudge<Score> {
  choose(position: number, environment: Environment, requirement: number): InstallationPick<Score> | string;
  /** Negative when `a` is the better pick; 0 only when they rank the same. */
  compare(a: Score, b: Score): number;
}

/**
 * The index's judge for one bundle: each distinct version is scored once and given its place in
 * the ranking (equal places for versions compareScored cannot tell apart), then each installation
 * set's best installation is found once; an environment's pick is a lookup.
 */
export function indexedJudge(index: InstallationIndex, requirements: readonly LanguageRequirement[]): InstallationJudge<number> {
  const perRequirement = requirements.map((requirement) => {
    const language = index.languages[requirement.language];
    // major-minor and exact accept only versions of the bundle's major.minor: look those up.
    const byRelease = requirement.constraint === null && requirement.version !== null && requirement.matching !== 'nearest';
    const considered = byRelease ? (language.byMajorMinor.get(majorMinorOf(requirement.version!)) ?? []) : language.versions.map((_, id) => id);
    const scored: Array<{ id: number; score: ScoredVersion }> = [];
    for (const id of considered) {
      const installed = language.versions[id]!;
      if (isCompatible(requirement, installed)) scored.push({ id, score: scoreVersion(requirement, installed.version) });
    }
    scored.sort((a, b) => compareScored(a.score, b.score));
    // Place of each version in the ranking, best 0; -1 for an incompatible one.
    const place = new Int32Array(language.versions.length).fill(-1);
    scored.forEach(({ id, score }, i) => {
      const previous = scored[i - 1];
      place[id] = previous && compareScored(previous.score, score) === 0 ? place[previous.id]! : i;
    });
    // Per installation set: its best installation and that installation's place, or why none fits.
    const decided: Array<InstallationPick<number> | string | undefined> = new Array(language.sets.length);
    const decide = (set: InstallationSet): InstallationPick<number> | string => {
      let best: InstallationPick<number> | null = null;
      set.versionIds.forEach((id, i) => {
        const at = place[id]!;
        // The first of equally good installations wins, as it does without the index.
        if (at >= 0 && (best === null || at < best.score)) best = { position: set.positions[i]!, score: at };
      });
      return best ?? incompatibility(requirement, set.texts);
    };
    return { language, decided, decide };
  });

  return {
    choose(position, _environment, i) {
      const { language, decided, decide } = perRequirement[i]!;
      const setId = language.setOf[position]!;
      // Shared by every environment with the same installation list.
      return (decided[setId] ??= decide(language.sets[setId]!));
    },
    compare: (a, b) => a - b,
  };
}
