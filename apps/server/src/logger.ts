import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { type DestinationStream, type Logger, pino } from 'pino';

/** What a log line says about the work it belongs to: the request, or a task started by one. */
export interface LogContext {
  readonly request_id?: string;
  readonly method?: string;
  readonly path?: string;
  readonly user?: string | undefined;
  readonly task_id?: string;
}

/**
 * The context of the work running now. It follows every callback and promise started from the work,
 * so a deploy task started by a request, or a promise rejected long after it, still names the request.
 * A function, because who is asking is known only once `authenticate` has run.
 */
const logContext = new AsyncLocalStorage<() => LogContext>();

export function currentLogContext(): LogContext {
  return logContext.getStore()?.() ?? {};
}

/** Runs `work` with `fields` added to the current context (a task: `{ task_id }`). */
export function withLogContext<T>(fields: LogContext, work: () => T): T {
  const parent = logContext.getStore();
  return logContext.run(() => ({ ...parent?.(), ...fields }), work);
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'envdesk' },
      // Every line written during a request (or a task it started) says which one; fields the line
      // sets itself win.
      mixin: () => ({ ...currentLogContext() }),
      // Secrets never reach a log line, even if some code logs a request or body by mistake.
      redact: ['req.headers.authorization', 'req.headers["x-rsc-authorization"]', 'req.headers.cookie', '*.password', '*.key'],
    },
    destination,
  );
}

/** One structured line per request, written when the response is finished; sets the request's log context. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    // Made when a line first needs it: below info most requests write none.
    let requestId: string | undefined;
    const idOf = () => (requestId ??= randomUUID());
    const query = req.originalUrl.indexOf('?');
    const path = query < 0 ? req.originalUrl : req.originalUrl.slice(0, query);
    // Below info (LOG_LEVEL=warn) the line would be dropped: no timer and no listener for it.
    if (logger.isLevelEnabled('info')) logWhenFinished(logger, req, res, idOf(), path);
    logContext.run(() => ({ request_id: idOf(), method: req.method, path, user: req.auth?.user?.user.username }), next);
  };
}

function logWhenFinished(logger: Logger, req: Request, res: Response, requestId: string, path: string): void {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    logger.info(
      {
        request_id: requestId,
        method: req.method,
        path,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        user: req.auth?.user?.user.username,
      },
      'request',
    );
  });
}
