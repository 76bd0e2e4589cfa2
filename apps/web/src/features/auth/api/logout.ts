import { ApiError } from '@envdesk/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { apiClient } from '../../../lib/api-client';
import { SIGN_IN_PATH } from '../return-path';
import { authKeys } from './current-user';

/**
 * The server ends a session only for a JSON request carrying the session's CSRF token, so another
 * site cannot sign the person out: the client adds the token to every write, and `{}` makes it JSON.
 */
export async function logout(): Promise<void> {
  await apiClient.post('/v1/auth/logout', { body: {}, csrf: true });
}

export function useLogout() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signedOut = () => {
    apiClient.forgetCsrfToken();
    // Leave first: were the user cleared while still on a signed-in page, that page would
    // send them to the sign-in page with a `next` pointing back at it.
    void navigate({ to: SIGN_IN_PATH });
    queryClient.clear();
    queryClient.setQueryData(authKeys.currentUser(), null);
  };
  return useMutation({
    mutationFn: logout,
    onSuccess: signedOut,
    onError: (error) => {
      // The session was already gone: the person is signed out all the same.
      if (error instanceof ApiError && error.status === 401) signedOut();
    },
  });
}
