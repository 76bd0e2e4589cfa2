import { type CreatedApiKey, CreatedApiKeySchema } from '@envdesk/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { apiKeyKeys } from './list-api-keys';

export type { CreatedApiKey };

/** POST /v1/user/keys: the answer holds the secret, the only time the server ever sends it. */
export async function createApiKey(name: string): Promise<CreatedApiKey> {
  return CreatedApiKeySchema.parse(await apiClient.post('/v1/user/keys', { body: { name } }));
}

export function useCreateApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createApiKey,
    onSettled: () => queryClient.invalidateQueries({ queryKey: apiKeyKeys.list() }),
  });
}
