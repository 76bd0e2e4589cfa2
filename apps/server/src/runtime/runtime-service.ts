import {
  type Actor,
  ApiError,
  type ContentPackage,
  type ContentPackagesQuery,
  type DeleteRuntimeCacheAnswer,
  type DeleteRuntimeCacheInput,
  ErrorCode,
  type Job,
  type Package,
  type PackagesPage,
  type PackagesQuery,
  type RuntimeCache,
  type Variant,
  can,
  isRenderedAppMode,
  notFound,
  parseRecordId,
  renderTagOf,
} from '@envdesk/domain';
import { authorize } from '../auth/authorize.js';
import { type Clock, rfc3339, timestamp } from '../clock.js';
import { type ContentService, contentSubject } from '../content/content-service.js';
import type { ContentRecord } from '../content/content-store.js';
import type { Store } from '../db/store.js';
import type { TaskRunner } from '../tasks/task-runner.js';
import { jobOf } from './build-records.js';
import type { JobRecord, PackageRecord } from './runtime-store.js';

/** Packages show only for content the caller sees and may read the packages of. */
const canReadPackages = (actor: Actor, record: ContentRecord | undefined): boolean =>
  record !== undefined && can(actor, 'content:read-packages', contentSubject(record));

export const CACHE_MISSING = 'Cache does not exist';

const cacheMissing = () => new ApiError(ErrorCode.ObjectDoesNotExist, CACHE_MISSING);

/** The one variant envdesk gives each content item: its key, stable and short like Connect's. */
const variantKeyOf = (record: Pick<ContentRecord, 'guid'>) => record.guid.replaceAll('-', '').slice(0, 8);

export function presentVariant(record: ContentRecord): Variant {
  return {
    id: record.id,
    app_id: record.id,
    key: variantKeyOf(record),
    bundle_id: record.bundle_id,
    is_default: true,
    name: 'default',
    visibility: 'public',
    owner_id: record.owner.id,
    created_time: record.created_time,
    rendering_id: null,
    render_time: null,
  };
}

/** ISO 8601 with milliseconds (heartbeats) as Connect's RFC 3339. */
const asRfc3339 = (time: string | null) => (time === null ? null : rfc3339(new Date(time)));

export function presentJob(job: JobRecord, record: ContentRecord): Job {
  const finished = job.task === null || job.task.finished;
  return {
    id: String(job.id),
    ppid: null,
    // envdesk starts no process: the job's own id stands in for one.
    pid: String(job.id),
    key: job.key,
    remote_id: null,
    app_id: String(record.id),
    content_id: String(record.id),
    content_guid: record.guid,
    variant_id: String(record.id),
    variant_key: variantKeyOf(record),
    bundle_id: job.bundle_id === null ? null : String(job.bundle_id),
    start_time: job.start_time,
    end_time: job.task?.finished_time ?? null,
    last_heartbeat_time: job.task?.finished_time ?? asRfc3339(job.task?.heartbeat_time ?? null),
    queued_time: null,
    queue_name: null,
    tag: job.tag as Job['tag'],
    exit_code: job.task?.finished ? job.task.code : null,
    error: job.task?.finished && job.task.code !== 0 ? job.task.error : null,
    // Connect: 0 active, 1 finished, 2 finalized (its logs kept).
    status: finished ? 2 : 0,
    hostname: job.hostname,
    cluster: job.image_name === null ? null : 'Kubernetes',
    image: job.image_name,
    run_as: null,
  };
}

const contentPackageOf = (pkg: PackageRecord): ContentPackage => ({
  language: pkg.language,
  language_version: pkg.language_version,
  name: pkg.name,
  version: pkg.version,
  hash: pkg.hash,
});

function presentPackage(pkg: PackageRecord): Package {
  const content = { app_id: String(pkg.content_id), app_guid: pkg.content_guid, content_id: String(pkg.content_id), content_guid: pkg.content_guid };
  return { ...contentPackageOf(pkg), bundle_id: String(pkg.bundle_id), ...content };
}

const matches = (pkg: PackageRecord, query: ContentPackagesQuery) =>
  (query.language === undefined || pkg.language === query.language) &&
  (query.name === undefined || pkg.name === query.name) &&
  (query.version === undefined || pkg.version === query.version) &&
  (query.hash === undefined || pkg.hash === query.hash);

export interface RuntimeDeps {
  readonly store: Pick<Store, 'runtime' | 'bundles' | 'transaction'>;
  readonly clock: Clock;
  readonly content: ContentService;
  readonly tasks: TaskRunner;
}

export function createRuntimeService({ store, clock, content, tasks }: RuntimeDeps) {
  /** Starts a render of the content's active bundle; a render is a job too. */
  async function render(actor: Actor, userId: number, record: ContentRecord): Promise<string> {
    const bundle = record.bundle_id === null ? undefined : await store.bundles.find(record.id, record.bundle_id);
    if (!bundle || !bundle.manifest.ok) {
      throw new ApiError(ErrorCode.BundleMissing, 'The content has no active bundle to render; deploy one first.');
    }
    if (!isRenderedAppMode(record.app_mode)) {
      throw new ApiError(ErrorCode.BadRequest, `Content of app mode ${record.app_mode} does not render: restart it instead.`, { field: 'app_mode' });
    }
    const manifest = bundle.manifest.value;
    const title = record.title ?? record.name;
    // The render is no deploy: it stays out of the content's deployment history.
    const taskId = await tasks.start({ userId, contentId: null }, async (task) => {
      await task.say(`Rendering "${title}" from bundle ${bundle.id} in image ${bundle.image_name ?? 'unknown'}.`);
      return { code: 0, error: '', lines: ['envdesk starts no container: the render is recorded as a job.'] };
    });
    await store.runtime.insertJob(jobOf({ content_id: record.id, bundle_id: bundle.id, task_id: taskId, tag: renderTagOf(manifest) }, timestamp(clock)));
    return taskId;
  }

  return {
    async listCaches(actor: Actor): Promise<{ caches: RuntimeCache[] }> {
      authorize(actor, 'runtime-caches:read');
      return { caches: await store.runtime.listCaches() };
    },

    /**
     * Deletes a cache in a task, marking the content built on it for rebuild; a dry run only
     * checks that it exists. Unknown caches are 404 (code 4), as in Connect.
     */
    async deleteCache(actor: Actor, userId: number, input: DeleteRuntimeCacheInput): Promise<DeleteRuntimeCacheAnswer> {
      authorize(actor, 'runtime-caches:delete');
      const cache: RuntimeCache = { language: input.language, version: input.version, image_name: input.image_name };
      if (!(await store.runtime.hasCache(cache))) throw cacheMissing();
      if (input.dry_run) return { ...cache, task_id: null };
      const taskId = await tasks.start({ userId, contentId: null }, async (task) => {
        await task.say(`Deleting runtime cache ${cache.language} ${cache.version} of image ${cache.image_name}...`);
        const { removed, marked } = await store.transaction((tx) => tx.runtime.removeCache(cache));
        if (!removed) return { code: 1, error: CACHE_MISSING };
        const rebuild =
          marked === 0 ? 'No content was built on it.' : `${marked} content item${marked === 1 ? ' was' : 's were'} built on it: each rebuilds on its next deploy.`;
        return { code: 0, error: '', lines: ['Runtime cache deleted.', rebuild] };
      });
      return { ...cache, task_id: taskId };
    },

    async listJobs(actor: Actor, guid: string): Promise<Job[]> {
      const record = await content.authorized(actor, guid, 'jobs:read');
      return (await store.runtime.listJobs(record.id)).map((job) => presentJob(job, record));
    },

    async getJob(actor: Actor, guid: string, key: string): Promise<Job> {
      const record = await content.authorized(actor, guid, 'jobs:read');
      const job = await store.runtime.findJob(record.id, key);
      if (!job) throw notFound('Job');
      return presentJob(job, record);
    },

    async contentPackages(actor: Actor, guid: string, query: ContentPackagesQuery): Promise<ContentPackage[]> {
      const record = await content.authorized(actor, guid, 'content:read-packages');
      const packages = await store.runtime.listActivePackages({ contentId: record.id });
      return packages.filter((pkg) => matches(pkg, query)).map(contentPackageOf);
    },

    /** Packages of every content item the caller may read them for, by language and name, one page. */
    async packages(actor: Actor, query: PackagesQuery): Promise<PackagesPage> {
      authorize(actor, 'packages:read');
      const all = await store.runtime.listActivePackages({});
      // What the caller may see of each item decides whether its packages show (access lists included).
      const visible = new Map((await content.list(actor, {})).map((record) => [record.id, record]));
      const contentId = query.content_id ?? query.app_id;
      const contentGuid = query.content_guid ?? query.app_guid;
      const wanted = all.filter(
        (pkg) =>
          matches(pkg, query) &&
          (query.bundle_id === undefined || String(pkg.bundle_id) === query.bundle_id) &&
          (contentId === undefined || String(pkg.content_id) === contentId) &&
          (contentGuid === undefined || pkg.content_guid === contentGuid) &&
          canReadPackages(actor, visible.get(pkg.content_id)),
      );
      const start = (query.page_number - 1) * query.page_size;
      return { results: wanted.slice(start, start + query.page_size).map(presentPackage), current_page: query.page_number, total: wanted.length };
    },

    async variants(actor: Actor, guid: string): Promise<Variant[]> {
      const record = await content.authorized(actor, guid, 'variants:read');
      return [presentVariant(record)];
    },

    async renderContent(actor: Actor, userId: number, guid: string): Promise<string> {
      return render(actor, userId, await content.authorized(actor, guid, 'content:render'));
    },

    /** `POST /variants/{id}/render`: the variant's id is its content's. */
    async renderVariant(actor: Actor, userId: number, variantId: string): Promise<string> {
      authorize(actor, 'content:render');
      const id = parseRecordId(variantId);
      const guid = id === null ? undefined : await store.runtime.contentGuidById(id);
      if (guid === undefined) throw notFound('Variant');
      return render(actor, userId, await content.authorized(actor, guid, 'content:render'));
    },
  };
}
export type RuntimeService = ReturnType<typeof createRuntimeService>;
