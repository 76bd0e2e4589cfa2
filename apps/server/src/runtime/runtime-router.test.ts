import { ErrorCode, JobSchema, PackageSchema, TaskSchema, VariantSchema } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { bundleArchive, cookbookManifest } from '../test/bundles.js';
import { describeEachDialect } from '../test/test-database.js';
import { type TestServer, type TestUser, startTestServer } from '../test/test-server.js';
import { CACHE_MISSING } from './runtime-service.js';

const IMAGE = 'ghcr.io/example/runtime:r4.2-py3.9-quarto1.5';
const OTHER_IMAGE = 'ghcr.io/example/runtime:py3.9-only';
const CACHES = '/__api__/v1/system/caches/runtime';

/** A Quarto website with neither R nor Python: what `render` runs again. */
const quartoSite = () =>
  cookbookManifest({
    platform: null,
    python: null,
    packages: null,
    metadata: { appmode: 'quarto-static', content_category: 'site' },
    quarto: { version: '1.5.54', engines: ['markdown'] },
  });

const install = (version: string, path: string) => ({ installations: [{ version, path }] });

describeEachDialect('runtime caches, jobs, packages and renders on %s', (dialect) => {
  let server: TestServer;
  let owner: TestUser;
  let otherPublisher: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    server = await startTestServer({ dialect });
    owner = await server.addUser('publisher');
    otherPublisher = await server.addUser('publisher');
    viewer = await server.addUser('viewer');
    const created = await server.request('POST', '/__api__/v1/environments', {
      body: {
        name: IMAGE,
        title: 'R, Python and Quarto',
        matching: 'any',
        python: install('3.9.14', '/opt/python/3.9.14/bin/python3'),
        r: install('4.2.3', '/opt/R/4.2.3/bin/R'),
        quarto: install('1.5.54', '/opt/quarto/1.5.54/bin/quarto'),
      },
    });
    expect(created.status).toBe(200);
    // Only selected when a bundle asks for it by name.
    const other = await server.request('POST', '/__api__/v1/environments', {
      body: { name: OTHER_IMAGE, title: 'Python only', matching: 'exact', python: install('3.9.14', '/opt/python/3.9.14/bin/python3') },
    });
    expect(other.status).toBe(200);
  });
  afterAll(async () => {
    await server.app.services.taskRunner.settle();
    await server.close();
  });

  async function newContent(as: TestUser = owner): Promise<string> {
    const response = await server.request('POST', '/__api__/v1/content', { as, body: {} });
    expect(response.status).toBe(200);
    return response.body.guid as string;
  }

  async function upload(guid: string, manifest: unknown = cookbookManifest(), as: TestUser = owner): Promise<string> {
    const response = await server.request('POST', `/__api__/v1/content/${guid}/bundles`, { as, rawBody: bundleArchive(manifest) });
    expect(response.status).toBe(200);
    return response.body.id as string;
  }

  async function finished(taskId: string, as: TestUser = owner) {
    const response = await server.request('GET', `/__api__/v1/tasks/${taskId}?wait=10`, { as });
    expect(response.status).toBe(200);
    const task = TaskSchema.parse(response.body);
    expect(task.finished).toBe(true);
    return task;
  }

  async function deploy(guid: string, bundleId: string, as: TestUser = owner) {
    const response = await server.request('POST', `/__api__/v1/content/${guid}/deploy`, { as, body: { bundle_id: bundleId } });
    expect(response.status).toBe(202);
    return finished(response.body.task_id as string, as);
  }

  /** New content with the cookbook's bundle (R and Python, packages restored) built in IMAGE. */
  async function deployed(manifest: unknown = cookbookManifest(), as: TestUser = owner) {
    const guid = await newContent(as);
    const bundleId = await upload(guid, manifest, as);
    const task = await deploy(guid, bundleId, as);
    expect(task.code).toBe(0);
    return { guid, bundleId };
  }

  /** Let every signed-in user see the content (Connect's `logged_in`), as the owner may. */
  async function openToAll(guid: string, as: TestUser = owner) {
    const response = await server.request('PATCH', `/__api__/v1/content/${guid}`, { as, body: { access_type: 'logged_in' } });
    expect(response.status).toBe(200);
  }

  const caches = async () => {
    const response = await server.request('GET', CACHES);
    expect(response.status).toBe(200);
    return response.body.caches as Array<{ language: string; version: string; image_name: string }>;
  };
  const content = async (guid: string) => (await server.request('GET', `/__api__/v1/content/${guid}`, { as: owner })).body;
  const removeCache = (body: unknown, as?: TestUser) => server.request('DELETE', CACHES, { as, body });

  it('records the cache each build uses, one per image, language and version, for administrators only', async () => {
    await deployed();
    await deployed();
    const listed = await caches();
    expect(listed.filter((cache) => cache.image_name === IMAGE)).toEqual([
      { language: 'Python', version: '3.9.14', image_name: IMAGE },
      { language: 'R', version: '4.2.3', image_name: IMAGE },
    ]);
    for (const as of [owner, viewer]) {
      const refused = await server.request('GET', CACHES, { as });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe(ErrorCode.PermissionDenied);
    }
  });

  it('records no cache for a language whose packages the build does not restore', async () => {
    await deployed(
      cookbookManifest({
        platform: null,
        packages: null,
        environment: { image: OTHER_IMAGE, environment_management: { python: false } },
      }),
    );
    expect((await caches()).filter((cache) => cache.image_name === OTHER_IMAGE)).toEqual([]);
  });

  it('deletes a cache in a task after a dry run, marks the content built on it for rebuild, and a redeploy clears the mark', async () => {
    const built = await deployed();
    const quarto = await deployed(quartoSite());
    const cache = { language: 'Python', version: '3.9.14', image_name: IMAGE };

    const dryRun = await removeCache({ ...cache, dry_run: true });
    expect(dryRun.status).toBe(200);
    expect(dryRun.body).toEqual({ ...cache, task_id: null });
    expect(await caches()).toContainEqual(cache);
    expect((await content(built.guid)).needs_rebuild).toBe(false);

    const removed = await removeCache({ ...cache, dry_run: false });
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ ...cache, task_id: expect.any(String) });
    const task = await finished(removed.body.task_id as string, server.admin);
    expect(task.code).toBe(0);
    expect(task.output[0]).toMatch(/^Deleting runtime cache Python 3\.9\.14/);
    expect(await caches()).not.toContainEqual(cache);
    expect(await caches()).toContainEqual({ language: 'R', version: '4.2.3', image_name: IMAGE });
    // Built on the cache: marked. The Quarto site installs no Python packages: not marked.
    expect((await content(built.guid)).needs_rebuild).toBe(true);
    expect((await content(quarto.guid)).needs_rebuild).toBe(false);

    // Deploying the active bundle again rebuilds it: the mark goes and the cache is back.
    expect((await deploy(built.guid, built.bundleId)).code).toBe(0);
    expect((await content(built.guid)).needs_rebuild).toBe(false);
    expect(await caches()).toContainEqual(cache);
  });

  it('takes the language in either case and answers the cache as Connect writes it', async () => {
    await deployed();
    const answer = await removeCache({ language: 'python', version: '3.9.14', image_name: IMAGE, dry_run: true });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ language: 'Python', version: '3.9.14', image_name: IMAGE, task_id: null });
  });

  it("answers Connect's 404 for a cache that does not exist, and changes nothing", async () => {
    await deployed();
    const before = await caches();
    for (const body of [
      { language: 'R', version: '9.9.9', image_name: IMAGE },
      { language: 'Python', version: '3.9.14', image_name: 'Local' },
      { language: 'R', version: '4.2.3', image_name: IMAGE.toUpperCase(), dry_run: true },
    ]) {
      const response = await removeCache(body);
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ code: ErrorCode.ObjectDoesNotExist, error: CACHE_MISSING, payload: null });
    }
    expect(await caches()).toEqual(before);
  });

  it.each([
    ['an unknown language', { language: 'Julia', version: '1.10.0', image_name: IMAGE }, 'language', ErrorCode.InvalidRuntimeLanguage],
    ['a language that is not text', { language: 3, version: '1.10.0', image_name: IMAGE }, 'language', ErrorCode.InvalidRuntimeLanguage],
    ['dry_run as text', { language: 'R', version: '4.2.3', image_name: IMAGE, dry_run: 'yes' }, 'dry_run', ErrorCode.BadRequest],
    ['dry_run as a number', { language: 'R', version: '4.2.3', image_name: IMAGE, dry_run: 1 }, 'dry_run', ErrorCode.BadRequest],
    ['no version', { language: 'R', image_name: IMAGE }, 'version', ErrorCode.BadRequest],
    ['an empty image name', { language: 'R', version: '4.2.3', image_name: '  ' }, 'image_name', ErrorCode.BadRequest],
    ['a control character', { language: 'R', version: '4.2.3\u0000', image_name: IMAGE }, 'version', ErrorCode.BadRequest],
  ])('refuses %s with a 400 naming the field', async (_label, body, field, code) => {
    const response = await removeCache(body);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(code);
    expect(response.body.payload.field).toBe(field);
  });

  it('refuses to delete caches for anyone but administrators, before looking at the body', async () => {
    await deployed();
    for (const as of [owner, viewer]) {
      const response = await removeCache({ language: 'R', version: '4.2.3', image_name: IMAGE }, as);
      expect(response.status).toBe(403);
      expect(response.body.code).toBe(ErrorCode.PermissionDenied);
    }
    expect(await caches()).toContainEqual({ language: 'R', version: '4.2.3', image_name: IMAGE });
  });

  it("lists each deploy's build as a job, found again by its key", async () => {
    const guid = await newContent();
    const bundleId = await upload(guid);
    await deploy(guid, bundleId);
    // A bundle asking for an image that does not exist: the build fails, and its job says so.
    const failing = await upload(guid, cookbookManifest({ environment: { image: 'ghcr.io/example/missing:1' } }));
    expect((await deploy(guid, failing)).code).not.toBe(0);

    const listed = await server.request('GET', `/__api__/v1/content/${guid}/jobs`, { as: owner });
    expect(listed.status).toBe(200);
    const jobs = z.array(JobSchema).parse(listed.body);
    expect(jobs).toHaveLength(2);
    const [failed, built] = jobs as [z.infer<typeof JobSchema>, z.infer<typeof JobSchema>];
    expect(built).toMatchObject({
      content_guid: guid,
      bundle_id: bundleId,
      tag: 'python_restore',
      status: 2,
      exit_code: 0,
      error: null,
      image: IMAGE,
      cluster: 'Kubernetes',
      end_time: expect.any(String),
    });
    expect(failed).toMatchObject({ bundle_id: failing, status: 2, exit_code: 1, error: expect.any(String), image: null });

    const one = await server.request('GET', `/__api__/v1/content/${guid}/jobs/${built.key}`, { as: owner });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(built);
    const admin = await server.request('GET', `/__api__/v1/content/${guid}/jobs/${built.key}`);
    expect(admin.body).toEqual(built);
  });

  it('records no job for a deploy whose bundle was deleted before its job was written', async () => {
    const guid = await newContent();
    const bundleId = Number(await upload(guid));
    const record = (await server.store.content.findByGuid(guid))!;
    const deploy = await server.request('POST', `/__api__/v1/content/${guid}/deploy`, { as: owner, body: { bundle_id: String(bundleId) } });
    await finished(deploy.body.task_id as string);
    await server.store.bundles.remove(record.id, bundleId);
    const job = { key: 'late-job', content_id: record.id, bundle_id: bundleId, task_id: deploy.body.task_id as string, tag: 'unknown', hostname: 'h', start_time: '2026-01-01T00:00:00Z' };
    await server.store.runtime.insertJob(job);
    expect(await server.store.runtime.findJob(record.id, 'late-job')).toBeUndefined();
  });

  it('keeps jobs from those who do not manage the content, and answers 404 for an unknown key', async () => {
    const { guid } = await deployed();
    const [job] = (await server.request('GET', `/__api__/v1/content/${guid}/jobs`, { as: owner })).body;
    // Not shared with another publisher: the content does not exist for them.
    const hidden = await server.request('GET', `/__api__/v1/content/${guid}/jobs`, { as: otherPublisher });
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe(ErrorCode.ObjectDoesNotExist);
    expect((await server.request('GET', `/__api__/v1/content/${guid}/jobs/${job.key}`, { as: otherPublisher })).status).toBe(404);
    // Seen by every signed-in user, but managed by its owner alone.
    await openToAll(guid);
    for (const as of [otherPublisher, viewer]) {
      const response = await server.request('GET', `/__api__/v1/content/${guid}/jobs`, { as });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe(ErrorCode.PermissionDenied);
    }
    expect((await server.request('GET', `/__api__/v1/content/${guid}/jobs/${job.key}`, { as: otherPublisher })).status).toBe(403);
    for (const key of ['nope', `${job.key}x`, '%E2%80%8B']) {
      const missing = await server.request('GET', `/__api__/v1/content/${guid}/jobs/${key}`, { as: owner });
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe(ErrorCode.ObjectDoesNotExist);
    }
    // Another content item's job is not this one's.
    const other = await deployed();
    expect((await server.request('GET', `/__api__/v1/content/${other.guid}/jobs/${job.key}`, { as: owner })).status).toBe(404);
  });

  it("lists the packages the active bundle installs, Python's from its requirements and R's from its manifest", async () => {
    const { guid, bundleId } = await deployed();
    const response = await server.request('GET', `/__api__/v1/content/${guid}/packages`, { as: owner });
    expect(response.status).toBe(200);
    expect(response.body).toEqual([
      { language: 'python', language_version: '3.9.14', name: 'tensorflow', version: '2.12.0', hash: null },
      { language: 'r', language_version: '4.2.3', name: 'shiny', version: '1.7.4', hash: expect.stringMatching(/^[0-9a-f]{16}$/) },
    ]);
    const filtered = await server.request('GET', `/__api__/v1/content/${guid}/packages?language=R&name=shiny`, { as: owner });
    expect(filtered.body.map((pkg: { name: string }) => pkg.name)).toEqual(['shiny']);

    const all = await server.request('GET', `/__api__/v1/packages?name=tensorflow&content_guid=${guid}`, { as: owner });
    expect(all.status).toBe(200);
    expect(all.body).toEqual({
      results: [
        {
          language: 'python',
          language_version: '3.9.14',
          name: 'tensorflow',
          version: '2.12.0',
          hash: null,
          bundle_id: bundleId,
          app_id: expect.any(String),
          app_guid: guid,
          content_id: expect.any(String),
          content_guid: guid,
        },
      ],
      current_page: 1,
      total: 1,
    });
    PackageSchema.parse(all.body.results[0]);
  });

  it('lists packages across content only for the content one manages, a page at a time', async () => {
    const mine = await deployed();
    const theirs = await deployed(cookbookManifest(), otherPublisher);
    const guidsFor = async (as: TestUser, query = 'page_size=1000000') => {
      const response = await server.request('GET', `/__api__/v1/packages?${query}`, { as });
      expect(response.status).toBe(200);
      return new Set((response.body.results as Array<{ content_guid: string }>).map((pkg) => pkg.content_guid));
    };
    expect(await guidsFor(owner)).toContain(mine.guid);
    expect(await guidsFor(owner)).not.toContain(theirs.guid);
    expect(await guidsFor(server.admin)).toContain(theirs.guid);
    expect((await server.request('GET', '/__api__/v1/packages', { as: viewer })).status).toBe(403);
    // Not shared with the owner: it does not exist for them; seen by all signed-in users, it is still not theirs.
    expect((await server.request('GET', `/__api__/v1/content/${theirs.guid}/packages`, { as: owner })).status).toBe(404);
    await openToAll(theirs.guid, otherPublisher);
    expect((await server.request('GET', `/__api__/v1/content/${theirs.guid}/packages`, { as: owner })).status).toBe(403);
    expect(await guidsFor(owner)).not.toContain(theirs.guid);

    const first = await server.request('GET', '/__api__/v1/packages?page_size=1&page_number=1');
    const second = await server.request('GET', '/__api__/v1/packages?page_size=1&page_number=2');
    expect(first.body.results).toHaveLength(1);
    expect(second.body.current_page).toBe(2);
    expect(second.body.results[0]).not.toEqual(first.body.results[0]);
    expect(first.body.total).toBeGreaterThanOrEqual(4);
  });

  it.each([
    ['/v1/packages?language=java', 'language'],
    ['/v1/packages?page_number=0', 'page_number'],
    ['/v1/packages?page_size=abc', 'page_size'],
    ['/v1/packages?bundle_id=-1', 'bundle_id'],
    ['/v1/packages?name=%00', 'name'],
  ])('refuses GET %s with a 400 naming the field', async (path, field) => {
    const response = await server.request('GET', `/__api__${path}`);
    expect(response.status).toBe(400);
    expect(response.body.payload.field).toBe(field);
  });

  it("renders a document again as a job, through Connect's content route and the SDK's variant route", async () => {
    const { guid, bundleId } = await deployed(quartoSite());
    const rendered = await server.request('POST', `/__api__/v1/content/${guid}/render`, { as: owner });
    expect(rendered.status).toBe(202);
    expect((await finished(rendered.body.task_id as string)).code).toBe(0);

    // Those the content is not shared with are told it does not exist; those who see it read its variants.
    expect((await server.request('GET', `/__api__/applications/${guid}/variants`, { as: viewer })).status).toBe(404);
    await openToAll(guid);
    const variants = await server.request('GET', `/__api__/applications/${guid}/variants`, { as: viewer });
    expect(variants.status).toBe(200);
    const [variant] = z.array(VariantSchema).parse(variants.body);
    expect(variant).toMatchObject({ is_default: true, bundle_id: Number(bundleId) });
    const viaVariant = await server.request('POST', `/__api__/variants/${variant!.id}/render`, { as: owner });
    expect(viaVariant.status).toBe(200);
    const task = TaskSchema.parse(viaVariant.body);
    expect((await finished(task.id)).code).toBe(0);

    const jobs = (await server.request('GET', `/__api__/v1/content/${guid}/jobs`, { as: owner })).body as Array<{ tag: string; variant_id: string }>;
    expect(jobs.map((job) => job.tag)).toEqual(['build_site', 'build_site', 'build_site']);
    expect(new Set(jobs.map((job) => job.variant_id))).toEqual(new Set([String(variant!.id)]));
    // Renders are no deploys.
    expect((await server.request('GET', `/__api__/v1/content/${guid}/deployments`, { as: owner })).body).toHaveLength(1);
  });

  it('refuses to render content that is not a document, has no active bundle, or is not theirs', async () => {
    const app = await deployed();
    const notDocument = await server.request('POST', `/__api__/v1/content/${app.guid}/render`, { as: owner });
    expect(notDocument.status).toBe(400);
    expect(notDocument.body.payload.field).toBe('app_mode');

    const empty = await newContent();
    const noBundle = await server.request('POST', `/__api__/v1/content/${empty}/render`, { as: owner });
    expect(noBundle.status).toBe(400);
    expect(noBundle.body.code).toBe(ErrorCode.BundleMissing);

    const site = await deployed(quartoSite());
    const [variant] = (await server.request('GET', `/__api__/applications/${site.guid}/variants`, { as: owner })).body;
    // Not shared with another publisher: 404, as for content that does not exist.
    expect((await server.request('POST', `/__api__/v1/content/${site.guid}/render`, { as: otherPublisher })).status).toBe(404);
    expect((await server.request('POST', `/__api__/variants/${variant.id}/render`, { as: otherPublisher })).status).toBe(404);
    // Seen by every signed-in user: still not theirs to render (a viewer account renders nothing at all).
    await openToAll(site.guid);
    for (const as of [otherPublisher, viewer]) {
      expect((await server.request('POST', `/__api__/v1/content/${site.guid}/render`, { as })).status).toBe(403);
      expect((await server.request('POST', `/__api__/variants/${variant.id}/render`, { as })).status).toBe(403);
    }
    for (const id of ['999999', 'abc', '0', '99999999999']) {
      const missing = await server.request('POST', `/__api__/variants/${id}/render`, { as: owner });
      expect(missing.status).toBe(404);
    }
    expect((await server.request('GET', `/__api__/v1/content/${site.guid}/jobs`, { as: owner })).body).toHaveLength(1);
  });
});
