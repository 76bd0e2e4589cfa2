import { describe, expect, it } from 'vitest';
import type { Actor, EnvironmentGrant } from '../access/can.js';
import { type Environment, LANGUAGE_LABELS, type Matching } from '../environments/environment-schemas.js';
import { aGuid, aManifest, anActor, anEnvironment } from '../testing/builders.js';
import { buildInstallationIndex } from './installation-index.js';
import type { Manifest } from './manifest-schema.js';
import { type SelectionInput, type SelectionResult, selectEnvironment } from './select-environment.js';
import { DEFAULT_VERSION_MATCHING, type VersionMatching } from './version-matching.js';

// ---- A small language for the table: environments by key, in creation order. -----------------

const TEAM = aGuid(7001);
const OWNER_GUID = aGuid(7002);
const SOMEONE_ELSE = aGuid(7003);

interface EnvironmentSpec {
  r?: string[];
  python?: string[];
  quarto?: string[];
  matching?: Matching;
  /** The image's short name: `registry.example.org/<image>:jammy`; defaults to the key. */
  image?: string;
  grants?: Array<'owner' | 'team' | 'someone-else'>;
}

interface BundleSpec {
  r?: string;
  python?: string;
  quarto?: string;
  rRequires?: string;
  pythonRequires?: string;
  /** Short image name, as for environments. */
  image?: string;
  /** Key of the environment the manifest's `environment.identifier` names. */
  identifier?: string;
}

interface ContentSpec {
  /** Key of the chosen environment, or `missing`. */
  environment?: string;
  image?: string;
}

interface Case {
  name: string;
  environments: Record<string, EnvironmentSpec>;
  bundle: BundleSpec;
  content?: ContentSpec;
  owner?: 'publisher' | 'administrator' | 'viewer';
  /** Who reads the answer: an administrator (the default: the whole judgement) or the owner. */
  readBy?: 'administrator' | 'owner';
  matching?: Partial<VersionMatching>;
  /** Key of the selected environment, or null when the deploy fails. */
  selected: string | null;
  /** The selected environment's installations: `R 4.2.3`, `Python 3.9.14`. */
  chosen?: string[];
  /** Keys of the accepted environments, best first. */
  ranking?: string[];
  /** Exact reasons per rejected environment. */
  rejected?: Record<string, string[]>;
  /** Part of the failure sentence. */
  failure?: string;
}

const imageName = (short: string) => `registry.example.org/${short}:jammy`;
const guidOf = (key: string) => aGuid(1000 + key.charCodeAt(0));

const installations = (versions: string[] | undefined, path: (version: string) => string) => ({
  installations: (versions ?? []).map((version) => ({ version, path: path(version) })),
});

function environmentFrom(key: string, spec: EnvironmentSpec, index: number): Environment {
  return anEnvironment({
    id: String(index + 1),
    guid: guidOf(key),
    title: key,
    name: imageName(spec.image ?? key.toLowerCase()),
    matching: spec.matching ?? 'any',
    r: installations(spec.r, (v) => `/opt/R/${v}/bin/R`),
    python: installations(spec.python, (v) => `/opt/python/${v}/bin/python`),
    quarto: installations(spec.quarto, (v) => `/opt/quarto/${v}/bin/quarto`),
  });
}

const grantFor = (who: 'owner' | 'team' | 'someone-else'): EnvironmentGrant =>
  who === 'team' ? { user_guid: null, group_guid: TEAM } : { user_guid: who === 'owner' ? OWNER_GUID : SOMEONE_ELSE, group_guid: null };

function manifestFrom(bundle: BundleSpec): Manifest {
  const environment: NonNullable<Manifest['environment']> = {};
  if (bundle.image) environment.image = imageName(bundle.image);
  if (bundle.identifier) environment.identifier = guidOf(bundle.identifier);
  if (bundle.rRequires) environment.r = { requires: bundle.rRequires };
  if (bundle.pythonRequires) environment.python = { requires: bundle.pythonRequires };
  return aManifest({
    platform: bundle.r ?? null,
    python: bundle.python ? { version: bundle.python, package_manager: { name: 'pip', package_file: 'requirements.txt' } } : null,
    quarto: bundle.quarto ? { version: bundle.quarto, engines: ['markdown'] } : null,
    environment: Object.keys(environment).length > 0 ? environment : null,
  });
}

function inputFrom(row: Case): SelectionInput {
  const owner: Actor = anActor({ guid: OWNER_GUID, role: row.owner ?? 'publisher', groupGuids: [TEAM] });
  return {
    manifest: manifestFrom(row.bundle),
    content: {
      default_environment_guid: row.content?.environment ? guidOf(row.content.environment) : null,
      default_image_name: row.content?.image ? imageName(row.content.image) : null,
      default_r_environment_management: null,
      default_py_environment_management: null,
    },
    owner,
    readBy: row.readBy === 'owner' ? owner : anActor({ role: 'administrator' }),
    environments: Object.entries(row.environments).map(([key, spec], index) => ({
      environment: environmentFrom(key, spec, index),
      grants: (spec.grants ?? []).map(grantFor),
    })),
    matching: { ...DEFAULT_VERSION_MATCHING, ...row.matching },
  };
}

// ---- The rules (spec/selection-reference.md), one or more rows each. --------------------------

const cases: Case[] = [
  // R under `nearest` (Connect's default).
  { name: 'R nearest: the exact version wins', environments: { A: { r: ['4.1.3'] }, B: { r: ['4.2.3'] }, C: { r: ['4.3.0'] } }, bundle: { r: '4.2.3' }, selected: 'B', ranking: ['B', 'C', 'A'] },
  { name: 'R nearest: same major.minor, the nearest patch wins', environments: { A: { r: ['4.2.6'] }, B: { r: ['4.2.2'] } }, bundle: { r: '4.2.3' }, selected: 'B', ranking: ['B', 'A'] },
  { name: 'R nearest: a patch tie goes to the newer', environments: { A: { r: ['4.2.1'] }, B: { r: ['4.2.5'] } }, bundle: { r: '4.2.3' }, selected: 'B', ranking: ['B', 'A'] },
  { name: 'R nearest: a newer minor beats an older one, even a closer older one', environments: { A: { r: ['4.1.3'] }, B: { r: ['4.4.0'] } }, bundle: { r: '4.2.3' }, selected: 'B', ranking: ['B', 'A'] },
  { name: 'R nearest: the nearest newer minor wins among newer ones', environments: { A: { r: ['4.4.0'] }, B: { r: ['4.3.2'] } }, bundle: { r: '4.2.1' }, selected: 'B', ranking: ['B', 'A'] },
  { name: 'R nearest: with no newer minor, the nearest older minor', environments: { A: { r: ['4.0.5'] }, B: { r: ['4.1.2'] } }, bundle: { r: '4.2.3' }, selected: 'B', ranking: ['B', 'A'] },
  { name: 'R nearest: with no installation of the major, the newest', environments: { A: { r: ['4.1.0'] }, B: { r: ['4.3.0'] } }, bundle: { r: '3.6.3' }, selected: 'B', ranking: ['B', 'A'] },
  { name: 'R nearest: any installation of the same major beats another major', environments: { A: { r: ['4.4.0'] }, B: { r: ['3.5.3'] } }, bundle: { r: '3.6.3' }, selected: 'B', ranking: ['B', 'A'] },
  { name: 'R nearest: 4.1.1 runs on 4.3.0 (the packrat#711 log)', environments: { A: { r: ['4.3.0'] } }, bundle: { r: '4.1.1' }, selected: 'A', chosen: ['R 4.3.0'] },
  { name: 'R nearest: an environment offers its closest installation', environments: { A: { r: ['4.1.3', '4.3.0', '4.2.3'] } }, bundle: { r: '4.2.3' }, selected: 'A', chosen: ['R 4.2.3'] },

  // R under `major-minor` and `exact`.
  {
    name: 'R major-minor: only the same major.minor is compatible',
    environments: { A: { r: ['4.3.0'] }, B: { r: ['4.2.1'] } },
    bundle: { r: '4.2.3' },
    matching: { r: 'major-minor' },
    selected: 'B',
    rejected: { A: ['no R 4.2 installation (has 4.3.0)'] },
  },
  { name: 'R major-minor: the nearest patch within the minor', environments: { A: { r: ['4.2.0', '4.2.5'] } }, bundle: { r: '4.2.3' }, matching: { r: 'major-minor' }, selected: 'A', chosen: ['R 4.2.5'] },
  {
    name: 'R major-minor: no same minor anywhere fails the deploy',
    environments: { A: { r: ['4.3.0', '4.1.3'] } },
    bundle: { r: '4.2.3' },
    matching: { r: 'major-minor' },
    selected: null,
    rejected: { A: ['no R 4.2 installation (has 4.3.0, 4.1.3)'] },
    failure: 'Automatic selection considers every environment with matching any, but the one environment does not qualify for a bundle with R 4.2.3.',
  },
  { name: 'R exact: only the same major.minor.patch', environments: { A: { r: ['4.2.1'] }, B: { r: ['4.2.3'] } }, bundle: { r: '4.2.3' }, matching: { r: 'exact' }, selected: 'B', rejected: { A: ['no R 4.2.3 installation (has 4.2.1)'] } },
  { name: 'R exact: a nearby version is not enough', environments: { A: { r: ['4.2.4'] } }, bundle: { r: '4.2.3' }, matching: { r: 'exact' }, selected: null, rejected: { A: ['no R 4.2.3 installation (has 4.2.4)'] } },

  // Python: `major-minor` (default) and `exact`.
  {
    name: 'Python major-minor (default): another minor is not compatible',
    environments: { A: { python: ['3.11.3'] }, B: { python: ['3.10.12'] } },
    bundle: { python: '3.10.4' },
    selected: 'B',
    rejected: { A: ['no Python 3.10 installation (has 3.11.3)'] },
  },
  { name: 'Python major-minor: the nearest patch wins', environments: { A: { python: ['3.10.13'] }, B: { python: ['3.10.2'] } }, bundle: { python: '3.10.4' }, selected: 'B', ranking: ['B', 'A'] },
  {
    name: 'Python exact: only the same patch',
    environments: { A: { python: ['3.10.2'] }, B: { python: ['3.10.4'] } },
    bundle: { python: '3.10.4' },
    matching: { python: 'exact' },
    selected: 'B',
    rejected: { A: ['no Python 3.10.4 installation (has 3.10.2)'] },
  },
  {
    name: 'Python exact: no same patch fails the deploy',
    environments: { A: { python: ['3.10.12'] } },
    bundle: { python: '3.10.4' },
    matching: { python: 'exact' },
    selected: null,
    failure: 'but the one environment does not qualify for a bundle with Python 3.10.4.',
  },

  // Quarto: `nearest` (default), `major-minor`, `exact`.
  { name: 'Quarto nearest: a newer minor wins', environments: { A: { quarto: ['1.3.450'] }, B: { quarto: ['1.5.57'] } }, bundle: { quarto: '1.4.557' }, selected: 'B', ranking: ['B', 'A'] },
  {
    name: 'Quarto major-minor: only the same minor',
    environments: { A: { quarto: ['1.3.450'] }, B: { quarto: ['1.4.550'] } },
    bundle: { quarto: '1.4.557' },
    matching: { quarto: 'major-minor' },
    selected: 'B',
    rejected: { A: ['no Quarto 1.4 installation (has 1.3.450)'] },
  },
  {
    name: 'Quarto exact: only the same patch',
    environments: { A: { quarto: ['1.4.550'] }, B: { quarto: ['1.4.557'] } },
    bundle: { quarto: '1.4.557' },
    matching: { quarto: 'exact' },
    selected: 'B',
    rejected: { A: ['no Quarto 1.4.557 installation (has 1.4.550)'] },
  },
  {
    name: 'Quarto 99.9.9 (rsconnect-python: version unknown) takes the newest, whatever the setting',
    environments: { A: { quarto: ['1.3.450'] }, B: { quarto: ['1.4.557'] } },
    bundle: { quarto: '99.9.9' },
    matching: { quarto: 'exact' },
    selected: 'B',
    ranking: ['B', 'A'],
  },

  // Python constraints (PEP 440) replace the matching setting.
  {
    name: 'Python >=3.11 replaces major-minor',
    environments: { A: { python: ['3.10.12'] }, B: { python: ['3.11.3'] } },
    bundle: { python: '3.10.4', pythonRequires: '>=3.11' },
    selected: 'B',
    rejected: { A: ['Python 3.10.12 does not satisfy >=3.11'] },
  },
  {
    name: 'Python ~=3.10 admits any later 3.x',
    environments: { A: { python: ['3.9.18'] }, B: { python: ['3.12.1'] } },
    bundle: { python: '3.10.4', pythonRequires: '~=3.10' },
    selected: 'B',
    rejected: { A: ['Python 3.9.18 does not satisfy ~=3.10'] },
  },
  {
    name: 'Python ~=3.10.2 admits only later 3.10 patches',
    environments: { A: { python: ['3.10.1'] }, B: { python: ['3.11.0'] }, C: { python: ['3.10.5'] } },
    bundle: { python: '3.10.4', pythonRequires: '~=3.10.2' },
    selected: 'C',
    rejected: { A: ['Python 3.10.1 does not satisfy ~=3.10.2'], B: ['Python 3.11.0 does not satisfy ~=3.10.2'] },
  },
  { name: 'Python ==3.11.* is a prefix match', environments: { A: { python: ['3.12.0'] }, B: { python: ['3.11.9'] } }, bundle: { python: '3.11.4', pythonRequires: '==3.11.*' }, selected: 'B', rejected: { A: ['Python 3.12.0 does not satisfy ==3.11.*'] } },
  { name: 'Python !=3.9.1 excludes one patch', environments: { A: { python: ['3.9.1'] }, B: { python: ['3.9.2'] } }, bundle: { python: '3.9.1', pythonRequires: '!=3.9.1' }, selected: 'B', rejected: { A: ['Python 3.9.1 does not satisfy !=3.9.1'] } },
  {
    name: 'Python ===3.11.4 is arbitrary equality',
    environments: { A: { python: ['3.11.3', '3.11.5'] }, B: { python: ['3.11.4'] } },
    bundle: { python: '3.11.4', pythonRequires: '===3.11.4' },
    selected: 'B',
    rejected: { A: ['Python 3.11.3, 3.11.5 do not satisfy ===3.11.4'] },
  },
  { name: 'Python >3.9 admits 3.9.2 (npm semver would not)', environments: { A: { python: ['3.9.2'] } }, bundle: { python: '3.9.2', pythonRequires: '>3.9' }, selected: 'A' },
  { name: 'Python >=3.8,<4.0: the satisfying version closest to B', environments: { A: { python: ['3.12.4'] }, B: { python: ['3.11.3'] } }, bundle: { python: '3.8.10', pythonRequires: '>=3.8,<4.0' }, selected: 'B', ranking: ['B', 'A'] },
  { name: 'Python <=3.12 means <=3.12.0 (zero-padded)', environments: { A: { python: ['3.13.1', '3.12.4', '3.12.0'] } }, bundle: { python: '3.13.1', pythonRequires: '<=3.12' }, selected: 'A', chosen: ['Python 3.12.0'] },
  { name: 'Python <3.13 with B: the closest satisfying version', environments: { A: { python: ['3.13.1', '3.11.9', '3.12.4'] } }, bundle: { python: '3.13.1', pythonRequires: '<3.13' }, selected: 'A', chosen: ['Python 3.12.4'] },
  {
    name: 'Python constraint without a version: the highest satisfying wins',
    environments: { A: { python: ['3.11.3'] }, B: { python: ['3.9.18', '3.12.4'] } },
    bundle: { pythonRequires: '>=3.10' },
    selected: 'B',
    chosen: ['Python 3.12.4'],
    ranking: ['B', 'A'],
  },
  {
    name: 'Python constraint: a pre-release installation does not satisfy >=3.12',
    environments: { A: { python: ['3.13.0rc1'] }, B: { python: ['3.12.7'] } },
    bundle: { python: '3.12.4', pythonRequires: '>=3.12' },
    selected: 'B',
    rejected: { A: ['Python 3.13.0rc1 does not satisfy >=3.12'] },
  },

  // R constraints: same operators, spaces allowed; they replace the R setting too.
  { name: 'R >= 4.2.0 (with a space)', environments: { A: { r: ['4.1.3'] }, B: { r: ['4.4.2'] } }, bundle: { r: '4.2.3', rRequires: '>= 4.2.0' }, selected: 'B', rejected: { A: ['R 4.1.3 does not satisfy >= 4.2.0'] } },
  { name: 'R >=4.2.0, <5.0 excludes 5.0.0', environments: { A: { r: ['5.0.0'] }, B: { r: ['4.3.1'] } }, bundle: { r: '4.2.3', rRequires: '>=4.2.0, <5.0' }, selected: 'B', rejected: { A: ['R 5.0.0 does not satisfy >=4.2.0, <5.0'] } },
  { name: 'R constraint replaces exact matching', environments: { A: { r: ['4.3.0'] } }, bundle: { r: '4.2.3', rRequires: '>=4.2.0' }, matching: { r: 'exact' }, selected: 'A', chosen: ['R 4.3.0'] },
  { name: 'R ~=4.0.0 (renv.lock adaptation) keeps the minor', environments: { A: { r: ['4.1.0'] }, B: { r: ['4.0.5'] } }, bundle: { r: '4.0.2', rRequires: '~=4.0.0' }, selected: 'B', rejected: { A: ['R 4.1.0 does not satisfy ~=4.0.0'] } },

  // `matching` in each kind of request.
  {
    name: 'automatic: exact and none are never chosen',
    environments: { A: { python: ['3.11.3'], matching: 'exact' }, B: { python: ['3.11.3'], matching: 'none' }, C: { python: ['3.11.1'] } },
    bundle: { python: '3.11.3' },
    selected: 'C',
    rejected: { A: ['matching is exact (used only when requested)'], B: ['matching is none'] },
  },
  {
    name: 'automatic: only exact and none environments fails',
    environments: { A: { python: ['3.11.3'], matching: 'exact' }, B: { python: ['3.11.3'], matching: 'none' } },
    bundle: { python: '3.11.3' },
    selected: null,
    failure: 'Automatic selection considers every environment with matching any, but none of the 2 environments qualifies for a bundle with Python 3.11.3.',
  },
  {
    name: 'manifest image: an exact environment qualifies',
    environments: { A: { python: ['3.11.3'], image: 'classifier', matching: 'exact' }, B: { python: ['3.11.3'] } },
    bundle: { python: '3.11.3', image: 'classifier' },
    selected: 'A',
    rejected: { B: ['not the requested image'] },
  },
  {
    name: 'manifest image: a none environment does not',
    environments: { A: { python: ['3.11.3'], image: 'classifier', matching: 'none' }, B: { python: ['3.11.3'] } },
    bundle: { python: '3.11.3', image: 'classifier' },
    selected: null,
    rejected: { A: ['matching is none'], B: ['not the requested image'] },
  },
  {
    name: 'content environment: an exact environment qualifies',
    environments: { A: { python: ['3.11.3'], matching: 'exact' }, B: { python: ['3.11.3'] } },
    bundle: { python: '3.11.3' },
    content: { environment: 'A' },
    selected: 'A',
    rejected: { B: ['not the requested environment'] },
  },
  {
    name: 'content environment: a none environment does not',
    environments: { A: { python: ['3.11.3'], matching: 'none' }, B: { python: ['3.11.3'] } },
    bundle: { python: '3.11.3' },
    content: { environment: 'A' },
    selected: null,
    failure: "The content's settings request the environment",
  },
  {
    name: 'content image: the best of the environments with that image, exact included',
    environments: {
      A: { python: ['3.11.1'], image: 'shared', matching: 'exact' },
      B: { python: ['3.11.3'], image: 'shared' },
      C: { python: ['3.11.3'], matching: 'exact' },
    },
    bundle: { python: '3.11.3' },
    content: { image: 'shared' },
    selected: 'B',
    ranking: ['B', 'A'],
    rejected: { C: ['not the requested image'] },
  },
  {
    name: 'content image: a none environment with that image is skipped',
    environments: { A: { python: ['3.11.3'], image: 'shared', matching: 'none' }, B: { python: ['3.11.1'], image: 'shared' } },
    bundle: { python: '3.11.3' },
    content: { image: 'shared' },
    selected: 'B',
    rejected: { A: ['matching is none'] },
  },

  // Order of precedence.
  {
    name: "the manifest's image wins over the content's chosen environment",
    environments: { A: { python: ['3.11.3'] }, B: { python: ['3.11.3'] } },
    bundle: { python: '3.11.3', image: 'b' },
    content: { environment: 'A' },
    selected: 'B',
    rejected: { A: ['not the requested image'] },
  },
  {
    name: "the content's chosen environment wins over its chosen image",
    environments: { A: { python: ['3.11.3'] }, B: { python: ['3.11.3'] } },
    bundle: { python: '3.11.3' },
    content: { environment: 'A', image: 'b' },
    selected: 'A',
    rejected: { B: ['not the requested environment'] },
  },
  {
    name: "the manifest's environment identifier names one environment",
    environments: { A: { python: ['3.11.3'] }, B: { python: ['3.11.1'], matching: 'exact' } },
    bundle: { python: '3.11.3', identifier: 'B' },
    selected: 'B',
    rejected: { A: ['not the requested environment'] },
  },
  {
    name: "the content's chosen environment that does not exist fails",
    environments: { A: { python: ['3.11.3'] } },
    bundle: { python: '3.11.3' },
    content: { environment: 'Z' },
    selected: null,
    failure: 'but no such environment exists.',
  },

  // Permissions: checked for the content's owner.
  {
    name: 'publisher owner: an environment granted to others is skipped',
    environments: { A: { python: ['3.11.3'], grants: ['someone-else'] }, B: { python: ['3.11.1'] } },
    bundle: { python: '3.11.3' },
    selected: 'B',
    rejected: { A: ["not granted to the content's owner"] },
  },
  { name: 'publisher owner: a grant to the owner', environments: { A: { python: ['3.11.3'], grants: ['someone-else', 'owner'] } }, bundle: { python: '3.11.3' }, selected: 'A' },
  { name: "publisher owner: a grant to one of the owner's groups", environments: { A: { python: ['3.11.3'], grants: ['team'] } }, bundle: { python: '3.11.3' }, selected: 'A' },
  { name: 'administrator owner: grants do not restrict', environments: { A: { python: ['3.11.3'], grants: ['someone-else'] } }, bundle: { python: '3.11.3' }, owner: 'administrator', selected: 'A' },
  {
    name: 'viewer owner: never permitted',
    environments: { A: { python: ['3.11.3'] } },
    bundle: { python: '3.11.3' },
    owner: 'viewer',
    selected: null,
    rejected: { A: ["the content's owner is a viewer, who may not use environments"] },
  },
  {
    name: 'a requested image granted only to others fails, naming every reason',
    environments: { A: { python: ['3.9.14'], image: 'classifier', matching: 'none', grants: ['someone-else'] }, B: { python: ['3.11.3'] } },
    bundle: { python: '3.11.3', image: 'classifier' },
    selected: null,
    rejected: { A: ['matching is none', "not granted to the content's owner", 'no Python 3.11 installation (has 3.9.14)'], B: ['not the requested image'] },
  },

  // Ties and the order of languages.
  { name: 'a full tie goes to the environment created first', environments: { A: { python: ['3.11.3'] }, B: { python: ['3.11.3'] } }, bundle: { python: '3.11.3' }, selected: 'A', ranking: ['A', 'B'] },
  {
    name: 'adding an equal environment later does not move the choice',
    environments: { A: { python: ['3.11.3'] }, B: { python: ['3.11.3'] }, C: { python: ['3.11.3'] } },
    bundle: { python: '3.11.3' },
    selected: 'A',
    ranking: ['A', 'B', 'C'],
  },
  {
    name: 'R is compared before Python',
    environments: { A: { r: ['4.2.3'], python: ['3.10.2'] }, B: { r: ['4.2.4'], python: ['3.10.4'] } },
    bundle: { r: '4.2.3', python: '3.10.4' },
    selected: 'A',
    ranking: ['A', 'B'],
  },
  {
    name: 'Python decides when R ties',
    environments: { A: { r: ['4.2.3'], python: ['3.10.2'] }, B: { r: ['4.2.3'], python: ['3.10.4'] } },
    bundle: { r: '4.2.3', python: '3.10.4' },
    selected: 'B',
    ranking: ['B', 'A'],
  },
  {
    name: 'Quarto decides when R and Python tie',
    environments: { A: { r: ['4.2.3'], python: ['3.10.4'], quarto: ['1.3.450'] }, B: { r: ['4.2.3'], python: ['3.10.4'], quarto: ['1.4.557'] } },
    bundle: { r: '4.2.3', python: '3.10.4', quarto: '1.4.557' },
    selected: 'B',
    chosen: ['R 4.2.3', 'Python 3.10.4', 'Quarto 1.4.557'],
  },

  // Languages the bundle does not use are ignored; used ones need an installation.
  {
    name: 'a Python-only bundle runs in a Python-only image',
    environments: { A: { r: ['4.4.2'] }, B: { python: ['3.11.3'] } },
    bundle: { python: '3.11.3' },
    selected: 'B',
    chosen: ['Python 3.11.3'],
    rejected: { A: ['no Python installation'] },
  },
  { name: "an R-only bundle ignores the image's Python", environments: { A: { r: ['4.2.3'], python: ['2.7.18'] } }, bundle: { r: '4.2.3' }, matching: { python: 'exact' }, selected: 'A', chosen: ['R 4.2.3'] },
  { name: 'a bundle that uses Quarto needs a Quarto installation', environments: { A: { python: ['3.11.3'] }, B: { python: ['3.11.3'], quarto: ['1.4.557'] } }, bundle: { python: '3.11.3', quarto: '1.4.557' }, selected: 'B', rejected: { A: ['no Quarto installation'] } },
  { name: 'a bundle with no language: the first environment created', environments: { A: { r: ['4.2.3'] }, B: {} }, bundle: {}, selected: 'A', chosen: [], ranking: ['A', 'B'] },

  // A requested image that is missing or incompatible fails: no fallback to automatic.
  {
    name: 'the requested image does not exist',
    environments: { A: { python: ['3.11.3'] } },
    bundle: { python: '3.11.3', image: 'missing' },
    selected: null,
    rejected: { A: ['not the requested image'] },
    failure: "The bundle's manifest requests the image registry.example.org/missing:jammy, but no environment uses that image.",
  },
  {
    name: 'the requested image is incompatible, although another environment would do',
    environments: { A: { python: ['3.9.14'], image: 'classifier' }, B: { python: ['3.11.3'] } },
    bundle: { python: '3.11.3', image: 'classifier' },
    selected: null,
    rejected: { A: ['no Python 3.11 installation (has 3.9.14)'] },
    failure:
      "The bundle's manifest requests the image registry.example.org/classifier:jammy, but the one environment with that image does not qualify for a bundle with Python 3.11.3.",
  },
  {
    name: "the content's image with no compatible environment fails",
    environments: { A: { r: ['4.1.3'], image: 'shared' }, B: { r: ['4.0.5'], image: 'shared' } },
    bundle: { r: '4.2.3' },
    content: { image: 'shared' },
    matching: { r: 'exact' },
    selected: null,
    failure: "The content's settings request the image registry.example.org/shared:jammy, but none of the 2 environments with that image qualifies for a bundle with R 4.2.3.",
  },

  // The immutable-environments cookbook.
  {
    name: 'cookbook: the image-classifier image requested by the content',
    environments: {
      A: { r: ['4.4.2'], python: ['3.11.3'] },
      Classifier: { r: ['4.2.3'], python: ['3.9.14'], image: 'image-classifier', matching: 'exact' },
    },
    bundle: { r: '4.2.3', python: '3.9.14' },
    content: { image: 'image-classifier' },
    selected: 'Classifier',
    chosen: ['R 4.2.3', 'Python 3.9.14'],
    rejected: { A: ['not the requested image'] },
  },
];

const keyOf = (result: SelectionResult, environment: Environment | undefined) => environment?.title ?? `(none in ${result.candidates.length})`;

describe('selectEnvironment: the rules of spec/selection-reference.md', () => {
  it.each(cases)('$name', (row) => {
    const input = inputFrom(row);
    const result = selectEnvironment(input);
    // The per-revision index a server keeps changes nothing in the answer.
    expect(selectEnvironment({ ...input, index: buildInstallationIndex(input.environments) })).toEqual(result);

    expect(keyOf(result, result.selected?.environment)).toBe(row.selected ?? keyOf(result, undefined));
    if (row.selected === null) {
      expect(result.failure).toEqual(expect.any(String));
      expect(result.candidates.every((candidate) => !candidate.accepted && candidate.rank === null)).toBe(true);
    } else {
      expect(result.failure).toBeNull();
      expect(result.selected?.rank).toBe(1);
    }
    if (row.chosen) {
      expect(result.selected?.installations.map((each) => `${LANGUAGE_LABELS[each.language]} ${each.version}`)).toEqual(row.chosen);
    }
    if (row.ranking) {
      expect(result.candidates.filter((candidate) => candidate.accepted).map((candidate) => candidate.environment.title)).toEqual(row.ranking);
    }
    for (const [key, reasons] of Object.entries(row.rejected ?? {})) {
      const candidate = result.candidates.find((each) => each.environment.title === key);
      expect(candidate, key).toMatchObject({ accepted: false, rank: null, reasons, installations: [] });
    }
    if (row.failure) expect(result.failure).toContain(row.failure);
  });

  it('has a row for every rule (at least 40)', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });
});

describe('selectEnvironment: the result', () => {
  it('lists accepted candidates by rank, then rejected ones in creation order', () => {
    const result = selectEnvironment(
      inputFrom({
        name: '',
        environments: { A: { python: ['3.10.1'] }, B: { python: ['3.11.1'] }, C: { python: ['3.11.3'] }, D: { python: ['3.12.0'] }, E: { python: ['3.11.2'] } },
        bundle: { python: '3.11.3' },
        selected: 'C',
      }),
    );
    expect(result.candidates.map((candidate) => [candidate.environment.title, candidate.rank])).toEqual([
      ['C', 1],
      ['E', 2],
      ['B', 3],
      ['A', null],
      ['D', null],
    ]);
    expect(result.selected).toBe(result.candidates[0]);
    expect(result.selected?.installations).toEqual([{ language: 'python', version: '3.11.3', path: '/opt/python/3.11.3/bin/python' }]);
  });

  it('reports the request and the bundle', () => {
    const result = selectEnvironment(
      inputFrom({ name: '', environments: { A: { r: ['4.4.2'], python: ['3.11.3'] } }, bundle: { r: '4.2.3', rRequires: '>= 4.2.0', python: '3.11.3', image: 'a' }, selected: 'A' }),
    );
    expect(result.request).toEqual({ kind: 'manifest-image', description: "the bundle's manifest requests the image registry.example.org/a:jammy" });
    expect(result.bundle).toEqual({ r: '4.2.3', python: '3.11.3', quarto: null, rRequires: '>= 4.2.0', pythonRequires: null });
  });

  it.each([
    [{ image: 'a' }, {}, 'manifest-image', "the bundle's manifest requests the image registry.example.org/a:jammy"],
    [{ identifier: 'A' }, {}, 'manifest-image', `the bundle's manifest requests the environment ${guidOf('A')}`],
    [{}, { environment: 'A' }, 'content-environment', `the content's settings request the environment ${guidOf('A')}`],
    [{}, { image: 'a' }, 'content-image', "the content's settings request the image registry.example.org/a:jammy"],
    [{}, {}, 'automatic', 'automatic selection considers every environment with matching any'],
  ] as const)('names the request: %j %j → %s', (bundle, content, kind, description) => {
    const result = selectEnvironment(inputFrom({ name: '', environments: { A: { python: ['3.11.3'] } }, bundle: { python: '3.11.3', ...bundle }, content, selected: 'A' }));
    expect(result.request).toEqual({ kind, description });
  });

  it('rejects every environment when a hand-built manifest carries an invalid constraint', () => {
    const input = inputFrom({ name: '', environments: { A: { python: ['3.11.3'] } }, bundle: { python: '3.11.3', pythonRequires: '~=3' }, selected: null });
    const result = selectEnvironment(input);
    expect(result.selected).toBeNull();
    expect(result.candidates[0]?.reasons[0]).toContain('the bundle\'s Python constraint "~=3" is not valid');
  });
});

describe('selectEnvironment: environment management', () => {
  const base = inputFrom({ name: '', environments: { A: { r: ['4.2.3'], python: ['3.9.14'] } }, bundle: { r: '4.2.3', python: '3.9.14' }, selected: 'A' });
  const withSettings = (content: { r: boolean | null; py: boolean | null }, manifest: { r?: boolean; python?: boolean } | null): SelectionInput => ({
    ...base,
    content: { ...base.content, default_r_environment_management: content.r, default_py_environment_management: content.py },
    manifest: { ...base.manifest, environment: manifest === null ? null : { environment_management: manifest } },
  });

  it.each([
    ['nothing said: both true', { r: null, py: null }, null, { r: true, python: true }],
    ["the manifest's flags when the content has none", { r: null, py: null }, { r: false, python: false }, { r: false, python: false }],
    ['the manifest may set one language only', { r: null, py: null }, { python: false }, { r: true, python: false }],
    ["the content's settings win over the manifest (false)", { r: false, py: false }, { r: true, python: true }, { r: false, python: false }],
    ["the content's settings win over the manifest (true)", { r: true, py: true }, { r: false, python: false }, { r: true, python: true }],
    ['content and manifest mixed per language', { r: false, py: null }, { python: false }, { r: false, python: false }],
  ] as const)('%s', (_name, content, manifest, expected) => {
    expect(selectEnvironment(withSettings(content, manifest)).environmentManagement).toEqual(expected);
  });

  it('logs the restore decision only for the languages the bundle uses', () => {
    const pythonOnly = inputFrom({ name: '', environments: { A: { r: ['4.2.3'], python: ['3.9.14'] } }, bundle: { python: '3.9.14' }, selected: 'A' });
    const result = selectEnvironment({ ...pythonOnly, content: { ...pythonOnly.content, default_r_environment_management: false, default_py_environment_management: false } });
    expect(result.log.slice(1)).toEqual(['Bundle requested no Python environment restore; no Python packages will be installed.']);
    const restoring = selectEnvironment(inputFrom({ name: '', environments: { A: { r: ['4.2.3'], python: ['3.9.14'] } }, bundle: { r: '4.2.3', python: '3.9.14' }, selected: 'A' }));
    expect(restoring.log.slice(1)).toEqual(['R packages will be restored.', 'Python packages will be restored.']);
  });
});

describe('selectEnvironment: the deploy log', () => {
  it('the immutable-environments cookbook deploy, line for line', () => {
    const classifier = anEnvironment({
      title: 'Custom image classifier',
      name: 'registry.example.org/image-classifier:jammy',
      matching: 'exact',
      r: { installations: [{ version: '4.2.3', path: '/opt/R/4.2.3/bin/R' }] },
      python: { installations: [{ version: '3.9.14', path: '/opt/python/3.9.14/bin/python' }] },
    });
    const result = selectEnvironment({
      manifest: aManifest({ platform: '4.2.3', metadata: { appmode: 'shiny' }, python: { version: '3.9.14' } }),
      content: {
        default_environment_guid: null,
        default_image_name: 'registry.example.org/image-classifier:jammy',
        default_r_environment_management: false,
        default_py_environment_management: false,
      },
      owner: anActor({ role: 'administrator' }),
      readBy: anActor({ role: 'administrator' }),
      environments: [{ environment: anEnvironment(), grants: [] }, { environment: classifier, grants: [] }],
      matching: DEFAULT_VERSION_MATCHING,
    });

    expect(result.selected?.environment.guid).toBe(classifier.guid);
    expect(result.request.kind).toBe('content-image');
    expect(result.environmentManagement).toEqual({ r: false, python: false });
    expect(result.log).toEqual([
      'Bundle created with R version 4.2.3 and Python version 3.9.14 is compatible with environment Kubernetes::registry.example.org/image-classifier:jammy with R version 4.2.3 from /opt/R/4.2.3/bin/R and Python version 3.9.14 from /opt/python/3.9.14/bin/python',
      'Bundle requested no R environment restore; no R packages will be installed.',
      'Bundle requested no Python environment restore; no Python packages will be installed.',
    ]);
  });

  it("says which installation stands in for the bundle's version, as Connect does (packrat#711)", () => {
    const result = selectEnvironment(inputFrom({ name: '', environments: { Local: { r: ['4.3.0'], image: 'local' } }, bundle: { r: '4.1.1' }, selected: 'Local' }));
    expect(result.log.slice(0, 2)).toEqual([
      'Bundle created with R version 4.1.1 is compatible with environment Kubernetes::registry.example.org/local:jammy with R version 4.3.0 from /opt/R/4.3.0/bin/R',
      'Bundle requested R version 4.1.1; using /opt/R/4.3.0/bin/R which has version 4.3.0',
    ]);
  });

  it('shows the constraint beside the version, as Connect does (rsconnect#1364)', () => {
    const result = selectEnvironment(inputFrom({ name: '', environments: { Local: { r: ['4.4.2'], image: 'local' } }, bundle: { r: '4.2.3', rRequires: '>= 4.2.0' }, selected: 'Local' }));
    expect(result.log.slice(0, 2)).toEqual([
      'Bundle created with R version 4.2.3 (>= 4.2.0) is compatible with environment Kubernetes::registry.example.org/local:jammy with R version 4.4.2 from /opt/R/4.4.2/bin/R',
      'Bundle requested R version 4.2.3 (>= 4.2.0); using /opt/R/4.4.2/bin/R which has version 4.4.2',
    ]);
  });

  it('on failure: the failure, then each environment in the request with its reasons, then the rest counted', () => {
    const result = selectEnvironment(
      inputFrom({
        name: '',
        environments: {
          A: { python: ['3.9.14'], image: 'classifier' },
          B: { python: ['3.11.3'], image: 'classifier', grants: ['someone-else'] },
          C: { python: ['3.11.3'] },
          D: { python: ['3.11.3'] },
        },
        bundle: { python: '3.11.3', pythonRequires: '>=3.11', image: 'classifier' },
        selected: null,
      }),
    );
    expect(result.log).toEqual([
      "The bundle's manifest requests the image registry.example.org/classifier:jammy, but none of the 2 environments with that image qualifies for a bundle with Python 3.11.3 (>=3.11).",
      'Environment Kubernetes::registry.example.org/classifier:jammy ("A") rejected: Python 3.9.14 does not satisfy >=3.11.',
      'Environment Kubernetes::registry.example.org/classifier:jammy ("B") rejected: not granted to the content\'s owner.',
      '2 other environments were not considered: not the requested image.',
    ]);
  });

  it('the choice does not depend on the order of equal environments other than creation', () => {
    const two = inputFrom({ name: '', environments: { A: { python: ['3.11.3'] }, B: { python: ['3.11.3'] } }, bundle: { python: '3.11.3' }, selected: 'A' });
    const three = inputFrom({ name: '', environments: { A: { python: ['3.11.3'] }, B: { python: ['3.11.3'] }, C: { python: ['3.11.3'] } }, bundle: { python: '3.11.3' }, selected: 'A' });
    expect(selectEnvironment(three).selected?.environment.guid).toBe(selectEnvironment(two).selected?.environment.guid);
  });
});

describe('candidate checks: the reasons as flags for programs', () => {
  // Keys start with distinct letters: the case builders derive each GUID from the first one.
  const row: Case = {
    name: 'checks',
    environments: {
      Fit: { python: ['3.11.3'] },
      Old: { python: ['3.10.12'] },
      Exact: { python: ['3.11.9'], matching: 'exact' },
      Disabled: { python: ['3.11.3'], matching: 'none' },
      Closed: { python: ['3.11.3'], grants: ['someone-else'] },
    },
    bundle: { python: '3.11.4' },
    selected: 'Fit',
  };
  const judged = (content?: ContentSpec) => {
    const result = selectEnvironment(inputFrom({ ...row, ...(content ? { content } : {}) }));
    return Object.fromEntries(
      Object.keys(row.environments).map((key) => {
        const candidate = result.candidates.find((c) => c.environment.guid === guidOf(key))!;
        return [key, [candidate.checks, candidate.incompatibilities]];
      }),
    );
  };

  it('separates what the request, matching, permissions and versions each decided under Automatic', () => {
    expect(judged()).toEqual({
      Fit: [{ inRequest: true, matching: true, permitted: true, compatible: true }, []],
      Old: [{ inRequest: true, matching: true, permitted: true, compatible: false }, ['no Python 3.11 installation (has 3.10.12)']],
      Exact: [{ inRequest: true, matching: false, permitted: true, compatible: true }, []],
      Disabled: [{ inRequest: true, matching: false, permitted: true, compatible: true }, []],
      Closed: [{ inRequest: true, matching: true, permitted: false, compatible: true }, []],
    });
  });

  it('judges a requested exact environment as allowed, and leaves the others unjudged', () => {
    const checks = judged({ environment: 'Exact' });
    expect(checks.Exact).toEqual([{ inRequest: true, matching: true, permitted: true, compatible: true }, []]);
    expect(checks.Fit).toEqual([{ inRequest: false, matching: true, permitted: true, compatible: null }, []]);
  });
});

describe('a reader who is not an administrator sees only what the owner may use', () => {
  // Hidden is the one environment not granted to the owner; it would be the best fit.
  const site: Record<string, EnvironmentSpec> = {
    Alpha: { python: ['3.9.14'] },
    Beta: { python: ['3.10.12'], image: 'shared' },
    Hidden: { python: ['3.11.3'], image: 'secret', grants: ['someone-else'] },
  };
  const asOwner = (bundle: BundleSpec, content?: ContentSpec) =>
    selectEnvironment(inputFrom({ name: '', environments: site, bundle, ...(content ? { content } : {}), readBy: 'owner', selected: null }));
  /** Everything a reader can see of the answer, as one text. */
  const shown = (result: SelectionResult) => JSON.stringify([result.candidates, result.failure, result.log]);
  const hidden = { guid: guidOf('Hidden'), image: imageName('secret'), installation: '/opt/python/3.11.3/bin/python' };

  it('neither judges, names nor counts an environment the owner may not use', () => {
    const result = asOwner({ python: '3.11.3', pythonRequires: '>=3.11' });
    expect(result.candidates.map((candidate) => candidate.environment.title)).toEqual(['Alpha', 'Beta']);
    expect(result.failure).toContain('none of the 2 environments qualifies');
    for (const text of [hidden.guid, hidden.image, hidden.installation, 'Hidden', '3 environments', 'not granted']) {
      expect(shown(result)).not.toContain(text);
    }
  });

  it('counts only the usable environments outside the request', () => {
    const result = asOwner({ python: '3.9.14', image: 'shared' });
    expect(result.log.at(-1)).toBe('1 other environment was not considered: not the requested image.');
  });

  it('says the same of a requested image that is not granted as of one that does not exist', () => {
    const secret = asOwner({ python: '3.11.3', image: 'secret' });
    const missing = asOwner({ python: '3.11.3', image: 'nowhere' });
    expect(secret.failure).toBe(missing.failure!.replace(imageName('nowhere'), imageName('secret')));
    expect(secret.failure).toContain("no environment the content's owner may use has that image");
    expect(secret.log).toEqual([secret.failure, '2 other environments were not considered: not the requested image.']);
  });

  it('says the same of a requested environment that is not granted as of one that does not exist', () => {
    const secret = asOwner({ python: '3.11.3', identifier: 'Hidden' });
    const missing = asOwner({ python: '3.11.3', identifier: 'Zed' });
    expect(secret.failure).toBe(missing.failure!.replace(guidOf('Zed'), guidOf('Hidden')));
    const chosen = asOwner({ python: '3.11.3' }, { environment: 'Hidden' });
    expect(chosen.failure).toContain("no environment the content's owner may use has that guid");
  });

  it('an administrator reading the same judgement sees every environment and why one was refused', () => {
    const result = selectEnvironment(inputFrom({ name: '', environments: site, bundle: { python: '3.11.3', pythonRequires: '>=3.11' }, selected: null }));
    expect(result.failure).toContain('none of the 3 environments qualifies');
    expect(result.candidates.find((candidate) => candidate.environment.title === 'Hidden')?.reasons).toEqual(["not granted to the content's owner"]);
  });
});
