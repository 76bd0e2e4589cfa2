import express from 'express';

/** Express's `trust proxy` setting: trust all or none, a number of hops, or these addresses and networks. */
export type TrustProxy = boolean | number | readonly string[];

export const DEFAULT_TRUST_PROXY = 'loopback';

/**
 * Reads ENVDESK_TRUST_PROXY as Express reads its `trust proxy` setting: `true`/`false`, a hop count,
 * or a comma-separated list of addresses, CIDR networks and the names `loopback`, `linklocal` and
 * `uniquelocal`. Throws, naming the bad entry, for anything Express would refuse.
 */
export function parseTrustProxy(text: string): TrustProxy {
  const trimmed = text.trim();
  if (/^(true|false)$/i.test(trimmed)) return trimmed.toLowerCase() === 'true';
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const entries = trimmed.split(',').map((entry) => entry.trim());
  // Express (its proxy-addr) is the authority on what it accepts: let it check the list now, at
  // start-up, rather than when the first request arrives.
  express().set('trust proxy', entries);
  return entries;
}
