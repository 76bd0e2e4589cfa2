import type { RequestHandler } from 'express';
import { type Logger, pino } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'envdesk' },
    // Secrets never reach a log line, even if some code logs a request or body by mistake.
    redact: ['req.headers.authorization', 'req.headers["x-rsc-authorization"]', 'req.headers.cookie', '*.password', '*.key'],
  });
}

/** One structured line per request, written when the response is finished. */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        {
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          user: req.auth?.user?.user.username,
        },
        'request',
      );
    });
    next();
  };
}
