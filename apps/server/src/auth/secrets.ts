import { hash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, length: number, options: object) => Promise<Buffer>;
const SCRYPT = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

/** Passwords are stored as `scrypt$N$r$p$salt$hash`, so the cost can rise later without a migration. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, KEY_LENGTH, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

/**
 * A hash of a random password, made with the same cost as real ones. Sign-in verifies against it when
 * the username is unknown (or has no password), so that case takes as long as a wrong password and the
 * answer's timing does not tell which usernames exist. Made once, on first use.
 */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(newSecret(16));
  return dummyHash;
}

/** A random secret for API keys, session tokens and CSRF tokens. */
export const newSecret = (bytes = 24): string => randomBytes(bytes).toString('base64url');

/** Keys and tokens carry enough entropy that a fast hash is safe to store and look up by. */
// crypto.hash: one call, no Hash object; every request signed in with a key or a session hashes its secret.
export const sha256 = (text: string): string => hash('sha256', text, 'hex');

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
