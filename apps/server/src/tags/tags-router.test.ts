import { ErrorCode } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

describeEachDialect('tags API on %s', (dialect) => {
  let server: TestServer;
  let owner: TestUser;
  let otherPublisher: TestUser;
  let viewer: TestUser;
  let counter = 0;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    owner = await server.addUser('publisher');
    otherPublisher = await server.addUser('publisher');
    viewer = await server.addUser('viewer');
  });
  afterAll(() => server.close());

  const unique = (label: string) => `${label}-${++counter}`;
  const createTag = async (name: string, parent_id?: string) => {
    const response = await server.request('POST', '/__api__/v1/tags', { as: server.admin, body: parent_id === undefined ? { name } : { name, parent_id } });
    expect(response.status, response.text).toBe(200);
    return response.body as { id: string; name: string; parent_id: string | null; created_time: string; updated_time: string };
  };
  const newContent = async (as: TestUser = owner) => {
    const response = await server.request('POST', '/__api__/v1/content', { as, body: {} });
    expect(response.status).toBe(200);
    return response.body.guid as string;
  };
  /** Let every signed-in user see the content (Connect's `logged_in`), as its owner may. */
  const openToAll = async (guid: string, as: TestUser = owner) => {
    const response = await server.request('PATCH', `/__api__/v1/content/${guid}`, { as, body: { access_type: 'logged_in' } });
    expect(response.status).toBe(200);
  };
  const tagNamesOf = async (guid: string, as: TestUser = owner) =>
    ((await server.request('GET', `/__api__/v1/content/${guid}/tags`, { as })).body as { name: string }[]).map((tag) => tag.name);

  it("creates, finds, renames, moves and deletes tags in Connect's shape", async () => {
    const category = await createTag(unique('Region'));
    expect(category).toEqual({ id: expect.stringMatching(/^\d+$/), name: category.name, parent_id: null, created_time: expect.any(String), updated_time: expect.any(String) });
    const europe = await createTag('Europe', category.id);
    expect(europe.parent_id).toBe(category.id);

    expect((await server.request('GET', `/__api__/v1/tags/${europe.id}`, { as: viewer })).body).toEqual(europe);
    // Connect also finds a tag by its path of names from its category.
    expect((await server.request('GET', `/__api__/v1/tags/${encodeURIComponent(`${category.name},Europe`)}`, { as: viewer })).body).toEqual(europe);
    expect((await server.request('GET', `/__api__/v1/tags?parent_id=${category.id}`, { as: viewer })).body).toEqual([europe]);
    expect((await server.request('GET', `/__api__/v1/tags?name=Europe&parent_id=${category.id}`, { as: owner })).body).toEqual([europe]);

    const renamed = await server.request('PATCH', `/__api__/v1/tags/${europe.id}`, { as: server.admin, body: { name: 'EU' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: europe.id, name: 'EU', parent_id: category.id });
    const moved = await server.request('PATCH', `/__api__/v1/tags/${europe.id}`, { as: server.admin, body: { parent_id: null } });
    expect(moved.body).toMatchObject({ name: 'EU', parent_id: null });

    const deleted = await server.request('DELETE', `/__api__/v1/tags/${europe.id}`, { as: server.admin });
    expect(deleted.status).toBe(204);
    const gone = await server.request('GET', `/__api__/v1/tags/${europe.id}`, { as: server.admin });
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ code: ErrorCode.ObjectDoesNotExist });
  });

  it('deletes the tags under a deleted tag, and takes them all off content', async () => {
    const category = await createTag(unique('Topic'));
    const finance = await createTag('Finance', category.id);
    const budget = await createTag('Budget', finance.id);
    const guid = await newContent();
    await server.request('POST', `/__api__/v1/content/${guid}/tags`, { as: owner, body: { tag_id: budget.id } });
    expect(await tagNamesOf(guid)).toEqual(['Finance', 'Budget']);

    expect((await server.request('DELETE', `/__api__/v1/tags/${category.id}`, { as: server.admin })).status).toBe(204);
    for (const tag of [category, finance, budget]) expect((await server.request('GET', `/__api__/v1/tags/${tag.id}`, { as: server.admin })).status).toBe(404);
    expect(await tagNamesOf(guid)).toEqual([]);
  });

  it('keeps names unique among siblings only, and refuses a move that would make a cycle', async () => {
    const category = await createTag(unique('Unit'));
    const a = await createTag('A', category.id);
    const b = await createTag('B', a.id);
    // The same name under another parent is fine.
    await createTag('A', b.id);

    const duplicate = await server.request('POST', '/__api__/v1/tags', { as: server.admin, body: { name: 'A', parent_id: category.id } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ code: ErrorCode.DuplicateName, payload: { field: 'name' } });
    const duplicateCategory = await server.request('POST', '/__api__/v1/tags', { as: server.admin, body: { name: category.name } });
    expect(duplicateCategory.status).toBe(409);
    const renameClash = await server.request('PATCH', `/__api__/v1/tags/${b.id}`, { as: server.admin, body: { name: 'A', parent_id: category.id } });
    expect(renameClash.status).toBe(409);

    for (const parent of [a, b]) {
      const cycle = await server.request('PATCH', `/__api__/v1/tags/${a.id}`, { as: server.admin, body: { parent_id: parent.id } });
      expect(cycle.status).toBe(400);
      expect(cycle.body).toMatchObject({ code: ErrorCode.InvalidParameter, payload: { field: 'parent_id' } });
    }
    expect((await server.request('GET', `/__api__/v1/tags/${a.id}`, { as: server.admin })).body.parent_id).toBe(category.id);
  });

  it.each([
    ['an empty name', { name: '' }, 'name'],
    ['a name of spaces', { name: '   ' }, 'name'],
    ['a name of 256 characters', { name: 'n'.repeat(256) }, 'name'],
    ['a name with a control character', { name: 'tab\u0000' }, 'name'],
    ['a name that is not text', { name: 42 }, 'name'],
    ['no name', {}, 'name'],
    ['a parent id that is not an id', { name: 'x', parent_id: 'abc' }, 'parent_id'],
    ['a negative parent id', { name: 'x', parent_id: -1 }, 'parent_id'],
    ['a parent that does not exist', { name: 'x', parent_id: '999999' }, 'parent_id'],
  ])('refuses to create a tag with %s (400 naming the field)', async (_label, body, field) => {
    const response = await server.request('POST', '/__api__/v1/tags', { as: server.admin, body });
    expect(response.status).toBe(400);
    expect(response.body.payload.field).toBe(field);
  });

  it('trims names and keeps any other text, up to 255 characters', async () => {
    const category = await createTag(`  ${unique('Ünïcode 🏷')}  `);
    expect(category.name).toMatch(/^Ünïcode 🏷-\d+$/);
    const longest = await createTag('é'.repeat(255), category.id);
    expect(longest.name).toHaveLength(255);
  });

  it('lets only administrators create, change and delete tags; everyone signed in reads them', async () => {
    const category = await createTag(unique('Admin-only'));
    for (const caller of [owner, viewer]) {
      for (const [method, path, body] of [
        ['POST', '/__api__/v1/tags', { name: 'nope' }],
        ['PATCH', `/__api__/v1/tags/${category.id}`, { name: 'nope' }],
        ['DELETE', `/__api__/v1/tags/${category.id}`, undefined],
      ] as const) {
        const response = await server.request(method, path, { as: caller, body });
        expect(response.status).toBe(403);
        expect(response.body).toMatchObject({ code: ErrorCode.PermissionDenied, payload: null });
      }
      expect((await server.request('GET', `/__api__/v1/tags/${category.id}`, { as: caller })).status).toBe(200);
    }
    expect((await server.request('GET', '/__api__/v1/tags', { as: null })).status).toBe(401);
  });

  it('puts a tag on content with the tags above it but not its category, and takes a tag off with the tags under it', async () => {
    const root = await createTag(unique('Root'));
    const a = await createTag('A', root.id);
    const b = await createTag('B', root.id);
    const c = await createTag('C', a.id);
    const d = await createTag('D', c.id);
    const guid = await newContent();

    const added = await server.request('POST', `/__api__/v1/content/${guid}/tags`, { as: owner, body: { tag_id: d.id } });
    expect(added.status).toBe(200);
    await server.request('POST', `/__api__/v1/content/${guid}/tags`, { as: owner, body: { tag_id: b.id } });
    expect(await tagNamesOf(guid)).toEqual(['A', 'B', 'C', 'D']);
    // Adding again changes nothing.
    expect((await server.request('POST', `/__api__/v1/content/${guid}/tags`, { as: owner, body: { tag_id: Number(d.id) } })).status).toBe(200);
    expect(await tagNamesOf(guid)).toEqual(['A', 'B', 'C', 'D']);

    const removed = await server.request('DELETE', `/__api__/v1/content/${guid}/tags/${c.id}`, { as: owner });
    expect(removed.status).toBe(200);
    expect(await tagNamesOf(guid)).toEqual(['A', 'B']);
    expect((await server.request('DELETE', `/__api__/v1/content/${guid}/tags/${root.id}`, { as: owner })).status).toBe(200);
    expect(await tagNamesOf(guid)).toEqual([]);

    const category = await server.request('POST', `/__api__/v1/content/${guid}/tags`, { as: owner, body: { tag_id: root.id } });
    expect(category.status).toBe(400);
    expect(category.body).toMatchObject({ code: ErrorCode.InvalidParameter, payload: { field: 'tag_id' } });
    const missing = await server.request('POST', `/__api__/v1/content/${guid}/tags`, { as: owner, body: { tag_id: '999999' } });
    expect(missing.status).toBe(404);
    for (const body of [{}, { tag_id: 'x' }, { tag_id: '' }, { tag_id: 1.5 }, { tag_id: '1\u0000' }]) {
      const hostile = await server.request('POST', `/__api__/v1/content/${guid}/tags`, { as: owner, body });
      expect(hostile.status).toBe(400);
      expect(hostile.body.payload.field).toBe('tag_id');
    }
  });

  it("lets the owner and administrators tag content; another publisher and a viewer only read its tags", async () => {
    const root = await createTag(unique('Who'));
    const tag = await createTag('T', root.id);
    const guid = await newContent();
    expect((await server.request('POST', `/__api__/v1/content/${guid}/tags`, { as: server.admin, body: { tag_id: tag.id } })).status).toBe(200);
    // Not shared with them: its tags do not exist for them either, and another publisher cannot tag it.
    for (const caller of [otherPublisher, viewer]) {
      const hidden = await server.request('GET', `/__api__/v1/content/${guid}/tags`, { as: caller });
      expect(hidden.status).toBe(404);
      expect(hidden.body).toMatchObject({ code: ErrorCode.ObjectDoesNotExist });
    }
    expect((await server.request('POST', `/__api__/v1/content/${guid}/tags`, { as: otherPublisher, body: { tag_id: tag.id } })).status).toBe(404);
    expect((await server.request('DELETE', `/__api__/v1/content/${guid}/tags/${tag.id}`, { as: otherPublisher })).status).toBe(404);

    await openToAll(guid);
    for (const caller of [otherPublisher, viewer]) {
      const add = await server.request('POST', `/__api__/v1/content/${guid}/tags`, { as: caller, body: { tag_id: tag.id } });
      expect(add.status).toBe(403);
      const remove = await server.request('DELETE', `/__api__/v1/content/${guid}/tags/${tag.id}`, { as: caller });
      expect(remove.status).toBe(403);
      expect(await tagNamesOf(guid, caller)).toEqual(['T']);
    }
    const missing = await server.request('GET', '/__api__/v1/content/0b6f3a4e-7d1c-4c1f-9d4c-4f2b0f0d9e11/tags', { as: owner });
    expect(missing.status).toBe(404);
  });

  it('lists the content carrying a tag, and shows tags on content with ?include=tags', async () => {
    const root = await createTag(unique('Listed'));
    const tag = await createTag('Tagged', root.id);
    const [first, second, unshared, untagged] = [await newContent(), await newContent(otherPublisher), await newContent(), await newContent()];
    await openToAll(first);
    await openToAll(second, otherPublisher);
    for (const guid of [first, second, unshared]) await server.request('POST', `/__api__/v1/content/${guid}/tags`, { as: server.admin, body: { tag_id: tag.id } });

    const listedTo = async (as: TestUser) => {
      const listed = await server.request('GET', `/__api__/v1/tags/${tag.id}/content`, { as });
      expect(listed.status).toBe(200);
      return (listed.body as { guid: string }[]).map((item) => item.guid).sort();
    };
    // Content not shared with the caller is left out, as from every list.
    expect(await listedTo(viewer)).toEqual([first, second].sort());
    expect(await listedTo(server.admin)).toEqual([first, second, unshared].sort());

    const one = await server.request('GET', `/__api__/v1/content/${first}?include=tags,owner`, { as: viewer });
    expect(one.body.tags).toEqual([expect.objectContaining({ id: tag.id, name: 'Tagged', parent_id: root.id })]);
    const list = await server.request('GET', '/__api__/v1/content?include=tags', { as: owner });
    const byGuid = new Map((list.body as { guid: string }[]).map((item) => [item.guid, item]));
    expect(byGuid.get(first)).toHaveProperty('tags', [expect.objectContaining({ id: tag.id })]);
    // Content without tags has no `tags` field, as in Connect (posit-sdk checks this).
    expect(byGuid.get(untagged)).not.toHaveProperty('tags');
    // Without include the field is absent, as in Connect.
    expect((await server.request('GET', `/__api__/v1/content/${first}`, { as: owner })).body).not.toHaveProperty('tags');
  });
});
