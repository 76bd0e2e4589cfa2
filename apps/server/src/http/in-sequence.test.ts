import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inSequence } from './in-sequence.js';

/** A middleware that notes its name in the `x-ran` answer header, then does what the request's `x-<name>` header says. */
function step(name: string): RequestHandler {
  return async (req, res, next) => {
    res.append('x-ran', name);
    const does = req.get(`x-${name}`);
    if (does === 'throw') throw new Error(`${name} threw`);
    if (does === 'next-error') return next(new Error(`${name} passed an error`));
    if (does === 'answer') {
      res.status(202).json({ answeredBy: name });
      return;
    }
    // Asynchronous like authenticate: a later rejection, after an await.
    await Promise.resolve();
    if (does === 'reject') throw new Error(`${name} rejected`);
    next();
  };
}

const onError: ErrorRequestHandler = (error: Error, _req, res, _next) => {
  res.status(500).json({ error: error.message });
};

describe('middlewares run in sequence as one layer', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const app = express();
    app.use(inSequence(step('first'), step('second'), step('third')));
    app.get('/route', (_req, res) => {
      res.append('x-ran', 'route').json({ answeredBy: 'route' });
    });
    app.use(onError);
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const call = async (headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}/route`, { headers });
    return { status: response.status, ran: response.headers.get('x-ran'), body: (await response.json()) as Record<string, string> };
  };

  it('runs each in order, then whatever comes after the sequence', async () => {
    expect(await call()).toEqual({ status: 200, ran: 'first, second, third, route', body: { answeredBy: 'route' } });
  });

  it.each([
    ['a throw', 'throw', 'second threw'],
    ['next(error)', 'next-error', 'second passed an error'],
    ['a rejected promise', 'reject', 'second rejected'],
  ])('sends %s to the error middleware, skipping the rest', async (_label, does, message) => {
    expect(await call({ 'x-second': does })).toEqual({ status: 500, ran: 'first, second', body: { error: message } });
  });

  it('ends where a middleware answers', async () => {
    expect(await call({ 'x-first': 'answer' })).toEqual({ status: 202, ran: 'first', body: { answeredBy: 'first' } });
  });
});
