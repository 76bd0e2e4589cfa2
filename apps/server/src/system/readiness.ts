import type { Logger } from 'pino';
import { classifyDatabaseError } from '../db/errors.js';
import type { Store } from '../db/store.js';

/** A load balancer probes every few seconds; an answer slower than this is as good as none. */
export const READINESS_TIMEOUT_MS = 2_000;

export type Readiness =
  | { readonly ready: true; readonly body: { status: 'ready'; database: Store['dialect'] } }
  | { readonly ready: false; readonly body: { status: 'unavailable'; database: Store['dialect']; reason: string } };

class Timeout extends Error {}

/**
 * Ready means the database answers a trivial query in time. The reason given on failure names the
 * kind of failure and a driver code at most: the answer is public, so no host, user or message text.
 */
export async function checkReadiness(store: Pick<Store, 'ping' | 'dialect'>, logger: Logger, timeoutMs = READINESS_TIMEOUT_MS): Promise<Readiness> {
  const database = store.dialect;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Timeout()), timeoutMs);
  });
  // The ping may still fail after the timeout has answered; it is caught here, not left unhandled.
  const ping = store.ping();
  ping.catch(() => undefined);
  try {
    await Promise.race([ping, timeout]);
    return { ready: true, body: { status: 'ready', database } };
  } catch (error) {
    const unavailable = (reason: string) => ({ ready: false as const, body: { status: 'unavailable' as const, database, reason } });
    if (error instanceof Timeout) return unavailable(`The database did not answer within ${timeoutMs} ms.`);
    const code = (error as { code?: unknown }).code;
    const shownCode = typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code) ? ` (${code})` : '';
    if (classifyDatabaseError(error) === 'unavailable') {
      return unavailable(`The database cannot be reached or dropped the connection${shownCode}.`);
    }
    logger.warn({ err: error }, 'readiness check failed');
    return unavailable(`The database answered with an error${shownCode}; the server log has the details.`);
  } finally {
    clearTimeout(timer);
  }
}
