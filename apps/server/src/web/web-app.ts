import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';

/** The built SPA: apps/web/dist, found from this file in src/web (tsx), dist/web (tsc) and the bundle in dist/bundle alike. */
export const defaultWebDir = (): string => fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/** Serves the built web app with a history fallback, so a deep link like /environments?q=3.11 loads it. */
export function webApp(webDir: string): Router {
  const router = express.Router();
  const index = path.join(webDir, 'index.html');
  if (!existsSync(index)) {
    router.get('/{*splat}', (_req, res) => {
      res.status(503).type('text/plain').send('The envdesk web app is not built. Run `npm run build`, then restart.');
    });
    return router;
  }
  // Hashed asset names never change content, so browsers may keep them; index.html is always revalidated.
  router.use('/assets', express.static(path.join(webDir, 'assets'), { immutable: true, maxAge: '1y', index: false }));
  router.use(express.static(webDir, { index: false }));
  router.get('/{*splat}', (req, res, next) => {
    if (!req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
