// Test databases: a fresh, migrated database per test file, on PGlite always and on PostgreSQL when
// TEST_DATABASE_URL is set. PGlite's initdb is slow (seconds), so a migrated template is built once and cached
// on disk (keyed by the migrations' content); each test file loads it into an in-memory PGlite in ~0.3 s.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase, type Database, type Db } from '../../src/db/client.ts';
import { migrationsFolder } from '../../src/db/migrate.ts';

export type DatabaseKind = 'pglite' | 'postgres';

function migrationsFingerprint(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else hash.update(entry.name).update(fs.readFileSync(full));
    }
  };
  walk(migrationsFolder);
  return hash.digest('hex').slice(0, 16);
}

let templatePromise: Promise<Blob> | undefined;

/** The migrated PGlite data folder as a tar archive (cached in the OS temp folder across runs). */
export function pgliteTemplate(): Promise<Blob> {
  templatePromise ??= (async () => {
    const file = path.join(os.tmpdir(), `dso-pi-pglite-template-${migrationsFingerprint()}.tar`);
    if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
    const fresh = await openDatabase({ dataDir: '', inMemory: true });
    const { PGlite } = await import('@electric-sql/pglite');
    const client = (fresh.db as unknown as { $client: InstanceType<typeof PGlite> }).$client;
    const dump = await client.dumpDataDir('none');
    await fresh.close();
    const bytes = Buffer.from(await dump.arrayBuffer());
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, file); // atomic: concurrent test processes never read half a file
    return new Blob([bytes]);
  })();
  return templatePromise;
}

export interface TestDatabase {
  kind: DatabaseKind;
  database: Database;
  db: Db;
  close(): Promise<void>;
}

export async function createTestDatabase(kind: DatabaseKind = 'pglite'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openDatabase({ dataDir: '', inMemory: true, loadDataDir: await pgliteTemplate() });
    // The template may predate nothing: migrations are idempotent and fast when already applied.
    const { applyMigrations } = await import('../../src/db/migrate.ts');
    await applyMigrations(database);
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
