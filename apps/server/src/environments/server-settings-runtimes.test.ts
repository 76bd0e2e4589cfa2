import { ErrorCode, RuntimeInstallationsSchema } from '@envdesk/domain';
import { aCreateEnvironmentInput } from '@envdesk/domain/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';

describeEachDialect('GET /v1/server_settings/{language} on %s', (dialect) => {
  let server: TestServer;
  let publisher: TestUser;
  let viewer: TestUser;
  let other: TestUser;

  const install = (version: string, path: string) => ({ installations: [{ version, path }] });

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    publisher = await server.addUser('publisher');
    viewer = await server.addUser('viewer');
    other = await server.addUser('publisher');
    const create = async (body: ReturnType<typeof aCreateEnvironmentInput>) => {
      const response = await server.request('POST', '/__api__/v1/environments', { body });
      expect(response.status).toBe(200);
      return response.body as { guid: string };
    };
    await create(
      aCreateEnvironmentInput({
        name: 'ghcr.io/acme/py312:1',
        python: { installations: [{ version: '3.12.4', path: '/opt/python/3.12.4/bin/python' }, { version: '3.10.14', path: '/opt/python/3.10.14/bin/python' }] },
        r: install('4.4.1', '/opt/R/4.4.1/bin/R'),
        quarto: install('1.5.57', '/opt/quarto/bin/quarto'),
      }),
    );
    const restricted = await create(aCreateEnvironmentInput({ name: 'ghcr.io/acme/restricted:1', python: install('3.11.9', '/usr/bin/python3') }));
    const grant = await server.request('POST', `/__api__/v1/environments/${restricted.guid}/permissions`, { body: { user_guid: other.guid } });
    expect(grant.status).toBe(200);
    await create(aCreateEnvironmentInput({ name: 'ghcr.io/acme/disabled:1', matching: 'none', python: install('3.9.19', '/usr/bin/python3') }));
  });
  afterAll(() => server.close());

  const get = async (language: string, as: TestUser) => {
    const response = await server.request('GET', `/__api__/v1/server_settings/${language}`, { as });
    expect(response.status).toBe(200);
    return RuntimeInstallationsSchema.parse(response.body);
  };

  it('lists every Python version with its image, oldest first, and says APIs may be hosted (what rsconnect details prints)', async () => {
    expect(await get('python', server.admin)).toEqual({
      api_enabled: true,
      installations: [
        { version: '3.10.14', cluster_name: 'Kubernetes', image_name: 'ghcr.io/acme/py312:1' },
        { version: '3.11.9', cluster_name: 'Kubernetes', image_name: 'ghcr.io/acme/restricted:1' },
        { version: '3.12.4', cluster_name: 'Kubernetes', image_name: 'ghcr.io/acme/py312:1' },
      ],
    });
  });

  it('answers R and Quarto in the same shape, without api_enabled', async () => {
    expect(await get('r', publisher)).toEqual({ installations: [{ version: '4.4.1', cluster_name: 'Kubernetes', image_name: 'ghcr.io/acme/py312:1' }] });
    expect(await get('quarto', publisher)).toEqual({
      installations: [{ version: '1.5.57', cluster_name: 'Kubernetes', image_name: 'ghcr.io/acme/py312:1' }],
    });
    expect(await get('tensorflow', publisher)).toEqual({ installations: [] });
  });

  it('shows a publisher only the images permitted to them, and never a disabled one', async () => {
    const images = async (user: TestUser) => (await get('python', user)).installations.map((installation) => installation.image_name);
    expect(await images(publisher)).not.toContain('ghcr.io/acme/restricted:1');
    expect(await images(other)).toContain('ghcr.io/acme/restricted:1');
    expect(await images(server.admin)).not.toContain('ghcr.io/acme/disabled:1');
  });

  it('refuses viewers (403) and anonymous callers (401), as Connect does', async () => {
    const refused = await server.request('GET', '/__api__/v1/server_settings/python', { as: viewer });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe(ErrorCode.PermissionDenied);
    const anonymous = await server.request('GET', '/__api__/v1/server_settings/r', { as: null });
    expect(anonymous.status).toBe(401);
  });

  it('answers an unknown language with a 404, never a 500', async () => {
    for (const path of ['julia', '..%2Fpython', 'python%00']) {
      const response = await server.request('GET', `/__api__/v1/server_settings/${path}`);
      expect(response.status).toBe(404);
    }
  });
});
