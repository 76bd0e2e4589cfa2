import { type EnvironmentSummary, EnvironmentSummarySchema } from '@envdesk/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { apiClient } from '../../../lib/api-client';
import { environmentKeys } from '../../../lib/environments/list-environments';

const SummaryListSchema = z.array(EnvironmentSummarySchema);

/** By GUID: who changed each environment last and how much content uses it (administrators only). */
export async function getEnvironmentSummary(signal?: AbortSignal): Promise<ReadonlyMap<string, EnvironmentSummary>> {
  const summaries = SummaryListSchema.parse(await apiClient.get('/v1/environments/summary', { signal }));
  return new Map(summaries.map((summary) => [summary.guid, summary]));
}

export const environmentSummaryQueryOptions = () =>
  queryOptions({ queryKey: environmentKeys.summary(), queryFn: ({ signal }) => getEnvironmentSummary(signal) });

export function useEnvironmentSummary({ enabled }: { enabled: boolean }) {
  return useQuery({ ...environmentSummaryQueryOptions(), enabled });
}
