import { type EnvironmentPermission, EnvironmentPermissionSchema } from '@envdesk/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { apiClient } from '../../../lib/api-client';
import { environmentKeys } from '../../../lib/environments/list-environments';

/** Who may use an environment (administrators only): no entries means every publisher may. */
const permissionsPath = (guid: string) => `/v1/environments/${encodeURIComponent(guid)}/permissions`;

export async function listEnvironmentPermissions(guid: string, signal?: AbortSignal): Promise<EnvironmentPermission[]> {
  return z.array(EnvironmentPermissionSchema).parse(await apiClient.get(permissionsPath(guid), { signal }));
}

export const environmentPermissionsQueryOptions = (guid: string) =>
  queryOptions({ queryKey: environmentKeys.permissions(guid), queryFn: ({ signal }) => listEnvironmentPermissions(guid, signal) });

export function useEnvironmentPermissions(guid: string | null) {
  return useQuery({ ...environmentPermissionsQueryOptions(guid ?? ''), enabled: guid !== null });
}

/** Exactly one of `user_guid` and `group_guid`. */
export async function addEnvironmentPermission(
  guid: string,
  grant: { user_guid: string } | { group_guid: string },
): Promise<EnvironmentPermission> {
  return EnvironmentPermissionSchema.parse(await apiClient.post(permissionsPath(guid), { body: grant }));
}

export async function removeEnvironmentPermission(guid: string, permissionGuid: string): Promise<void> {
  await apiClient.delete(`${permissionsPath(guid)}/${encodeURIComponent(permissionGuid)}`);
}
