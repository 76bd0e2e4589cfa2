import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Middlewares that every request of a path runs, one after another, as one Express layer. Express
 * pays per layer (matching the path, its parameters, tracing hooks, a closure for `next`), and at a
 * few requests a second that code runs cold: each layer fewer is a measurable share of a request.
 * As in Express 5, a throw, a rejected promise or `next(error)` ends the sequence at the error
 * middleware; `next()` goes on to the following middleware, then past the sequence.
 */
export function inSequence(...handlers: readonly RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    let index = 0;
    const step = (error?: unknown) => {
      if (error) return next(error);
      const handler = handlers[index++];
      if (!handler) return next();
      try {
        const result: unknown = handler(req, res, step);
        if (result instanceof Promise) result.catch(next);
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}
