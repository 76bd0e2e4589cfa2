import { useNavigate } from '@tanstack/react-router';
import { useEffect } from 'react';

/**
 * Goes to `href` (path and query), replacing the current history entry so Back does not land on a
 * page that redirects again. Never asks about unsaved changes: a redirect is the app's decision
 * (the session ended), and forms keep their drafts for when the person is back.
 */
export function Redirect({ href }: { href: string }) {
  const navigate = useNavigate();
  useEffect(() => void navigate({ href, replace: true, ignoreBlocker: true }), [href, navigate]);
  return null;
}
