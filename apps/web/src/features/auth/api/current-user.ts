import { type User, SessionStateSchema } from '@envdesk/domain';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';

export const authKeys = {
  all: ['auth'] as const,
  currentUser: () => [...authKeys.all, 'current-user'] as const,
};

/**
 * The signed-in user, or `null` when nobody is: being signed out is a state here, not an error, and
 * the server says so with a 200 (a 401 would be logged in the browser's console on every start).
 */
export async function fetchCurrentUser(signal?: AbortSignal): Promise<User | null> {
  return SessionStateSchema.parse(await apiClient.get('/v1/auth/session', { signal })).user;
}

export const currentUserQueryOptions = () =>
  queryOptions({
    queryKey: authKeys.currentUser(),
    queryFn: ({ signal }) => fetchCurrentUser(signal),
    staleTime: 5 * 60_000,
  });

export function useCurrentUser() {
  return useQuery(currentUserQueryOptions());
}
