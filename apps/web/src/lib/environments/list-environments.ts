import { type Environment, EnvironmentSchema } from '@envdesk/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { apiClient } from '../api-client';

export const environmentKeys = {
  all: ['environments'] as const,
  list: () => [...environmentKeys.all, 'list'] as const,
  detail: (guid: string) => [...environmentKeys.all, 'detail', guid] as const,
  permissions: (guid: string) => [...environmentKeys.all, 'permissions', guid] as const,
  syncStatus: () => [...environmentKeys.all, 'sync-status'] as const,
  history: (guid: string) => [...environmentKeys.all, 'history', guid] as const,
  deleted: () => [...environmentKeys.all, 'deleted'] as const,
  summary: () => [...environmentKeys.all, 'summary'] as const,
};

const EnvironmentListSchema = z.array(EnvironmentSchema);

export async function listEnvironments(signal?: AbortSignal): Promise<Environment[]> {
  return EnvironmentListSchema.parse(await apiClient.get('/v1/environments', { signal }));
}

export const environmentListQueryOptions = () =>
  queryOptions({ queryKey: environmentKeys.list(), queryFn: ({ signal }) => listEnvironments(signal) });

export function useEnvironmentList({ enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...environmentListQueryOptions(), enabled });
}
