// Replicas without a shared disk: the platform's git repositories (mirrors, hosted repositories, the embedded GitOps
// repository) are kept durably in the database as a chain of snapshots — every ref after a change plus a git bundle
// of the objects that change added — and each replica's folder is only a cache of that chain. A replica that never
// saw a repository rebuilds it from the rows; one that is behind applies the rows it has not seen. Changes are
// serialised across replicas by an advisory lock held while the local copy is brought up to date, changed and
// recorded, so two replicas never record diverging histories.
//
// With the embedded database (PGlite, one process by construction) the data folder is the only copy and nothing is
// recorded: `localGitReplication` keeps today's behaviour at no cost.
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { and, asc, desc, eq, gt, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { gitSnapshots } from '../../db/schema.ts';
import { runGit } from './run-git.ts';

export interface GitReplication {
  /** True when copies are recorded in the database (replicas may have separate disks). */
  readonly durable: boolean;
  /**
   * Brings the local copy at `dir` up to date with the durable one, creating it from the durable copy when the
   * folder is missing. Returns whether a local copy exists afterwards.
   */
  refresh(key: string, dir: string, init: (dir: string) => Promise<void>): Promise<boolean>;
  /**
   * Runs `change` on an up-to-date local copy while holding the repository's lock across replicas, then records
   * the refs and objects it changed. The change's own result is returned, whatever it is.
   */
  update<T>(key: string, dir: string, init: (dir: string) => Promise<void>, change: () => Promise<T>): Promise<T>;
}

/** A blocking, cross-process lock on a name (PostgreSQL advisory lock on a dedicated connection). */
export type NamedLock = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/** The data folder is the only copy (embedded database, single process). */
export const localGitReplication: GitReplication = {
  durable: false,
  async refresh(_key, dir) {
    return existsSync(path.join(dir, 'HEAD'));
  },
  update(_key, _dir, _init, change) {
    return change();
  },
};

/** Key of a repository in the durable store: its path under the git root. */
export function replicationKey(gitRoot: string, dir: string): string {
  const relative = path.relative(path.resolve(gitRoot), path.resolve(dir));
  if (relative.startsWith('..') || path.isAbsolute(relative)) throw new Error(`repository outside the git root: ${dir}`);
  return relative.split(path.sep).join('/');
}

const seqFile = 'dso-replica-seq';
/** A full bundle is stored again after this many incremental rows, and the rows before it are dropped. */
const defaultCompactEvery = 50;
/** One bundle row at most; a bigger change is refused with a clear message rather than half-recorded. */
const maxBundleBytes = 512 * 1024 ** 2;
const gitTimeoutMs = 10 * 60 * 1000;

export class GitReplicationError extends Error {}

type Refs = Record<string, string>;

async function localSeq(dir: string): Promise<number> {
  try {
    const n = Number.parseInt((await readFile(path.join(dir, seqFile), 'utf8')).trim(), 10);
    return Number.isSafeInteger(n) && n >= 0 ? n : 0;
  } catch {
    return 0;
  }
}

async function git(dir: string, args: string[], stdin?: string): Promise<string> {
  const r = await runGit(args, {
    cwd: dir,
    timeoutMs: gitTimeoutMs,
    ...(stdin !== undefined ? { stdin } : {}),
    maxStdoutBytes: 256 * 1024 ** 2,
  });
  if (r.code !== 0 || r.timedOut) throw new GitReplicationError(`git ${args[0]} failed in ${path.basename(dir)}: ${r.stderr.trim().slice(0, 500)}`);
  return r.stdout;
}

/** Every ref of the repository, plus HEAD as `ref: <target>`. */
async function readRefs(dir: string): Promise<Refs> {
  const refs: Refs = {};
  for (const line of (await git(dir, ['for-each-ref', '--format=%(objectname) %(refname)'])).split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) refs[line.slice(space + 1)] = line.slice(0, space);
  }
  const head = await runGit(['symbolic-ref', 'HEAD'], { cwd: dir, timeoutMs: 10_000 });
  if (head.code === 0 && head.stdout.trim()) refs.HEAD = `ref: ${head.stdout.trim()}`;
  return refs;
}

function sameRefs(a: Refs, b: Refs): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** Makes the repository's refs exactly `refs` (objects must already be there). */
async function writeRefs(dir: string, refs: Refs): Promise<void> {
  const current = await readRefs(dir);
  let stdin = '';
  for (const [ref, sha] of Object.entries(refs)) if (ref !== 'HEAD' && current[ref] !== sha) stdin += `update ${ref} ${sha}\n`;
  for (const ref of Object.keys(current)) if (ref !== 'HEAD' && !(ref in refs)) stdin += `delete ${ref}\n`;
  if (stdin) await git(dir, ['update-ref', '--stdin'], stdin);
  const head = refs.HEAD?.startsWith('ref: ') ? refs.HEAD.slice(5) : undefined;
  if (head && current.HEAD !== refs.HEAD) await git(dir, ['symbolic-ref', 'HEAD', head]);
}

/** Recorded in the database: see the header. `lock` must block until the named lock is free. */
export function databaseGitReplication(
  db: Db,
  lock: NamedLock,
  options: { compactEvery?: number } = {},
): GitReplication {
  const compactEvery = options.compactEvery ?? defaultCompactEvery;
  // Within this process, one operation per folder at a time (git's own ref locks would fail the second one).
  const queues = new Map<string, Promise<unknown>>();
  const serialized = <T>(dir: string, work: () => Promise<T>): Promise<T> => {
    const key = path.resolve(dir);
    const run = (queues.get(key) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    queues.set(key, tail);
    void tail.then(() => queues.get(key) === tail && queues.delete(key));
    return run;
  };

  /** Applies the rows this copy has not seen; returns the sequence number it is now at (0: nothing durable). */
  async function catchUp(key: string, dir: string, init: (dir: string) => Promise<void>): Promise<number> {
    const present = existsSync(path.join(dir, 'HEAD'));
    const seen = present ? await localSeq(dir) : 0;
    const [latest] = await db
      .select({ seq: gitSnapshots.seq })
      .from(gitSnapshots)
      .where(eq(gitSnapshots.repositoryKey, key))
      .orderBy(desc(gitSnapshots.seq))
      .limit(1);
    if (!latest) return 0;
    if (latest.seq === seen && present) return seen;
    // From the newest full bundle when this copy is older than it (or has nothing), else from the next row.
    const [base] = await db
      .select({ seq: gitSnapshots.seq })
      .from(gitSnapshots)
      .where(and(eq(gitSnapshots.repositoryKey, key), eq(gitSnapshots.base, true), gt(gitSnapshots.seq, seen)))
      .orderBy(desc(gitSnapshots.seq))
      .limit(1);
    const from = base ? base.seq : seen + 1;
    if (!present) await init(dir);
    const rows = await db
      .select({ id: gitSnapshots.id, seq: gitSnapshots.seq })
      .from(gitSnapshots)
      .where(and(eq(gitSnapshots.repositoryKey, key), gte(gitSnapshots.seq, from)))
      .orderBy(asc(gitSnapshots.seq));
    if (rows[0] && rows[0].seq !== from)
      throw new GitReplicationError(`snapshots of ${key} are missing before ${rows[0].seq}`);
    for (const { id, seq } of rows) {
      // One row's bundle in memory at a time.
      const [row] = await db
        .select({ refs: gitSnapshots.refs, bundle: gitSnapshots.bundle })
        .from(gitSnapshots)
        .where(eq(gitSnapshots.id, id))
        .limit(1);
      if (!row) throw new GitReplicationError(`snapshot ${key}#${seq} disappeared while it was applied`);
      if (row.bundle && row.bundle.length > 0) {
        const file = path.join(dir, 'dso-replica.bundle');
        await writeFile(file, row.bundle);
        try {
          await git(dir, ['bundle', 'unbundle', file]);
        } finally {
          await rm(file, { force: true });
        }
      }
      await writeRefs(dir, row.refs);
      await writeFile(path.join(dir, seqFile), String(seq));
    }
    return rows.at(-1)?.seq ?? seen;
  }

  /** Records the copy's current refs and new objects as the row after `seen`. */
  async function record(key: string, dir: string, seen: number): Promise<void> {
    const refs = await readRefs(dir);
    const [previous] =
      seen > 0
        ? await db
            .select({ refs: gitSnapshots.refs })
            .from(gitSnapshots)
            .where(and(eq(gitSnapshots.repositoryKey, key), eq(gitSnapshots.seq, seen)))
            .limit(1)
        : [];
    if (previous && sameRefs(previous.refs, refs)) return;
    if (!previous && Object.keys(refs).filter((r) => r !== 'HEAD').length === 0) return;
    const [lastBase] = await db
      .select({ seq: gitSnapshots.seq })
      .from(gitSnapshots)
      .where(and(eq(gitSnapshots.repositoryKey, key), eq(gitSnapshots.base, true)))
      .orderBy(desc(gitSnapshots.seq))
      .limit(1);
    const base = !previous || !lastBase || seen + 1 - lastBase.seq >= compactEvery;
    const known = base
      ? new Set<string>()
      : new Set(
          Object.entries(previous!.refs)
            .filter(([r]) => r !== 'HEAD')
            .map(([, sha]) => sha),
        );
    const wanted = Object.entries(refs)
      .filter(([ref, sha]) => ref !== 'HEAD' && !known.has(sha))
      .map(([ref]) => ref);
    let bundle: Buffer | null = null;
    if (wanted.length > 0) {
      const file = path.join(dir, 'dso-replica-out.bundle');
      const revisions = [...wanted, ...[...known].map((sha) => `^${sha}`)].join('\n') + '\n';
      const made = await runGit(['bundle', 'create', '--quiet', file, '--stdin'], {
        cwd: dir,
        timeoutMs: gitTimeoutMs,
        stdin: revisions,
      });
      try {
        if (made.code === 0) {
          bundle = await readFile(file);
          if (bundle.length > maxBundleBytes)
            throw new GitReplicationError(
              `the change to ${key} is over ${maxBundleBytes} bytes and cannot be recorded for other replicas`,
            );
        } else if (!/empty bundle/i.test(made.stderr)) {
          throw new GitReplicationError(
            `git bundle create failed in ${path.basename(dir)}: ${made.stderr.trim().slice(0, 500)}`,
          );
        }
      } finally {
        await rm(file, { force: true });
      }
    }
    const seq = seen + 1;
    await db.insert(gitSnapshots).values({ repositoryKey: key, seq, refs, bundle, base });
    await writeFile(path.join(dir, seqFile), String(seq));
    if (base) await db.delete(gitSnapshots).where(and(eq(gitSnapshots.repositoryKey, key), lt(gitSnapshots.seq, seq)));
  }

  return {
    durable: true,
    refresh(key, dir, init) {
      return serialized(dir, async () => {
        await catchUp(key, dir, init);
        return existsSync(path.join(dir, 'HEAD'));
      });
    },
    update(key, dir, init, change) {
      return serialized(dir, () =>
        lock(`git:${key}`, async () => {
          const seen = await catchUp(key, dir, init);
          // Nothing durable yet: the change starts from an empty repository (a first mirror, a first commit).
          if (!existsSync(path.join(dir, 'HEAD'))) await init(dir);
          try {
            return await change();
          } finally {
            if (existsSync(path.join(dir, 'HEAD'))) await record(key, dir, seen);
          }
        }),
      );
    },
  };
}

/** Drops the durable copy of a repository that was deleted (its key may be reused by a new repository). */
export async function forgetReplicatedRepository(db: Db, key: string): Promise<void> {
  await db.execute(sql`DELETE FROM git_snapshots WHERE repository_key = ${key}`);
}
