// A complete system (services + HTTP app) on a test database, for route tests with `app.inject`.
// No port is opened and no data folder is locked; the bootstrap admin token is `testAdminToken`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import { composeSystem, type ComposeOptions, type System } from '../../src/api/compose.ts';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './db.ts';

export const testAdminToken = 'test-admin-token-0123456789abcdef';

export function testConfig(overrides: Record<string, string> = {}): Config {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dso-test-'));
  return loadConfig({
    NODE_ENV: 'test',
    DSO_DATA_DIR: dataDir,
    DSO_LOG_LEVEL: process.env.DSO_TEST_LOG_LEVEL ?? 'silent',
    DSO_ADMIN_TOKEN: testAdminToken,
    DSO_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    DSO_WEB_DIR: path.join(dataDir, 'no-web'),
    PORT: '0',
    // The shipped component catalogue costs a few helm renders at start: only the tests about it ask for it.
    DSO_CATALOGUE_DEFAULT: 'false',
    DSO_HOST: '127.0.0.1',
    ...overrides,
  });
}

export interface TestSystem extends System {
  testDatabase: TestDatabase;
}

export async function createTestSystem(kind: DatabaseKind = 'pglite', configOverrides: Record<string, string> = {}, composeOptions: Pick<ComposeOptions, 'reconcileSteps'> = {}): Promise<TestSystem> {
  const testDatabase = await createTestDatabase(kind);
  const system = await composeSystem(testConfig(configOverrides), {
    ...composeOptions,
    database: testDatabase.database,
    seedDemoAccounts: false,
    builtinIdentity: false,
  });
  await system.app.ready();
  return {
    ...system,
    testDatabase,
    async stop() {
      await system.stop();
      await testDatabase.close();
    },
  };
}

/** beforeAll/afterAll wrapper: `const t = withTestSystem(); … t.system.app.inject(…)`. */
export function withTestSystem(kind: DatabaseKind = 'pglite', configOverrides: Record<string, string> = {}): { readonly system: TestSystem } {
  let current: TestSystem | undefined;
  beforeAll(async () => {
    current = await createTestSystem(kind, configOverrides);
  });
  afterAll(async () => {
    await current?.stop();
  });
  return {
    get system() {
      if (!current) throw new Error('The test system is only available inside tests.');
      return current;
    },
  };
}
