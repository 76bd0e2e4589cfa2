import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuthService } from '../auth/auth-service.js';
import { verifyPassword } from '../auth/secrets.js';
import { systemClock } from '../clock.js';
import { type Store, createStore } from '../db/store.js';
import { createEnvironmentListCache } from '../environments/environment-list-cache.js';
import { type TestDatabase, openTestDatabase } from '../test/test-database.js';
import { DEMO_ENVIRONMENTS, DEMO_USERS, addDemoData } from './demo-data.js';
import { ensureAdministrator } from './first-start.js';

describe('first start', () => {
  let database: TestDatabase;
  afterEach(() => database.cleanup());

  async function start(bootstrap: { username?: string; password?: string; apiKey?: string }) {
    database = await openTestDatabase('sqlite');
    const store = createStore(database.connection);
    const auth = createAuthService({ store, clock: systemClock, logger: pino({ level: 'silent' }) });
    const printed: string[] = [];
    const run = () =>
      ensureAdministrator({ store, auth, clock: systemClock, settings: { bootstrap: { username: undefined, password: undefined, apiKey: undefined, ...bootstrap } }, logger: pino({ level: 'silent' }), announce: (text) => printed.push(text) });
    return { store, auth, printed, run };
  }

  it('creates the administrator from the bootstrap settings, with a working API key, and prints no password', async () => {
    const { store, auth, printed, run } = await start({ username: 'root-admin', password: 'chosen-password', apiKey: 'chosen-api-key-123' });
    expect(await run()).toBe(true);
    const record = await store.users.findByUsername('root-admin');
    expect(record?.user.user_role).toBe('administrator');
    expect(await verifyPassword('chosen-password', record!.passwordHash!)).toBe(true);
    expect(await auth.authenticateKey('chosen-api-key-123')).toMatchObject({ ok: true, value: { actor: { guid: record?.user.guid } } });
    expect(printed).toEqual([]);
    // Recorded as envdesk's own change, saying a password was set but not which.
    const [created] = await store.audit.listForSubject('user', record!.user.guid);
    expect(created).toMatchObject({ action: 'add_user', via: 'system', user_guid: null, user_description: 'envdesk' });
    expect(JSON.stringify(created)).not.toContain('chosen-password');
  });

  it('generates a password and prints it once when none is set', async () => {
    const { store, printed, run } = await start({});
    expect(await run()).toBe(true);
    expect(printed).toHaveLength(1);
    const password = /password:\s+(\S+)/.exec(printed[0]!)?.[1];
    const record = await store.users.findByUsername('admin');
    expect(await verifyPassword(password!, record!.passwordHash!)).toBe(true);

    expect(await run()).toBe(false);
    expect(printed).toHaveLength(1);
    expect(await store.users.count()).toBe(1);
  });

  it('adds demo data whose permissions differ per publisher', async () => {
    const { store, auth, run } = await start({ password: 'x-password' });
    await run();
    await addDemoData(store, systemClock);
    expect(await store.environments.count()).toBe(DEMO_ENVIRONMENTS.length);
    expect(await store.users.count()).toBe(1 + DEMO_USERS.length);
    const demoUser = await store.users.findByUsername('pat');
    expect((await store.audit.listForSubject('user', demoUser!.user.guid)).map((event) => event.action)).toEqual(['add_user']);

    const visibleTo = async (s: Store, username: string) => {
      const record = await s.users.findByUsername(username);
      const { key } = await auth.createKey(record!, 'test');
      const authenticated = await auth.authenticateKey(key);
      if (!authenticated.ok) throw authenticated.error;
      const list = JSON.parse((await createEnvironmentListCache(s).listJson(authenticated.value.actor)).toString()) as Array<{ title: string }>;
      return list.map((environment) => environment.title);
    };
    const pat = await visibleTo(store, 'pat');
    const dana = await visibleTo(store, 'dana');
    expect(pat).toContain('Custom image classifier');
    expect(pat).not.toContain('GPU training (Python 3.11)');
    expect(dana).toContain('GPU training (Python 3.11)');
    expect(dana).not.toContain('Custom image classifier');
  });
});
