import { useNavigate } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';

/**
 * Goes to `href` (path and query), replacing the current history entry so Back does not land on a
 * page that redirects again. Never asks about unsaved changes: a redirect is the app's decision
 * (the session ended), and forms keep their drafts for when the person is back.
 */
export function Redirect({ href }: { href: string }) {
  const navigate = useNavigate();
  // Once per address: the router hands out a new `navigate` while it moves, which must not start another move.
  const went = useRef<string | null>(null);
  useEffect(() => {
    if (went.current === href) return;
    went.current = href;
    void navigate({ href, replace: true, ignoreBlocker: true });
  }, [href, navigate]);
  return null;
}
