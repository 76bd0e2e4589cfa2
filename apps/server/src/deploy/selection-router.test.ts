import { SelectionExplanationSchema } from '@envdesk/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookbookManifest } from '../test/bundles.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

describe('POST /v1/environments/select (the explainer)', () => {
  let server: TestServer;
  let publisher: TestUser;
  const created: Record<string, string> = {};
  beforeAll(async () => {
    server = await startTestServer();
    publisher = await server.addUser('publisher');
    const add = async (key: string, body: Record<string, unknown>) => {
      created[key] = (await server.request('POST', '/__api__/v1/environments', { body })).body.guid;
    };
    const r423 = { installations: [{ version: '4.2.3', path: '/opt/R/4.2.3/bin/R' }] };
    await add('match', { name: 'ghcr.io/org/a:1', title: 'A', r: r423, python: { installations: [{ version: '3.9.14', path: '/opt/py/bin/python' }] } });
    await add('oldPython', { name: 'ghcr.io/org/b:1', title: 'B', r: r423, python: { installations: [{ version: '3.8.10', path: '/opt/py/bin/python' }] } });
    await add('exact', { name: 'ghcr.io/org/c:1', title: 'C', matching: 'exact', r: r423, python: { installations: [{ version: '3.9.14', path: '/opt/py/bin/python' }] } });
    await add('closed', { name: 'ghcr.io/org/d:1', title: 'D', r: r423, python: { installations: [{ version: '3.9.14', path: '/opt/py/bin/python' }] } });
    const other = await server.addUser('publisher');
    await server.request('POST', `/__api__/v1/environments/${created.closed}/permissions`, { body: { user_guid: other.guid } });
  });
  afterAll(() => server.close());

  it('ranks every environment for a bundle and says why the others were not taken', async () => {
    const response = await server.request('POST', '/__api__/v1/environments/select', { as: publisher, body: { manifest: cookbookManifest() } });
    expect(response.status).toBe(200);
    expect(SelectionExplanationSchema.safeParse(response.body).success).toBe(true);
    expect(response.body).toMatchObject({ request: { kind: 'automatic' }, selected_guid: created.match, failure: null });
    const byGuid = Object.fromEntries(response.body.candidates.map((c: { guid: string }) => [c.guid, c]));
    expect(byGuid[created.match!]).toMatchObject({ accepted: true, rank: 1 });
    expect(byGuid[created.oldPython!]).toMatchObject({ accepted: false, reasons: [expect.stringContaining('3.8.10')] });
    expect(byGuid[created.exact!].reasons.join(' ')).toMatch(/exact/);
    // The same judgement as flags, so a program need not read the wording.
    expect(byGuid[created.oldPython!]).toMatchObject({ checks: { compatible: false, permitted: true }, incompatibilities: [expect.stringContaining('3.8.10')] });
    expect(byGuid[created.exact!].checks).toEqual({ in_request: true, matching: false, permitted: true, compatible: true });
    // An environment granted to someone else is not even mentioned to the publisher.
    expect(byGuid[created.closed!]).toBeUndefined();
    expect(response.body.candidates).toHaveLength(3);
  });

  it("judges every environment for an administrator, who may use them all", async () => {
    const response = await server.request('POST', '/__api__/v1/environments/select', { body: { manifest: cookbookManifest() } });
    const closed = response.body.candidates.find((candidate: { guid: string }) => candidate.guid === created.closed);
    expect(response.body.candidates).toHaveLength(4);
    expect(closed).toMatchObject({ accepted: true, checks: { permitted: true } });
  });

  it('tries a runtime choice before it is saved', async () => {
    const response = await server.request('POST', '/__api__/v1/environments/select', {
      as: publisher,
      body: { manifest: cookbookManifest(), default_environment_guid: created.exact },
    });
    expect(response.body).toMatchObject({ request: { kind: 'content-environment' }, selected_guid: created.exact });
  });

  it('names a bad manifest field', async () => {
    const response = await server.request('POST', '/__api__/v1/environments/select', { as: publisher, body: { manifest: { metadata: {} } } });
    expect(response.status).toBe(400);
    expect(response.body.error).toContain('metadata.appmode');
  });
});
