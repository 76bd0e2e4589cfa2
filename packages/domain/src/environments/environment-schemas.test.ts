import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../errors.js';
import { aCreateEnvironmentInput } from '../testing/builders.js';
import { parseInput } from '../validation.js';
import {
  CreateEnvironmentInputSchema,
  UpdateEnvironmentInputSchema,
  environmentErrorCode,
} from './environment-schemas.js';

const parseCreate = (input: unknown) => parseInput(CreateEnvironmentInputSchema, input, environmentErrorCode);

function expectError(input: unknown, code: ErrorCode, field: string) {
  const result = parseCreate(input);
  if (result.ok) throw new Error(`expected ${field} to be rejected`);
  expect(result.error.code).toBe(code);
  expect(result.error.payload).toMatchObject({ field });
  expect(result.error.message).toContain(field);
}

describe('CreateEnvironmentInputSchema', () => {
  it('accepts the minimal body real clients send and fills defaults later', () => {
    const result = parseCreate({ cluster_name: 'Kubernetes', name: 'ghcr.io/org/img:tag', title: 'T', matching: 'any' });
    expect(result.ok).toBe(true);
  });

  it('treats null and {installations: null} as no installations', () => {
    const result = parseCreate({ name: 'img', python: null, quarto: { installations: null } });
    expect(result.ok && result.value.python).toEqual({ installations: [] });
    expect(result.ok && result.value.quarto).toEqual({ installations: [] });
  });

  it('defaults read_only of a volume target to false', () => {
    const result = parseCreate(
      aCreateEnvironmentInput({
        volume_mounts: [{ source: { volume_type: 'pvc', pvc_name: 'claim' }, target: { path: '/mnt/x', read_only: null as unknown as boolean } }],
      }),
    );
    expect(result.ok && result.value.volume_mounts?.[0]?.target.read_only).toBe(false);
  });

  it.each([
    [{ name: 'Not An Image' }, ErrorCode.InvalidEnvironmentName, 'name'],
    [{}, ErrorCode.InvalidEnvironmentName, 'name'],
    [{ name: 'img', cluster_name: 'Local' }, ErrorCode.InvalidEnvironmentClusterName, 'cluster_name'],
    [{ name: 'img', matching: 'sometimes' }, ErrorCode.UnknownEnvironmentMatchingType, 'matching'],
    [{ name: 'img', title: '   ' }, ErrorCode.InvalidEnvironmentTitle, 'title'],
    [{ name: 'img', description: 'x'.repeat(5000) }, ErrorCode.InvalidEnvironmentDescription, 'description'],
    [{ name: 'img', supervisor: 'bin/wrap.sh' }, ErrorCode.InvalidEnvironmentSupervisor, 'supervisor'],
    [
      { name: 'img', python: { installations: [{ version: '3.11', path: 'python3' }] } },
      ErrorCode.InvalidInstallationPath,
      'python.installations[0].path',
    ],
    [
      { name: 'img', r: { installations: [{ version: 'latest', path: '/opt/R/bin/R' }] } },
      ErrorCode.InvalidInstallationVersion,
      'r.installations[0].version',
    ],
    [
      { name: 'img', volume_mounts: [{ source: { volume_type: 'nfs', nfs_host: '', nfs_export_path: '/x' }, target: { path: '/mnt' } }] },
      ErrorCode.EnvironmentsInvalidVolume,
      'volume_mounts[0].source.nfs_host',
    ],
    [
      { name: 'img', volume_mounts: [{ source: { volume_type: 'smb' }, target: { path: '/mnt' } }] },
      ErrorCode.EnvironmentsInvalidVolume,
      'volume_mounts[0].source.volume_type',
    ],
    [
      {
        name: 'img',
        volume_mounts: [
          { source: { volume_type: 'pvc', pvc_name: 'a' }, target: { path: '/mnt' } },
          { source: { volume_type: 'pvc', pvc_name: 'b' }, target: { path: '/mnt' } },
        ],
      },
      ErrorCode.EnvironmentsInvalidVolume,
      'volume_mounts[1].target.path',
    ],
  ])('rejects %j with code %i on %s', (input, code, field) => {
    expectError(input, code, field);
  });

  it('reports a missing name as required', () => {
    const result = parseCreate({ title: 'x' });
    expect(!result.ok && result.error.message).toBe('Invalid name: is required.');
  });
});

describe('UpdateEnvironmentInputSchema', () => {
  it('keeps absent fields absent, so PUT does not clear them', () => {
    const result = parseInput(UpdateEnvironmentInputSchema, { title: 'new' });
    expect(result.ok && result.value).toEqual({ title: 'new' });
  });
});
