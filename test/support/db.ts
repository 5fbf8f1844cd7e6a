// Test databases: a fresh, migrated database per test file, on PGlite always and on PostgreSQL when
// TEST_DATABASE_URL is set. PGlite's initdb is slow (seconds), so a migrated template is built once and cached
// on disk (keyed by the migrations' content); each test file loads it into an in-memory PGlite.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase, type Database, type Db } from '../../src/db/client.ts';
import { pgliteTemplate } from '../../src/db/pglite-template.ts';

export type DatabaseKind = 'pglite' | 'postgres';

/** The migrated PGlite data folder as a tar archive, shared with `dso start` (cached on disk). */
export { pgliteTemplate };

export interface TestDatabase {
  kind: DatabaseKind;
  database: Database;
  db: Db;
  /** PostgreSQL only: where another process can reach the same database. */
  url?: string;
  close(): Promise<void>;
}

export async function createTestDatabase(kind: DatabaseKind = 'pglite'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    // The template is keyed by the migrations' content: it is already up to date.
    const database = await openDatabase({ dataDir: '', inMemory: true, loadDataDir: await pgliteTemplate(process.env.DSO_PGLITE_TEMPLATE_DIR || undefined), migrate: false });
    return { kind, database, db: database.db, close: () => database.close() };
  }
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set.');
  const { default: pg } = await import('pg');
  const name = `dso_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 5 });
  return {
    kind,
    database,
    db: database.db,
    url: url.toString(),
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: serverUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

/** Whether PostgreSQL tests run; logs once why not (and fails under CI=true, where they are required). */
export function postgresAvailable(): boolean {
  if (process.env.TEST_DATABASE_URL) return true;
  if (process.env.CI === 'true') throw new Error('CI=true requires TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run the PostgreSQL tests.');
  if (!warned) {
    warned = true;
    console.warn('[skip] PostgreSQL variant of database tests: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres to run them.');
  }
  return false;
}
let warned = false;

export interface DatabaseContext {
  kind: DatabaseKind;
  /** Available inside tests (after beforeAll). */
  readonly db: Db;
  readonly database: Database;
}

/** A fresh migrated database for the enclosing describe/file: opened in beforeAll, dropped in afterAll. */
export function withTestDatabase(kind: DatabaseKind = 'pglite'): DatabaseContext {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await current?.close();
  });
  const get = () => {
    if (!current) throw new Error('The test database is only available inside tests (after beforeAll).');
    return current;
  };
  return {
    kind,
    get db() {
      return get().db;
    },
    get database() {
      return get().database;
    },
  };
}

/** Runs the same describe block on PGlite and (when TEST_DATABASE_URL is set) on PostgreSQL. */
export function describeOnDatabases(name: string, fn: (ctx: DatabaseContext) => void): void {
  describe(`${name} [pglite]`, () => fn(withTestDatabase('pglite')));
  if (postgresAvailable()) describe(`${name} [postgres]`, () => fn(withTestDatabase('postgres')));
  else describe.skip(`${name} [postgres] (TEST_DATABASE_URL not set)`, () => {});
}
