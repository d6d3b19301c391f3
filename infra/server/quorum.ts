// Composition root: reads configuration, opens the database, starts jobs and the HTTP server,
// and shuts all of it down in order on SIGTERM/SIGINT. The process starts at main.ts.
import http from 'node:http';
import { loadConfig, type Config } from './config.ts';
import { createLogger, type Logger } from '../../core/logger.ts';
import { openStore, type Store } from '../../core/store/store.ts';
import { declareMigrationSteps, runMigrations } from '../../core/store/migrations.ts';
import { createJobRunner, type JobRunner } from '../../core/jobs/runner.ts';
import { buildJobRegistry } from '../../core/jobs/definitions.ts';
import { openDatabase, type DatabaseHandle } from '../local/database.ts';
import { EmbeddedDbUnavailable } from '../local/ferretdb-binary.ts';
import { buildApp, finishApp } from './app.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { mountRoutes, mountUpgrades } from './routes.ts';
import { createServices, type Services } from './services.ts';
import { allMigrationSteps } from './migrations.ts';
import { allocatorInUse, describeAllocator } from './allocator.ts';

export interface RunningQuorum {
  config: Config;
  url: string | undefined;
  store: Store;
  services: Services;
  jobs: JobRunner | undefined;
  database: DatabaseHandle;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The database driver's command monitoring, on (see StoreOptions.monitorCommands). */
  monitorCommands?: boolean;
}

export async function startQuorum(
  config: Config,
  logger: Logger,
  options: StartOptions = {},
): Promise<RunningQuorum> {
  const begun = performance.now();
  const { database, store, services } = await openCore(config, logger, options);
  const metrics = createMetrics();
  const jobs = await startJobs(config, logger, store, services, metrics);
  const serving = config.servesHttp
    ? await startHttp(config, logger, { store, services, metrics, jobs })
    : undefined;
  const url = serving?.url;

  logger.info(
    {
      role: config.role,
      database: database.kind === 'embedded' ? 'embedded FerretDB (SQLite)' : 'MongoDB',
      url,
      startupMs: Math.round(performance.now() - begun),
    },
    url ? `Quorum is ready at ${url}` : 'Quorum worker is running',
  );

  let stopping: Promise<void> | undefined;
  return {
    config,
    url,
    store,
    services,
    jobs,
    database,
    stop() {
      stopping ??= stopAll(config, { serving, jobs, store, database });
      return stopping;
    },
  };
}

/**
 * The database, the store over it, the services and the migrations; what was opened is closed
 * again when a later step fails.
 */
async function openCore(
  config: Config,
  logger: Logger,
  options: StartOptions,
): Promise<{ database: DatabaseHandle; store: Store; services: Services }> {
  const database = await openDatabase({
    mongodbUri: config.mongodbUri,
    dataDir: config.dataDir,
    advertise: true,
    log: (line) => logger.info(line),
    warn: (line) => logger.warn(line),
  });
  let store: Store;
  try {
    store = await openStore({
      uri: database.uri,
      controlDbName: config.controlDb,
      ...(options.monitorCommands ? { monitorCommands: true } : {}),
    });
  } catch (error) {
    await database.stop();
    throw error;
  }
  let services: Services;
  try {
    services = await createServices(config, store, logger, database);
  } catch (error) {
    await store.close();
    await database.stop();
    throw error;
  }
  try {
    // Data written by an earlier version moves to the current layout before anything reads it.
    // Old pages of what they rewrite are scrubbed from the embedded database's files after; a
    // scrub that fails leaves them to SQLite's next checkpoint (the data is moved all the same).
    const storage = {
      scrub: () =>
        database.scrub().catch((error: unknown) => {
          logger.warn({ err: error }, 'storage migrated, but its old pages were not scrubbed');
        }),
    };
    const steps = allMigrationSteps(services, storage);
    // Tenants created from now on are in today's layout: recorded done for every step at once.
    declareMigrationSteps(
      store,
      steps.map((step) => step.name),
    );
    await runMigrations(store, steps, logger);
  } catch (error) {
    await store.close();
    await database.stop();
    throw error;
  }
  return { database, store, services };
}

/** The job runner, on a node that runs jobs. */
async function startJobs(
  config: Config,
  logger: Logger,
  store: Store,
  services: Services,
  metrics: Metrics,
): Promise<JobRunner | undefined> {
  const registry = buildJobRegistry({
    ...services,
    adapterJobs: [...(services.teams?.jobs ?? []), ...(services.zoom?.jobs ?? [])],
  });
  const jobs = config.runsJobs
    ? createJobRunner({
        store,
        registry,
        logger,
        events: { onFinished: (job, outcome, s) => metrics.observeJob(job, outcome, s) },
      })
    : undefined;
  await jobs?.start();
  return jobs;
}

interface HttpServing {
  server: http.Server;
  upgrades: { close(): Promise<void> };
  url: string;
}

/** The HTTP app with every route, listening. */
async function startHttp(
  config: Config,
  logger: Logger,
  parts: { store: Store; services: Services; metrics: Metrics; jobs: JobRunner | undefined },
): Promise<HttpServing> {
  const { store, services, metrics, jobs } = parts;
  const app = buildApp({
    logger,
    metrics,
    store,
    trustProxy: config.trustProxy,
    ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
    ...(jobs ? { jobs } : {}),
  });
  mountRoutes(app, services);
  finishApp(app, logger);
  const server = http.createServer(app);
  const upgrades = mountUpgrades(server, services);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  return { server, upgrades, url };
}

/** Shuts down in order: live captures, HTTP (with a grace period), jobs, store, database. */
async function stopAll(
  config: Config,
  parts: {
    serving: HttpServing | undefined;
    jobs: JobRunner | undefined;
    store: Store;
    database: DatabaseHandle;
  },
): Promise<void> {
  const { jobs, store, database } = parts;
  const upgrades = parts.serving?.upgrades;
  const server = parts.serving?.server;
  // Live captures end first: what was heard is stored while the database is open.
  await upgrades?.close();
  if (server) {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // In-flight requests get a grace period, then their connections are cut.
    const grace = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs / 2);
    await closed;
    clearTimeout(grace);
  }
  await jobs?.stop();
  await store.close();
  await database.stop();
}

/** The server as `npm start` runs it (see main.ts): settings, start, signals. */
export async function main(): Promise<void> {
  const result = loadConfig(process.env);
  if (!result.ok) {
    process.stderr.write('Quorum cannot start; fix these settings:\n');
    for (const problem of result.problems) process.stderr.write(`  ${problem}\n`);
    process.exit(1);
  }
  const { config } = result;
  const logger = createLogger({ level: config.logLevel });
  const allocator = allocatorInUse();
  logger.info(allocator, describeAllocator(allocator));
  let running: RunningQuorum;
  try {
    running = await startQuorum(config, logger);
  } catch (error) {
    const message =
      error instanceof EmbeddedDbUnavailable || (error as Error).message
        ? (error as Error).message
        : String(error);
    logger.fatal({ reason: message }, 'Quorum could not start');
    process.stderr.write(`Quorum could not start: ${message}\n`);
    process.exit(1);
  }

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 1500);
    force.unref();
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    void running.stop().finally(() => process.exit(1));
  });
}
