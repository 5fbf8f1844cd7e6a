// Opens the database: embedded PGlite (data in DSO_DATA_DIR/pg) or PostgreSQL when DATABASE_URL is set.
// The same Drizzle schema and migrations serve both; migrations are applied at every start.
import fs from 'node:fs';
import path from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { applyMigrations } from './migrate.ts';
import { openPgliteClient } from './pglite.ts';
import { extractTar, pgliteTemplateFile } from './pglite-template.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Plain SQL with $1… parameters; used by pg-boss and health checks. */
  rawQuery<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  /**
   * Runs `fn` while holding the lock `name`, shared by every process using this database (PostgreSQL advisory
   * lock; in-process on PGlite, where the data folder lock guarantees a single process). Never waits.
   */
  tryWithLock<T>(name: string, fn: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }>;
  /** Like tryWithLock, but waits for the lock (PostgreSQL only; PGlite has a single process and needs none). */
  withLock?<T>(name: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Skip migrations (tests load an already migrated template). */
  migrate?: boolean;
  /** PGlite only: start from this data folder archive (tar) instead of running initdb. */
  loadDataDir?: Blob;
  /** PGlite only: keep the database in memory (tests). */
  inMemory?: boolean;
  /** PostgreSQL only: pool size. */
  poolSize?: number;
  /** PGlite only: where the migrated template is cached (DSO_PGLITE_TEMPLATE_DIR); default the package's cache. */
  templateDir?: string | undefined;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.poolSize ?? 10)
    : await openPglite(options);
  if (options.migrate !== false) {
    try {
      await applyMigrations(database);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const { default: pg } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new pg.Pool({ connectionString: url, max: poolSize, application_name: 'dso-pi' });
  // A broken idle connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    rawQuery: async (sql, params) => {
      const result = await pool.query(sql, params as unknown[] | undefined);
      return { rows: result.rows };
    },
    tryWithLock: async (name, fn) => {
      const client = await pool.connect();
      try {
        const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [name]);
        if (!rows[0]?.ok) return { acquired: false };
        try {
          return { acquired: true, value: await fn() };
        } finally {
          await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name]);
        }
      } finally {
        client.release();
      }
    },
    withLock: async (name, fn) => {
      // A dedicated connection holds the session lock for as long as fn runs (a git fetch may take minutes).
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [name]);
        try {
          return await fn();
        } finally {
          await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [name]);
        }
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  if (options.inMemory)
    return openPgliteClient({ ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
  const lock = lockDataDir(options.dataDir);
  try {
    const dataDir = path.join(options.dataDir, 'pg');
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // An empty folder starts from a migrated template instead of running initdb (seconds and ~900 MB of RSS).
    // It is unpacked here rather than through PGlite's loadDataDir, which copies it through the WASM heap and
    // leaves the process ~150 MB bigger for its whole life.
    if (!options.loadDataDir && !fs.existsSync(path.join(dataDir, 'PG_VERSION'))) extractTar(fs.readFileSync(await pgliteTemplateFile(options.templateDir)), dataDir);
    return await openPgliteClient({
      dataDir,
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      release: () => lock.release(),
    });
  } catch (error) {
    lock.release();
    throw error;
  }
}
