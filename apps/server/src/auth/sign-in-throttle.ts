import type { RecentFailures } from './sign-in-failures-store.js';

/** How many failed sign-ins are allowed, per what and over how long (README § Signing in). */
export interface SignInLimits {
  readonly windowMs: number;
  /** Failures for one username, from any address, before it is throttled (see `decideThrottle`). */
  readonly maxFailuresPerUser: number;
  /** Failures from one address, for any usernames, before that address is throttled. */
  readonly maxFailuresPerAddress: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  windowMs: 15 * 60_000,
  maxFailuresPerUser: 5,
  maxFailuresPerAddress: 20,
};

export type ThrottleDecision =
  | { readonly throttled: false }
  | { readonly throttled: 'address' | 'username'; readonly retryAfterSeconds: number };

/**
 * Whether an attempt may have its password checked, given the failures before it in the window.
 *
 * - An address with `maxFailuresPerAddress` failures is refused for every username: one machine
 *   cannot guess quickly, nor try one password against many usernames.
 * - A username with `maxFailuresPerUser` failures is refused from the addresses that took part in
 *   them. An address that has not failed for it still gets its password checked: so someone guessing
 *   from one address cannot lock the real person out, who signs in from their own machine. Many
 *   addresses together get one more guess each per window (and each is then refused too).
 *
 * Refused attempts are not failures (no password was checked), so hammering does not extend the
 * wait: an address is free again `windowMs` after its last counted failure at the latest.
 */
export function decideThrottle(recent: RecentFailures, limits: SignInLimits, now: Date): ThrottleDecision {
  const freeAt = (failedTime: string) => Date.parse(failedTime) + limits.windowMs;
  const retryAfter = (time: number) => Math.max(1, Math.ceil((time - now.getTime()) / 1000));

  // Once the oldest counted failure leaves the window, the count is below the limit again.
  const addressLimit = recent.byAddress[limits.maxFailuresPerAddress - 1];
  if (addressLimit !== undefined) return { throttled: 'address', retryAfterSeconds: retryAfter(freeAt(addressLimit)) };

  const userLimit = recent.byUser[limits.maxFailuresPerUser - 1];
  const ownLatest = recent.byUserFromAddress[0];
  if (userLimit !== undefined && ownLatest !== undefined) {
    // Free when the username drops below its limit, or when this address's own failures for it expire.
    return { throttled: 'username', retryAfterSeconds: retryAfter(Math.min(freeAt(userLimit), freeAt(ownLatest))) };
  }
  return { throttled: false };
}

/** "try again in 40 seconds", "… in 15 minutes". */
export function waitInWords(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
