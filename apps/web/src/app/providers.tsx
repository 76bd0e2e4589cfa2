import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { AnnouncerProvider } from '../components/announcer';
import { authKeys } from '../features/auth/api/current-user';
import { createQueryClient } from '../lib/query-client';

/** The app's query client: when any request finds the session gone, the app shows the sign-in page. */
export function createAppQueryClient(): QueryClient {
  const queryClient: QueryClient = createQueryClient({
    onAuthRequired: () => queryClient.setQueryData(authKeys.currentUser(), null),
  });
  return queryClient;
}

export function AppProviders({ children, queryClient }: { children: ReactNode; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createAppQueryClient());
  return (
    <QueryClientProvider client={client}>
      <AnnouncerProvider>{children}</AnnouncerProvider>
    </QueryClientProvider>
  );
}
