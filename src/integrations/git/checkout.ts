import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gitFailure } from './git-failure.ts';
import type { Result } from './mirror.ts';
import { runGit } from './run-git.ts';

/**
 * Exports one revision of a mirror into a fresh working folder for the chain. The tree is
 * measured before anything is written, so a hostile repository (huge files, hundreds of
 * thousands of files) is refused without filling the disk. Symbolic links are written as
 * links, exactly as committed; consumers must use lstat and never follow them.
 */
export interface CheckoutLimits {
  /** Sum of file sizes (default 1 GiB). */
  maxBytes?: number;
  /** Number of entries (default 200,000). */
  maxFiles?: number;
  /** Largest single file (default: maxBytes). */
  maxFileBytes?: number;
}

export interface CheckoutResult {
  commit: string;
  files: number;
  bytes: number;
  symlinks: number;
}

const REVISION = /^(?!-)[A-Za-z0-9._/^~-]{1,255}$/;

export async function resolveRevision(mirrorDir: string, revision: string): Promise<Result<string>> {
  if (!REVISION.test(revision)) return { ok: false, failure: gitFailure('unknown-revision') };
  const r = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], {
    cwd: mirrorDir,
    timeoutMs: 30_000,
  });
  const sha = r.stdout.trim();
  if (r.code !== 0 || !/^[0-9a-f]{40,64}$/.test(sha)) return { ok: false, failure: gitFailure('unknown-revision', r.stderr) };
  return { ok: true, value: sha };
}

export async function checkout(
  mirrorDir: string,
  revision: string,
  dir: string,
  limits: CheckoutLimits = {},
): Promise<Result<CheckoutResult>> {
  const maxBytes = limits.maxBytes ?? 1024 ** 3;
  const maxFiles = limits.maxFiles ?? 200_000;
  const maxFileBytes = limits.maxFileBytes ?? maxBytes;

  const resolved = await resolveRevision(mirrorDir, revision);
  if (!resolved.ok) return resolved;
  const commit = resolved.value;

  // Measure first. Each -z entry is "<mode> <type> <object> <size>\t<path>\0".
  const listing = await runGit(['ls-tree', '-r', '-l', '-z', '--full-tree', commit], {
    cwd: mirrorDir,
    timeoutMs: 120_000,
    maxStdoutBytes: Math.min(maxFiles * 600, 256 * 1024 * 1024),
  });
  if (listing.code !== 0 || listing.timedOut) return { ok: false, failure: gitFailure(listing.timedOut ? 'timeout' : 'git-error', listing.stderr) };
  let files = 0;
  let bytes = 0;
  let symlinks = 0;
  for (const entry of listing.stdout.split('\0')) {
    if (!entry) continue;
    const tab = entry.indexOf('\t');
    const [mode, type, , size] = entry.slice(0, tab).split(/\s+/);
    if (type !== 'blob') continue; // submodules (commit entries) are not checked out
    files += 1;
    if (mode === '120000') symlinks += 1;
    const n = Number(size);
    bytes += n;
    if (files > maxFiles) return { ok: false, failure: tooLarge(`plus de ${maxFiles} fichiers`, `more than ${maxFiles} files`) };
    if (n > maxFileBytes) {
      const name = entry.slice(tab + 1, tab + 200);
      return { ok: false, failure: tooLarge(`le fichier « ${name} » fait ${n} octets`, `file "${name}" is ${n} bytes`) };
    }
    if (bytes > maxBytes) return { ok: false, failure: tooLarge(`plus de ${maxBytes} octets`, `more than ${maxBytes} bytes`) };
  }

  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) throw new Error(`checkout folder is not empty: ${dir}`);
  // A private index, so the mirror is never touched. read-tree + checkout-index (not git
  // archive) so `export-ignore` attributes cannot hide files from the checks.
  const scratch = await mkdtemp(path.join(tmpdir(), 'dso-index-'));
  try {
    const env = { GIT_INDEX_FILE: path.join(scratch, 'index'), GIT_DIR: path.resolve(mirrorDir), GIT_WORK_TREE: path.resolve(dir) };
    const config = { 'core.bare': 'false', 'core.symlinks': 'true', 'core.autocrlf': 'false', 'filter.lfs.smudge': '', 'filter.lfs.process': '' };
    const read = await runGit(['read-tree', commit], { cwd: dir, env, config, timeoutMs: 300_000 });
    if (read.code !== 0) return { ok: false, failure: gitFailure('git-error', read.stderr) };
    const write = await runGit(['checkout-index', '--all', '--force'], { cwd: dir, env, config, timeoutMs: 600_000 });
    if (write.code !== 0 || write.timedOut) {
      return { ok: false, failure: gitFailure(write.timedOut ? 'timeout' : 'git-error', write.stderr) };
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return { ok: true, value: { commit, files, bytes, symlinks } };
}

function tooLarge(fr: string, en: string) {
  return gitFailure('too-large', undefined, {
    fr: `Le dépôt dépasse les limites de la plateforme : ${fr}.`,
    en: `The repository exceeds the platform limits: ${en}.`,
  });
}
