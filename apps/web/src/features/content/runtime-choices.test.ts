import { aUser, anEnvironment } from '@envdesk/domain/testing';
import { describe, expect, it } from 'vitest';
import { aCandidate, aContent, aSelection } from './content-test-data';
import { bundleVersionsText, environmentChoices, isChoosable, manifestRequestOf, runtimeChoiceOf, runtimeUpdateFor, sameChoice } from './runtime-choices';

const install = (version: string) => ({ installations: [{ version, path: `/opt/x/${version}/bin/x` }] });
const current = anEnvironment({ title: 'R 4.4 / Python 3.11', python: install('3.11.3') });
const older = anEnvironment({ title: 'R 4.3 / Python 3.10', name: 'ghcr.io/org/runtime:r4.3', python: install('3.10.12') });
const classifier = anEnvironment({ title: 'Classifier', name: 'registry.example.com/classifier:1', matching: 'exact', python: install('3.11.9') });
const retired = anEnvironment({ title: 'Retired', name: 'rstudio/content-base:r3.5', matching: 'none', python: install('3.11.1') });
const granted = anEnvironment({ title: 'GPU', name: 'ghcr.io/org/gpu:1', python: install('3.11.9') });
const environments = [current, older, classifier, retired, granted];

const selection = aSelection([
  aCandidate({ guid: current.guid, installations: [{ language: 'python', version: '3.11.3', path: '/opt/python/3.11.3/bin/python3' }] }),
  aCandidate({ guid: older.guid, accepted: false, rank: null, reasons: ['no Python 3.11 installation (has 3.10.12)'], incompatibilities: ['no Python 3.11 installation (has 3.10.12)'], checks: { compatible: false } }),
  aCandidate({ guid: classifier.guid, matching: 'exact', accepted: false, rank: null, reasons: ['matching is exact (used only when requested)'], checks: { matching: false } }),
  aCandidate({ guid: retired.guid, matching: 'none', accepted: false, rank: null, reasons: ['matching is none'], checks: { matching: false } }),
  aCandidate({ guid: granted.guid, accepted: false, rank: null, reasons: ["not granted to the content's owner"], checks: { permitted: false } }),
]);

describe('the Runtime picker’s choices', () => {
  it('sorts the server’s reasons into compatible, incompatible and disabled, and leaves out what the owner may not use', () => {
    const choices = environmentChoices(environments, selection);
    expect(choices.map((choice) => [choice.environment.title, choice.status, choice.reasons, choice.uses])).toEqual([
      ['R 4.4 / Python 3.11', 'compatible', [], ['Python 3.11.3']],
      ['R 4.3 / Python 3.10', 'incompatible', ['No Python 3.11 installation (has 3.10.12)'], []],
      // Automatic passes over `exact` environments, but one asked for by name may run the content.
      ['Classifier', 'compatible', [], []],
      ['Retired', 'disabled', ['Disabled by an administrator (matching: none); it is never used.'], []],
    ]);
    expect(choices.map(isChoosable)).toEqual([true, false, true, false]);
  });

  it('keeps an exact environment’s real incompatibility', () => {
    const choices = environmentChoices(
      [classifier],
      aSelection([
        aCandidate({
          guid: classifier.guid,
          accepted: false,
          rank: null,
          reasons: ['matching is exact (used only when requested)', 'Python 3.11.9 does not satisfy >=3.12'],
          incompatibilities: ['Python 3.11.9 does not satisfy >=3.12'],
          checks: { matching: false, compatible: false },
        }),
      ]),
    );
    expect(choices).toMatchObject([{ status: 'incompatible', reasons: ['Python 3.11.9 does not satisfy >=3.12'] }]);
  });

  it('offers every environment unchecked when there is no bundle to judge, except disabled ones', () => {
    const choices = environmentChoices(environments, null);
    expect(choices.map((choice) => choice.status)).toEqual(['unchecked', 'unchecked', 'unchecked', 'disabled', 'unchecked']);
  });

  it('leaves unchecked what a manifest that names an image kept the server from judging', () => {
    const manifestRequest = aSelection(
      [
        aCandidate({ guid: classifier.guid, matching: 'exact' }),
        aCandidate({ guid: current.guid, accepted: false, rank: null, reasons: ['not the requested image'], checks: { in_request: false, compatible: null } }),
      ],
      { request: { kind: 'manifest-image', description: "the bundle's manifest requests the image registry.example.com/classifier:1" } },
    );
    expect(environmentChoices([current, classifier], manifestRequest).map((choice) => choice.status)).toEqual(['unchecked', 'compatible']);
    expect(manifestRequestOf(manifestRequest)).toBe("the bundle's manifest requests the image registry.example.com/classifier:1");
    expect(manifestRequestOf(selection)).toBeNull();
  });

  it('offers an environment added after the judgement unchecked', () => {
    const added = anEnvironment({ title: 'New' });
    expect(environmentChoices([added], selection)).toMatchObject([{ status: 'unchecked', reasons: [] }]);
  });
});

describe('the saved runtime choice', () => {
  const owner = aUser();

  it.each([
    [{}, { mode: 'automatic' }],
    [{ default_environment_guid: older.guid, default_image_name: older.name }, { mode: 'specific', guid: older.guid }],
    // Chosen by image through the API: the first environment with that image is marked.
    [{ default_image_name: classifier.name }, { mode: 'specific', guid: classifier.guid }],
    [{ default_image_name: 'ghcr.io/gone:1' }, { mode: 'specific', guid: null }],
  ])('%j reads as %j', (fields, choice) => {
    expect(runtimeChoiceOf(aContent(owner, fields), environments)).toEqual(choice);
  });

  it('saves Automatic by clearing the environment and the image, and a specific one with both', () => {
    expect(runtimeUpdateFor({ mode: 'automatic' }, undefined)).toEqual({ default_environment_guid: null, default_image_name: null });
    expect(runtimeUpdateFor({ mode: 'specific', guid: current.guid }, current)).toEqual({
      default_environment_guid: current.guid,
      default_image_name: current.name,
    });
  });

  it('compares choices by mode and environment', () => {
    expect(sameChoice({ mode: 'automatic' }, { mode: 'automatic' })).toBe(true);
    expect(sameChoice({ mode: 'specific', guid: 'a' }, { mode: 'specific', guid: 'a' })).toBe(true);
    expect(sameChoice({ mode: 'specific', guid: 'a' }, { mode: 'specific', guid: 'b' })).toBe(false);
    expect(sameChoice({ mode: 'specific', guid: null }, { mode: 'automatic' })).toBe(false);
  });
});

describe('the bundle’s versions in a sentence', () => {
  it.each([
    [{ r: null, python: '3.11.4', quarto: null, rRequires: null, pythonRequires: null }, 'Python 3.11.4'],
    [{ r: '4.4.2', python: '3.11.4', quarto: '1.5.57', rRequires: null, pythonRequires: null }, 'R 4.4.2, Python 3.11.4 and Quarto 1.5.57'],
    [{ r: null, python: null, quarto: null, rRequires: null, pythonRequires: '>=3.11' }, 'Python >=3.11'],
    [{ r: null, python: null, quarto: null, rRequires: null, pythonRequires: null }, 'no R, Python or Quarto'],
  ])('%j says %s', (bundle, text) => {
    expect(bundleVersionsText(bundle)).toBe(text);
  });
});
