// A process that only executes chain runs (no HTTP server): what the crash test kills with SIGKILL. It opens the
// database from DSO_DATA_DIR (PGlite) or DATABASE_URL, starts the chain runtime, and prints "ready" once its
// workers listen on the queue.
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/client.ts';
import { createSecretBox, loadOrCreateKey } from '../../src/integrations/secrets/secret-box.ts';
import { createChainRuntime } from '../../src/chain/runtime.ts';
import type { Services } from '../../src/api/services.ts';

const config = loadConfig(process.env);
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
const services = {
  config,
  db: database.db,
  logger: pino({ level: 'warn' }),
  now: () => new Date(),
  requestReconcile: async () => {},
  secretBox: createSecretBox(loadOrCreateKey(config.encryptionKey, config.dataDir)),
  metrics: {} as Services['metrics'],
  readiness: async () => [],
} satisfies Services;
const runtime = createChainRuntime(services);
await runtime.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void runtime.stop(2000).then(() => database.close()).then(() => process.exit(0));
});
