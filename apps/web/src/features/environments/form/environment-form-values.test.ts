import { ApiError, ErrorCode } from '@envdesk/domain';
import { anEnvironment } from '@envdesk/domain/testing';
import { describe, expect, it } from 'vitest';
import {
  type EnvironmentFormValues,
  emptyFormValues,
  fieldErrorsFrom,
  fieldForApiPath,
  formValuesFrom,
  problemSentence,
  requestBodyFrom,
  validateForm,
} from './environment-form-values';

/** A form with rows in a mixed order: R first, then two Pythons; an nfs and a pvc mount. */
const values: EnvironmentFormValues = {
  title: 'R 4.4 / Python 3.11',
  description: '',
  name: 'ghcr.io/org/runtime:r4.4-py3.11',
  installations: [
    { key: 'r0', language: 'r', version: '4.4.2', path: '/opt/R/4.4.2/bin/R' },
    { key: 'py0', language: 'python', version: '3.11.9', path: '/opt/python/3.11.9/bin/python3' },
    { key: 'py1', language: 'python', version: '3.12.4', path: '/opt/python/3.12.4/bin/python3' },
  ],
  volumeMounts: [
    { key: 'm0', sourceType: 'nfs', nfsHost: 'nas.example.org', nfsExportPath: '/exports/a', pvcName: '', targetPath: '/mnt/a', readOnly: true },
    { key: 'm1', sourceType: 'pvc', nfsHost: '', nfsExportPath: '', pvcName: 'models', targetPath: '/mnt/b', readOnly: false },
  ],
  matching: 'exact',
  supervisor: ' ',
};

describe('server error field → form field', () => {
  it.each([
    ['title', 'title'],
    ['name', 'name'],
    ['matching', 'matching'],
    ['supervisor', 'supervisor'],
    ['python.installations[0].version', 'installations.py0.version'],
    ['python.installations[1].path', 'installations.py1.path'],
    ['r.installations[0].path', 'installations.r0.path'],
    ['python.installations[1]', 'installations.py1.version'],
    ['python.installations[7].path', 'installations'],
    ['quarto.installations', 'installations'],
    ['python', 'installations'],
    ['volume_mounts[0].source.nfs_host', 'volumeMounts.m0.nfsHost'],
    ['volume_mounts[0].source.nfs_export_path', 'volumeMounts.m0.nfsExportPath'],
    ['volume_mounts[1].source.pvc_name', 'volumeMounts.m1.pvcName'],
    ['volume_mounts[1].source.volume_type', 'volumeMounts.m1.sourceType'],
    ['volume_mounts[1].target.path', 'volumeMounts.m1.targetPath'],
    ['volume_mounts[0].target.read_only', 'volumeMounts.m0.readOnly'],
    ['volume_mounts[1]', 'volumeMounts.m1.targetPath'],
    ['volume_mounts', 'volumeMounts'],
    ['cluster_name', ''],
    ['', ''],
    ['something.else', ''],
  ])('%s → %s', (apiPath, field) => {
    expect(fieldForApiPath(apiPath, values)).toBe(field);
  });

  it('puts every listed issue on its field, first problem per field, in a sentence', () => {
    const error = new ApiError(ErrorCode.InvalidInstallationPath, 'Invalid python.installations[1].path: must be an absolute path.', {
      field: 'python.installations[1].path',
      issues: [
        { field: 'python.installations[1].path', message: 'must be an absolute path (starting with /)' },
        { field: 'python.installations[1].path', message: 'must not contain ".." segments' },
        { field: 'volume_mounts[1].target.path', message: 'is already the target of another volume mount' },
        { field: 'name', message: 'image name is not a container image reference' },
        { field: 'cluster_name', message: 'must be "Kubernetes"' },
      ],
    });
    expect(fieldErrorsFrom(error, values)).toEqual({
      'installations.py1.path': 'Path must be an absolute path (starting with /).',
      'volumeMounts.m1.targetPath': 'Target path is already the target of another volume mount.',
      name: 'Image name is not a container image reference.',
      '': 'must be "Kubernetes"',
    });
  });

  it("uses the server's own sentence when it names one field without a list", () => {
    const error = new ApiError(ErrorCode.InvalidEnvironmentName, 'The image name of an environment cannot change.', { field: 'name' });
    expect(fieldErrorsFrom(error, values)).toEqual({ name: 'The image name of an environment cannot change.' });
  });

  it('keeps an error that names no field for the form as a whole', () => {
    const error = new ApiError(ErrorCode.EnvironmentIsConfigManaged, 'This environment is managed by the configuration file x.yaml.', {
      managed_by: 'config-file',
      file: 'x.yaml',
    });
    expect(fieldErrorsFrom(error, values)).toEqual({ '': 'This environment is managed by the configuration file x.yaml.' });
  });
});

describe('validating as you type, with the server schemas', () => {
  it('accepts a complete form', () => {
    expect(validateForm(values, 'create')).toEqual({});
    expect(validateForm(values, 'edit')).toEqual({});
  });

  it.each<[string, Partial<EnvironmentFormValues>, Record<string, string>]>([
    ['a missing image name', { name: '' }, { name: 'Image name is empty.' }],
    ['an image name with upper case', { name: 'ghcr.io/Org/X' }, { name: expect.stringMatching(/^Image name is not a container image reference/) as unknown as string }],
    [
      'a relative installation path',
      { installations: [{ key: 'k', language: 'python', version: '3.11', path: 'bin/python' }] },
      { 'installations.k.path': 'Path must be an absolute path (starting with /).' },
    ],
    [
      'a version that is not one',
      { installations: [{ key: 'k', language: 'quarto', version: 'latest', path: '/opt/q' }] },
      { 'installations.k.version': 'Version must be a version like 1.5.57.' },
    ],
    [
      'an nfs mount without a host',
      { volumeMounts: [{ key: 'v', sourceType: 'nfs', nfsHost: '', nfsExportPath: '/e', pvcName: '', targetPath: '/mnt', readOnly: false }] },
      { 'volumeMounts.v.nfsHost': 'NFS host is required for an nfs volume.' },
    ],
    [
      'two mounts on one target',
      {
        volumeMounts: [
          { key: 'a', sourceType: 'pvc', nfsHost: '', nfsExportPath: '', pvcName: 'one', targetPath: '/mnt', readOnly: false },
          { key: 'b', sourceType: 'pvc', nfsHost: '', nfsExportPath: '', pvcName: 'two', targetPath: '/mnt', readOnly: false },
        ],
      },
      { 'volumeMounts.b.targetPath': 'Target path is already the target of another volume mount.' },
    ],
    ['a relative supervisor', { supervisor: 'run.sh' }, { supervisor: 'Supervisor must be an absolute path (starting with /).' }],
    [
      'a row with no language chosen, whose other fields are still checked',
      { installations: [{ key: 'k', language: '', version: '3.1x', path: 'bin/python' }] },
      {
        'installations.k.language': 'Choose the language of this installation.',
        'installations.k.version': 'Version must be a version like 3.11.9.',
        'installations.k.path': 'Path must be an absolute path (starting with /).',
      },
    ],
    [
      'an R version that is a typo',
      { installations: [{ key: 'k', language: 'r', version: '4.4.x', path: '/opt/R/4.4.1/bin/R' }] },
      { 'installations.k.version': 'Version must be a version like 4.4.1.' },
    ],
  ])('names %s on its field', (_case, change, expected) => {
    expect(validateForm({ ...values, ...change }, 'create')).toEqual(expected);
  });

  it('does not check the image name when editing, as it cannot change', () => {
    expect(validateForm({ ...values, name: '' }, 'edit')).toEqual({});
  });
});

describe('the request body', () => {
  it('groups rows by language, drops blank optionals to null, and leaves the image out of an edit', () => {
    const body = requestBodyFrom(values, 'edit');
    expect(body).toEqual({
      title: 'R 4.4 / Python 3.11',
      description: null,
      matching: 'exact',
      supervisor: null,
      python: {
        installations: [
          { version: '3.11.9', path: '/opt/python/3.11.9/bin/python3' },
          { version: '3.12.4', path: '/opt/python/3.12.4/bin/python3' },
        ],
      },
      r: { installations: [{ version: '4.4.2', path: '/opt/R/4.4.2/bin/R' }] },
      quarto: { installations: [] },
      tensorflow: { installations: [] },
      nodejs: { installations: [] },
      volume_mounts: [
        { source: { volume_type: 'nfs', nfs_host: 'nas.example.org', nfs_export_path: '/exports/a' }, target: { path: '/mnt/a', read_only: true } },
        { source: { volume_type: 'pvc', pvc_name: 'models' }, target: { path: '/mnt/b', read_only: false } },
      ],
    });
    expect(requestBodyFrom(values, 'create')['name']).toBe('ghcr.io/org/runtime:r4.4-py3.11');
  });

  it('round-trips an environment through the form unchanged', () => {
    const environment = anEnvironment({
      supervisor: '/usr/local/bin/supervisor.sh',
      volume_mounts: [{ source: { volume_type: 'pvc', pvc_name: 'shared' }, target: { path: '/mnt/shared', read_only: true } }],
    });
    const body = requestBodyFrom(formValuesFrom(environment), 'edit');
    const { title, description, matching, supervisor, python, r, quarto, tensorflow, nodejs, volume_mounts } = environment;
    expect(body).toEqual({ title, description, matching, supervisor, python, r, quarto, tensorflow, nodejs, volume_mounts });
  });

  it('starts a new form with one empty Python row and automatic matching', () => {
    const fresh = emptyFormValues();
    expect(fresh.installations).toEqual([expect.objectContaining({ language: 'python', version: '', path: '' })]);
    expect(fresh.matching).toBe('any');
  });
});

describe('problem sentences', () => {
  it.each([
    ['installations.k.path', 'must be an absolute path', 'Path must be an absolute path.'],
    ['name', 'image name is empty', 'Image name is empty.'],
    ['', 'something odd', 'Something odd.'],
    ['title', 'must not be empty.', 'Title must not be empty.'],
  ])('%s + %j → %j', (field, message, sentence) => {
    expect(problemSentence(field, message)).toBe(sentence);
  });
});
