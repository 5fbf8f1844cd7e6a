// Opens the database: embedded PGlite (data in DSO_DATA_DIR/pg) or PostgreSQL when DATABASE_URL is set.
// The same Drizzle schema and migrations serve both; migrations are applied at every start.
import fs from 'node:fs';
import path from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { applyMigrations } from './migrate.ts';
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
  close(): Promise<void>;
}

function inProcessLocks(): Database['tryWithLock'] {
  const held = new Set<string>();
  return async (name, fn) => {
    if (held.has(name)) return { acquired: false };
    held.add(name);
    try {
      return { acquired: true, value: await fn() };
    } finally {
      held.delete(name);
    }
  };
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
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.databaseUrl ? await openPostgres(options.databaseUrl, options.poolSize ?? 10) : await openPglite(options);
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
    close: () => pool.end(),
  };
}

/**
 * PostgreSQL's default shared_buffers (128 MB) lives inside the WASM heap; 32 MB keeps the idle process well
 * under 400 MB RSS and is plenty for one console.
 */
export const pgliteSharedBuffers = '32MB';

export async function openPglite(options: DatabaseOptions): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  let lock: { release(): void } | undefined;
  let dataDir: string | undefined;
  const loadDataDir = options.loadDataDir;
  if (!options.inMemory) {
    lock = lockDataDir(options.dataDir);
    dataDir = path.join(options.dataDir, 'pg');
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // An empty folder starts from a migrated template instead of running initdb (seconds and ~900 MB of RSS).
    // It is unpacked here rather than through PGlite's loadDataDir, which copies it through the WASM heap and
    // leaves the process ~150 MB bigger for its whole life.
    if (!loadDataDir && !fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
      try {
        extractTar(fs.readFileSync(await pgliteTemplateFile()), dataDir);
      } catch (error) {
        lock.release();
        throw error;
      }
    }
  }
  let client: InstanceType<typeof PGlite>;
  try {
    client = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(loadDataDir ? { loadDataDir } : {}),
      relaxedDurability: true,
      startParams: [...(PGlite as unknown as { defaultStartParams: string[] }).defaultStartParams, '-c', `shared_buffers=${pgliteSharedBuffers}`],
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const db = drizzle(client, { schema }) as unknown as Db;
  let closed = false;
  return {
    db,
    kind: 'pglite',
    rawQuery: async (sql, params) => {
      if (params && params.length > 0) {
        const result = await client.query(sql, params as unknown[]);
        return { rows: result.rows as never[] };
      }
      // Without parameters the text may hold several statements (pg-boss sends such batches).
      const results = await client.exec(sql);
      return { rows: (results.at(-1)?.rows ?? []) as never[] };
    },
    tryWithLock: inProcessLocks(),
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}
