// Upgrading a database applies every migration it lacks, whatever the journal's dates. Drizzle's own migrator only
// applies migrations newer than the newest one recorded; 0010 was recorded with a date a day in the future, so on
// a database that had it, 0011 onwards were skipped and the console started without its tables.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate as drizzleMigrate } from 'drizzle-orm/pglite/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from './client.ts';
import { applyMigrations, migrationsFolder, pendingMigrations } from './migrate.ts';
import { openPgliteClient } from './pglite.ts';

interface Journal { entries: { idx: number; tag: string; when: number }[] }
const journal = JSON.parse(readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as Journal;
const upTo0010 = journal.entries.findIndex((e) => e.tag.startsWith('0010_')) + 1;

const folders: string[] = [];
afterAll(() => {
  for (const f of folders) rmSync(f, { recursive: true, force: true });
});

/** A copy of the migrations as an older release shipped them: the first `count`, with 0010 dated as it was. */
function olderRelease(count: number): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'dso-migrations-'));
  folders.push(folder);
  cpSync(migrationsFolder, folder, { recursive: true });
  const entries = journal.entries.slice(0, count).map((e) => (e.tag.startsWith('0010_') ? { ...e, when: 1796611952420 } : e));
  writeFileSync(path.join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
  return folder;
}

async function tableExists(database: Database, name: string): Promise<boolean> {
  const { rows } = (await database.db.execute(sql`SELECT to_regclass(${`public.${name}`}) AS t`)) as unknown as { rows: { t: string | null }[] };
  return rows[0]!.t !== null;
}

const recorded = async (database: Database) =>
  Number(((await database.db.execute(sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);

describe('schema migrations', () => {
  it('a database migrated by an older release up to 0010 gets every later migration, where drizzle’s migrator skipped them', async () => {
    const database = await openPgliteClient({});
    try {
      await drizzleMigrate(database.db as never, { migrationsFolder: olderRelease(upTo0010) });
      expect(await tableExists(database, 'outbound_allow_list')).toBe(false);
      // What upgrading did until now: drizzle's migrator with the whole journal adds nothing after 0010.
      await drizzleMigrate(database.db as never, { migrationsFolder: olderRelease(journal.entries.length) });
      expect(await tableExists(database, 'outbound_allow_list')).toBe(false);

      const ran = await applyMigrations(database);
      expect(ran).toBe(journal.entries.length - upTo0010);
      expect(await tableExists(database, 'outbound_allow_list')).toBe(true);
      expect(await recorded(database)).toBe(journal.entries.length);
      expect(await applyMigrations(database)).toBe(0);
    } finally {
      await database.close();
    }
  });

  it('a database that drizzle’s migrator brought fully up to date is left alone, and a new one gets everything once', async () => {
    const upToDate = await openPgliteClient({});
    try {
      await drizzleMigrate(upToDate.db as never, { migrationsFolder: olderRelease(journal.entries.length) });
      expect(await applyMigrations(upToDate)).toBe(0);
    } finally {
      await upToDate.close();
    }
    const fresh = await openPgliteClient({});
    try {
      expect(await applyMigrations(fresh)).toBe(journal.entries.length);
      expect(await applyMigrations(fresh)).toBe(0);
      expect(await recorded(fresh)).toBe(journal.entries.length);
    } finally {
      await fresh.close();
    }
  });

  it('recognises an applied migration by its hash or its journal date, and keeps the journal order', () => {
    const m = (hash: string, folderMillis: number) => ({ hash, folderMillis, sql: [], bps: true });
    const all = [m('a', 1), m('b', 9), m('c', 3), m('d', 4)];
    expect(pendingMigrations(all, [{ hash: 'a', createdAt: 1 }, { hash: 'b', createdAt: 9 }]).map((x) => x.hash)).toEqual(['c', 'd']);
    // A migration whose text changed after it ran (same date) is not run again.
    expect(pendingMigrations(all, [{ hash: 'edited', createdAt: 3 }]).map((x) => x.hash)).toEqual(['a', 'b', 'd']);
  });

  it('every journal entry is dated after the one before it (drizzle-kit and older releases order by date)', () => {
    for (let i = 1; i < journal.entries.length; i++) expect(journal.entries[i]!.when, journal.entries[i]!.tag).toBeGreaterThan(journal.entries[i - 1]!.when);
  });
});
