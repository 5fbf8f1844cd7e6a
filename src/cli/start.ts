// `dso start` (npm start): the whole console in one process — API, workers, identity provider, database.
// Configuration only from the environment (see src/config.ts). SIGTERM/SIGINT: graceful stop within 10 s.
import { ConfigError, loadConfig } from '../config.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';
import { formatDemoPasswords } from '../integrations/identity/builtin-accounts.ts';

/** Hard limit after a stop signal; the orchestrator (Kubernetes) usually kills at 30 s, we promise 10. */
const shutdownBudgetMs = 9_500;

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('Usage: dso start\n\nStarts the DSO π console. Configuration comes from environment variables (PORT, DSO_DATA_DIR, DATABASE_URL, DSO_OIDC_ISSUER…).\n');
    return 0;
  }
  const startedAt = performance.now();
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`dso start: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  // The database opens (PGlite: WebAssembly compilation, PostgreSQL start-up) while the rest of the
  // application's modules load: the two overlap instead of adding up.
  const { openDatabase } = await import('../db/client.ts');
  const opening = openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    templateDir: config.pgliteTemplateDir,
  });
  opening.catch(() => {}); // handled below, after the import
  let system;
  try {
    const { composeSystem } = await import('../api/compose.ts');
    system = await composeSystem(config, { database: opening, ownsDatabase: true });
  } catch (error) {
    await opening.then((database) => database.close()).catch(() => {});
    if (error instanceof DataDirLockedError) {
      process.stderr.write(`dso start: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`dso start: cannot start: ${(error as Error).message}\n`);
    return 1;
  }
  const { logger } = system.services;
  try {
    await system.listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    process.stderr.write(
      code === 'EADDRINUSE'
        ? `dso start: port ${config.port} is already in use; set PORT to another value.\n`
        : `dso start: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}\n`,
    );
    await system.stop();
    return 1;
  }
  if (system.demoPasswords.length > 0) {
    // Printed once, outside the JSON logs (which never carry secrets).
    process.stderr.write(formatDemoPasswords(system.demoPasswords, `${config.publicUrl}/auth/login`) + '\n');
  }
  logger.info(
    {
      url: config.publicUrl,
      database: system.database.kind,
      identity: config.oidc.kind,
      startupMs: Math.round(performance.now() - startedAt),
      phases: system.startupPhases,
    },
    'DSO π started',
  );
  if (config.chain.sandbox.mode === 'none') {
    logger.warn(
      { sandbox: 'none' },
      'DSO_SANDBOX=none: test commands and image builds run as host processes and can read the host\'s files (the data folder, other projects); install bubblewrap and remove DSO_SANDBOX outside development',
    );
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping: finishing in-flight requests and jobs');
      const hardExit = setTimeout(() => {
        logger.error('graceful stop took too long; exiting');
        process.exit(1);
      }, shutdownBudgetMs);
      hardExit.unref();
      system
        .stop(shutdownBudgetMs - 1_000)
        .then(() => {
          logger.info('stopped');
          resolve(0);
          // Everything we own is closed; a stray timer in some library must not hold the exit back.
          setTimeout(() => process.exit(), 200).unref();
        })
        .catch((error: unknown) => {
          logger.error({ err: error }, 'error while stopping');
          resolve(1);
        });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
