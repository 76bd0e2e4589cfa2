import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor, EnvironmentGrant } from '../access/can.js';
import type { Matching } from '../environments/environment-schemas.js';
import { aGuid, aManifest, anActor, anEnvironment } from '../testing/builders.js';
import { type EnvironmentEntry, buildInstallationIndex } from './installation-index.js';
import type { Manifest } from './manifest-schema.js';
import { type SelectionInput, selectEnvironment } from './select-environment.js';
import type { VersionMatching } from './version-matching.js';

// Versions that collide on purpose: equal releases written differently (4.2 / 4.2.0), the same
// major.minor at several patches, pre-releases, four parts, padding, and texts that do not parse.
const VERSIONS = {
  r: ['3.6.3', '4.0.5', '4.1.3', '4.2', '4.2.0', '4.2.1', '4.2.3', '4.2.3.1', ' 4.2.3', '4.3.0', '4.3.0rc1', '4.10.2', '5.0.0', 'R-devel'],
  python: ['2.7.18', '3.8.18', '3.9.19', '3.10.14', '3.11', '3.11.0', '3.11.3', '3.11.9', '3.12.4', '3.13.0rc1', '3.13.0', 'x'],
  quarto: ['1.3.450', '1.4', '1.4.0', '1.4.557', '1.5.57', '1.6.39', '2.0.0', '99.9.9'],
} as const;
const REQUIRES = ['>=4.2.0, <5.0', '~=3.10', '==4.2.*', '>=3.11', '<4', '!=3.11.3', '>=', 'nonsense'];
const IMAGES = ['registry.example.org/a:jammy', 'registry.example.org/b:jammy', 'registry.example.org/c:jammy'];
const TEAM = aGuid(5001);
const OWNER = aGuid(5002);
const OTHER = aGuid(5003);

const installationsOf = (versions: readonly string[]) =>
  fc.array(fc.constantFrom(...versions), { maxLength: 4 }).map((picked) => ({
    installations: picked.map((version, i) => ({ version, path: `/opt/${i}/${version}/bin/run` })),
  }));

/** A few versions of each pool per run, so that environments often tie or share installation lists. */
const fewOf = (versions: readonly string[]) => fc.shuffledSubarray([...versions], { minLength: 1, maxLength: 3 });

const grant = fc.constantFrom<EnvironmentGrant>(
  { user_guid: OWNER, group_guid: null },
  { user_guid: OTHER, group_guid: null },
  { user_guid: null, group_guid: TEAM },
  { user_guid: null, group_guid: aGuid(5004) },
);

const environments = fc
  .record({ r: fewOf(VERSIONS.r), python: fewOf(VERSIONS.python), quarto: fewOf(VERSIONS.quarto) })
  .chain((pools) =>
    fc.array(
      fc.record({
        matching: fc.constantFrom<Matching>('any', 'any', 'exact', 'none'),
        name: fc.constantFrom(...IMAGES),
        r: installationsOf(pools.r),
        python: installationsOf(pools.python),
        quarto: installationsOf(pools.quarto),
        grants: fc.array(grant, { maxLength: 2 }),
      }),
      { maxLength: 25 },
    ),
  )
  .map((specs): EnvironmentEntry[] =>
    specs.map(({ grants, ...spec }, n) => ({
      environment: anEnvironment({ ...spec, id: String(n + 1), guid: aGuid(6000 + n), title: `Environment ${n + 1}` }),
      grants,
    })),
  );

const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: null });

/** Manifests as clients write them, and hand-built ones with versions or constraints the schema would refuse. */
const manifest = fc
  .record({
    r: maybe(fc.constantFrom(...VERSIONS.r, 'nonsense')),
    python: maybe(fc.constantFrom(...VERSIONS.python)),
    quarto: maybe(fc.constantFrom(...VERSIONS.quarto)),
    rRequires: maybe(fc.constantFrom(...REQUIRES)),
    pythonRequires: maybe(fc.constantFrom(...REQUIRES)),
    image: maybe(fc.constantFrom(...IMAGES, 'registry.example.org/missing:jammy')),
    identifier: maybe(fc.integer({ min: 6000, max: 6030 }).map(aGuid)),
  })
  .map((bundle): Manifest => {
    const environment: NonNullable<Manifest['environment']> = {};
    if (bundle.image) environment.image = bundle.image;
    if (bundle.identifier) environment.identifier = bundle.identifier;
    if (bundle.rRequires) environment.r = { requires: bundle.rRequires };
    if (bundle.pythonRequires) environment.python = { requires: bundle.pythonRequires };
    return aManifest({
      platform: bundle.r,
      python: bundle.python ? { version: bundle.python, package_manager: { name: 'pip', package_file: 'requirements.txt' } } : null,
      quarto: bundle.quarto ? { version: bundle.quarto, engines: ['markdown'] } : null,
      environment: Object.keys(environment).length > 0 ? environment : null,
    });
  });

const matching = fc.record<VersionMatching>({
  r: fc.constantFrom('nearest', 'major-minor', 'exact'),
  python: fc.constantFrom('major-minor', 'exact'),
  quarto: fc.constantFrom('nearest', 'major-minor', 'exact'),
});

const owner = fc
  .record({ role: fc.constantFrom<Actor['role']>('publisher', 'publisher', 'administrator', 'viewer'), inTeam: fc.boolean() })
  .map(({ role, inTeam }) => anActor({ guid: OWNER, role, groupGuids: inTeam ? [TEAM] : [] }));

const selection = fc
  .record({
    environments,
    manifest,
    matching,
    owner,
    readByAdministrator: fc.boolean(),
    chosenEnvironment: maybe(fc.integer({ min: 6000, max: 6030 }).map(aGuid)),
    chosenImage: maybe(fc.constantFrom(...IMAGES)),
  })
  .map(
    ({ readByAdministrator, chosenEnvironment, chosenImage, owner, ...rest }): SelectionInput => ({
      ...rest,
      owner,
      readBy: readByAdministrator ? anActor({ role: 'administrator' }) : owner,
      content: {
        default_environment_guid: chosenEnvironment,
        default_image_name: chosenImage,
        default_r_environment_management: null,
        default_py_environment_management: null,
      },
    }),
  );

describe('selection with the per-revision installation index', () => {
  it('gives exactly the answer of judging every installation directly: candidates, reasons, ranks, log', () => {
    fc.assert(
      fc.property(selection, (input) => {
        const direct = selectEnvironment(input);
        const indexed = selectEnvironment({ ...input, index: buildInstallationIndex(input.environments) });
        expect(indexed).toEqual(direct);
      }),
      { numRuns: 1000 },
    );
  });

  it('serves many bundles from one index, whoever owns the content', () => {
    fc.assert(
      fc.property(environments, fc.array(fc.tuple(manifest, matching, owner), { minLength: 1, maxLength: 8 }), (list, bundles) => {
        const index = buildInstallationIndex(list);
        for (const [manifest, versionMatching, contentOwner] of bundles) {
          const input: SelectionInput = {
            manifest,
            matching: versionMatching,
            owner: contentOwner,
            readBy: contentOwner,
            environments: list,
            content: { default_environment_guid: null, default_image_name: null, default_r_environment_management: null, default_py_environment_management: null },
          };
          expect(selectEnvironment({ ...input, index })).toEqual(selectEnvironment(input));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('ranks equal versions written differently (4.2, 4.2.0) as a tie, which the environment created first wins', () => {
    const entry = (n: number, matching: Matching, versions: string[]): EnvironmentEntry => ({
      environment: anEnvironment({ id: String(n), guid: aGuid(6100 + n), title: `E${n}`, matching, r: { installations: versions.map((version) => ({ version, path: `/opt/R/${version}` })) } }),
      grants: [],
    });
    // The disabled first environment makes the index meet 4.2 before 4.2.0.
    const list = [entry(1, 'none', ['4.2']), entry(2, 'any', ['4.2.0']), entry(3, 'any', ['4.2'])];
    const input: SelectionInput = {
      manifest: aManifest({ platform: '4.2.0', python: null }),
      matching: { r: 'nearest', python: 'major-minor', quarto: 'nearest' },
      owner: anActor({ role: 'publisher' }),
      readBy: anActor({ role: 'administrator' }),
      environments: list,
      content: { default_environment_guid: null, default_image_name: null, default_r_environment_management: null, default_py_environment_management: null },
    };
    const indexed = selectEnvironment({ ...input, index: buildInstallationIndex(list) });
    expect(indexed.candidates.filter((candidate) => candidate.accepted).map((candidate) => candidate.environment.title)).toEqual(['E2', 'E3']);
    expect(indexed).toEqual(selectEnvironment(input));
  });

  it('refuses an index built from another list rather than answer for the wrong environments', () => {
    const list: EnvironmentEntry[] = [{ environment: anEnvironment(), grants: [] }];
    const input: SelectionInput = {
      manifest: aManifest(),
      matching: { r: 'nearest', python: 'major-minor', quarto: 'nearest' },
      owner: anActor(),
      readBy: anActor(),
      environments: list,
      content: { default_environment_guid: null, default_image_name: null, default_r_environment_management: null, default_py_environment_management: null },
    };
    expect(() => selectEnvironment({ ...input, index: buildInstallationIndex([...list]) })).toThrow(/another environments list/);
  });
});
