import type { Logger } from 'pino';
import { classifyDatabaseError } from './db/errors.js';

/**
 * A promise rejected with nobody waiting for it. Node's default ends the process, taking every
 * request and running deploy task with it, for what is almost always one forgotten `catch` in one
 * piece of work. That work has already failed; the rest has not. So: log it loudly, with the
 * request or task it belonged to (the log context follows the promise; Node runs this handler in
 * the rejected promise's async context), and keep serving.
 */
export function logUnhandledRejection(logger: Logger): (reason: unknown) => void {
  return (reason) => {
    logger.error({ err: reason }, 'unhandled promise rejection; the process keeps running');
  };
}

/**
 * An exception nothing caught. Unlike a rejected promise it unwound a synchronous call stack through
 * code that never expected it: a lock not released, a loop half done, state half updated. Running on
 * could answer wrongly for hours, so the process logs why and exits (status 1) for its supervisor to
 * restart it; the database holds only committed transactions, so nothing half-written survives.
 *
 * One exception is kept alive: a connection error emitted as an `'error'` event with no listener,
 * the way node-postgres reports a dropped connection. Such an event is thrown from the last step of
 * the dead socket's own clean-up, so what it cuts short concerns only that connection, which is
 * already gone; ending the process for it would turn one database hiccup into an outage. (Every
 * pool client has a listener, so this is a safety net, not the expected path.)
 */
export function handleUncaughtException(logger: Logger, exit: (code: number) => void): (error: unknown) => void {
  return (error) => {
    if (classifyDatabaseError(error) === 'unavailable') {
      logger.error({ err: error }, 'uncaught connection error; the connection is dropped and the process keeps running');
      return;
    }
    logger.fatal({ err: error }, 'uncaught exception; stopping, as the process state may be inconsistent');
    exit(1);
  };
}

/** The process-wide safety nets; main.ts installs them before anything else runs. */
export function installProcessErrorHandlers(logger: Logger): void {
  process.on('unhandledRejection', logUnhandledRejection(logger));
  process.on('uncaughtException', handleUncaughtException(logger, (code) => process.exit(code)));
}
