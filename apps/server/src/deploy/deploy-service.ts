import {
  type Actor,
  ApiError,
  type DeployInput,
  type Deployment,
  ErrorCode,
  type VersionMatching,
  parseManifest,
  selectEnvironment,
} from '@envdesk/domain';
import { type Clock, timestamp } from '../clock.js';
import { ownerActor, type ContentService } from '../content/content-service.js';
import type { Store } from '../db/store.js';
import type { BundleSummary } from '../bundles/bundles-store.js';
import type { ContentRecord } from '../content/content-store.js';
import type { TaskContext, TaskOutcome, TaskRunner } from '../tasks/task-runner.js';
import { buildPlan, buildPlanLog, launchLine } from './build-plan.js';

export interface DeployDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly content: ContentService;
  readonly matching: VersionMatching;
  readonly tasks: TaskRunner;
}

export const CONTENT_DELETED = 'the content was deleted during the deploy';

const bool = (value: number | null) => (value === null ? null : value === 1);

export function createDeployService({ store, clock, content, matching, tasks }: DeployDeps) {
  /** Chooses the environment, writes the log, and records the result on the bundle and the content. */
  async function run(task: TaskContext, record: ContentRecord, bundle: BundleSummary, activate: boolean): Promise<TaskOutcome> {
    const fail = (error: string): TaskOutcome => ({ code: 1, error });

    await task.say(`Deploying bundle ${bundle.id} of "${record.row.title ?? record.row.name}"${activate ? '' : ' as a draft (not activated)'}.`);
    const manifest = parseManifest(JSON.parse(bundle.manifest));
    if (!manifest.ok) return fail(manifest.error);
    const owner = await ownerActor(store, record);
    const selection = selectEnvironment({
      manifest: manifest.value,
      content: {
        default_environment_guid: record.row.default_environment_guid,
        default_image_name: record.row.default_image_name,
        default_r_environment_management: bool(record.row.default_r_environment_management),
        default_py_environment_management: bool(record.row.default_py_environment_management),
      },
      owner,
      // The log is read by the owner (and administrators): it names only environments the owner may use.
      readBy: owner,
      environments: await store.environments.listWithGrants(),
      matching,
    });
    await task.say(...selection.log);
    const selected = selection.selected;
    if (!selected) return fail(selection.failure ?? 'No environment can run this bundle.');

    const environment = selected.environment;
    const plan = buildPlan(environment, selected, selection);
    await task.say(...buildPlanLog(plan));
    const versions = Object.fromEntries(selected.installations.map((installation) => [installation.language, installation.version]));
    const runtime = {
      environment_guid: environment.guid,
      image_name: environment.name,
      r_version: versions.r ?? null,
      py_version: versions.python ?? null,
      quarto_version: versions.quarto ?? null,
      r_environment_management: versions.r ? selection.environmentManagement.r : null,
      py_environment_management: versions.python ? selection.environmentManagement.python : null,
    };
    // A shutdown that already finished the task as interrupted records nothing more.
    task.signal.throwIfAborted();
    const recorded = await store.transaction(async (tx) => {
      // A DELETE that won the race has removed the content and its bundles: recording nothing and
      // saying so beats reporting a success for content that no longer exists.
      if (!(await tx.content.lockForDeploy(record.row.id))) return false;
      await tx.bundles.recordBuild(bundle.id, { ...runtime, build_plan: plan });
      if (!activate) return true;
      await tx.bundles.activate(record.row.id, bundle.id);
      const metadata = manifest.value.metadata;
      await tx.content.recordDeploy(
        record.row.id,
        {
          ...runtime,
          bundle_id: bundle.id,
          app_mode: metadata?.appmode ?? 'unknown',
          content_category: metadata?.content_category ?? '',
          parameterized: metadata?.has_parameters === true,
        },
        timestamp(clock),
      );
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
        ? await store.bundles.find(record.row.id, Number(input.bundle_id))
        : await store.bundles.latest(record.row.id);
      if (!bundle) {
        throw new ApiError(
          ErrorCode.BundleMissing,
          input.bundle_id ? `The content has no bundle ${input.bundle_id}.` : 'The content has no bundle yet; upload one first.',
          { field: 'bundle_id' },
        );
      }
      return tasks.start({ userId, contentId: record.row.id }, (task) => run(task, record, bundle, input.activate !== false));
    },

    /** The content's deploys, newest first, each with its log. */
    async history(actor: Actor, contentGuid: string): Promise<Deployment[]> {
      const record = await content.authorized(actor, contentGuid, 'deployments:read');
      const rows = await store.tasks.listForContent(record.row.id);
      return rows.map((task) => ({
        task_id: task.id,
        created_time: task.created_time,
        finished_time: task.finished_time,
        finished: task.finished === 1,
        code: task.code,
        error: task.error,
        output: JSON.parse(task.output) as string[],
      }));
    },

    /** Waits for the deploys under way (tests). */
    settle: () => tasks.settle(),
  };
}
export type DeployService = ReturnType<typeof createDeployService>;
