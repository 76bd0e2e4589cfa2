import { type Environment, EnvironmentSchema, environmentEtag } from '@envdesk/domain';
import { apiClient } from '../../../lib/api-client';

/**
 * PUT /v1/environments/{guid}: fields present replace, absent keep. Always sent with If-Match
 * naming `base`, the version the form was opened from, so another administrator's save in the
 * meantime answers 412 instead of being erased. 409 (265) for file-managed ones.
 */
export async function updateEnvironment(base: Environment, body: Record<string, unknown>): Promise<Environment> {
  return EnvironmentSchema.parse(
    await apiClient.put(`/v1/environments/${encodeURIComponent(base.guid)}`, { body, headers: { 'If-Match': environmentEtag(base) } }),
  );
}
