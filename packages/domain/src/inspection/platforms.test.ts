import { describe, expect, it } from 'vitest';
import { type OciDescriptor, pathFromConfig } from './oci-documents.js';
import { formatPlatform, imageEntries, parsePlatform, pickPlatform, platformMatches } from './platforms.js';

const entry = (platform: string, annotations?: Record<string, string>): OciDescriptor => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: `sha256:${platform.replace(/\W/g, '').padEnd(64, '0')}`,
  size: 1,
  platform: parsePlatform(platform)!,
  ...(annotations ? { annotations } : {}),
});

describe('platforms', () => {
  it.each([
    ['linux/amd64', { os: 'linux', architecture: 'amd64' }],
    ['linux/arm64/v8', { os: 'linux', architecture: 'arm64', variant: 'v8' }],
    [' Linux/ARM/v7 ', { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['arm64', null],
    ['linux/arm64/v8/extra', null],
    ['linux//amd64', null],
    ['linux/amd 64', null],
  ])('parses %j', (text, expected) => {
    expect(parsePlatform(text)).toEqual(expected);
    if (expected) expect(formatPlatform(expected)).toBe(text.trim().toLowerCase());
  });

  it.each([
    ['linux/arm64', 'linux/arm64/v8', true],
    ['linux/arm64/v8', 'linux/arm64', true],
    ['linux/arm/v7', 'linux/arm/v6', false],
    ['linux/arm', 'linux/arm/v6', true],
    ['linux/amd64', 'linux/arm64', false],
    ['windows/amd64', 'linux/amd64', false],
  ])('%s runs an image for %s: %s', (wanted, offered, expected) => {
    expect(platformMatches(parsePlatform(wanted)!, parsePlatform(offered)!)).toBe(expected);
  });

  it('picks the first matching entry, leaving out attestation manifests', () => {
    const attestation = { ...entry('unknown/unknown'), annotations: { 'vnd.docker.reference.type': 'attestation-manifest' } };
    const entries = imageEntries([attestation, entry('linux/arm/v6'), entry('linux/arm/v7'), entry('linux/amd64')]);
    expect(entries.map((candidate) => formatPlatform(candidate.platform!))).toEqual(['linux/arm/v6', 'linux/arm/v7', 'linux/amd64']);
    expect(pickPlatform(entries, parsePlatform('linux/arm')!)?.platform).toEqual({ os: 'linux', architecture: 'arm', variant: 'v6' });
    expect(pickPlatform(entries, parsePlatform('linux/arm/v7')!)?.platform?.variant).toBe('v7');
    expect(pickPlatform(entries, parsePlatform('linux/s390x')!)).toBeNull();
  });

  it.each([
    [{ config: { Env: ['LANG=C', 'PATH=/usr/bin:/bin'] } }, '/usr/bin:/bin'],
    [{ config: { Env: ['PATH=/a', 'PATH=/b'] } }, '/b'],
    [{ config: { Env: ['LANG=C'] } }, null],
    [{ config: null }, null],
    [{}, null],
  ])('reads PATH from the config %j', (config, expected) => {
    expect(pathFromConfig(config)).toBe(expected);
  });
});
