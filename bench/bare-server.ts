/**
 * The baseline for bench/list-environments: one Express route that sends a fixed body, with no
 * auth, database or middleware. Usage: bare-server.ts <body file> <port>.
 */
import { readFileSync } from 'node:fs';
import express from 'express';

const [bodyFile, port] = process.argv.slice(2);
if (!bodyFile || !port) throw new Error('usage: bare-server.ts <body file> <port>');

const body = readFileSync(bodyFile);
const app = express();
// envdesk turns ETags off for this route too; hashing 6 MB per request would slow the baseline, not envdesk.
app.set('etag', false);
// The conditional round's baseline: a fixed validator compared as a string, nothing else.
const ETAG = 'W/"bare"';
app.get('/list', (req, res) => {
  res.set('ETag', ETAG);
  if (req.get('if-none-match') === ETAG) {
    res.status(304).end();
    return;
  }
  res.type('application/json').send(body);
});
const server = app.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
