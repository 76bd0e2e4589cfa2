import { describe, expect, it } from 'vitest';
import { readSettings } from './settings.js';

describe('readSettings', () => {
  it('has the documented defaults', () => {
    expect(readSettings({})).toMatchObject({ port: 3939, host: '127.0.0.1', dataDir: './data', databaseUrl: undefined, demo: false, logLevel: 'info' });
  });
  it('reads every variable', () => {
    const settings = readSettings({
      PORT: '8080',
      HOST: '0.0.0.0',
      ENVDESK_DATA_DIR: '/var/lib/envdesk',
      DATABASE_URL: 'postgres://u:p@db/envdesk',
      ENVDESK_BOOTSTRAP_USERNAME: 'root',
      ENVDESK_DEMO: '1',
      LOG_LEVEL: 'warn',
    });
    expect(settings).toMatchObject({ port: 8080, host: '0.0.0.0', databaseUrl: 'postgres://u:p@db/envdesk', demo: true, logLevel: 'warn', bootstrap: { username: 'root' } });
  });
  it('reads the registry settings: no credentials file and https everywhere by default', () => {
    expect(readSettings({}).registry).toEqual({ authFile: undefined, insecureRegistries: [] });
    const settings = readSettings({ ENVDESK_REGISTRY_AUTH_FILE: '/etc/envdesk/config.json', ENVDESK_INSECURE_REGISTRIES: 'localhost:5000, Registry.internal ,[::1]:5001' });
    expect(settings.registry).toEqual({ authFile: '/etc/envdesk/config.json', insecureRegistries: ['localhost:5000', 'registry.internal', '[::1]:5001'] });
    expect(() => readSettings({ ENVDESK_INSECURE_REGISTRIES: 'http://localhost:5000' })).toThrow(/ENVDESK_INSECURE_REGISTRIES.*not a host or host:port/);
  });
  it('reads local execution: none by default, versions at their well-known homes or at the path given', () => {
    expect(readSettings({}).localInstallations).toEqual({ python: [], r: [], quarto: [] });
    const settings = readSettings({ ENVDESK_LOCAL_PYTHON: '3.12.4, 3.11.9=/usr/bin/python3.11', ENVDESK_LOCAL_R: '4.4.1', ENVDESK_LOCAL_QUARTO: ' ' });
    expect(settings.localInstallations).toEqual({
      python: [
        { version: '3.12.4', path: '/opt/python/3.12.4/bin/python' },
        { version: '3.11.9', path: '/usr/bin/python3.11' },
      ],
      r: [{ version: '4.4.1', path: '/opt/R/4.4.1/bin/R' }],
      quarto: [],
    });
  });
  it.each([
    ['ENVDESK_LOCAL_PYTHON', '3.12.4=bin/python', /ENVDESK_LOCAL_PYTHON: the path of Python 3\.12\.4 must be an absolute path/],
    ['ENVDESK_LOCAL_R', '$(reboot)', /ENVDESK_LOCAL_R: "\$\(reboot\)" is not a version \(expected e\.g\. 4\.4\.1\)/],
    ['ENVDESK_LOCAL_QUARTO', '1.5.57,1.5.57', /ENVDESK_LOCAL_QUARTO: Quarto 1\.5\.57 is listed twice/],
    ['ENVDESK_LOCAL_PYTHON', '3.12.4=/opt/../../etc/shadow', /ENVDESK_LOCAL_PYTHON: .*"\.\." segments/],
  ])('refuses %s=%j at start, naming the variable', (name, value, problem) => {
    expect(() => readSettings({ [name]: value })).toThrow(problem);
  });
  it('reads how long a task may go without a heartbeat and how long a stop waits for deploys', () => {
    expect(readSettings({})).toMatchObject({ taskStaleMs: 30_000, shutdownGraceMs: 10_000 });
    expect(readSettings({ ENVDESK_TASK_STALE_MS: '1500', ENVDESK_SHUTDOWN_GRACE_MS: '0' })).toMatchObject({ taskStaleMs: 1500, shutdownGraceMs: 0 });
    expect(() => readSettings({ ENVDESK_TASK_STALE_MS: '10' })).toThrow(/ENVDESK_TASK_STALE_MS/);
  });
  it('caps image inspection at 4 GiB and 15 minutes by default, and reads both caps', () => {
    expect(readSettings({})).toMatchObject({ inspectMaxBytes: 4 * 1024 ** 3, inspectTimeoutMs: 900_000 });
    expect(readSettings({ ENVDESK_INSPECT_MAX_BYTES: '1048576', ENVDESK_INSPECT_TIMEOUT_SECONDS: '60' })).toMatchObject({ inspectMaxBytes: 1_048_576, inspectTimeoutMs: 60_000 });
    expect(() => readSettings({ ENVDESK_INSPECT_MAX_BYTES: 'lots' })).toThrow(/ENVDESK_INSPECT_MAX_BYTES/);
  });
  it('has the file sync guards on by default, and reads them', () => {
    expect(readSettings({})).toMatchObject({ environmentsSettleMs: 150, environmentsRemoveGraceMs: 10_000, tombstoneDays: 30 });
    expect(
      readSettings({ ENVDESK_ENVIRONMENTS_SETTLE_MS: '0', ENVDESK_ENVIRONMENTS_REMOVE_GRACE_MS: '60000', ENVDESK_TOMBSTONE_DAYS: '7' }),
    ).toMatchObject({ environmentsSettleMs: 0, environmentsRemoveGraceMs: 60_000, tombstoneDays: 7 });
    expect(() => readSettings({ ENVDESK_ENVIRONMENTS_SETTLE_MS: '-1' })).toThrow(/ENVDESK_ENVIRONMENTS_SETTLE_MS/);
  });
  it('reads the sign-in throttle: 5 failures per username and 20 per address in 15 minutes by default', () => {
    expect(readSettings({}).signInLimits).toEqual({ windowMs: 900_000, maxFailuresPerUser: 5, maxFailuresPerAddress: 20 });
    expect(
      readSettings({ ENVDESK_SIGN_IN_WINDOW_SECONDS: '60', ENVDESK_SIGN_IN_MAX_FAILURES_PER_USER: '3', ENVDESK_SIGN_IN_MAX_FAILURES_PER_ADDRESS: '50' })
        .signInLimits,
    ).toEqual({ windowMs: 60_000, maxFailuresPerUser: 3, maxFailuresPerAddress: 50 });
    expect(() => readSettings({ ENVDESK_SIGN_IN_MAX_FAILURES_PER_USER: '0' })).toThrow(/ENVDESK_SIGN_IN_MAX_FAILURES_PER_USER/);
  });
  it.each([
    [undefined, 'loopback'],
    ['', 'loopback'],
    ['true', true],
    ['FALSE', false],
    ['2', 2],
    ['loopback, 10.0.0.0/8', ['loopback', '10.0.0.0/8']],
    ['192.168.1.10, fd00::/8, uniquelocal', ['192.168.1.10', 'fd00::/8', 'uniquelocal']],
  ])('reads ENVDESK_TRUST_PROXY=%j as Express reads trust proxy', (value, expected) => {
    const settings = readSettings({ ENVDESK_TRUST_PROXY: value });
    expect(settings.trustProxy).toEqual(expected === 'loopback' ? ['loopback'] : expected);
  });
  it.each(['10.0.0.0/99', 'my-proxy', 'yes please'])('refuses ENVDESK_TRUST_PROXY=%j, naming it', (value) => {
    expect(() => readSettings({ ENVDESK_TRUST_PROXY: value })).toThrow(/ENVDESK_TRUST_PROXY/);
  });
  it('reads ENVDESK_SECRET_KEY as 32 bytes of base64, and refuses anything else without echoing it', () => {
    const key = Buffer.alloc(32, 7);
    expect(readSettings({}).secretKey).toBeUndefined();
    expect(readSettings({ ENVDESK_SECRET_KEY: ` ${key.toString('base64')}\n` }).secretKey).toEqual(key);
    for (const bad of ['not-a-key', Buffer.alloc(16, 7).toString('base64'), Buffer.alloc(33, 7).toString('base64'), `${key.toString('base64').slice(0, -2)}!=`]) {
      let message = '';
      try {
        readSettings({ ENVDESK_SECRET_KEY: bad });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^Invalid settings: ENVDESK_SECRET_KEY: must be 32 random bytes in base64.*openssl rand -base64 32/);
      expect(message).not.toContain(bad);
    }
  });
  it("says what is wrong in zod's English words", () => {
    expect(() => readSettings({ PORT: '70000' })).toThrow('Invalid settings: PORT: Too big: expected number to be <=65535');
  });
  it('names every wrong variable', () => {
    expect(() => readSettings({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(/PORT.*LOG_LEVEL/);
  });
});
