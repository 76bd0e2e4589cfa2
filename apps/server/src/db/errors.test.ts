import { describe, expect, it } from 'vitest';
import { classifyDatabaseError } from './errors.js';

const withCode = (code: string, message = 'driver error') => Object.assign(new Error(message), { code });

describe('classifyDatabaseError', () => {
  it.each([
    ['PostgreSQL terminated the backend (pg_terminate_backend, restart)', withCode('57P01'), 'unavailable'],
    ['PostgreSQL crashed', withCode('57P02'), 'unavailable'],
    ['PostgreSQL is starting up or in recovery', withCode('57P03'), 'unavailable'],
    ['PostgreSQL has no connection slot left', withCode('53300'), 'unavailable'],
    ['a connection exception (class 08)', withCode('08006'), 'unavailable'],
    ['the server refused the connection', withCode('ECONNREFUSED'), 'unavailable'],
    ['the connection was reset', withCode('ECONNRESET'), 'unavailable'],
    ['node-postgres saw the socket close', new Error('Connection terminated unexpectedly'), 'unavailable'],
    ['node-postgres timed out connecting', new Error('Connection terminated due to connection timeout'), 'unavailable'],
    ['a client used after its connection died', new Error('Client has encountered a connection error and is not queryable'), 'unavailable'],
    ['no free pool connection in time', new Error('timeout exceeded when trying to connect'), 'unavailable'],
    ['a refusal from every address of the host', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]), 'unavailable'],
    ['a refusal wrapped by another error', new Error('query failed', { cause: withCode('ECONNREFUSED') }), 'unavailable'],
    ['SQLite cannot grow the database', withCode('SQLITE_FULL', 'database or disk is full'), 'disk-full'],
    ['a file write found no space', withCode('ENOSPC'), 'disk-full'],
    ['PostgreSQL disk_full', withCode('53100'), 'disk-full'],
    ['SQLite still busy after busy_timeout (contention, not an outage)', withCode('SQLITE_BUSY', 'database is locked'), null],
    ['a unique violation', withCode('23505'), null],
    ['a SQLite constraint', withCode('SQLITE_CONSTRAINT_UNIQUE'), null],
    ['a syntax error (a bug)', withCode('42601'), null],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'guid')"), null],
    ['not an error at all', 'Connection terminated', null],
    ['nothing', undefined, null],
  ])('%s → %s', (_what, error, expected) => {
    expect(classifyDatabaseError(error)).toBe(expected);
  });

  it('survives a cause cycle', () => {
    const a: Error & { cause?: unknown } = new Error('a');
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(classifyDatabaseError(a)).toBeNull();
  });
});
