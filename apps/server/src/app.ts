import type { IncomingMessage } from 'node:http';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { createAuthService } from './auth/auth-service.js';
import { authRoutes } from './auth/auth-router.js';
import { type Clock, systemClock } from './clock.js';
import { contentRoutes } from './content/content-router.js';
import { createContentService } from './content/content-service.js';
import type { Store } from './db/store.js';
import { createEnvironmentsService } from './environments/environments-service.js';
import { environmentsRoutes } from './environments/environments-router.js';
import { authenticate } from './http/authenticate.js';
import { apiNotFound, errorMiddleware } from './http/error-middleware.js';
import { type RouteSpec, mountRoutes } from './http/routes.js';
import { requestLog } from './logger.js';
import type { FileSync } from './sync/file-sync.js';
import { syncRoutes } from './sync/sync-router.js';
import { systemRoutes } from './system/system-router.js';
import { createUsersService } from './users/users-service.js';
import { usersRoutes } from './users/users-router.js';
import { webApp } from './web/web-app.js';

export interface AppDeps {
  readonly store: Store;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Folder of the built web app; null serves the API only. */
  readonly webDir: string | null;
  readonly version: string;
  /** The declarative file's sync loop, when ENVDESK_ENVIRONMENTS_FILE is set. */
  readonly fileSync?: FileSync | null;
  readonly environmentsFile?: string | null;
}

export interface App {
  readonly app: Express;
  /** Every API route with its access rule: the route × role test walks this list. */
  readonly routes: readonly RouteSpec[];
  readonly services: {
    readonly auth: ReturnType<typeof createAuthService>;
    readonly environments: ReturnType<typeof createEnvironmentsService>;
    readonly users: ReturnType<typeof createUsersService>;
    readonly content: ReturnType<typeof createContentService>;
  };
}

/** JSON is read whatever the Content-Type says (curl --data sends form-urlencoded); archives are not. */
const readsAsJson = (req: IncomingMessage) => {
  const type = req.headers['content-type'];
  return !type || /json|text\/plain|x-www-form-urlencoded/i.test(type);
};

/** Wires middleware and routers; `main.ts` adds settings and `listen`, tests a temporary database. */
export function createApp(deps: AppDeps): App {
  const { store, logger, clock = systemClock, webDir, version, fileSync = null, environmentsFile = null } = deps;
  const services = {
    auth: createAuthService({ store, clock }),
    environments: createEnvironmentsService({ store, clock, environmentsFile }),
    users: createUsersService({ store, clock }),
    content: createContentService({ store, clock }),
  };
  const routes = [
    ...systemRoutes({ version }),
    ...authRoutes(services.auth),
    ...usersRoutes(services.users),
    // Before the environment routes, or `/v1/environments/:guid` would take "sync" for a GUID.
    ...syncRoutes(fileSync),
    ...environmentsRoutes(services.environments),
    ...contentRoutes(services.content),
  ];

  const app = express();
  app.disable('x-powered-by');
  // Hashing a 6 MB environment list for a weak ETag on every request would cost more than sending it.
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(requestLog(logger));

  app.get('/__ping__', (_req, res) => {
    res.json({});
  });

  const api = express.Router();
  api.use(express.json({ limit: '2mb', type: readsAsJson }));
  api.use(authenticate(services.auth));
  mountRoutes(api, routes);
  api.use(apiNotFound);
  app.use('/__api__', api);

  if (webDir) app.use(webApp(webDir));
  app.use(errorMiddleware(logger));
  return { app, routes, services };
}
