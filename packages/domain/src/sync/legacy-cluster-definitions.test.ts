import { describe, expect, it } from 'vitest';
import { MAX_PROBLEMS_PER_ENTRY, describeProblem } from './environments-file.js';
import { HELM_RUNTIME_FIELD, convertLegacyDefinitions, locateLegacyDefinitions } from './legacy-cluster-definitions.js';

const image = { name: 'ghcr.io/org/content-base:r4.2.2-py3.11.3', python: { installations: [{ path: '/opt/python/3.11.3/bin/python3', version: '3.11.3' }] } };
const runtime = { name: 'Kubernetes', images: [image] };

describe('locateLegacyDefinitions', () => {
  it.each([
    ['a runtime.yaml', runtime, { kind: 'definitions', definitions: runtime, field: null }],
    ['Helm values with the definitions as YAML', { launcher: { enabled: true, customRuntimeYaml: runtime } }, { kind: 'definitions', definitions: runtime, field: HELM_RUNTIME_FIELD }],
    ['Helm values with the definitions as a text', { launcher: { customRuntimeYaml: 'name: Kubernetes\n' } }, { kind: 'yaml-text', text: 'name: Kubernetes\n', field: HELM_RUNTIME_FIELD }],
    // Anything else is left to the cluster definitions' own checks, which say what they expect.
    ['a list', [runtime], { kind: 'definitions', definitions: [runtime], field: null }],
    ['a scalar', 'hello', { kind: 'definitions', definitions: 'hello', field: null }],
  ])('finds them in %s', (_case, document, expected) => {
    expect(locateLegacyDefinitions(document)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['launcher is not a mapping', { launcher: 'yes' }, 'launcher: must be a mapping holding customRuntimeYaml'],
    ['the values set no customRuntimeYaml', { launcher: { enabled: true } }, `${HELM_RUNTIME_FIELD}: is missing: these Helm values list no images of their own`],
    ['customRuntimeYaml is empty', { launcher: { customRuntimeYaml: null } }, `${HELM_RUNTIME_FIELD}: is missing`],
    ['customRuntimeYaml is a number', { launcher: { customRuntimeYaml: 42 } }, `${HELM_RUNTIME_FIELD}: must hold the cluster definitions (name: Kubernetes, images: [...]), written as YAML or as a text of YAML; it is the number 42`],
    ['customRuntimeYaml is a list', { launcher: { customRuntimeYaml: [image] } }, 'it is a list'],
    ['customRuntimeYaml is false', { launcher: { customRuntimeYaml: false } }, 'it is the boolean false'],
  ])('says where and what is wrong when %s', (_case, document, message) => {
    const located = locateLegacyDefinitions(document);
    expect(located.ok).toBe(false);
    expect(!located.ok && located.error.map(describeProblem).join('\n')).toContain(message);
  });
});

describe('convertLegacyDefinitions under Helm values', () => {
  it('converts each image into an entry', () => {
    expect(convertLegacyDefinitions(runtime, HELM_RUNTIME_FIELD)).toEqual({ ok: true, value: [image] });
  });

  it.each([
    ['the wrong cluster name', { name: 'Local', images: [] }, `${HELM_RUNTIME_FIELD}.name: must be "Kubernetes"`],
    ['images that are not a list', { name: 'Kubernetes', images: 'none' }, `${HELM_RUNTIME_FIELD}.images:`],
    ['a text that is not definitions', 'base', `${HELM_RUNTIME_FIELD}: must hold the cluster definitions (name: Kubernetes, images: [...]); it holds the text "base"`],
    ['a long text, cut short', 'x'.repeat(100_000), `it holds the text "${'x'.repeat(40)}…"`],
    ['a number', 7, 'it holds 7'],
  ])('names the field under customRuntimeYaml for %s', (_case, definitions, message) => {
    const converted = convertLegacyDefinitions(definitions, HELM_RUNTIME_FIELD);
    expect(converted.ok).toBe(false);
    expect(!converted.ok && converted.error.map(describeProblem).join('\n')).toContain(message);
  });

  it('lists the first problems of a thousand wrong images and counts the rest', () => {
    const converted = convertLegacyDefinitions({ name: 'Kubernetes', images: Array.from({ length: 1_000 }, () => 7) }, HELM_RUNTIME_FIELD);
    const problems = converted.ok ? [] : converted.error.map(describeProblem);
    expect(problems).toHaveLength(MAX_PROBLEMS_PER_ENTRY + 1);
    expect(problems[0]).toBe(`${HELM_RUNTIME_FIELD}.images[0]: Invalid input: expected record, received number`);
    expect(problems.at(-1)).toBe(`${HELM_RUNTIME_FIELD}: has ${(1_000 - MAX_PROBLEMS_PER_ENTRY).toLocaleString('en')} more problems not listed`);
  });

  it('refuses definitions wrong in more ways than can be gathered as one problem, without failing', () => {
    const converted = convertLegacyDefinitions({ name: 'Kubernetes', images: Array.from({ length: 300_000 }, () => 7) }, HELM_RUNTIME_FIELD);
    expect(!converted.ok && converted.error.map(describeProblem)).toEqual([`${HELM_RUNTIME_FIELD}: holds too many wrong values to list`]);
  });
});
