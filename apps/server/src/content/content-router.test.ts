import { ContentSchema, ErrorCode } from '@envdesk/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

describe('content API', () => {
  let server: TestServer;
  let publisher: TestUser;
  let otherPublisher: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    server = await startTestServer();
    publisher = await server.addUser('publisher');
    otherPublisher = await server.addUser('publisher');
    viewer = await server.addUser('viewer');
  });
  afterAll(() => server.close());

  const create = async (as: TestUser, body: Record<string, unknown> = {}) => {
    const response = await server.request('POST', '/__api__/v1/content', { as, body });
    expect(response.status).toBe(200);
    return ContentSchema.parse(response.body);
  };

  it('creates content from an empty body with a generated name, and string URLs', async () => {
    const content = await create(publisher);
    expect(content).toMatchObject({
      name: expect.stringMatching(/^content-[0-9a-f]{8}$/),
      app_mode: 'unknown',
      bundle_id: null,
      owner_guid: publisher.guid,
      app_role: 'owner',
      content_url: `${server.url}/content/${content.guid}/`,
      dashboard_url: `${server.url}/connect/#/apps/${content.guid}`,
    });
  });

  it('takes the cookbook body: an image and both environment-management flags off', async () => {
    const content = await create(publisher, {
      name: 'my-image-classifier-app',
      default_image_name: 'registry.example.org/image-classifier:jammy',
      default_r_environment_management: false,
      default_py_environment_management: false,
    });
    expect(content).toMatchObject({
      default_image_name: 'registry.example.org/image-classifier:jammy',
      default_r_environment_management: false,
      default_py_environment_management: false,
    });
  });

  it('keeps names unique per owner, not across owners', async () => {
    await create(publisher, { name: 'shared-name' });
    const again = await server.request('POST', '/__api__/v1/content', { as: publisher, body: { name: 'shared-name' } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: ErrorCode.DuplicateName, payload: { field: 'name' } });
    await create(otherPublisher, { name: 'shared-name' });
  });

  it('filters by exact name, so a unique-name search terminates', async () => {
    await create(publisher, { name: 'exact-name' });
    await create(publisher, { name: 'exact-name-2' });
    const found = await server.request('GET', '/__api__/v1/content?name=exact-name&include=owner', { as: publisher });
    expect(found.body.map((item: { name: string }) => item.name)).toEqual(['exact-name']);
    expect((await server.request('GET', '/__api__/v1/content?name=free-name', { as: publisher })).body).toEqual([]);
  });

  it('hides runtime fields from viewers and other publishers', async () => {
    const content = await create(publisher, { default_image_name: 'ghcr.io/org/img:1', access_type: 'logged_in' });
    for (const as of [viewer, otherPublisher]) {
      const seen = await server.request('GET', `/__api__/v1/content/${content.guid}`, { as });
      expect(seen.status).toBe(200);
      expect(seen.body).toMatchObject({ default_image_name: null, image_name: null, app_role: 'viewer' });
    }
    expect((await server.request('GET', `/__api__/v1/content/${content.guid}`)).body.default_image_name).toBe('ghcr.io/org/img:1');
  });

  it('lets owners and administrators change content, and no one else', async () => {
    // Open to every signed-in user, so that the others are refused for their rights, not told it is absent.
    const content = await create(publisher, { access_type: 'logged_in' });
    const path = `/__api__/v1/content/${content.guid}`;
    expect((await server.request('PATCH', path, { as: otherPublisher, body: { title: 'x' } })).status).toBe(403);
    expect((await server.request('PATCH', path, { as: viewer, body: { title: 'x' } })).status).toBe(403);
    expect((await server.request('PATCH', path, { as: publisher, body: { title: 'Mine' } })).body.title).toBe('Mine');
    expect((await server.request('PATCH', path, { body: { title: 'Admin' } })).body.title).toBe('Admin');
    expect((await server.request('DELETE', path, { as: otherPublisher })).status).toBe(403);
    expect((await server.request('DELETE', path, { as: publisher })).status).toBe(204);
    expect((await server.request('GET', path, { as: publisher })).status).toBe(404);
  });

  it('accepts only a chosen environment the owner may use', async () => {
    const open = (await server.request('POST', '/__api__/v1/environments', { body: { name: 'ghcr.io/org/open:1' } })).body;
    const restricted = (await server.request('POST', '/__api__/v1/environments', { body: { name: 'ghcr.io/org/closed:1' } })).body;
    const disabled = (await server.request('POST', '/__api__/v1/environments', { body: { name: 'ghcr.io/org/off:1', matching: 'none' } })).body;
    await server.request('POST', `/__api__/v1/environments/${restricted.guid}/permissions`, { body: { user_guid: otherPublisher.guid } });
    const content = await create(publisher);
    const path = `/__api__/v1/content/${content.guid}`;

    const ok = await server.request('PATCH', path, { as: publisher, body: { default_environment_guid: open.guid } });
    expect(ok.body.default_environment_guid).toBe(open.guid);
    for (const environment of [restricted, disabled]) {
      const refused = await server.request('PATCH', path, { as: publisher, body: { default_environment_guid: environment.guid } });
      expect(refused.status).toBe(400);
      expect(refused.body.payload.field).toBe('default_environment_guid');
    }
    // An administrator acting on the publisher's content is held to the publisher's permissions.
    const byAdmin = await server.request('PATCH', path, { body: { default_environment_guid: restricted.guid } });
    expect(byAdmin.status).toBe(400);
    const automatic = await server.request('PATCH', path, { as: publisher, body: { default_environment_guid: null } });
    expect(automatic.body.default_environment_guid).toBeNull();
  });

  it.each([
    [{ name: 'a' }, 'name'],
    [{ name: 'has spaces' }, 'name'],
    [{ default_image_name: 'Not An Image' }, 'default_image_name'],
    [{ default_environment_guid: 'nope' }, 'default_environment_guid'],
    [{ default_r_environment_management: 'no' }, 'default_r_environment_management'],
  ])('names the wrong field of %j', async (body, field) => {
    const response = await server.request('POST', '/__api__/v1/content', { as: publisher, body });
    expect(response.status).toBe(400);
    expect(response.body.payload.field).toBe(field);
  });
});
