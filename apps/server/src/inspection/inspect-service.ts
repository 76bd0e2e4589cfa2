import { type Actor, ApiError, type ImageInspectionResult, type InspectImageInput, inspectedTitle } from '@envdesk/domain';
import { authorize } from '../auth/authorize.js';
import { INSPECTION_OPENING, type TaskContext, type TaskOutcome, type TaskRunner } from '../tasks/task-runner.js';
import { type ImageInspection, createImageInspector } from './image-inspector.js';
import { createLayerCache } from './layer-cache.js';
import { registryClientFromSettings } from './registry/registry-client.js';

/** ENVDESK_INSPECT_MAX_BYTES, ENVDESK_INSPECT_TIMEOUT_SECONDS, ENVDESK_REGISTRY_AUTH_FILE and ENVDESK_INSECURE_REGISTRIES. */
export interface InspectionSettings {
  readonly inspectMaxBytes: number;
  readonly inspectTimeoutMs: number;
  readonly registry: { readonly authFile: string | undefined; readonly insecureRegistries: readonly string[] };
}

export interface InspectDeps {
  readonly tasks: TaskRunner;
  readonly settings: InspectionSettings;
}

/**
 * Inspects registry images in tasks (issue 12, the API): the task's lines say what is read (the
 * manifest, each layer with its size), and its result is what was found. One layer cache serves
 * every inspection, so images on a shared base read only their own layers.
 */
export function createInspectService({ tasks, settings }: InspectDeps) {
  const layerCache = createLayerCache();

  async function run(task: TaskContext, input: InspectImageInput): Promise<TaskOutcome> {
    // Read now, so a rotated ENVDESK_REGISTRY_AUTH_FILE takes effect for the next inspection.
    const registry = await registryClientFromSettings(settings);
    const inspector = createImageInspector({ registry, allowLocalPaths: false, maxBytes: settings.inspectMaxBytes, timeoutMs: settings.inspectTimeoutMs }, layerCache);
    // Lines are saved in order; a line that cannot be saved (the task was interrupted) stops none of the rest.
    let saved = Promise.resolve();
    const say = (line: string) => {
      saved = saved.then(() => task.say(line)).catch(() => undefined);
    };
    let result: ImageInspection;
    try {
      result = await inspector.inspect({ name: input.name, platform: input.platform, pathLookups: input.path_lookups !== false, onProgress: say, signal: task.signal });
    } catch (error) {
      await saved;
      // The inspector's refusals are written for users and never carry credentials; anything else is a bug.
      if (!(error instanceof ApiError)) throw error;
      return { code: 1, error: error.message, lines: [`Inspection failed: ${error.message}`] };
    }
    await saved;
    const found = inspectedTitle(result.installations);
    const { name, digest, platform, platforms, installations, warnings } = result;
    // As ImageInspectionSchema describes it: GET /v1/tasks/{id} answers it as the task's `result`.
    const answer: ImageInspectionResult = { name, digest, platform, platforms: [...platforms], installations, warnings: [...warnings] };
    return {
      code: 0,
      error: '',
      result: answer,
      lines: [found === null ? 'Found no installation with a version.' : `Found ${found}.`, ...result.warnings.map((warning) => `Warning: ${warning}`)],
    };
  }

  return {
    /** Starts an inspection and answers its task's id at once (clients poll GET /v1/tasks/{id}). */
    async inspect(actor: Actor, userId: number, input: InspectImageInput): Promise<string> {
      authorize(actor, 'environments:inspect');
      // The opening line marks the task as an inspection, so that one interrupted says to run it again, not to deploy.
      const firstLine = `${INSPECTION_OPENING}${input.name}${input.platform ? ` for ${input.platform}` : ''}.`;
      return tasks.start({ userId, contentId: null }, (task) => run(task, input), { firstLine });
    },
  };
}
export type InspectService = ReturnType<typeof createInspectService>;
