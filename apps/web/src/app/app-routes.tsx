import type { User } from '@envdesk/domain';
import { type ReactNode, Suspense, lazy } from 'react';
import { AppFrame } from '../components/app-frame';
import { NotFoundPage } from '../components/not-found-page';
import { useCurrentUser } from '../features/auth/api/current-user';
import { useLogout } from '../features/auth/api/logout';
import { HOME_PATH, SIGN_IN_PATH, signInPath } from '../features/auth/return-path';
import { SignInPage } from '../features/auth/sign-in-page';
import { EnvironmentsPage } from '../features/environments/environments-page';
import { errorMessage } from '../lib/api-client';
import { Redirect, useLocation } from '../lib/router';

// The form is the largest part of the app and only administrators use most of it: it loads on first use.
const EnvironmentFormPage = lazy(() =>
  import('../features/environments/environment-form-page').then((module) => ({ default: module.EnvironmentFormPage })),
);
// The Content pages load on first use too, keeping the first download small.
const ContentListPage = lazy(() => import('../features/content/content-list-page').then((module) => ({ default: module.ContentListPage })));
const ContentPage = lazy(() => import('../features/content/content-page').then((module) => ({ default: module.ContentPage })));

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

/** The signed-in pages by path; anything else is "Page not found". */
const pages: Record<string, (user: User) => ReactNode> = {
  '/environments': (user) => <EnvironmentsPage user={user} />,
  '/content': (user) => (
    <Lazy>
      <ContentListPage user={user} />
    </Lazy>
  ),
};

const ENVIRONMENT_PAGE = /^\/environments\/([^/]+)$/;
const CONTENT_PAGE = /^\/content\/([^/]+)$/;

/** A path segment as typed; null for a malformed escape (`%E0`), which no page answers to. */
function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function pageFor(pathname: string): ((user: User) => ReactNode) | undefined {
  const page = pages[pathname];
  if (page) return page;
  const environment = ENVIRONMENT_PAGE.exec(pathname)?.[1];
  const environmentGuid = environment === undefined || environment === 'new' ? null : decodeSegment(environment);
  if (environment === 'new' || environmentGuid !== null) {
    return (user) => (
      <Lazy>
        <EnvironmentFormPage key={environment} user={user} guid={environmentGuid} />
      </Lazy>
    );
  }
  const content = CONTENT_PAGE.exec(pathname)?.[1];
  const contentGuid = content === undefined ? null : decodeSegment(content);
  if (contentGuid !== null) {
    return (user) => (
      <Lazy>
        <ContentPage key={contentGuid} user={user} guid={contentGuid} />
      </Lazy>
    );
  }
  return undefined;
}

export function AppRoutes() {
  const { pathname } = useLocation();
  if (pathname === SIGN_IN_PATH) return <SignInPage />;
  if (pathname === '/') return <Redirect to={HOME_PATH} />;
  return <SignedIn render={(user) => (pageFor(pathname) ?? (() => <NotFoundPage />))(user)} />;
}

/** Shows its page to a signed-in user; sends anybody else to sign in, to come back here after. */
function SignedIn({ render }: { render: (user: User) => ReactNode }) {
  const { href } = useLocation();
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
  if (!currentUser.data) return <Redirect to={signInPath(href)} />;
  return (
    <AppFrame
      user={currentUser.data}
      onSignOut={() => logout.mutate()}
      signingOut={logout.isPending}
      signOutError={logout.isError ? `Signing out failed. ${errorMessage(logout.error)}` : null}
    >
      {render(currentUser.data)}
    </AppFrame>
  );
}
