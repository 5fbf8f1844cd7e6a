// Two replicas with their own folders and one PostgreSQL database: what one mirrors, the other serves; what the
// other changes next, the first sees; deleted branches and HEAD follow; a replica that starts from nothing after
// many changes gets the same repository from the newest full bundle.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.ts';
import { createMirror } from './mirror.ts';
import { databaseGitReplication, type GitReplication } from './replication.ts';

const postgres = process.env.TEST_DATABASE_URL;
if (!postgres) console.log('git replication suite skipped: set TEST_DATABASE_URL=postgres://… to run it (it needs PostgreSQL)');

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@x', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@x' } }).trim();
}

function refsOf(dir: string): string {
  return git(dir, 'for-each-ref', '--format=%(objectname) %(refname)');
}

describe.skipIf(!postgres)('git repositories recorded in the database for replicas without a shared disk', () => {
  let database: TestDatabase;
  let work: string;
  let team: string;
  let replicaA: GitReplication;
  let replicaB: GitReplication;
  const key = 'projects/shop/api.git';

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    work = mkdtempSync(path.join(tmpdir(), 'dso-replication-'));
    team = path.join(work, 'team');
    git(work, 'init', '--quiet', '-b', 'main', team);
    git(team, 'commit', '--quiet', '--allow-empty', '-m', 'first');
    // Each replica has its own process-level queue, as two pods would.
    replicaA = databaseGitReplication(database.db, database.database.withLock!.bind(database.database), {
      compactEvery: 8,
    });
    replicaB = databaseGitReplication(database.db, database.database.withLock!.bind(database.database));
  }, 60_000);

  afterAll(async () => {
    await database?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const fetchInto = (dir: string) => () => Promise.resolve(git(dir, 'fetch', '--quiet', team, '+refs/heads/*:refs/heads/*'));

  it('serves on one replica what the other mirrored, then the other way round', async () => {
    const a = path.join(work, 'a', key);
    const b = path.join(work, 'b', key);
    await replicaA.update(key, a, createMirror, fetchInto(a));
    expect(await replicaB.refresh(key, b, createMirror)).toBe(true);
    expect(refsOf(b)).toBe(refsOf(a));
    expect(git(b, 'log', '--format=%s', 'main')).toBe('first');

    git(team, 'commit', '--quiet', '--allow-empty', '-m', 'second');
    git(team, 'branch', 'feature');
    await replicaB.update(key, b, createMirror, fetchInto(b));
    await replicaA.refresh(key, a, createMirror);
    expect(git(a, 'log', '--format=%s', 'feature')).toBe('second\nfirst');
    expect(refsOf(a)).toBe(refsOf(b));

    // A branch deleted on one replica disappears on the other; HEAD follows too.
    await replicaA.update(key, a, createMirror, async () => {
      git(a, 'update-ref', '-d', 'refs/heads/feature');
      git(a, 'symbolic-ref', 'HEAD', 'refs/heads/main');
    });
    await replicaB.refresh(key, b, createMirror);
    expect(refsOf(b)).not.toContain('refs/heads/feature');
    expect(git(b, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
  });

  it('rebuilds a repository from nothing after many changes, from the newest full bundle', async () => {
    const a = path.join(work, 'a', key);
    for (let i = 0; i < 12; i++) {
      git(team, 'commit', '--quiet', '--allow-empty', '-m', `change ${i}`);
      await replicaA.update(key, a, createMirror, fetchInto(a));
    }
    const rows = (await database.database.rawQuery<{ n: number; bases: number }>('SELECT count(*)::int AS n, count(*) FILTER (WHERE base)::int AS bases FROM git_snapshots WHERE repository_key = $1', [key])).rows[0]!;
    // Compaction kept the chain short: one full bundle and the changes after it.
    expect(rows.bases).toBe(1);
    expect(rows.n).toBeLessThan(8);
    const fresh = path.join(work, 'c', key);
    await replicaB.refresh(key, fresh, createMirror);
    expect(refsOf(fresh)).toBe(refsOf(a));
    expect(git(fresh, 'rev-list', '--count', 'main')).toBe(String(14));
    expect(git(fresh, 'fsck', '--no-progress', '--connectivity-only')).toBe('');
  }, 120_000);

  it('serialises two replicas changing one repository at once: both changes are kept', async () => {
    const a = path.join(work, 'a2', key + '2');
    const b = path.join(work, 'b2', key + '2');
    const k = key + '2';
    await Promise.all([
      replicaA.update(k, a, createMirror, async () => {
        git(a, 'fetch', '--quiet', team, '+refs/heads/main:refs/heads/from-a');
      }),
      replicaB.update(k, b, createMirror, async () => {
        git(b, 'fetch', '--quiet', team, '+refs/heads/main:refs/heads/from-b');
      }),
    ]);
    await replicaA.refresh(k, a, createMirror);
    await replicaB.refresh(k, b, createMirror);
    expect(refsOf(a)).toContain('refs/heads/from-a');
    expect(refsOf(a)).toContain('refs/heads/from-b');
    expect(refsOf(b)).toBe(refsOf(a));
  });
});
