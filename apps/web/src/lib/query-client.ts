import { ApiError, ErrorCode } from '@envdesk/domain';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';

const isAuthRequired = (error: unknown): boolean => error instanceof ApiError && error.code === ErrorCode.AuthRequired;

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
