// The composition root: the whole system in one place. Configuration → database → secrets → queue and
// reconcilers → identity → HTTP server. Everything else receives what it needs from here (no globals).
import type { Logger } from 'pino';
import { sql } from 'drizzle-orm';
import type { Config } from '../config.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { createSecretBox, loadOrCreateKey } from '../integrations/secrets/secret-box.ts';
import { createLogger } from './plugins/logging.ts';
import { createMetrics } from './plugins/metrics.ts';
import { buildServer, type App, type ServerOptions } from './server.ts';
import type { ReadinessCheck, Services } from './services.ts';

export interface System {
  services: Services;
  database: Database;
  app: App;
  /** Listen on config.host:config.port; resolves with the base URL. */
  listen(): Promise<string>;
  /** Graceful stop: refuse new requests, finish in-flight ones and jobs, close the database. */
  stop(): Promise<void>;
}

export interface ComposeOptions {
  logger?: Logger;
  /** An already opened database (tests); otherwise opened from the configuration. */
  database?: Database;
  /** Default true: run the reconcile workers here (config.workers can also turn them off). */
  now?: () => Date;
}

export async function composeSystem(config: Config, options: ComposeOptions = {}): Promise<System> {
  const logger = options.logger ?? createLogger(config);
  const database = options.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const ownsDatabase = !options.database;
  const metrics = createMetrics();
  const secretBox = createSecretBox(loadOrCreateKey(config.encryptionKey, config.dataDir));

  const readinessChecks: (() => Promise<ReadinessCheck>)[] = [
    async () => {
      try {
        await database.db.execute(sql`select 1`);
        return { name: 'database', ok: true };
      } catch (error) {
        return { name: 'database', ok: false, detail: (error as Error).message.slice(0, 200) };
      }
    },
  ];

  const services: Services = {
    config,
    db: database.db,
    logger,
    now: options.now ?? (() => new Date()),
    requestReconcile: async () => {},
    secretBox,
    metrics,
    readiness: () => Promise.all(readinessChecks.map((check) => check())),
  };

  const serverOptions: ServerOptions = { mounts: [] };
  const app = await buildServer(services, serverOptions);

  let stopping: Promise<void> | undefined;
  return {
    services,
    database,
    app,
    async listen() {
      await app.listen({ port: config.port, host: config.host });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      return `http://127.0.0.1:${port}`;
    },
    stop() {
      stopping ??= (async () => {
        await app.close();
        if (ownsDatabase) await database.close();
      })();
      return stopping;
    },
  };
}
