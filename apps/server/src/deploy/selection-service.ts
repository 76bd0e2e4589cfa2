import {
  type Actor,
  ApiError,
  ErrorCode,
  type ExplainSelectionInput,
  type SelectionExplanation,
  type SelectionResult,
  type VersionMatching,
  parseManifest,
  selectEnvironment,
} from '@envdesk/domain';
import { type ContentService, ownerActor } from '../content/content-service.js';
import type { Store } from '../db/store.js';

const bool = (value: number | null) => (value === null ? null : value === 1);

/** The same ranking a deploy uses, without deploying: for the content page and the picker. */
export function createSelectionService({ store, content, matching }: { store: Store; content: ContentService; matching: VersionMatching }) {
  return {
    async explain(actor: Actor, input: ExplainSelectionInput): Promise<SelectionResult> {
      const record = input.content_guid ? await content.authorized(actor, input.content_guid, 'selection:explain') : null;
      const latest = !input.manifest && record ? await store.bundles.latest(record.row.id) : undefined;
      if (!input.manifest && !latest) {
        throw new ApiError(
          ErrorCode.ParameterMissing,
          record ? 'The content has no bundle yet: send a manifest to judge.' : 'Send a manifest, or a content_guid whose latest bundle to judge.',
          { field: 'manifest' },
        );
      }
      const manifest = parseManifest(input.manifest ?? JSON.parse(latest!.manifest));
      if (!manifest.ok) throw new ApiError(ErrorCode.InvalidManifest, manifest.error, { field: 'manifest' });
      const row = record?.row;
      return selectEnvironment({
        manifest: manifest.value,
        content: {
          default_environment_guid: input.default_environment_guid !== undefined ? input.default_environment_guid : (row?.default_environment_guid ?? null),
          default_image_name: input.default_image_name !== undefined ? input.default_image_name : (row?.default_image_name ?? null),
          default_r_environment_management: bool(row?.default_r_environment_management ?? null),
          default_py_environment_management: bool(row?.default_py_environment_management ?? null),
        },
        owner: record ? await ownerActor(store, record) : actor,
        // An administrator's explanation shows every environment; anyone else's only those the owner may use.
        readBy: actor,
        environments: await store.environments.listWithGrants(),
        matching,
      });
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
      reasons: candidate.reasons,
      checks: {
        in_request: candidate.checks.inRequest,
        matching: candidate.checks.matching,
        permitted: candidate.checks.permitted,
        compatible: candidate.checks.compatible,
      },
      incompatibilities: candidate.incompatibilities,
      installations: candidate.installations,
    })),
    log: result.log,
  };
}
