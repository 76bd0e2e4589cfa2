import { ErrorCode, GroupSchema, UserSchema, paginatedSchema } from '@envdesk/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../test/test-server.js';

describe('users and groups API', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const createUser = (body: Record<string, unknown>) => server.request('POST', '/__api__/v1/users', { body });

  it('creates a user who can then sign in, and refuses the same username twice', async () => {
    const response = await createUser({ username: 'carlos12', email: 'carlos@example.org', first_name: 'Carlos', user_role: 'publisher', password: 'long-enough' });
    expect(response.status).toBe(200);
    const user = UserSchema.parse(response.body);
    expect(user).toMatchObject({ username: 'carlos12', user_role: 'publisher', locked: false, confirmed: true, last_name: '' });
    const login = await server.request('POST', '/__api__/v1/auth/login', { as: null, body: { username: 'carlos12', password: 'long-enough' } });
    expect(login.status).toBe(200);

    const again = await createUser({ username: 'Carlos12' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: ErrorCode.DuplicateName, payload: { field: 'username' } });
  });

  it.each([
    [{ username: '' }, 'username'],
    [{ username: 'ok', user_role: 'superuser' }, 'user_role'],
    [{ username: 'ok', email: 'not-an-email' }, 'email'],
    [{ username: 'ok', password: 'short' }, 'password'],
  ])('names the wrong field of %j', async (body, field) => {
    const response = await createUser(body);
    expect(response.status).toBe(400);
    expect(response.body.payload.field).toBe(field);
  });

  it('lists users in pages with a total, filtered by prefix, ignoring unknown query keys', async () => {
    for (const name of ['zed-one', 'zed-two', 'zed-three']) await createUser({ username: name });
    const page = await server.request('GET', '/__api__/v1/users?prefix=zed&page_size=2&page_number=1&find_by=whatever');
    const parsed = paginatedSchema(UserSchema).parse(page.body);
    expect(parsed.total).toBe(3);
    expect(parsed.results).toHaveLength(2);
    const second = await server.request('GET', '/__api__/v1/users?prefix=zed&page_size=2&page_number=2');
    expect(second.body.results).toHaveLength(1);
    expect(second.body.current_page).toBe(2);
    const bad = await server.request('GET', '/__api__/v1/users?page_size=9999');
    expect(bad.status).toBe(400);
    expect(bad.body.payload.field).toBe('page_size');
  });

  it('updates a user and locks and unlocks them; a locked user is refused', async () => {
    const user = (await createUser({ username: 'lockme', user_role: 'viewer', password: 'long-enough' })).body;
    const updated = await server.request('PUT', `/__api__/v1/users/${user.guid}`, { body: { user_role: 'publisher', first_name: 'Lock' } });
    expect(updated.body).toMatchObject({ user_role: 'publisher', first_name: 'Lock', username: 'lockme' });

    await server.request('POST', `/__api__/v1/users/${user.guid}/lock`, { body: { locked: true } });
    expect((await server.request('GET', `/__api__/v1/users/${user.guid}`)).body.locked).toBe(true);
    const login = await server.request('POST', '/__api__/v1/auth/login', { as: null, body: { username: 'lockme', password: 'long-enough' } });
    expect(login.status).toBe(401);
    await server.request('POST', `/__api__/v1/users/${user.guid}/lock`, { body: { locked: false } });
    expect((await server.request('GET', `/__api__/v1/users/${user.guid}`)).body.locked).toBe(false);
  });

  it('will not let administrators lock themselves out', async () => {
    const response = await server.request('POST', `/__api__/v1/users/${server.admin.guid}/lock`, { body: { locked: true } });
    expect(response.status).toBe(400);
    expect((await server.request('GET', '/__api__/v1/user')).status).toBe(200);
  });

  it('will not let administrators change their own role, but lets them save their profile as it is', async () => {
    const demote = await server.request('PUT', `/__api__/v1/users/${server.admin.guid}`, { body: { user_role: 'publisher' } });
    expect(demote.status).toBe(400);
    expect(demote.body).toMatchObject({ code: ErrorCode.InvalidParameter, payload: { field: 'user_role' } });
    const same = await server.request('PUT', `/__api__/v1/users/${server.admin.guid}`, { body: { user_role: 'administrator', first_name: 'Ada' } });
    expect(same.body).toMatchObject({ user_role: 'administrator', first_name: 'Ada' });
    expect((await server.request('GET', '/__api__/v1/users')).status).toBe(200);
  });

  it('manages groups and members; deleting a group removes the permissions that named it', async () => {
    const group = GroupSchema.parse((await server.request('POST', '/__api__/v1/groups', { body: { name: 'Analysts' } })).body);
    expect(group.owner_guid).toBe(server.admin.guid);
    expect((await server.request('POST', '/__api__/v1/groups', { body: { name: 'analysts' } })).status).toBe(409);

    const member = (await createUser({ username: 'member-one' })).body;
    const path = `/__api__/v1/groups/${group.guid}/members`;
    expect((await server.request('POST', path, { body: { user_guid: member.guid } })).status).toBe(204);
    expect((await server.request('POST', path, { body: { user_guid: member.guid } })).status).toBe(204);
    const members = await server.request('GET', path);
    expect(members.body).toMatchObject({ total: 1, current_page: 1, results: [{ guid: member.guid }] });

    const environment = (await server.request('POST', '/__api__/v1/environments', { body: { name: 'ghcr.io/org/grp:1' } })).body;
    await server.request('POST', `/__api__/v1/environments/${environment.guid}/permissions`, { body: { group_guid: group.guid } });
    expect((await server.request('DELETE', `/__api__/v1/groups/${group.guid}`)).status).toBe(204);
    expect((await server.request('GET', `/__api__/v1/environments/${environment.guid}/permissions`)).body).toEqual([]);
    expect((await server.request('GET', `/__api__/v1/groups/${group.guid}`)).status).toBe(404);
  });
});
