import { type ApiKey, ApiKeySchema } from '@envdesk/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { apiClient } from '../../../lib/api-client';

export type { ApiKey };

export const apiKeyKeys = {
  all: ['api-keys'] as const,
  list: () => [...apiKeyKeys.all, 'list'] as const,
};

const ApiKeyListSchema = z.array(ApiKeySchema);

/** GET /v1/user/keys: the signed-in person's own keys, never their secrets. */
export async function listApiKeys(signal?: AbortSignal): Promise<ApiKey[]> {
  return ApiKeyListSchema.parse(await apiClient.get('/v1/user/keys', { signal }));
}

export const apiKeyListQueryOptions = () => queryOptions({ queryKey: apiKeyKeys.list(), queryFn: ({ signal }) => listApiKeys(signal) });

export function useApiKeyList() {
  return useQuery(apiKeyListQueryOptions());
}
