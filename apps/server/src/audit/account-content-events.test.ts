import type { AuditEvent } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleArchive } from '../test/bundles.js';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

describeEachDialect('user, group and content changes are recorded on %s', (dialect) => {
  let server: TestServer;
  let publisher: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    publisher = await server.addUser('publisher');
    const environment = await server.request('POST', '/__api__/v1/environments', {
      body: {
        name: 'ghcr.io/org/general:r4.2-py3.9',
        r: { installations: [{ version: '4.2.3', path: '/opt/R/4.2.3/bin/R' }] },
        python: { installations: [{ version: '3.9.14', path: '/opt/python/3.9.14/bin/python' }] },
      },
    });
    expect(environment.status).toBe(200);
  });
  afterAll(async () => {
    await server.app.services.deploy.settle();
    await server.close();
  });

  const historyOf = (type: AuditEvent['subject_type'], guid: string) => server.store.audit.listForSubject(type, guid);
  const ok = async (method: string, path: string, body?: unknown, as?: TestUser) => {
    const response = await server.request(method, `/__api__${path}`, { body, as });
    expect(response.status, response.text).toBeLessThan(300);
    return response.body;
  };

  it('records a user created, edited and locked, never their password', async () => {
    const user = await ok('POST', '/v1/users', { username: 'casey', first_name: 'Casey', last_name: 'Jones', password: 'correct horse battery' });
    await ok('PUT', `/v1/users/${user.guid}`, { user_role: 'publisher', email: 'casey@example.org' });
    await ok('POST', `/v1/users/${user.guid}/lock`, { locked: true });
    await ok('POST', `/v1/users/${user.guid}/lock`, { locked: true });

    const [lock, update, creation] = await historyOf('user', user.guid);
    expect(creation).toMatchObject({ action: 'add_user', user_guid: server.admin.guid, via: 'api', event_description: 'Added user Casey Jones (casey)' });
    expect(creation!.changes).toContainEqual({ field: 'password', before: null, after: 'set' });
    expect(JSON.stringify(creation)).not.toContain('correct horse');
    expect(update!.changes).toEqual([
      { field: 'email', before: '', after: 'casey@example.org' },
      { field: 'user_role', before: 'viewer', after: 'publisher' },
    ]);
    // Locking an account that is locked already changes nothing, and records nothing.
    expect(lock).toMatchObject({ action: 'lock_user', changes: [{ field: 'locked', before: false, after: true }] });
    expect(await historyOf('user', user.guid)).toHaveLength(3);
  });

  it('records a group, its members coming and going, and its deletion', async () => {
    const group = await ok('POST', '/v1/groups', { name: 'analysts' });
    await ok('POST', `/v1/groups/${group.guid}/members`, { user_guid: publisher.guid });
    await ok('POST', `/v1/groups/${group.guid}/members`, { user_guid: publisher.guid });
    await ok('DELETE', `/v1/groups/${group.guid}/members/${publisher.guid}`);
    await ok('DELETE', `/v1/groups/${group.guid}`);
    const actions = (await historyOf('group', group.guid)).map((event) => event.action);
    expect(actions).toEqual(['delete_group', 'remove_group_member', 'add_group_member', 'add_group']);
    const [, removal] = await historyOf('group', group.guid);
    expect(removal!.event_description).toMatch(new RegExp(`^Removed user .*\\(${publisher.username}\\) from group analysts$`));
  });

  it('records content created, changed, shared, given variables, deployed and deleted, never a variable’s value', async () => {
    const content = await ok('POST', '/v1/content', { name: 'sales', title: 'Sales' }, publisher);
    await ok('PATCH', `/v1/content/${content.guid}`, { description: 'Quarterly', access_type: 'logged_in' }, publisher);
    const shared = await ok('POST', `/v1/content/${content.guid}/permissions`, { principal_guid: server.admin.guid, principal_type: 'user', role: 'viewer' }, publisher);
    await ok('PUT', `/v1/content/${content.guid}/permissions/${shared.id}`, { role: 'owner' }, publisher);
    await ok('DELETE', `/v1/content/${content.guid}/permissions/${shared.id}`, undefined, publisher);
    await ok('PATCH', `/v1/content/${content.guid}/environment`, [{ name: 'TOKEN', value: 'hunter2-secret' }], publisher);
    await ok('PATCH', `/v1/content/${content.guid}/environment`, [{ name: 'TOKEN', value: null }, { name: 'NEVER_SET', value: null }], publisher);
    const bundle = await server.request('POST', `/__api__/v1/content/${content.guid}/bundles`, { as: publisher, rawBody: bundleArchive() });
    expect(bundle.status).toBe(200);
    const started = await ok('POST', `/v1/content/${content.guid}/deploy`, { bundle_id: bundle.body.id }, publisher);
    const task = await server.request('GET', `/__api__/v1/tasks/${started.task_id}?wait=10`, { as: publisher });
    expect(task.body).toMatchObject({ finished: true, code: 0 });
    await ok('DELETE', `/v1/content/${content.guid}`, undefined, publisher);

    const history = (await historyOf('content', content.guid)).reverse();
    expect(history.map((event) => event.action)).toEqual([
      'add_application',
      'update_application',
      'add_application_permission',
      'update_application_permission',
      'remove_application_permission',
      'update_application_environment',
      'update_application_environment',
      'deploy_application',
      'delete_application',
    ]);
    for (const event of history) expect(event).toMatchObject({ user_guid: publisher.guid, via: 'api', subject_name: 'Sales (sales)' });
    expect(history[1]!.changes).toEqual([
      { field: 'description', before: '', after: 'Quarterly' },
      { field: 'access_type', before: 'acl', after: 'logged_in' },
    ]);
    expect(history[3]!.changes).toEqual([
      { field: 'permissions', before: { principal_guid: server.admin.guid, principal_type: 'user', role: 'viewer' }, after: { principal_guid: server.admin.guid, principal_type: 'user', role: 'owner' } },
    ]);
    expect(history[5]!.changes).toEqual([{ field: 'environment.TOKEN', before: null, after: 'set' }]);
    expect(history[6]!.changes).toEqual([{ field: 'environment.TOKEN', before: 'set', after: null }]);
    expect(history[7]!.changes).toContainEqual({ field: 'bundle_id', before: null, after: bundle.body.id });
    expect(history[7]!.event_description).toContain('ghcr.io/org/general:r4.2-py3.9');
    expect(history[8]!.changes).toContainEqual({ field: 'name', before: 'sales', after: null });
    expect(JSON.stringify(history)).not.toContain('hunter2');
  });

  it('records nothing for a change that was refused', async () => {
    const before = await server.request('GET', '/__api__/v1/search/auditlogs?page_size=1');
    expect((await server.request('POST', '/__api__/v1/users', { body: { username: 'casey' } })).status).toBe(409);
    expect((await server.request('POST', '/__api__/v1/groups', { body: { name: 'nope' }, as: publisher })).status).toBe(403);
    expect((await server.request('POST', '/__api__/v1/content', { body: { name: '' }, as: publisher })).status).toBe(400);
    const after = await server.request('GET', '/__api__/v1/search/auditlogs?page_size=1');
    expect(after.body.total).toBe(before.body.total);
  });
});
