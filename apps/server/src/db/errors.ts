/** True for a unique-constraint violation from either dialect (SQLite's code or PostgreSQL's SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Runs a store's write, turning a unique violation into the domain's error for it (`duplicate`),
 * so no caller of a store ever sees a driver's error code. Other errors pass unchanged.
 */
export async function unlessDuplicate<T>(write: () => Promise<T>, duplicate: () => Error): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicate();
    throw error;
  }
}

/** True for a foreign-key violation from either dialect (SQLite's code or PostgreSQL's SQLSTATE 23503). */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/**
 * Runs a store's write for a record another one hangs from, turning a foreign-key violation (that
 * record was deleted meanwhile, say content during a request about it) into the domain's error
 * for it (`gone`). Other errors pass unchanged.
 */
export async function unlessGone<T>(write: () => Promise<T>, gone: () => Error): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isForeignKeyViolation(error)) throw gone();
    throw error;
  }
}

/**
 * What a failed database call means for the caller, beyond "a bug":
 * - `unavailable`: the database cannot be reached or dropped the connection; the same request will
 *   work once it is back (a restart, a failover, a network blip), so clients should retry.
 * - `disk-full`: the database (or the disk under it) has no room to write; retrying will not help
 *   until an operator frees space.
 */
export type DatabaseFailure = 'unavailable' | 'disk-full';

/** Socket errors from connecting to, or talking with, a database server. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs that mean "not now" rather than "wrong": 57P01 admin_shutdown (what
 * pg_terminate_backend and a restart send), 57P02 crash_shutdown, 57P03 cannot_connect_now (starting
 * up, shutting down, in recovery), 53300 too_many_connections. Class 08 is every connection exception.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** What node-postgres says when the socket closed under it, or when a client is used after that. */
const CONNECTION_LOST_MESSAGES = [
  /^Connection terminated/,
  /not queryable/,
  /^timeout exceeded when trying to connect/,
  /^Client was closed and is not queryable/,
];

function classifyOne(error: object): DatabaseFailure | null {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // better-sqlite3's extended codes start with the primary one (SQLITE_FULL), so match the prefix.
    // SQLITE_BUSY is deliberately absent: after busy_timeout it means contention, not an outage.
    if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_FULL_') || code === 'ENOSPC' || code === '53100') return 'disk-full';
    if (UNREACHABLE_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return 'unavailable';
  }
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string' && CONNECTION_LOST_MESSAGES.some((pattern) => pattern.test(message))) return 'unavailable';
  return null;
}

/**
 * Tells an outage or a full disk apart from every other database error (those are bugs: 500).
 * Looks through `cause` chains and AggregateErrors (a refused connection to a host with several
 * addresses arrives as one of those).
 */
export function classifyDatabaseError(error: unknown): DatabaseFailure | null {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const next = queue.shift();
    if (typeof next !== 'object' || next === null || seen.has(next)) continue;
    seen.add(next);
    const failure = classifyOne(next);
    if (failure) return failure;
    queue.push((next as { cause?: unknown }).cause);
    if (next instanceof AggregateError) queue.push(...next.errors);
  }
  return null;
}
