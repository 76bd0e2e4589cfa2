import {
  type Actor,
  ApiError,
  type AuditAuthor,
  authorOf,
  contentDeploy,
  type DeployInput,
  type Deployment,
  ErrorCode,
  type LocalExecution,
  type VersionMatching,
  buildTagOf,
  isLocal,
  selectWithLocalExecution,
} from '@envdesk/domain';
import type { BundleRecord } from '../bundles/bundles-store.js';
import { type Clock, timestamp } from '../clock.js';
import type { ContentService } from '../content/content-service.js';
import { type ContentRecord, runtimeChoiceOf } from '../content/content-store.js';
import type { Store } from '../db/store.js';
import type { EnvironmentListCache } from '../environments/environment-list-cache.js';
import { buildRecordsOf, jobOf } from '../runtime/build-records.js';
import type { TaskContext, TaskOutcome, TaskRunner } from '../tasks/task-runner.js';
import { buildPlan, buildPlanLog, launchLine } from './build-plan.js';

export interface DeployDeps {
  readonly store: Pick<Store, 'bundles' | 'content' | 'tasks' | 'users' | 'runtime' | 'audit' | 'transaction'>;
  /** Every environment and its installation index, read once per environments revision. */
  readonly environments: Pick<EnvironmentListCache, 'selectionIndex'>;
  readonly clock: Clock;
  readonly content: ContentService;
  readonly matching: VersionMatching;
  readonly tasks: TaskRunner;
  /** The host's own installations, the fallback when no environment qualifies (none when absent). */
  readonly local?: LocalExecution | null;
}

export const CONTENT_DELETED = 'the content was deleted during the deploy';

export function createDeployService({ store, clock, content, matching, tasks, environments, local = null }: DeployDeps) {
  /** Chooses the environment, writes the log, and records the result on the bundle and the content. */
  async function run(task: TaskContext, record: ContentRecord, bundle: BundleRecord, activate: boolean, author: AuditAuthor): Promise<TaskOutcome> {
    const fail = (error: string): TaskOutcome => ({ code: 1, error });

    await task.say(`Deploying bundle ${bundle.id} of "${record.title ?? record.name}"${activate ? '' : ' as a draft (not activated)'}.`);
    const { manifest } = bundle;
    if (!manifest.ok) return fail(manifest.error);
    // Permissions are checked for the content's owner, whoever deploys.
    const owner = await store.users.actorOf(record.owner.id);
    const index = await environments.selectionIndex();
    const selection = selectWithLocalExecution({
      manifest: manifest.value,
      content: runtimeChoiceOf(record),
      owner,
      // The log is read by the owner (and administrators): it names only environments the owner may use.
      readBy: owner,
      environments: index.environments,
      index,
      matching,
    }, local);
    await task.say(...selection.log);
    const selected = selection.selected;
    if (!selected) return fail(selection.failure ?? 'No environment can run this bundle.');

    const environment = selected.environment;
    const plan = buildPlan(environment, selected, selection);
    await task.say(...buildPlanLog(plan));
    const versions = Object.fromEntries(selected.installations.map((installation) => [installation.language, installation.version]));
    const runtime = {
      // Local execution records no environment; its image is "Local", as Connect's is.
      environment_guid: isLocal(environment) ? null : environment.guid,
      image_name: environment.name,
      r_version: versions.r ?? null,
      py_version: versions.python ?? null,
      quarto_version: versions.quarto ?? null,
      r_environment_management: versions.r ? selection.environmentManagement.r : null,
      py_environment_management: versions.python ? selection.environmentManagement.python : null,
    };
    // The caches the build uses and the packages it installs (read from the archive before writing).
    const records = await buildRecordsOf(store.bundles, bundle.id, manifest.value, runtime);
    // A shutdown that already finished the task as interrupted records nothing more.
    task.signal.throwIfAborted();
    const recorded = await store.transaction(async (tx) => {
      // A DELETE that won the race has removed the content and its bundles: recording nothing and
      // saying so beats reporting a success for content that no longer exists.
      if (!(await tx.content.lockForDeploy(record.id))) return false;
      await tx.bundles.recordBuild(bundle.id, { ...runtime, build_plan: plan });
      await tx.runtime.recordPackages(bundle.id, records.packages);
      await tx.runtime.useCaches(records.caches, timestamp(clock));
      if (!activate) return true;
      await tx.bundles.activate(record.id, bundle.id);
      const metadata = manifest.value.metadata;
      await tx.content.recordDeploy(
        record.id,
        {
          ...runtime,
          bundle_id: bundle.id,
          app_mode: metadata?.appmode ?? 'unknown',
          content_category: metadata?.content_category ?? '',
          parameterized: metadata?.has_parameters === true,
        },
        timestamp(clock),
      );
      // Recorded by whoever asked for the deploy, when the bundle goes live.
      const deployed = contentDeploy(record, record, { bundle_id: bundle.id, image_name: runtime.image_name, environment_guid: runtime.environment_guid });
      await tx.audit.append(author, [deployed], timestamp(clock));
      return true;
    });
    if (!recorded) return fail(CONTENT_DELETED);
    return { code: 0, error: '', lines: [activate ? launchLine(manifest.value.metadata?.appmode) : 'The draft is built; it is not active.'] };
  }

  return {
    /**
     * Starts a deploy task and answers at once with its id (clients poll GET /v1/tasks/{id});
     * a stopping server refuses with a 503.
     */
    async deploy(actor: Actor, userId: number, contentGuid: string, input: DeployInput): Promise<string> {
      const record = await content.authorized(actor, contentGuid, 'content:deploy');
      const bundle = input.bundle_id
        ? await store.bundles.find(record.id, Number(input.bundle_id))
        : await store.bundles.latest(record.id);
      if (!bundle) {
        throw new ApiError(
          ErrorCode.BundleMissing,
          input.bundle_id ? `The content has no bundle ${input.bundle_id}.` : 'The content has no bundle yet; upload one first.',
          { field: 'bundle_id' },
        );
      }
      const taskId = await tasks.start({ userId, contentId: record.id }, (task) => run(task, record, bundle, input.activate !== false, authorOf(actor)));
      // Each build is a job (GET /v1/content/{guid}/jobs); its progress is the task's.
      const tag = bundle.manifest.ok ? buildTagOf(bundle.manifest.value) : 'unknown';
      await store.runtime.insertJob(jobOf({ content_id: record.id, bundle_id: bundle.id, task_id: taskId, tag }, timestamp(clock)));
      return taskId;
    },

    /** The content's deploys, newest first, each with its log. */
    async history(actor: Actor, contentGuid: string): Promise<Deployment[]> {
      const record = await content.authorized(actor, contentGuid, 'deployments:read');
      const deploys = await store.tasks.listForContent(record.id);
      return deploys.map((task) => ({
        task_id: task.id,
        created_time: task.created_time,
        finished_time: task.finished_time,
        finished: task.finished,
        code: task.code,
        error: task.error,
        output: task.output,
      }));
    },

    /** Waits for the deploys under way (tests). */
    settle: () => tasks.settle(),
  };
}
export type DeployService = ReturnType<typeof createDeployService>;
