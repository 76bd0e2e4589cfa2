import { ErrorCode } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

describeEachDialect('content git repository API on %s', (dialect) => {
  let server: TestServer;
  let owner: TestUser;
  let otherPublisher: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    owner = await server.addUser('publisher');
    otherPublisher = await server.addUser('publisher');
    viewer = await server.addUser('viewer');
  });
  afterAll(() => server.close());

  const newContent = async () => {
    const response = await server.request('POST', '/__api__/v1/content', { as: owner, body: {} });
    expect(response.status).toBe(200);
    return response.body.guid as string;
  };
  /** Let every signed-in user see the content (Connect's `logged_in`), as its owner may. */
  const openToAll = async (guid: string) => {
    const response = await server.request('PATCH', `/__api__/v1/content/${guid}`, { as: owner, body: { access_type: 'logged_in' } });
    expect(response.status).toBe(200);
  };
  const call = (method: string, guid: string, as: TestUser | null, body?: unknown) =>
    server.request(method, `/__api__/v1/content/${guid}/repository`, { as, body });
  const settings = {
    repository: 'https://github.com/posit-dev/posit-sdk-py',
    branch: '1dacc4dd',
    directory: 'integration/resources/connect/bundles/example-quarto-minimal',
    polling: false,
  };

  it("sets, reads, patches and removes the settings in Connect's shape; 404 with code 4 when there are none", async () => {
    const guid = await newContent();
    const none = await call('GET', guid, owner);
    expect(none.status).toBe(404);
    expect(none.body).toMatchObject({ code: ErrorCode.ObjectDoesNotExist, payload: null });

    const put = await call('PUT', guid, owner, settings);
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ ...settings, last_error: null, last_known_commit: null });
    await openToAll(guid);
    expect((await call('GET', guid, viewer)).body).toEqual(put.body);

    const patched = await call('PATCH', guid, owner, { branch: 'main', polling: true });
    expect(patched.body).toEqual({ ...settings, branch: 'main', polling: true, last_error: null, last_known_commit: null });
    expect((await call('GET', guid, owner)).body).toEqual(patched.body);

    expect((await call('DELETE', guid, owner)).status).toBe(204);
    expect((await call('GET', guid, owner)).status).toBe(404);
  });

  it("fills what a PUT leaves out with Connect's defaults; a PATCH without settings needs a repository", async () => {
    const guid = await newContent();
    expect((await call('PATCH', guid, owner, { branch: 'dev' })).status).toBe(404);
    const put = await call('PUT', guid, owner, { repository: 'git@github.com:org/repo.git' });
    expect(put.body).toMatchObject({ repository: 'git@github.com:org/repo.git', branch: 'main', directory: '.', polling: false });
    const other = await newContent();
    const created = await call('PATCH', other, owner, { repository: 'https://example.org/r.git' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ branch: 'main', directory: '.', polling: false });
  });

  it.each([
    ['no repository', { branch: 'main' }, 'repository'],
    ['an empty repository', { repository: '' }, 'repository'],
    ['a repository that is not a URL', { repository: 'just words' }, 'repository'],
    ['a repository with a control character', { repository: 'https://example.org/\u0000' }, 'repository'],
    ['a repository of 5000 characters', { repository: `https://example.org/${'a'.repeat(5000)}` }, 'repository'],
    ['a branch with a space', { ...settings, branch: 'my branch' }, 'branch'],
    ['a branch starting with "-"', { ...settings, branch: '--upload-pack=x' }, 'branch'],
    ['a branch with ".."', { ...settings, branch: 'a..b' }, 'branch'],
    ['an absolute directory', { ...settings, directory: '/etc' }, 'directory'],
    ['a directory leaving the repository', { ...settings, directory: 'a/../../b' }, 'directory'],
    ['polling that is not true or false', { ...settings, polling: 'yes' }, 'polling'],
  ])('refuses %s (400 naming the field), storing nothing', async (_label, body, field) => {
    const guid = await newContent();
    const response = await call('PUT', guid, owner, body);
    expect(response.status).toBe(400);
    expect(response.body.payload.field).toBe(field);
    expect((await call('GET', guid, owner)).status).toBe(404);
  });

  it('lets the owner and administrators change the settings; another publisher and a viewer get 403 and may read them', async () => {
    const guid = await newContent();
    expect((await call('PUT', guid, server.admin, settings)).status).toBe(200);
    // Not shared with them: the content and its settings do not exist for them.
    for (const caller of [otherPublisher, viewer]) {
      const hidden = await call('GET', guid, caller);
      expect(hidden.status).toBe(404);
      expect(hidden.body).toMatchObject({ code: ErrorCode.ObjectDoesNotExist });
    }
    for (const [method, body] of [['PUT', settings], ['PATCH', { polling: true }], ['DELETE', undefined]] as const) {
      expect((await call(method, guid, otherPublisher, body)).status).toBe(404);
    }

    await openToAll(guid);
    for (const caller of [otherPublisher, viewer]) {
      for (const [method, body] of [['PUT', settings], ['PATCH', { polling: true }], ['DELETE', undefined]] as const) {
        const response = await call(method, guid, caller, body);
        expect(response.status).toBe(403);
        expect(response.body).toMatchObject({ code: ErrorCode.PermissionDenied });
      }
      expect((await call('GET', guid, caller)).status).toBe(200);
    }
    expect((await call('GET', guid, null)).status).toBe(401);
    expect((await call('GET', '0b6f3a4e-7d1c-4c1f-9d4c-4f2b0f0d9e11', owner)).status).toBe(404);
  });
});
