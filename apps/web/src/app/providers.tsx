import { type QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { useState } from 'react';
import { AnnouncerProvider } from '../components/announcer';
import { authKeys } from '../features/auth/api/current-user';
import { createQueryClient } from '../lib/query-client';
import { createAppRouter } from './router';

/** The app's query client: when any request finds the session gone, the app shows the sign-in page. */
export function createAppQueryClient(): QueryClient {
  const queryClient: QueryClient = createQueryClient({
    onAuthRequired: () => queryClient.setQueryData(authKeys.currentUser(), null),
  });
  return queryClient;
}

/** The whole app at the browser's address: its query client, announcer and router. */
export function App({ queryClient }: { queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createAppQueryClient());
  const [router] = useState(() => createAppRouter(client));
  return (
    <QueryClientProvider client={client}>
      <AnnouncerProvider>
        <RouterProvider router={router} />
      </AnnouncerProvider>
    </QueryClientProvider>
  );
}
