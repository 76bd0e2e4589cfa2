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
  it('has the file sync guards on by default, and reads them', () => {
    expect(readSettings({})).toMatchObject({ environmentsSettleMs: 150, environmentsRemoveGraceMs: 10_000, tombstoneDays: 30 });
    expect(
      readSettings({ ENVDESK_ENVIRONMENTS_SETTLE_MS: '0', ENVDESK_ENVIRONMENTS_REMOVE_GRACE_MS: '60000', ENVDESK_TOMBSTONE_DAYS: '7' }),
    ).toMatchObject({ environmentsSettleMs: 0, environmentsRemoveGraceMs: 60_000, tombstoneDays: 7 });
    expect(() => readSettings({ ENVDESK_ENVIRONMENTS_SETTLE_MS: '-1' })).toThrow(/ENVDESK_ENVIRONMENTS_SETTLE_MS/);
  });
  it('names every wrong variable', () => {
    expect(() => readSettings({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(/PORT.*LOG_LEVEL/);
  });
});
