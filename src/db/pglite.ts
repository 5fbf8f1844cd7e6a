// PGlite, the embedded PostgreSQL: one client opened on a data folder (or in memory), with the settings every
// instance shares. Locking the folder and seeding it from the migrated template are the caller's business
// (client.ts), so the template builder can open a throwaway instance here without a cycle.
import type { Database, Db } from './client.ts';
import * as schema from './schema.ts';

/**
 * PostgreSQL's default shared_buffers (128 MB) lives inside the WASM heap; 32 MB keeps the idle process well
 * under 400 MB RSS and is plenty for one console.
 */
export const pgliteSharedBuffers = '32MB';

export interface PgliteClientOptions {
  /** Data folder; in memory when absent. */
  dataDir?: string;
  /** Start from this data folder archive (tar) instead of running initdb. */
  loadDataDir?: Blob;
  /** Called once the client is closed (or failed to open): releases the data folder lock. */
  release?: () => void;
}

export async function openPgliteClient(options: PgliteClientOptions): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  let client: InstanceType<typeof PGlite>;
  try {
    client = await PGlite.create({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      relaxedDurability: true,
      startParams: [...(PGlite as unknown as { defaultStartParams: string[] }).defaultStartParams, '-c', `shared_buffers=${pgliteSharedBuffers}`],
    });
  } catch (error) {
    options.release?.();
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
        options.release?.();
      }
    },
  };
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
