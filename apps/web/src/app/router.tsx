import { type Action, ListSearchSchema, type User } from '@envdesk/domain';
import type { QueryClient } from '@tanstack/react-query';
import { Outlet, createRootRouteWithContext, createRoute, createRouter, redirect, useRouterState } from '@tanstack/react-router';
import { type ReactNode, Suspense, createContext, lazy, useContext } from 'react';
import { AppFrame } from '../components/app-frame';
import { NotFoundPage } from '../components/not-found-page';
import { Redirect } from '../components/redirect';
import { currentUserQueryOptions, useCurrentUser } from '../features/auth/api/current-user';
import { useLogout } from '../features/auth/api/logout';
import { CONTENT_PATH, HOME_PATH, signInPath } from '../features/auth/return-path';
import { EnvironmentsPage } from '../features/environments/environments-page';
import { offers } from '../lib/access';
import { useLiveEvents } from '../lib/live-events';
import { errorMessage } from '../lib/api-client';

// The form is the largest part of the app and only administrators use most of it: it loads on first use.
const EnvironmentFormPage = lazy(() =>
  import('../features/environments/environment-form-page').then((module) => ({ default: module.EnvironmentFormPage })),
);
// Administrators' Recently deleted page: its own chunk, kept out of the Environments tab's first download.
const DeletedEnvironmentsPage = lazy(() =>
  import('../features/environments/deleted-environments-page').then((module) => ({ default: module.DeletedEnvironmentsPage })),
);
// The Content pages and the sign-in page load on first use too, keeping the first download small.
const SignInPage = lazy(() => import('../features/auth/sign-in-page').then((module) => ({ default: module.SignInPage })));
const ContentListPage = lazy(() => import('../features/content/content-list-page').then((module) => ({ default: module.ContentListPage })));
// Most people open their API keys rarely: the page loads on first use.
const ApiKeysPage = lazy(() => import('../features/api-keys/api-keys-page').then((module) => ({ default: module.ApiKeysPage })));
const ContentPage = lazy(() => import('../features/content/content-page').then((module) => ({ default: module.ContentPage })));

export interface RouterContext {
  readonly queryClient: QueryClient;
}

/**
 * Starts loading what a page shows while its code, loaded on first use, is still on the way, for a
 * signed-in user the page is for. It does not hold the page back: the page shows its own loading
 * state until the data is in.
 */
function prefetchFor(queryClient: QueryClient, needs: Action, prefetch: () => Promise<unknown>): void {
  queryClient
    .ensureQueryData(currentUserQueryOptions())
    .then((user) => (user && offers(user, needs) ? prefetch() : undefined))
    // A failed prefetch costs nothing: the page asks again and shows the error itself.
    .catch(() => undefined);
}

/** A page whose code loads on first use. */
function Lazy({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <p role="status" className="muted">
          Loading…
        </p>
      }
    >
      {children}
    </Suspense>
  );
}

/** Shows its page to a signed-in user; sends anybody else to sign in, to come back here after. */
function SignedIn({ children }: { children: ReactNode }) {
  // The address this page was opened at; while the router moves elsewhere, this page still shows.
  const href = useRouterState({ select: (state) => (state.resolvedLocation ?? state.location).href });
  const currentUser = useCurrentUser();
  const logout = useLogout();

  if (currentUser.isPending) {
    return (
      <main id="main" className="splash">
        <p role="status">Loading envdesk…</p>
      </main>
    );
  }
  if (currentUser.isError) {
    return (
      <main id="main" className="splash">
        <div role="alert" className="alert alert-error">
          <p>envdesk could not start. {errorMessage(currentUser.error)}</p>
          <button type="button" className="button" onClick={() => void currentUser.refetch()}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  if (!currentUser.data) return <Redirect href={signInPath(href)} />;
  return (
    <SignedInFrame user={currentUser.data} onSignOut={() => logout.mutate()} signingOut={logout.isPending} signOutError={logout.isError ? `Signing out failed. ${errorMessage(logout.error)}` : null}>
      {children}
    </SignedInFrame>
  );
}

/** The frame of every signed-in page, and the one event stream that keeps them current. */
function SignedInFrame({ user, children, ...frame }: { user: User; children: ReactNode; onSignOut: () => void; signingOut: boolean; signOutError: string | null }) {
  useLiveEvents(user);
  return (
    <AppFrame user={user} {...frame}>
      <SignedInUser.Provider value={user}>{children}</SignedInUser.Provider>
    </AppFrame>
  );
}

const SignedInUser = createContext<User | null>(null);

/** The signed-in user, for a page under the signed-in layout (which renders nothing else). */
function useSignedInUser(): User {
  const user = useContext(SignedInUser);
  if (!user) throw new Error('useSignedInUser outside the signed-in layout');
  return user;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  // Any address no page answers to, signed in like every other page.
  notFoundComponent: () => (
    <SignedIn>
      <NotFoundPage />
    </SignedIn>
  ),
});

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/signin',
  validateSearch: (search: Record<string, unknown>): { next?: string } => (typeof search.next === 'string' ? { next: search.next } : {}),
  component: function SignInRoute() {
    return (
      <Lazy>
        <SignInPage />
      </Lazy>
    );
  },
});

// A viewer's `/` ends on Content: the Environments route sends them on.
const homeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: HOME_PATH, replace: true });
  },
});

/** The signed-in pages, in one frame that stays while they change (and moves focus to each new one). */
const signedInRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'signed-in',
  component: () => (
    <SignedIn>
      <Outlet />
    </SignedIn>
  ),
});

const environmentsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/environments',
  validateSearch: ListSearchSchema,
  // No loader: the page is in the first download and asks for the list as it renders, which is as
  // soon as a loader could once the user is known (a viewer's tab must not ask at all).
  component: function EnvironmentsRoute() {
    const user = useSignedInUser();
    // A viewer's start after signing in, an old bookmark: the tab is not theirs, Content is.
    if (!offers(user, 'environments:read')) return <Redirect href={CONTENT_PATH} />;
    return <EnvironmentsPage user={user} />;
  },
});

const newEnvironmentRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/environments/new',
  // `?from=<guid>`: *Clone*, the add form starting as a copy of that environment.
  validateSearch: (search: Record<string, unknown>): { from?: string } => (typeof search.from === 'string' ? { from: search.from } : {}),
  component: function NewEnvironmentRoute() {
    const { from } = newEnvironmentRoute.useSearch();
    return (
      <Lazy>
        <EnvironmentFormPage key={from ?? ''} user={useSignedInUser()} guid={null} cloneOf={from} />
      </Lazy>
    );
  },
});

const deletedEnvironmentsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/environments/deleted',
  component: function DeletedEnvironmentsRoute() {
    return (
      <Lazy>
        <DeletedEnvironmentsPage user={useSignedInUser()} />
      </Lazy>
    );
  },
});

const environmentRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/environments/$guid',
  loader: ({ context: { queryClient }, params: { guid } }) =>
    prefetchFor(queryClient, 'environments:read', async () => {
      const { environmentQueryOptions } = await import('../features/environments/api/get-environment');
      await queryClient.prefetchQuery(environmentQueryOptions(guid));
    }),
  component: function EnvironmentRoute() {
    const { guid } = environmentRoute.useParams();
    return (
      <Lazy>
        {/* Another environment is another form: nothing typed into one carries over. */}
        <EnvironmentFormPage key={guid} user={useSignedInUser()} guid={guid} />
      </Lazy>
    );
  },
});

const contentListRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/content',
  validateSearch: ListSearchSchema,
  component: function ContentListRoute() {
    return (
      <Lazy>
        <ContentListPage user={useSignedInUser()} />
      </Lazy>
    );
  },
});

const contentRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/content/$guid',
  // The Runtime section's environment picker keeps its search and order here.
  validateSearch: ListSearchSchema,
  loader: ({ context: { queryClient }, params: { guid } }) =>
    prefetchFor(queryClient, 'session:own', async () => {
      const { contentQueryOptions } = await import('../features/content/api/get-content');
      await queryClient.prefetchQuery(contentQueryOptions(guid));
    }),
  component: function ContentRoute() {
    const { guid } = contentRoute.useParams();
    return (
      <Lazy>
        <ContentPage key={guid} user={useSignedInUser()} guid={guid} />
      </Lazy>
    );
  },
});

const apiKeysRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/keys',
  loader: ({ context: { queryClient } }) =>
    prefetchFor(queryClient, 'session:own', async () => {
      const { apiKeyListQueryOptions } = await import('../features/api-keys/api/list-api-keys');
      await queryClient.prefetchQuery(apiKeyListQueryOptions());
    }),
  component: function ApiKeysRoute() {
    return (
      <Lazy>
        <ApiKeysPage user={useSignedInUser()} />
      </Lazy>
    );
  },
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  homeRoute,
  signedInRoute.addChildren([environmentsRoute, newEnvironmentRoute, deletedEnvironmentsRoute, environmentRoute, contentListRoute, contentRoute, apiKeysRoute]),
]);

/**
 * Search values stay plain text (`?q=3.11` is the text "3.11", not a number), written as a form
 * would write them; empty ones are left out.
 */
function parseSearch(searchStr: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(searchStr));
}

function stringifySearch(search: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (typeof value === 'string' && value !== '') params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({ routeTree, context: { queryClient }, parseSearch, stringifySearch });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
