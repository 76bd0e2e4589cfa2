import { ContentSchema, ErrorCode } from '@envdesk/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

/** Every setting with a value other than its default, as a client would send them. */
const SETTINGS = {
  access_type: 'logged_in',
  connection_timeout: 3600,
  read_timeout: 0,
  init_timeout: 60,
  idle_timeout: 5,
  max_processes: 3,
  min_processes: 1,
  max_conns_per_process: 20,
  load_factor: 0.5,
  memory_request: 1_073_741_824,
  // Past 32 bits, as bytes often are.
  memory_limit: 17_179_869_184,
  cpu_request: 0.25,
  cpu_limit: 1.5,
  amd_gpu_limit: 0,
  nvidia_gpu_limit: 2,
  service_account_name: 'connect-content.reports',
  run_as: 'rstudio-connect',
  run_as_current_user: true,
  metrics_collection_enabled: false,
  notify_on_share: true,
  otel_enabled: true,
} as const;

/** What content that never set them shows. */
const DEFAULTS = {
  access_type: 'acl',
  locked: false,
  locked_message: '',
  connection_timeout: null,
  read_timeout: null,
  init_timeout: null,
  idle_timeout: null,
  max_processes: null,
  min_processes: null,
  max_conns_per_process: null,
  load_factor: null,
  memory_request: null,
  memory_limit: null,
  cpu_request: null,
  cpu_limit: null,
  amd_gpu_limit: null,
  nvidia_gpu_limit: null,
  service_account_name: null,
  run_as: null,
  run_as_current_user: false,
  metrics_collection_enabled: null,
  notify_on_share: null,
  otel_enabled: false,
};

describeEachDialect('content settings on %s', (dialect) => {
  let server: TestServer;
  let owner: TestUser;
  let publisher: TestUser;
  let viewer: TestUser;
  beforeAll(async () => {
    server = await startTestServer({ dialect });
    // An administrator: only they may set the identity a process runs as (run_as, …), which
    // SETTINGS includes; what a publisher may set is tested at the end.
    owner = await server.addUser('administrator');
    publisher = await server.addUser('publisher');
    viewer = await server.addUser('viewer');
  });
  afterAll(() => server.close());

  const create = async (body: Record<string, unknown> = {}) => {
    const response = await server.request('POST', '/__api__/v1/content', { as: owner, body });
    expect(response.status).toBe(200);
    return ContentSchema.parse(response.body);
  };
  const read = async (guid: string, as: TestUser = owner) => (await server.request('GET', `/__api__/v1/content/${guid}`, { as })).body;
  const patch = (guid: string, body: Record<string, unknown>) => server.request('PATCH', `/__api__/v1/content/${guid}`, { as: owner, body });

  it('shows Connect’s defaults on content that never set them', async () => {
    const content = await create();
    expect(await read(content.guid)).toMatchObject(DEFAULTS);
  });

  it('keeps every setting sent on create, and shows it back on every read', async () => {
    const content = await create(SETTINGS);
    expect(content).toMatchObject(SETTINGS);
    expect(await read(content.guid)).toMatchObject(SETTINGS);
    const [listed] = (await server.request('GET', `/__api__/v1/content?name=${content.name}`, { as: owner })).body;
    expect(listed).toMatchObject(SETTINGS);
  });

  it('replaces the settings a PATCH sends, the lock included, and leaves the rest', async () => {
    const content = await create({ access_type: 'all', max_processes: 4 });
    const response = await patch(content.guid, { ...SETTINGS, locked: true, locked_message: '# Closed for **maintenance**' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ...SETTINGS, locked: true, locked_message: '# Closed for **maintenance**' });

    const partly = await patch(content.guid, { min_processes: 2, locked: false });
    expect(partly.body).toMatchObject({ ...SETTINGS, min_processes: 2, locked: false, locked_message: '# Closed for **maintenance**' });
    expect(await read(content.guid)).toMatchObject({ ...SETTINGS, min_processes: 2, locked: false });
  });

  it('goes back to the server’s default when a setting is sent as null', async () => {
    const content = await create(SETTINGS);
    const nulls = Object.fromEntries(Object.keys(SETTINGS).filter((key) => key !== 'access_type').map((key) => [key, null]));
    const response = await patch(content.guid, { ...nulls, locked: null, locked_message: null });
    expect(response.status).toBe(200);
    expect(await read(content.guid)).toMatchObject({ ...DEFAULTS, access_type: 'logged_in' });
  });

  it('lets a PATCH mark content as an MCP server and clear it again', async () => {
    const content = await create();
    expect((await patch(content.guid, { content_category: 'mcp' })).body.content_category).toBe('mcp');
    expect((await read(content.guid)).content_category).toBe('mcp');
    const refused = await patch(content.guid, { content_category: 'site' });
    expect(refused.status).toBe(400);
    expect(refused.body.payload.field).toBe('content_category');
    expect((await patch(content.guid, { content_category: null })).body.content_category).toBe('');
  });

  it('ignores fields Connect does not know, as Connect does', async () => {
    const content = await create({ name: 'with-extras', favourite_colour: 'teal', min_processes: 1 });
    expect(content).toMatchObject({ name: 'with-extras', min_processes: 1 });
    expect(content).not.toHaveProperty('favourite_colour');
    const response = await patch(content.guid, { favourite_colour: 'red', max_processes: 2 });
    expect(response.status).toBe(200);
    expect(response.body).not.toHaveProperty('favourite_colour');
    expect(response.body.max_processes).toBe(2);
  });

  it.each([
    ['access_type', 'everyone'],
    ['access_type', null],
    ['connection_timeout', -1],
    ['read_timeout', 1.5],
    ['idle_timeout', '5'],
    ['init_timeout', 2_147_483_648],
    ['max_processes', 0],
    ['min_processes', -1],
    ['max_conns_per_process', 0],
    ['load_factor', 1.5],
    ['memory_limit', -1],
    ['memory_request', 0.5],
    ['cpu_limit', -0.5],
    ['nvidia_gpu_limit', 1.5],
    ['service_account_name', 'Not_A_Name'],
    ['run_as', 'root user'],
    ['run_as_current_user', 'yes'],
    ['notify_on_share', 1],
    ['locked', 'true'],
  ])('refuses %s %j, naming it, and changes nothing', async (field, value) => {
    const content = await create({ max_processes: 3, min_processes: 1 });
    const before = await read(content.guid);
    const response = await patch(content.guid, { title: 'Changed', [field]: value });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: ErrorCode.BadRequest, payload: { field } });
    expect(await read(content.guid)).toEqual(before);

    if (field === 'locked') return; // PATCH only: create ignores it.
    const created = await server.request('POST', '/__api__/v1/content', { as: owner, body: { name: `refused-${field}`, [field]: value } });
    expect(created.status).toBe(400);
    expect(created.body.payload.field).toBe(field);
    expect((await server.request('GET', `/__api__/v1/content?name=refused-${field}`, { as: owner })).body).toEqual([]);
  });

  it('refuses a minimum over its maximum, against what is stored, naming the field sent', async () => {
    const content = await create({ max_processes: 3, memory_limit: 1000 });
    const before = await read(content.guid);
    const over = await patch(content.guid, { min_processes: 4 });
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ code: ErrorCode.InvalidParameter, payload: { field: 'min_processes' } });
    const under = await patch(content.guid, { memory_request: 500, memory_limit: 100 });
    expect(under.body.payload.field).toBe('memory_request');
    const cpu = await server.request('POST', '/__api__/v1/content', { as: owner, body: { cpu_request: 2, cpu_limit: 1 } });
    expect(cpu.body.payload.field).toBe('cpu_request');
    expect(await read(content.guid)).toEqual(before);
    expect((await patch(content.guid, { min_processes: 3 })).status).toBe(200);
  });

  it('hides the service account from viewers, as Connect does, and shows the other settings', async () => {
    const content = await create(SETTINGS);
    const seen = await read(content.guid, viewer);
    expect(seen).toMatchObject({ ...SETTINGS, service_account_name: null });
  });

  describe('the identity content runs as', () => {
    const IDENTITY = { run_as: 'rstudio-connect', run_as_current_user: true, service_account_name: 'connect-content.reports' };
    const asPublisher = (method: 'POST' | 'PATCH', path: string, body: Record<string, unknown>) =>
      server.request(method, `/__api__/v1/content${path}`, { as: publisher, body });

    it.each(Object.entries(IDENTITY))('only administrators may set %s; a publisher is told which field', async (field, value) => {
      const created = await asPublisher('POST', '', { name: `identity-${field}`, [field]: value });
      expect(created.status).toBe(403);
      expect(created.body).toMatchObject({ code: ErrorCode.PermissionDenied, error: `Only administrators may set ${field}.`, payload: { field } });
      expect((await server.request('GET', `/__api__/v1/content?name=identity-${field}`, { as: publisher })).body).toEqual([]);

      const mine = await asPublisher('POST', '', { name: `identity-patch-${field}`, min_processes: 1 });
      expect(mine.status).toBe(200);
      const guid = (mine.body as { guid: string }).guid;
      const patched = await asPublisher('PATCH', `/${guid}`, { [field]: value, min_processes: 2 });
      expect(patched.status).toBe(403);
      expect(await read(guid, publisher)).toMatchObject({ [field]: DEFAULTS[field as keyof typeof DEFAULTS], min_processes: 1 });
    });

    it('lets a publisher send back the identity already stored, as clients that echo a record do', async () => {
      const created = await asPublisher('POST', '', { ...DEFAULTS, access_type: 'acl', min_processes: 1 });
      expect(created.status).toBe(200);
      const guid = (created.body as { guid: string }).guid;
      const patched = await asPublisher('PATCH', `/${guid}`, { run_as: null, run_as_current_user: false, service_account_name: null, min_processes: 2 });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ min_processes: 2, run_as: null });
    });

    it('lets an administrator set it on content a publisher owns', async () => {
      const created = await asPublisher('POST', '', { name: 'identity-by-admin' });
      const guid = (created.body as { guid: string }).guid;
      const patched = await server.request('PATCH', `/__api__/v1/content/${guid}`, { as: owner, body: IDENTITY });
      expect(patched.status).toBe(200);
      expect(await read(guid, publisher)).toMatchObject(IDENTITY);
    });
  });
});
