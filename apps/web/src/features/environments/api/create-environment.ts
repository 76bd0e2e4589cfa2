import { type Environment, EnvironmentSchema } from '@envdesk/domain';
import { apiClient } from '../../../lib/api-client';

/** POST /v1/environments (administrators). The body is checked by the server's schema there. */
export async function createEnvironment(body: Record<string, unknown>): Promise<Environment> {
  return EnvironmentSchema.parse(await apiClient.post('/v1/environments', { body }));
}
