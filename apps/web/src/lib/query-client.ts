import { ApiError, ErrorCode } from '@envdesk/domain';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';

/**
 * The session is gone: no session (code 24), or one the server no longer knows — expired or signed
 * out elsewhere, which answers 401 with code 30 ("Your session has ended"). A wrong password at
 * sign-in is a 401 too, but there nobody is signed in, so going to the sign-in page changes nothing.
 */
const isAuthRequired = (error: unknown): boolean =>
  error instanceof ApiError && (error.code === ErrorCode.AuthRequired || (error.status === 401 && error.code === ErrorCode.InvalidLogin));

/** A 4xx answer will not change by asking again; network failures and 5xx get two more tries. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status < 500) return false;
  return failureCount < 2;
}

/**
 * `onAuthRequired` runs when any request finds the session gone (expired, signed out elsewhere),
 * so the app can send the person to the sign-in page from wherever they are.
 */
export function createQueryClient({ onAuthRequired }: { onAuthRequired?: () => void } = {}): QueryClient {
  const onError = (error: unknown) => {
    if (isAuthRequired(error)) onAuthRequired?.();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: { staleTime: 30_000, retry: shouldRetry },
      mutations: { retry: false },
    },
  });
}
