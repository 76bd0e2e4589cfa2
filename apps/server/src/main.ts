import { createApp, decideContinue } from './app.js';
import { ensureAdministrator } from './bootstrap/first-start.js';
import { systemClock } from './clock.js';
import { loadSecretKey, secretKeyId } from './content/secret-key.js';
import { openDatabase } from './db/database.js';
import { createStore } from './db/store.js';
import { createLogger } from './logger.js';
import { installProcessErrorHandlers } from './process-errors.js';
import { readSettings } from './settings.js';
import { ENVDESK_VERSION } from './system/version.js';
import { newReplicaId } from './tasks/task-runner.js';
import { defaultWebDir } from './web/web-app.js';

async function main(): Promise<void> {
  const settings = readSettings(process.env);
  const logger = createLogger(settings.logLevel);
  installProcessErrorHandlers(logger);
  // Before the database: a damaged key file stops the start before anything else is touched.
  const secret = await loadSecretKey({ configured: settings.secretKey, dataDir: settings.dataDir });
  const connection = await openDatabase({ ...settings, logger });
  logger.info({ database: connection.dialect, location: connection.location }, 'database ready');
  const store = createStore(connection);
  if (secret.source === 'new file') {
    logger.warn({ file: secret.file }, 'created the key that encrypts content environment variables: back it up with the database');
  } else {
    logger.info({ source: secret.source, file: secret.file }, 'secret key ready');
  }
  // Said at start, not first at a build: names stay readable, so nothing else would show it.
  const sealedElsewhere = await store.contentEnvironment.countSealedWithOtherKeys(secretKeyId(secret.key));
  if (sealedElsewhere > 0) {
    logger.error(
      { variables: sealedElsewhere, key_id: secretKeyId(secret.key) },
      'content environment variables were encrypted with a different key and cannot be read: set ENVDESK_SECRET_KEY (or restore the key file in the data folder) to the key they were written with',
    );
  }
  const clock = systemClock;

  // What only some starts need (the file sync and its YAML reader, the legacy bootstrap, the demo
  // data) loads only when configured: a plain start answers sooner and holds less memory.
  const fileSync = settings.environmentsFile
    ? (await import('./sync/file-sync.js')).createFileSync({
        store,
        logger,
        clock,
        path: settings.environmentsFile,
        pollMs: settings.environmentsPollMs,
        watch: settings.environmentsWatch,
        settleMs: settings.environmentsSettleMs,
        removeGraceMs: settings.environmentsRemoveGraceMs,
        maxBytes: settings.environmentsMaxBytes,
        tombstoneDays: settings.tombstoneDays,
      })
    : null;
  const { app, services } = createApp({
    store,
    logger,
    clock,
    webDir: settings.webDir ?? defaultWebDir(),
    version: ENVDESK_VERSION,
    fileSync,
    environmentsFile: settings.environmentsFile ?? null,
    tombstoneDays: settings.tombstoneDays,
    versionMatching: settings.versionMatching,
    localInstallations: settings.localInstallations,
    bundleMaxBytes: settings.bundleMaxBytes,
    tasks: { replicaId: newReplicaId(), staleMs: settings.taskStaleMs },
    signInLimits: settings.signInLimits,
    trustProxy: settings.trustProxy,
    secretKey: secret.key,
    inspection: settings,
  });
  const tasks = services.taskRunner;
  logger.info({ replica: tasks.replicaId }, 'task runner ready');

  const wasEmpty = await ensureAdministrator({
    store,
    auth: services.auth,
    clock,
    settings,
    logger,
    announce: (text) => process.stdout.write(`${text}\n`),
  });
  if (wasEmpty && settings.demo) {
    const { addDemoData } = await import('./bootstrap/demo-data.js');
    await addDemoData(store, clock);
    logger.info('added demo data (ENVDESK_DEMO)');
  }

  // The declarative file wins over the deprecated bootstrap (seed: "Migrating from legacy bootstrapping").
  if (fileSync) {
    if (settings.clusterDefinitions) {
      logger.info({ file: settings.clusterDefinitions }, 'ENVDESK_ENVIRONMENTS_FILE is set: the legacy cluster definitions are skipped');
    }
    await fileSync.start();
  } else if (settings.clusterDefinitions) {
    const { applyLegacyBootstrap } = await import('./bootstrap/legacy-cluster-definitions.js');
    await applyLegacyBootstrap(store, clock, logger, settings.clusterDefinitions);
  }

  // Deploys left running by a process that was killed or crashed end now, as interrupted, not never.
  await tasks.reapStale().catch((error: unknown) => logger.warn({ err: error }, 'could not finish stale tasks'));
  tasks.startHousekeeping();

  const server = app.listen(settings.port, settings.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : settings.port;
    logger.info({ url: `http://${settings.host}:${port}` }, 'envdesk is listening');
  });
  decideContinue(server, app);
  server.on('error', (error) => {
    logger.fatal({ err: error }, 'cannot listen');
    process.exit(1);
  });

  // A graceful stop (Kubernetes sends SIGTERM, then SIGKILL after its own grace period): new deploys
  // are refused with a 503 while running ones get ENVDESK_SHUTDOWN_GRACE_MS to finish; the rest end
  // as interrupted, so no task is left running in a process that is gone.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const graceMs = settings.shutdownGraceMs;
    logger.info({ signal, graceMs }, 'stopping: new deploys are refused, running ones may finish');
    // Should the database hang, the process still ends (with 1: it did not stop cleanly).
    setTimeout(() => {
      logger.error('could not stop in time; exiting');
      process.exit(1);
    }, graceMs + 15_000).unref();
    void (async () => {
      await fileSync?.stop();
      await tasks.drain(graceMs);
      // Event streams never end by themselves: ended now, their clients reconnect to another replica.
      services.events.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Long polls of tasks are cut, not waited for: their tasks have ended, and clients poll again.
        setTimeout(() => server.closeAllConnections(), 1_000).unref();
      });
      // A query still blocked in the database (an interrupted deploy's) would hold the pool open.
      await Promise.race([connection.close(), new Promise((resolve) => setTimeout(resolve, 2_000))]);
      logger.info('stopped');
      process.exit(0);
    })().catch((error: unknown) => {
      logger.error({ err: error }, 'could not stop cleanly');
      process.exit(1);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`envdesk could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
