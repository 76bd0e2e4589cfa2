import type { IncomingMessage, Server } from 'node:http';
import { DEFAULT_VERSION_MATCHING, type LocalInstallations, NO_LOCAL_INSTALLATIONS, type VersionMatching, localExecution } from '@envdesk/domain';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { createAuthService } from './auth/auth-service.js';
import { auditRoutes } from './audit/audit-router.js';
import { createAuditService } from './audit/audit-service.js';
import { SESSION_PATHS, authRoutes } from './auth/auth-router.js';
import type { SignInLimits } from './auth/sign-in-throttle.js';
import { type Clock, systemClock } from './clock.js';
import { bundlesRoutes, isBundleUpload } from './bundles/bundles-router.js';
import { createBundlesService } from './bundles/bundles-service.js';
import { lockfileRoutes } from './bundles/lockfile-router.js';
import { createLockfileService } from './bundles/lockfile-service.js';
import { contentEnvironmentRoutes } from './content/content-environment-router.js';
import { contentPermissionsRoutes } from './content/content-permissions-router.js';
import { createContentPermissionsService } from './content/content-permissions-service.js';
import { createContentEnvironmentService } from './content/content-environment-service.js';
import { contentRoutes } from './content/content-router.js';
import { createContentService } from './content/content-service.js';
import { createVariableCipher } from './content/variable-cipher.js';
import type { Store } from './db/store.js';
import { deployRoutes, selectionRoutes } from './deploy/deploy-router.js';
import { createDeployService } from './deploy/deploy-service.js';
import { createSelectionService } from './deploy/selection-service.js';
import { createEnvironmentListCache } from './environments/environment-list-cache.js';
import { type EventHub, createEventHub } from './events/event-hub.js';
import { eventsRoutes } from './events/events-router.js';
import { createEnvironmentsService } from './environments/environments-service.js';
import { environmentsRoutes } from './environments/environments-router.js';
import { createEnvironmentHistoryService } from './environments/environment-history-service.js';
import { environmentHistoryRoutes } from './environments/environment-history-router.js';
import { inspectRoutes } from './inspection/inspect-router.js';
import { type InspectionSettings, createInspectService } from './inspection/inspect-service.js';
import { authenticate } from './http/authenticate.js';
import { createEnvironmentsTransferService } from './environments/environments-transfer.js';
import { environmentsTransferRoutes } from './environments/environments-transfer-router.js';
import { inSequence } from './http/in-sequence.js';
import { jsonBody } from './http/json-body.js';
import { RETRY_AFTER_SECONDS, apiNotFound, errorMiddleware } from './http/error-middleware.js';
import { ownOriginJsonOnly } from './http/own-origin.js';
import { literalRoutes } from './http/literal-routes.js';
import { type RouteSpec, mountRoutes, withGuards } from './http/routes.js';
import { securityHeaders } from './http/security-headers.js';
import { DEFAULT_TRUST_PROXY, type TrustProxy } from './http/trust-proxy.js';
import { createApplicationsService } from './legacy/applications-service.js';
import { legacyRoutes } from './legacy/legacy-router.js';
import { requestLog } from './logger.js';
import { runtimeRoutes } from './runtime/runtime-router.js';
import { createRuntimeService } from './runtime/runtime-service.js';
import type { FileSync } from './sync/file-sync.js';
import { syncRoutes } from './sync/sync-router.js';
import { checkReadiness } from './system/readiness.js';
import { systemRoutes } from './system/system-router.js';
import { DEFAULT_INSPECT_MAX_BYTES, DEFAULT_INSPECT_TIMEOUT_SECONDS, DEFAULT_TASK_STALE_MS } from './settings.js';
import { type TaskRunner, createTaskRunner, newReplicaId } from './tasks/task-runner.js';
import { createTasksService } from './tasks/tasks-service.js';
import { createContentIncludes } from './tags/content-includes.js';
import { tagsRoutes } from './tags/tags-router.js';
import { createTagsService } from './tags/tags-service.js';
import { repositoryRoutes } from './repository/repository-router.js';
import { createRepositoryService } from './repository/repository-service.js';
import { searchRoutes } from './search/search-router.js';
import { createSearchService } from './search/search-service.js';
import { vanitiesRoutes } from './vanities/vanities-router.js';
import { createVanitiesService } from './vanities/vanities-service.js';
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
  /** How long deleted environments stay restorable (ENVDESK_TOMBSTONE_DAYS; 30 when absent). */
  readonly tombstoneDays?: number;
  /** R / Python / Quarto version matching for selection (Connect's defaults when absent). */
  readonly versionMatching?: VersionMatching;
  /** The host's own installations for local execution (none when absent: no local execution). */
  readonly localInstallations?: LocalInstallations;
  readonly bundleMaxBytes?: number;
  /** This replica's name and ENVDESK_TASK_STALE_MS (a fresh name and 30 s when absent). */
  readonly tasks?: { readonly replicaId?: string; readonly staleMs?: number };
  /** The failed sign-in throttle's limits (DEFAULT_SIGN_IN_LIMITS when absent). */
  readonly signInLimits?: SignInLimits;
  /** ENVDESK_TRUST_PROXY: whose X-Forwarded-For/-Proto/-Host to believe (loopback when absent). */
  readonly trustProxy?: TrustProxy;
  /** Image inspection's caps and registry access (4 GiB, 15 minutes, no credentials, https only when absent). */
  readonly inspection?: InspectionSettings;
  /** The key content environment variables are sealed with (ENVDESK_SECRET_KEY or the data folder's key file). */
  readonly secretKey: Buffer;
  /** How often open event streams get a heartbeat comment (15 s when absent). */
  readonly eventsHeartbeatMs?: number;
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
    readonly contentEnvironment: ReturnType<typeof createContentEnvironmentService>;
    readonly deploy: ReturnType<typeof createDeployService>;
    readonly taskRunner: TaskRunner;
    /** The open event streams: close() ends them when the server stops. */
    readonly events: EventHub;
  };
}

/**
 * JSON is read whatever the Content-Type says (curl --data sends form-urlencoded); archives are not,
 * and a bundle upload's body is left alone: its route streams it, after authorizing the caller.
 */
const readsAsJson = (req: IncomingMessage) => {
  if (isBundleUpload(req)) return false;
  const type = req.headers['content-type'];
  return !type || /json|text\/plain|x-www-form-urlencoded/i.test(type);
};

/** Every request but a bundle upload is told to send its body at once (see decideContinue). */
const continueAtOnce: RequestHandler = (req, res, next) => {
  const expect = req.headers.expect;
  if (expect !== undefined && /^100-continue$/i.test(expect) && !isBundleUpload(req)) res.writeContinue();
  next();
};

/**
 * `Expect: 100-continue` (curl sends it with bodies over 1 MiB): left alone, Node answers "100
 * Continue" before the app sees the request, and the client sends the body. Handed to the app, a
 * bundle upload says "continue" only once its caller may upload, so a refused one is answered
 * (401, 403, 413) without its body ever being sent; every other request continues at once.
 */
export function decideContinue(server: Server, app: Express): void {
  server.on('checkContinue', app);
}

/** Wires middleware and routers; `main.ts` adds settings and `listen`, tests a temporary database. */
export function createApp(deps: AppDeps): App {
  const { store, logger, clock = systemClock, webDir, version, fileSync = null, environmentsFile = null } = deps;
  const matching = deps.versionMatching ?? DEFAULT_VERSION_MATCHING;
  const bundleMaxBytes = deps.bundleMaxBytes ?? 200 * 1024 * 1024;
  // Built once: the host's installations do not change while the server runs.
  const local = localExecution(deps.localInstallations ?? NO_LOCAL_INSTALLATIONS);
  const content = createContentService({ store, clock });
  const taskRunner = createTaskRunner({
    store,
    clock,
    logger,
    replicaId: deps.tasks?.replicaId ?? newReplicaId(),
    staleMs: deps.tasks?.staleMs ?? DEFAULT_TASK_STALE_MS,
  });
  // One read of the environments per revision, shared by the list route, deploys and the explainer.
  const environmentList = createEnvironmentListCache(store);
  const services = {
    auth: createAuthService({ store, clock, logger, signInLimits: deps.signInLimits }),
    environments: createEnvironmentsService({ store, clock, environmentsFile, listCache: environmentList, local, tombstoneDays: deps.tombstoneDays }),
    users: createUsersService({ store, clock }),
    content,
    contentEnvironment: createContentEnvironmentService({ store, clock, content, cipher: createVariableCipher(deps.secretKey) }),
    deploy: createDeployService({ store, clock, content, matching, tasks: taskRunner, environments: environmentList, local }),
    taskRunner,
    events: createEventHub({ store, environments: environmentList, logger, fileSync, heartbeatMs: deps.eventsHeartbeatMs }),
  };
  const bundles = createBundlesService({ store, clock, content, maxBytes: bundleMaxBytes });
  const tasks = createTasksService({ store });
  const selection = createSelectionService({ store, content, matching, environments: environmentList, local });
  const includes = createContentIncludes({ store });
  const inspection = deps.inspection ?? {
    inspectMaxBytes: DEFAULT_INSPECT_MAX_BYTES,
    inspectTimeoutMs: DEFAULT_INSPECT_TIMEOUT_SECONDS * 1000,
    registry: { authFile: undefined, insecureRegistries: [] },
  };
  const routes = [
    ...systemRoutes({ version }),
    ...authRoutes(services.auth),
    ...usersRoutes(services.users),
    ...auditRoutes(createAuditService({ store })),
    // Before the environment routes, or `/v1/environments/:guid` would take "sync" (or "select", "inspect") for a GUID.
    ...syncRoutes(fileSync),
    ...eventsRoutes(services.events, services.auth),
    ...selectionRoutes(selection),
    ...inspectRoutes(createInspectService({ tasks: taskRunner, settings: inspection })),
    ...environmentsTransferRoutes(createEnvironmentsTransferService({ store, clock })),
    ...environmentHistoryRoutes(createEnvironmentHistoryService({ store, clock, environmentsFile, tombstoneDays: deps.tombstoneDays })),
    ...environmentsRoutes(services.environments),
    ...contentRoutes(services.content, includes),
    ...tagsRoutes(createTagsService({ store, clock, content })),
    ...vanitiesRoutes(createVanitiesService({ store, clock, content })),
    ...repositoryRoutes(createRepositoryService({ store, clock, content })),
    ...searchRoutes(createSearchService({ content }), includes),
    ...contentEnvironmentRoutes(services.contentEnvironment),
    ...contentPermissionsRoutes(createContentPermissionsService({ store, clock, content })),
    ...bundlesRoutes(bundles),
    ...lockfileRoutes(createLockfileService({ store, content })),
    ...deployRoutes(services.deploy, tasks),
    ...legacyRoutes(createApplicationsService({ store, content })),
    ...runtimeRoutes(createRuntimeService({ store, clock, content, tasks: taskRunner }), tasks),
  ];

  const app = express();
  app.disable('x-powered-by');
  // Hashing a 6 MB environment list for a weak ETag on every request would cost more than sending it.
  app.set('etag', false);
  const trustProxy = deps.trustProxy ?? DEFAULT_TRUST_PROXY;
  app.set('trust proxy', typeof trustProxy === 'object' ? [...trustProxy] : trustProxy);
  const mounted = withGuards(routes);
  const beforeRoutes = [jsonBody({ limit: '2mb', type: readsAsJson }), authenticate(services.auth)];
  // Literal API routes are answered in this first layer, as the API router below would answer them
  // (the same middlewares, then the route), without its dispatch; sign-in and sign-out, which that
  // router checks for their origin first, go through it.
  const shortcut = literalRoutes(
    mounted.filter((route) => !(route.method === 'post' && SESSION_PATHS.includes(route.path))),
    { path: '/__api__', before: beforeRoutes },
  );
  app.use(inSequence(continueAtOnce, securityHeaders(), requestLog(logger), shortcut));

  const api = express.Router();
  // Sign-in and sign-out: JSON from our own pages only, refused before the lenient JSON parser below
  // would read a form post or text/plain as JSON.
  api.post(SESSION_PATHS, ownOriginJsonOnly);
  mountRoutes(api, mounted, ...beforeRoutes);
  api.use(apiNotFound);
  // First: the API is what clients call most, and each layer before it would cost every call a look.
  app.use('/__api__', api);

  // Liveness: the process answers. It never touches the database, so an outage there does not get
  // a healthy process restarted.
  app.get('/__ping__', (_req, res) => {
    res.json({});
  });
  // Readiness: the database answers too, so a load balancer sends requests elsewhere meanwhile.
  app.get('/__ready__', async (_req, res) => {
    // A stopping replica is not ready either: new work should go to the others while it drains.
    const readiness = taskRunner.accepting()
      ? await checkReadiness(store, logger)
      : { ready: false, body: { status: 'stopping', database: store.dialect, reason: 'This server is shutting down.' } };
    res.setHeader('Cache-Control', 'no-store');
    if (!readiness.ready) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(readiness.ready ? 200 : 503).json(readiness.body);
  });

  if (webDir) app.use(webApp(webDir));
  app.use(errorMiddleware(logger));
  return { app, routes, services };
}
