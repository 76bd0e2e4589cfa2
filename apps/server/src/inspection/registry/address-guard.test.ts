import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RefusedAddressError, guardedLookup, refusedAddress, refusedHostName } from './address-guard.js';

const lookup = promisify((hostname: string, callback: (error: Error | null, address: string) => void) => {
  guardedLookup(hostname, {}, (error, address) => callback(error, address as string));
});

describe('registry address guard', () => {
  it.each([
    ['169.254.169.254', true],
    ['169.254.0.1', true],
    ['::ffff:169.254.169.254', true],
    ['fe80::1', true],
    ['febf::1', true],
    ['fd00:ec2::254', true],
    ['100.100.100.200', true],
    ['127.0.0.1', false],
    ['::1', false],
    ['10.0.0.5', false],
    ['192.168.1.10', false],
    ['fd00:ec2::253', false],
    ['8.8.8.8', false],
  ])('%s refused: %s', (address, refused) => {
    expect(refusedAddress(address) !== null).toBe(refused);
  });

  it('refuses metadata service names and literal addresses by name, before any lookup', () => {
    expect(refusedHostName('metadata.google.internal')).toMatch(/metadata/);
    expect(refusedHostName('METADATA.google.internal.')).toMatch(/metadata/);
    expect(refusedHostName('[fe80::1]')).toMatch(/link-local/);
    expect(refusedHostName('registry.example.com')).toBeNull();
  });

  it('lets loopback through (a registry on the same host) and refuses a metadata name without resolving it', async () => {
    expect(['127.0.0.1', '::1']).toContain(await lookup('localhost'));
    await expect(lookup('metadata.google.internal')).rejects.toBeInstanceOf(RefusedAddressError);
  });
});
