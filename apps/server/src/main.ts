import { createApp } from './app.js';
import { addDemoData } from './bootstrap/demo-data.js';
import { ensureAdministrator } from './bootstrap/first-start.js';
import { applyLegacyBootstrap } from './bootstrap/legacy-cluster-definitions.js';
import { systemClock } from './clock.js';
import { openDatabase } from './db/database.js';
import { createStore } from './db/store.js';
import { createLogger } from './logger.js';
import { readSettings } from './settings.js';
import { createFileSync } from './sync/file-sync.js';
import { ENVDESK_VERSION } from './version.js';
import { defaultWebDir } from './web/web-app.js';

async function main(): Promise<void> {
  const settings = readSettings(process.env);
  const logger = createLogger(settings.logLevel);
  const connection = await openDatabase(settings);
  logger.info({ database: connection.dialect, location: connection.location }, 'database ready');
  const store = createStore(connection);
  const clock = systemClock;

  const fileSync = settings.environmentsFile
    ? createFileSync({
        store,
        logger,
        clock,
        path: settings.environmentsFile,
        pollMs: settings.environmentsPollMs,
        watch: settings.environmentsWatch,
        settleMs: settings.environmentsSettleMs,
        removeGraceMs: settings.environmentsRemoveGraceMs,
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
    versionMatching: settings.versionMatching,
    bundleMaxBytes: settings.bundleMaxBytes,
  });

  const wasEmpty = await ensureAdministrator({
    store,
    auth: services.auth,
    clock,
    settings,
    logger,
    announce: (text) => process.stdout.write(`${text}\n`),
  });
  if (wasEmpty && settings.demo) {
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
    await applyLegacyBootstrap(store, clock, logger, settings.clusterDefinitions);
  }

  const server = app.listen(settings.port, settings.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : settings.port;
    logger.info({ url: `http://${settings.host}:${port}` }, 'envdesk is listening');
  });
  server.on('error', (error) => {
    logger.fatal({ err: error }, 'cannot listen');
    process.exit(1);
  });

  const stop = () => {
    logger.info('stopping');
    void fileSync?.stop();
    server.close(() => void connection.close().then(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`envdesk could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
