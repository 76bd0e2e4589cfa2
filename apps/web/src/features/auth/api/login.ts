import { type LoginInput, type User, UserSchema } from '@envdesk/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';
import { authKeys } from './current-user';

export async function login(input: LoginInput): Promise<User> {
  // No session yet, so no CSRF token to send.
  return UserSchema.parse(await apiClient.post('/v1/auth/login', { body: input, csrf: false }));
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (user) => {
      // A new session has a new CSRF token, and nothing cached for a previous user may show.
      apiClient.forgetCsrfToken();
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== authKeys.all[0] });
      queryClient.setQueryData(authKeys.currentUser(), user);
    },
  });
}
