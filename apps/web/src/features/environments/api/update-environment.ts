import { type Environment, EnvironmentSchema } from '@envdesk/domain';
import { apiClient } from '../../../lib/api-client';

/** PUT /v1/environments/{guid}: fields present replace, absent keep. 409 (265) for file-managed ones. */
export async function updateEnvironment(guid: string, body: Record<string, unknown>): Promise<Environment> {
  return EnvironmentSchema.parse(await apiClient.put(`/v1/environments/${encodeURIComponent(guid)}`, { body }));
}
