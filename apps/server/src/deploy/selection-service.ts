import {
  type Actor,
  ApiError,
  ErrorCode,
  type ExplainSelectionInput,
  type LocalExecution,
  type SelectionExplanation,
  type SelectionResult,
  type VersionMatching,
  parseManifest,
  selectWithLocalExecution,
} from '@envdesk/domain';
import type { ContentService } from '../content/content-service.js';
import { runtimeChoiceOf } from '../content/content-store.js';
import type { Store } from '../db/store.js';
import type { EnvironmentListCache } from '../environments/environment-list-cache.js';

/** The same ranking a deploy uses, without deploying: for the content page and the picker. */
export function createSelectionService({
  store,
  content,
  matching,
  environments,
  local = null,
}: {
  store: Pick<Store, 'bundles' | 'users'>;
  content: ContentService;
  matching: VersionMatching;
  /** Every environment and its installation index, read once per environments revision. */
  environments: Pick<EnvironmentListCache, 'selectionIndex'>;
  /** The host's own installations, the fallback when no environment qualifies (none when absent). */
  local?: LocalExecution | null;
}) {
  return {
    async explain(actor: Actor, input: ExplainSelectionInput): Promise<SelectionResult> {
      const record = input.content_guid ? await content.authorized(actor, input.content_guid, 'selection:explain') : null;
      const latest = !input.manifest && record ? await store.bundles.latest(record.id) : undefined;
      if (!input.manifest && !latest) {
        throw new ApiError(
          ErrorCode.ParameterMissing,
          record ? 'The content has no bundle yet: send a manifest to judge.' : 'Send a manifest, or a content_guid whose latest bundle to judge.',
          { field: 'manifest' },
        );
      }
      const manifest = input.manifest ? parseManifest(input.manifest) : latest!.manifest;
      if (!manifest.ok) throw new ApiError(ErrorCode.InvalidManifest, manifest.error, { field: 'manifest' });
      const saved = runtimeChoiceOf(record);
      const index = await environments.selectionIndex();
      return selectWithLocalExecution({
        manifest: manifest.value,
        content: {
          ...saved,
          // A choice being tried (the picker) stands in for the saved one.
          default_environment_guid: input.default_environment_guid !== undefined ? input.default_environment_guid : saved.default_environment_guid,
          default_image_name: input.default_image_name !== undefined ? input.default_image_name : saved.default_image_name,
        },
        owner: record ? await store.users.actorOf(record.owner.id) : actor,
        // An administrator's explanation shows every environment; anyone else's only those the owner may use.
        readBy: actor,
        environments: index.environments,
        index,
        matching,
      }, local);
    },
  };
}
export type SelectionService = ReturnType<typeof createSelectionService>;

/** The explainer's answer: the ranked candidates with compact environment summaries. */
export function presentSelection(result: SelectionResult): SelectionExplanation {
  return {
    request: result.request,
    bundle: result.bundle,
    selected_guid: result.selected?.environment.guid ?? null,
    failure: result.failure,
    environment_management: result.environmentManagement,
    candidates: result.candidates.map((candidate) => ({
      guid: candidate.environment.guid,
      name: candidate.environment.name,
      title: candidate.environment.title,
      matching: candidate.environment.matching,
      accepted: candidate.accepted,
      rank: candidate.rank,
      reasons: [...candidate.reasons],
      checks: {
        in_request: candidate.checks.inRequest,
        matching: candidate.checks.matching,
        permitted: candidate.checks.permitted,
        compatible: candidate.checks.compatible,
      },
      incompatibilities: [...candidate.incompatibilities],
      installations: [...candidate.installations],
    })),
    log: result.log,
  };
}
