import { ContentPermissionSchema, ErrorCode } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleArchive } from '../test/bundles.js';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

describeEachDialect('content permissions API on %s', (dialect) => {
  let server: TestServer;
  let owner: TestUser;
  /** Collaborator by an `owner` entry naming them. */
  let collaborator: TestUser;
  /** Collaborator through the group `editors`, which has an `owner` entry. */
  let groupMember: TestUser;
  /** A viewer account with a `viewer` entry. */
  let viewerHolder: TestUser;
  let unrelated: TestUser;
  let viewer: TestUser;
  let editors: string;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    owner = await server.addUser('publisher');
    collaborator = await server.addUser('publisher');
    groupMember = await server.addUser('publisher');
    viewerHolder = await server.addUser('viewer');
    unrelated = await server.addUser('publisher');
    viewer = await server.addUser('viewer');
    editors = await newGroup('editors', [groupMember]);
  });
  afterAll(() => server.close());

  async function newGroup(name: string, members: TestUser[]): Promise<string> {
    const group = (await server.request('POST', '/__api__/v1/groups', { body: { name } })).body;
    for (const member of members) {
      expect((await server.request('POST', `/__api__/v1/groups/${group.guid}/members`, { body: { user_guid: member.guid } })).status).toBe(204);
    }
    return group.guid as string;
  }

  const newContent = async (body: Record<string, unknown> = {}) => {
    const response = await server.request('POST', '/__api__/v1/content', { as: owner, body });
    expect(response.status).toBe(200);
    return response.body.guid as string;
  };
  const permissions = (guid: string) => `/__api__/v1/content/${guid}/permissions`;
  const grant = async (guid: string, principal_guid: string, principal_type: 'user' | 'group', role: 'owner' | 'viewer', as = owner) => {
    const response = await server.request('POST', permissions(guid), { as, body: { principal_guid, principal_type, role } });
    expect(response.status).toBe(200);
    return ContentPermissionSchema.parse(response.body);
  };
  /** Content shared the way every test below expects: a collaborator, a collaborating group, a viewer. */
  const sharedContent = async (body: Record<string, unknown> = {}) => {
    const guid = await newContent(body);
    await grant(guid, collaborator.guid, 'user', 'owner');
    await grant(guid, editors, 'group', 'owner');
    await grant(guid, viewerHolder.guid, 'user', 'viewer');
    return guid;
  };
  const rowCount = async () =>
    Number((await server.database.connection.db.selectFrom('content_permissions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it("answers posit-sdk's calls as it makes them: add, list, get, update, destroy", async () => {
    const guid = await newContent();
    expect((await server.request('GET', permissions(guid), { as: owner })).body).toEqual([]);

    const user = await grant(guid, viewerHolder.guid, 'user', 'viewer');
    const group = await grant(guid, editors, 'group', 'owner');
    expect(user).toEqual({ id: expect.stringMatching(/^\d+$/), content_guid: guid, principal_guid: viewerHolder.guid, principal_type: 'user', role: 'viewer' });
    expect(group).toMatchObject({ content_guid: guid, principal_guid: editors, principal_type: 'group', role: 'owner' });
    // In the order they were added, as the SDK's integration test reads them.
    expect((await server.request('GET', permissions(guid), { as: owner })).body).toEqual([user, group]);
    expect((await server.request('GET', `${permissions(guid)}/${user.id}`, { as: owner })).body).toEqual(user);

    // Permission.update sends all three fields back with the change.
    const updated = await server.request('PUT', `${permissions(guid)}/${user.id}`, {
      as: owner,
      body: { principal_guid: viewerHolder.guid, principal_type: 'user', role: 'owner' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({ ...user, role: 'owner' });

    expect((await server.request('DELETE', `${permissions(guid)}/${user.id}`, { as: owner })).status).toBe(204);
    expect((await server.request('GET', `${permissions(guid)}/${user.id}`, { as: owner })).status).toBe(404);
    expect((await server.request('GET', permissions(guid), { as: owner })).body).toEqual([group]);
  });

  it('adds a principal once: adding it again changes its role (Connect: "Add or update permission")', async () => {
    const guid = await newContent();
    const first = await grant(guid, collaborator.guid, 'user', 'viewer');
    const again = await grant(guid, collaborator.guid, 'user', 'owner');
    expect(again).toEqual({ ...first, role: 'owner' });
    expect((await server.request('GET', permissions(guid), { as: owner })).body).toEqual([again]);
  });

  it('says how each caller stands to shared content, and hides it from those it is not shared with', async () => {
    const guid = await sharedContent({ default_image_name: 'ghcr.io/org/img:1' });
    const seen = async (as: TestUser) => server.request('GET', `/__api__/v1/content/${guid}`, { as });
    const listed = async (as: TestUser) => ((await server.request('GET', '/__api__/v1/content', { as })).body as { guid: string }[]).some((item) => item.guid === guid);

    for (const [as, app_role, runtime] of [
      [owner, 'owner', true],
      [collaborator, 'editor', true],
      [groupMember, 'editor', true],
      [viewerHolder, 'viewer', false],
      // Connect: administrators see every item's record, as `none` when it is not shared with them.
      [server.admin, 'none', true],
    ] as const) {
      const response = await seen(as);
      expect(response.status).toBe(200);
      expect(response.body.app_role).toBe(app_role);
      expect(response.body.default_image_name).toBe(runtime ? 'ghcr.io/org/img:1' : null);
      expect(await listed(as)).toBe(true);
    }
    for (const as of [unrelated, viewer]) {
      const response = await seen(as);
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ code: ErrorCode.ObjectDoesNotExist });
      expect(await listed(as)).toBe(false);
      expect((await server.request('GET', `/__api__/v1/content?owner_guid=${owner.guid}`, { as })).body).toEqual([]);
      expect((await server.request('GET', permissions(guid), { as })).status).toBe(404);
    }
  });

  it.each(['logged_in', 'all'])('shows content with access type %s to every signed-in user, as a viewer', async (access_type) => {
    const guid = await newContent({ access_type });
    for (const as of [unrelated, viewer]) {
      const response = await server.request('GET', `/__api__/v1/content/${guid}`, { as });
      expect(response.status).toBe(200);
      expect(response.body.app_role).toBe('viewer');
      expect((await server.request('GET', '/__api__/v1/content', { as })).body.map((item: { guid: string }) => item.guid)).toContain(guid);
    }
    expect((await server.request('GET', `/__api__/v1/content/${guid}`, { as: null })).status).toBe(401);
    // Back to the access list: they no longer see it.
    await server.request('PATCH', `/__api__/v1/content/${guid}`, { as: owner, body: { access_type: 'acl' } });
    expect((await server.request('GET', `/__api__/v1/content/${guid}`, { as: unrelated })).status).toBe(404);
  });

  it('lets collaborators, directly or through a group, change, upload to and share the content like its owner', async () => {
    const guid = await sharedContent();
    for (const as of [collaborator, groupMember]) {
      const patched = await server.request('PATCH', `/__api__/v1/content/${guid}`, { as, body: { title: `by ${as.username}` } });
      expect(patched.status).toBe(200);
      expect(patched.body.title).toBe(`by ${as.username}`);
      const upload = await server.request('POST', `/__api__/v1/content/${guid}/bundles`, { as, rawBody: bundleArchive(), headers: { 'content-type': 'application/gzip' } });
      expect(upload.status).toBe(200);
      expect((await server.request('PATCH', `/__api__/v1/content/${guid}/environment`, { as, body: [{ name: 'K', value: 'v' }] })).status).toBe(200);
      expect((await server.request('GET', `/__api__/v1/content/${guid}/bundles`, { as })).status).toBe(200);
    }
    const added = await grant(guid, unrelated.guid, 'user', 'viewer', groupMember);
    expect((await server.request('DELETE', `${permissions(guid)}/${added.id}`, { as: collaborator })).status).toBe(204);
    // An administrator shares any content.
    await grant(guid, viewer.guid, 'user', 'viewer', server.admin);
  });

  it('lets viewers of the content see it and its access list, and change nothing', async () => {
    const guid = await sharedContent();
    const list = await server.request('GET', permissions(guid), { as: viewerHolder });
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(3);
    const refusals = [
      await server.request('POST', permissions(guid), { as: viewerHolder, body: { principal_guid: viewer.guid, principal_type: 'user', role: 'viewer' } }),
      await server.request('PUT', `${permissions(guid)}/${list.body[0].id}`, { as: viewerHolder, body: { role: 'viewer' } }),
      await server.request('DELETE', `${permissions(guid)}/${list.body[0].id}`, { as: viewerHolder }),
      await server.request('PATCH', `/__api__/v1/content/${guid}`, { as: viewerHolder, body: { title: 'x' } }),
    ];
    for (const response of refusals) expect(response.body).toMatchObject({ code: ErrorCode.PermissionDenied });
    // A publisher with a viewer entry may see, not change or share.
    const shared = await newContent();
    await grant(shared, unrelated.guid, 'user', 'viewer');
    expect((await server.request('GET', `/__api__/v1/content/${shared}`, { as: unrelated })).body.app_role).toBe('viewer');
    expect((await server.request('PATCH', `/__api__/v1/content/${shared}`, { as: unrelated, body: { title: 'x' } })).status).toBe(403);
    expect((await server.request('POST', permissions(shared), { as: unrelated, body: { principal_guid: viewer.guid, principal_type: 'user', role: 'viewer' } })).status).toBe(403);
    expect((await server.request('POST', `/__api__/v1/content/${shared}/bundles`, { as: unrelated, rawBody: bundleArchive(), headers: { 'content-type': 'application/gzip' } })).status).toBe(403);
    expect(await rowCount()).toBeGreaterThan(0);
  });

  it.each([
    ['an unknown user', { principal_guid: '00000000-0000-4000-8000-000000000001', principal_type: 'user', role: 'viewer' }, 'principal_guid', ErrorCode.InvalidUser],
    ['an unknown group', { principal_guid: '00000000-0000-4000-8000-000000000001', principal_type: 'group', role: 'viewer' }, 'principal_guid', ErrorCode.InvalidGroup],
    ['no GUID', { principal_type: 'user', role: 'viewer' }, 'principal_guid', ErrorCode.BadRequest],
    ['a GUID that is not one', { principal_guid: 'me', principal_type: 'user', role: 'viewer' }, 'principal_guid', ErrorCode.BadRequest],
    ['another principal type', { principal_guid: '00000000-0000-4000-8000-000000000001', principal_type: 'team', role: 'viewer' }, 'principal_type', ErrorCode.BadRequest],
    ['another role', { principal_guid: '00000000-0000-4000-8000-000000000001', principal_type: 'user', role: 'editor' }, 'role', ErrorCode.BadRequest],
  ])('refuses %s, naming the field', async (_label, body, field, code) => {
    const guid = await newContent();
    const before = await rowCount();
    const response = await server.request('POST', permissions(guid), { as: owner, body });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code, error: expect.any(String), payload: { field } });
    expect(await rowCount()).toBe(before);
  });

  it('refuses the owner as a principal, a move onto a principal listed already, and ids that name no entry', async () => {
    const guid = await newContent();
    const ownEntry = await server.request('POST', permissions(guid), { as: owner, body: { principal_guid: owner.guid, principal_type: 'user', role: 'viewer' } });
    expect(ownEntry.status).toBe(400);
    expect(ownEntry.body.payload).toEqual({ field: 'principal_guid' });

    const first = await grant(guid, collaborator.guid, 'user', 'viewer');
    const second = await grant(guid, viewerHolder.guid, 'user', 'viewer');
    const moved = await server.request('PUT', `${permissions(guid)}/${second.id}`, { as: owner, body: { principal_guid: collaborator.guid } });
    expect(moved.status).toBe(400);
    expect(moved.body.payload).toEqual({ field: 'principal_guid' });
    expect((await server.request('GET', permissions(guid), { as: owner })).body).toEqual([first, second]);

    const other = await newContent();
    for (const id of ['999999', 'abc', '99999999999', first.id]) {
      // `first.id` is an entry of another content item: not one of this item's.
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const response = await server.request(method, `${permissions(other)}/${id}`, { as: owner, body: method === 'PUT' ? { role: 'owner' } : undefined });
        expect(response.status).toBe(404);
      }
    }
    expect((await server.request('GET', `${permissions('00000000-0000-4000-8000-000000000009')}`, { as: owner })).status).toBe(404);
  });

  it('removes the entries of a deleted group, user or content item, leaving no rows behind', async () => {
    const db = server.database.connection.db;
    const member = await server.addUser('publisher');
    const group = await newGroup('short-lived', [member]);
    const guid = await newContent();
    await grant(guid, group, 'group', 'owner');
    const leaving = await server.addUser('viewer');
    await grant(guid, leaving.guid, 'user', 'viewer');
    await grant(guid, viewer.guid, 'user', 'viewer');
    expect((await server.request('GET', `/__api__/v1/content/${guid}`, { as: member })).body.app_role).toBe('editor');

    expect((await server.request('DELETE', `/__api__/v1/groups/${group}`)).status).toBe(204);
    expect((await server.request('GET', permissions(guid), { as: owner })).body.map((entry: { principal_guid: string }) => entry.principal_guid)).toEqual([leaving.guid, viewer.guid]);
    expect((await server.request('GET', `/__api__/v1/content/${guid}`, { as: member })).status).toBe(404);

    // envdesk has no route that deletes a user; the rows go with the account however it is removed.
    await db.deleteFrom('api_keys').where('user_id', '=', (await server.store.users.findByGuid(leaving.guid))!.id).execute();
    await db.deleteFrom('users').where('guid', '=', leaving.guid).execute();
    expect((await server.request('GET', permissions(guid), { as: owner })).body.map((entry: { principal_guid: string }) => entry.principal_guid)).toEqual([viewer.guid]);

    const content = (await server.store.content.findByGuid(guid))!;
    expect((await server.request('DELETE', `/__api__/v1/content/${guid}`, { as: owner })).status).toBe(204);
    const left = await db.selectFrom('content_permissions').select('id').where('content_id', '=', content.id).execute();
    expect(left).toEqual([]);
  });
});
