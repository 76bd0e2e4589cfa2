import { type ComponentProps, type MouseEvent, useEffect, useMemo, useSyncExternalStore } from 'react';

/**
 * A router on the History API, about all this app needs: the current location as React state,
 * `navigate()`, links that do not reload the page, and redirects. (react-router's current major
 * needs Node 22; see STACK.md.)
 */

const NAVIGATE_EVENT = 'envdesk:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

/** Path and query string: a string, so React can compare snapshots cheaply. */
const currentHref = (): string => window.location.pathname + window.location.search;

export interface Location {
  /** Path and query string, e.g. `/environments?q=3.11`. */
  readonly href: string;
  readonly pathname: string;
  readonly searchParams: URLSearchParams;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, currentHref);
  return useMemo(() => {
    const url = new URL(href, window.location.origin);
    return { href, pathname: url.pathname, searchParams: url.searchParams };
  }, [href]);
}

export function navigate(to: string, { replace = false }: { replace?: boolean } = {}): void {
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** Only a plain left click stays in the app; ctrl/cmd/shift-click keep their browser meaning. */
function isPlainClick(event: MouseEvent<HTMLAnchorElement>): boolean {
  return !event.defaultPrevented && event.button === 0 && !(event.metaKey || event.ctrlKey || event.shiftKey || event.altKey);
}

export type LinkProps = Omit<ComponentProps<'a'>, 'href'> & { to: string };

export function Link({ to, onClick, ...props }: LinkProps) {
  return (
    <a
      {...props}
      href={to}
      onClick={(event) => {
        onClick?.(event);
        if (!isPlainClick(event) || props.target) return;
        event.preventDefault();
        navigate(to);
      }}
    />
  );
}

/** Replaces the current history entry, so Back does not land on a page that redirects again. */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
