/** Signed-out visitors go to the sign-in page carrying where they were, and come back there after. */

export const SIGN_IN_PATH = '/signin';
export const HOME_PATH = '/environments';
/** Viewers' start: the Environments tab is not for them. */
export const CONTENT_PATH = '/content';

export function signInPath(returnTo: string): string {
  return returnTo === '/' ? SIGN_IN_PATH : `${SIGN_IN_PATH}?next=${encodeURIComponent(returnTo)}`;
}

/** Only a path on this site is followed, never another origin (`//evil.example`) or the sign-in page itself. */
export function returnPathFrom(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return HOME_PATH;
  if (next === SIGN_IN_PATH || next.startsWith(`${SIGN_IN_PATH}?`)) return HOME_PATH;
  return next;
}
