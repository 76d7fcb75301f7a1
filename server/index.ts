import { existsSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { createApp, DEFAULT_CLIENT_DIST_DIR } from './app.ts';
import { readConfig, REPO_ROOT } from './config.ts';
import { startDatabase } from './db/start_database.ts';
import { JobQueue } from './jobs/job_queue.ts';
import { registerAllJobs } from './jobs/register_jobs.ts';
import { prepareDatabase } from './prepare_database.ts';
import { applySecretFiles } from './secret_files.ts';

const startedAt = performance.now();
applySecretFiles();
const config = readConfig();
const logger = pino({ level: config.LUYU_LOG_LEVEL });
const elapsedSeconds = () => ((performance.now() - startedAt) / 1000).toFixed(1);

/** `npm start` on a fresh clone must serve the map, so build the client when it is missing. */
async function ensureClientBuilt(): Promise<void> {
  if (existsSync(path.join(DEFAULT_CLIENT_DIST_DIR, 'index.html'))) return;
  logger.info('client/dist is missing: building the client once (vite build)');
  const { build } = await import('vite');
  await build({ configFile: path.join(REPO_ROOT, 'client', 'vite.config.ts'), logLevel: 'warn' });
  logger.info(`client built at ${elapsedSeconds()} s`);
}

// A broken client build must not take the API down with it: log it and serve the API alone.
const clientBuild = ensureClientBuilt().catch((error: unknown) => {
  logger.error({ err: error }, 'client build failed: serving the API only');
});
const db = await startDatabase(config, (message) => logger.info(message));
logger.info(`database ready (${db.mode}) at ${elapsedSeconds()} s`);
const prepared = await prepareDatabase(db, config);
logger.info(
  { migrationLevel: prepared.migrations.level, demo: prepared.demo, demoUsers: prepared.demoUsers, configuredAdmin: prepared.configuredAdmin },
  `database prepared at ${elapsedSeconds()} s${prepared.demo ? ' (demo data loaded)' : ''}`,
);
await clientBuild;

const jobs = new JobQueue(db.pool, { logger });
registerAllJobs(jobs, config, db.mode);
jobs.start();
const app = createApp({ db, config, clientDistDir: DEFAULT_CLIENT_DIST_DIR, logger, jobs });
const server = app.listen(config.PORT, config.HOST, () => {
  logger.info(`Luyu ready at http://localhost:${config.PORT} (${elapsedSeconds()} s after start)`);
});

/**
 * Stop taking requests, let running jobs finish (up to the grace period; unfinished ones go back
 * to the queue for the next instance), then close the database.
 */
async function shutdown(signal: string) {
  logger.info(`${signal}: closing (draining background jobs)`);
  const closed = new Promise((resolve) => server.close(resolve));
  await jobs.stop(config.LUYU_SHUTDOWN_GRACE_SECONDS * 1000);
  server.closeIdleConnections();
  await closed;
  await db.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));
