// Loaded into a spawned server (node --import) by process-errors.test.ts, never by the product.
// It makes a stray failure happen inside a real request, the way a forgotten `catch` in some library
// would, chosen by the X-Test-Stray header, so a test can see what the real process does with it.
// Plain JavaScript: it is loaded before tsx is.
import { EventEmitter } from 'node:events';
import express from 'express';

const json = express.response.json;
express.response.json = function (body) {
  switch (this.req.get('x-test-stray')) {
    case 'rejection':
      void Promise.reject(new Error('stray rejection from the test'));
      break;
    case 'connection-error':
      // What node-postgres does with a dropped connection when its client has no 'error' listener.
      setImmediate(() => new EventEmitter().emit('error', new Error('Connection terminated unexpectedly')));
      break;
    case 'bug':
      setImmediate(() => {
        throw new TypeError('stray bug from the test');
      });
      break;
  }
  return json.call(this, body);
};
