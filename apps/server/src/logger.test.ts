import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { requestLog } from './logger.js';
import { memoryLogger } from './test/memory-logger.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An app whose one route writes a warning after an await, as a route would from a service. */
async function serve(level: string) {
  const { logger, lines } = memoryLogger(level);
  const app = express();
  app.use(requestLog(logger));
  app.get('/warns', async (_req, res) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    logger.warn('something odd');
    res.json({});
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, lines, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/warns?x=1` };
}

describe('the request log', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('names the request in every line written during it, and in its own line, one id per request', async () => {
    const served = await serve('info');
    server = served.server;
    for (let i = 0; i < 2; i += 1) await (await fetch(served.url)).arrayBuffer();
    const warnings = served.lines.filter((line) => line.msg === 'something odd');
    const requests = served.lines.filter((line) => line.msg === 'request');
    expect(warnings.map((line) => line.request_id)).toEqual(requests.map((line) => line.request_id));
    expect(requests.map((line) => [line.method, line.path, line.status])).toEqual([
      ['GET', '/warns', 200],
      ['GET', '/warns', 200],
    ]);
    const [first, second] = requests.map((line) => String(line.request_id));
    expect(first).toMatch(UUID);
    expect(second).toMatch(UUID);
    expect(first).not.toBe(second);
  });

  it('still names the request below info, where no request line is written', async () => {
    const served = await serve('warn');
    server = served.server;
    await (await fetch(served.url)).arrayBuffer();
    expect(served.lines).toHaveLength(1);
    expect(served.lines[0]).toMatchObject({ msg: 'something odd', method: 'GET', path: '/warns' });
    expect(String(served.lines[0]!.request_id)).toMatch(UUID);
  });
});
