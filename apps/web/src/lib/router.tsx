import { type ComponentProps, type MouseEvent, useEffect, useLayoutEffect, useMemo, useRef, useSyncExternalStore } from 'react';

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

/**
 * Pages that would lose something if left (a form with unsaved changes) register a blocker: it
 * answers the question to ask, or null when leaving is fine, and what to do once the person
 * agreed to leave (throw the draft away).
 */
interface Blocker {
  readonly question: () => string | null;
  readonly onLeave: () => void;
}
const blockers = new Set<Blocker>();
/** Where the app is, as far as blockers know: what Back is undone to when the person stays. */
let shownHref = typeof window === 'undefined' ? '/' : currentHref();

/** Asks each blocker's question (the browser's own confirm: modal, and read by screen readers). */
function mayLeave(): boolean {
  const agreed: Blocker[] = [];
  for (const blocker of blockers) {
    const question = blocker.question();
    if (question === null) continue;
    if (!window.confirm(question)) return false;
    agreed.push(blocker);
  }
  for (const blocker of agreed) blocker.onLeave();
  return true;
}

if (typeof window !== 'undefined') {
  // Registered before any React subscription, so it runs first: Back from a page with unsaved
  // changes puts the address back unless the person agrees, and React never sees the change.
  window.addEventListener('popstate', (event) => {
    if (blockers.size > 0 && currentHref() !== shownHref && !mayLeave()) {
      window.history.pushState(null, '', shownHref);
      event.stopImmediatePropagation();
      return;
    }
    shownHref = currentHref();
  });
}

export interface NavigateOptions {
  readonly replace?: boolean;
  /** Skips the unsaved-changes question: after a save, or a redirect the app must make (signed out). */
  readonly force?: boolean;
}

export function navigate(to: string, { replace = false, force = false }: NavigateOptions = {}): void {
  if (!force && to !== currentHref() && !mayLeave()) return;
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  shownHref = currentHref();
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/**
 * While `question` is not null, leaving asks it first: in-app links and `navigate`, Back and
 * Forward, and closing or reloading the tab (the browser's own beforeunload prompt; its wording
 * is the browser's). `onLeave` runs when the person agreed to leave within the app.
 */
export function useLeaveGuard(question: string | null, onLeave: () => void = () => undefined): void {
  const latest = useRef({ question, onLeave });
  useLayoutEffect(() => {
    latest.current = { question, onLeave };
  });
  const active = question !== null;
  useEffect(() => {
    if (!active) return;
    const blocker: Blocker = { question: () => latest.current.question, onLeave: () => latest.current.onLeave() };
    blockers.add(blocker);
    shownHref = currentHref();
    const beforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      blockers.delete(blocker);
      window.removeEventListener('beforeunload', beforeUnload);
    };
  }, [active]);
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

/**
 * Replaces the current history entry, so Back does not land on a page that redirects again. Never
 * asks about unsaved changes: a redirect is the app's decision (the session ended), and forms keep
 * their drafts for when the person is back.
 */
export function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true, force: true }), [to]);
  return null;
}
