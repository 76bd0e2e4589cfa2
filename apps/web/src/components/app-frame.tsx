import type { Action, User } from '@envdesk/domain';
import { type ReactNode, useEffect, useRef } from 'react';
import { offers } from '../lib/access';
import { Link, useLocation } from '@tanstack/react-router';

interface NavItem {
  readonly label: string;
  readonly to: '/environments' | '/content';
  /** Shown only to people the server would let do this. */
  readonly needs: Action;
}

const navItems: readonly NavItem[] = [
  { label: 'Environments', to: '/environments', needs: 'environments:read' },
  { label: 'Content', to: '/content', needs: 'session:own' },
];

export const displayName = (user: User): string => `${user.first_name} ${user.last_name}`.trim() || user.username;

export interface AppFrameProps {
  user: User;
  onSignOut: () => void;
  signingOut: boolean;
  /** Shown in the header when signing out failed. */
  signOutError?: string | null;
  children: ReactNode;
}

/** The signed-in layout: header with navigation and the current user, then the page. */
export function AppFrame({ user, onSignOut, signingOut, signOutError, children }: AppFrameProps) {
  const pathname = useLocation({ select: (location) => location.pathname });
  const main = useRef<HTMLElement>(null);
  const shownPath = useRef(pathname);

  // After moving to another page, put focus at the start of the new content (as a page load would).
  useEffect(() => {
    if (shownPath.current === pathname) return;
    shownPath.current = pathname;
    main.current?.focus();
  }, [pathname]);

  return (
    <div className="frame">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="frame-header">
        <Link to={offers(user, 'environments:read') ? '/environments' : '/content'} className="brand">
          envdesk
        </Link>
        <nav aria-label="Main" className="frame-nav">
          <ul>
            {navItems
              .filter((item) => offers(user, item.needs))
              .map((item) => (
                <li key={item.to}>
                  <Link
                    to={item.to}
                    aria-current={pathname === item.to ? 'page' : pathname.startsWith(`${item.to}/`) ? 'true' : undefined}
                  >
                    {item.label}
                  </Link>
                </li>
              ))}
          </ul>
        </nav>
        <div className="frame-user">
          <p className="user-card">
            <span className="visually-hidden">Signed in as </span>
            <span className="user-name">{displayName(user)}</span>
            <span className="user-role">{user.user_role}</span>
          </p>
          {offers(user, 'session:own') && (
            <Link to="/keys" className="button button-quiet" aria-current={pathname === '/keys' ? 'page' : undefined}>
              API keys
            </Link>
          )}
          <button type="button" className="button button-quiet" onClick={onSignOut} disabled={signingOut}>
            Sign out
          </button>
        </div>
      </header>
      {signOutError && (
        <p role="alert" className="alert alert-error frame-alert">
          {signOutError}
        </p>
      )}
      <main id="main" ref={main} tabIndex={-1} className="frame-main">
        {children}
      </main>
    </div>
  );
}
