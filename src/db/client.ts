// Opens the database: embedded PGlite (data in DSO_DATA_DIR/pg) or PostgreSQL when DATABASE_URL is set.
// The same Drizzle schema and migrations serve both; migrations are applied at every start.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { applyMigrations, migrationsFolder } from './migrate.ts';

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
const pgliteSharedBuffers = '32MB';

async function openPglite(options: DatabaseOptions): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  let lock: { release(): void } | undefined;
  let dataDir: string | undefined;
  let loadDataDir = options.loadDataDir;
  if (!options.inMemory) {
    lock = lockDataDir(options.dataDir);
    dataDir = path.join(options.dataDir, 'pg');
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // An empty folder starts from a migrated template instead of running initdb (seconds and ~900 MB of RSS).
    if (!loadDataDir && !fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
      try {
        loadDataDir = await pgliteTemplate();
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

let templatePromise: Promise<Blob> | undefined;

/**
 * A freshly initialised and migrated PGlite data folder (tar), cached on disk per PGlite version and migration
 * set (node_modules/.cache/dso-pi, or DSO_PGLITE_TEMPLATE_DIR). Built once, in memory, by a throwaway instance.
 */
export function pgliteTemplate(): Promise<Blob> {
  templatePromise ??= (async () => {
    const file = path.join(pgliteTemplateDir(), `pglite-template-${await templateFingerprint()}.tar`);
    if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
    const fresh = await openPglite({ dataDir: '', inMemory: true });
    try {
      await applyMigrations(fresh);
      const client = (fresh.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
      const bytes = Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer());
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, bytes);
        fs.renameSync(tmp, file); // atomic: concurrent processes never read half a template
        for (const old of fs.readdirSync(path.dirname(file))) {
          if (old.startsWith('pglite-template-') && old.endsWith('.tar') && old !== path.basename(file)) fs.rmSync(path.join(path.dirname(file), old), { force: true });
        }
      } catch {
        // Read-only installation: no cache, the template is rebuilt at the next empty start.
      }
      return new Blob([bytes]);
    } finally {
      await fresh.close();
    }
  })().catch((error: unknown) => {
    templatePromise = undefined;
    throw error;
  });
  return templatePromise;
}

export function pgliteTemplateDir(): string {
  return process.env.DSO_PGLITE_TEMPLATE_DIR ?? fileURLToPath(new URL('../../node_modules/.cache/dso-pi', import.meta.url));
}

async function templateFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  const require = createRequire(import.meta.url);
  const pgliteEntry = require.resolve('@electric-sql/pglite');
  const pkg = path.join(pgliteEntry.slice(0, pgliteEntry.lastIndexOf(`${path.sep}dist${path.sep}`)), 'package.json');
  hash.update(JSON.parse(fs.readFileSync(pkg, 'utf8')).version as string);
  hash.update(pgliteSharedBuffers);
  for (const name of fs.readdirSync(migrationsFolder).sort()) {
    const full = path.join(migrationsFolder, name);
    if (fs.statSync(full).isFile()) hash.update(name).update(fs.readFileSync(full));
  }
  hash.update(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json')));
  return hash.digest('hex').slice(0, 16);
}
