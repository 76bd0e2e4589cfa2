import { type Group, GroupSchema, type User, UserSchema, paginatedSchema } from '@envdesk/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';

/**
 * The people and groups access control can name: searched by name prefix for the picker, and
 * fetched one by one to show the names of existing grants.
 */
export const principalKeys = {
  all: ['principals'] as const,
  search: (prefix: string) => [...principalKeys.all, 'search', prefix] as const,
  user: (guid: string) => [...principalKeys.all, 'user', guid] as const,
  group: (guid: string) => [...principalKeys.all, 'group', guid] as const,
};

const UserPageSchema = paginatedSchema(UserSchema);
const GroupPageSchema = paginatedSchema(GroupSchema);

export type Principal = { kind: 'user'; user: User } | { kind: 'group'; group: Group };

/** Grants only matter to publishers (administrators may use everything, viewers nothing), so only they are offered. */
export async function searchPrincipals(prefix: string, signal?: AbortSignal): Promise<Principal[]> {
  const query = (extra: Record<string, string>) => new URLSearchParams({ prefix, page_size: '8', page_number: '1', ...extra }).toString();
  const [groups, users] = await Promise.all([
    apiClient.get(`/v1/groups?${query({})}`, { signal }).then((body) => GroupPageSchema.parse(body).results),
    apiClient.get(`/v1/users?${query({ user_role: 'publisher' })}`, { signal }).then((body) => UserPageSchema.parse(body).results),
  ]);
  return [...groups.map((group) => ({ kind: 'group' as const, group })), ...users.map((user) => ({ kind: 'user' as const, user }))];
}

export const principalSearchQueryOptions = (prefix: string) =>
  queryOptions({ queryKey: principalKeys.search(prefix), queryFn: ({ signal }) => searchPrincipals(prefix, signal), staleTime: 60_000 });

export function usePrincipalSearch(prefix: string, enabled: boolean) {
  return useQuery({ ...principalSearchQueryOptions(prefix), enabled, placeholderData: (previous) => previous });
}

export const userQueryOptions = (guid: string) =>
  queryOptions({
    queryKey: principalKeys.user(guid),
    queryFn: async ({ signal }) => UserSchema.parse(await apiClient.get(`/v1/users/${encodeURIComponent(guid)}`, { signal })),
    staleTime: 5 * 60_000,
  });

export const groupQueryOptions = (guid: string) =>
  queryOptions({
    queryKey: principalKeys.group(guid),
    queryFn: async ({ signal }) => GroupSchema.parse(await apiClient.get(`/v1/groups/${encodeURIComponent(guid)}`, { signal })),
    staleTime: 5 * 60_000,
  });

export const userDisplayName = (user: User): string => `${user.first_name} ${user.last_name}`.trim() || user.username;
