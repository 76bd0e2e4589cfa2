import { ContentSchema, EnvironmentSchema, TaskSchema } from '@envdesk/domain';
import { bundleArchive } from './bundles.js';

export const COOKBOOK_IMAGE = 'registry.example.org/image-classifier:jammy';

interface Caller {
  (method: string, route: string, options?: { body?: unknown; raw?: Uint8Array; session?: boolean }): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- journeys read arbitrary JSON
}

/**
 * The seed cookbook (an exact-matching custom image, content requesting it, no package
 * installation) over HTTP against `base`: the administrator with an API key, the publisher signed
 * in through the browser session API. Answers what a user would see at the end, without the ids
 * and times that differ between runs, so that two deployments of envdesk can be compared.
 */
export async function cookbookJourney(base: string, adminKey: string) {
  const publisher = { username: `publisher${Date.now()}`, password: 'cookbook-password' };
  let cookie = '';
  let csrf = '';
  const call: Caller = async (method, route, { body, raw, session = false } = {}) => {
    const headers: Record<string, string> = session ? { cookie, 'x-csrf-token': csrf } : { authorization: `Key ${adminKey}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}/__api__${route}`, { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) });
    const text = await response.text();
    if (response.headers.has('set-cookie')) cookie = response.headers.get('set-cookie')!.split(';')[0]!;
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const expectStatus = (response: { status: number; body: unknown }, status: number, step: string) => {
    if (response.status !== status) throw new Error(`${step}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as any; // eslint-disable-line @typescript-eslint/no-explicit-any -- checked by the schema where it matters
  };

  expectStatus(await call('POST', '/v1/users', { body: { ...publisher, user_role: 'publisher' } }), 200, 'create the publisher');
  const environment = EnvironmentSchema.parse(
    expectStatus(
      await call('POST', '/v1/environments', {
        body: {
          title: 'Custom image classifier',
          name: COOKBOOK_IMAGE,
          matching: 'exact',
          r: { installations: [{ version: '4.2.3', path: '/opt/R/4.2.3/bin/R' }] },
          python: { installations: [{ version: '3.9.14', path: '/opt/python/3.9.14/bin/python' }] },
        },
      }),
      200,
      'create the environment',
    ),
  );
  // Sign in: on a balancer without affinity each of these may reach another replica.
  expectStatus(await call('POST', '/v1/auth/login', { body: publisher }), 200, 'sign in');
  csrf = expectStatus(await call('GET', '/v1/auth/csrf', { session: true }), 200, 'read the CSRF token').token as string;
  const content = ContentSchema.parse(
    expectStatus(
      await call('POST', '/v1/content', {
        session: true,
        body: { name: 'my-image-classifier-app', default_image_name: COOKBOOK_IMAGE, default_r_environment_management: false, default_py_environment_management: false },
      }),
      200,
      'create the content',
    ),
  );
  const upload = expectStatus(await call('POST', `/v1/content/${content.guid}/bundles`, { session: true, raw: new Uint8Array(bundleArchive()) }), 200, 'upload the bundle');
  const deploy = expectStatus(await call('POST', `/v1/content/${content.guid}/deploy`, { session: true, body: { bundle_id: upload.id } }), 202, 'deploy');
  const lines: string[] = [];
  let first: number | null = null;
  for (let round = 0; ; round++) {
    if (round === 60) throw new Error('the deploy task did not finish');
    const task = TaskSchema.parse(expectStatus(await call('GET', `/v1/tasks/${deploy.task_id}${first === null ? '?wait=1' : `?first=${first}&wait=1`}`, { session: true }), 200, 'poll the task'));
    lines.push(...task.output);
    first = task.last;
    if (task.finished) {
      const deployed = expectStatus(await call('GET', `/v1/content/${content.guid}`, { session: true }), 200, 'read the content');
      const bundle = expectStatus(await call('GET', `/v1/content/${content.guid}/bundles/${upload.id}`, { session: true }), 200, 'read the bundle');
      return {
        task: { finished: task.finished, code: task.code, error: task.error },
        lines,
        content: {
          chose_the_environment: deployed.environment_guid === environment.guid,
          active_bundle_is_the_upload: deployed.bundle_id === upload.id,
          ...pick(deployed, ['app_mode', 'image_name', 'cluster_name', 'r_version', 'py_version', 'quarto_version', 'needs_rebuild']),
        },
        bundle: pick(bundle, ['active', 'image_name', 'r_version', 'py_version', 'py_environment_management', 'r_environment_management']),
      };
    }
  }
}

const pick = (record: Record<string, unknown>, keys: readonly string[]) => Object.fromEntries(keys.map((key) => [key, record[key]]));
