// Populates the bench:accuracy corpus: each repository of bench/accuracy/corpus.json, checked out at its pinned
// commit, in a cache folder OUTSIDE this repository (their code is never committed here).
//
//   node --import tsx bench/accuracy/populate.ts <git-dir>...   (or: npm run bench:accuracy:populate -- <git-dir>...)
//
// Each argument is a git directory (bare or not) holding that repository's history, e.g. a mirror such as
// /work/.mirror/spring-projects+spring-petclinic/repo; its repository is recognised from the folder name
// (`owner+name`) or given explicitly as `owner/name=<git-dir>`. The tree of the pinned commit is written to
// $DSO_CORPUS/<name> (default /work/corpus/<name>), replacing what was there, with a `.corpus-commit` file naming the
// commit. Blobs absent from a partial mirror (large binaries) are skipped and counted: the checks never read them.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

interface CorpusEntry { name: string; repository: string; commit: string; kind: string }

export const corpusDir = process.env.DSO_CORPUS ?? '/work/corpus';
export const corpus: CorpusEntry[] = JSON.parse(readFileSync(join(import.meta.dirname, 'corpus.json'), 'utf8')) as CorpusEntry[];

/** Reads blobs through one `git cat-file --batch` process: fast for tens of thousands of files. */
async function extract(gitDir: string, commit: string, target: string): Promise<{ files: number; missing: number }> {
  const listing = spawnSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', '--full-tree', commit], { maxBuffer: 512 * 1024 * 1024 });
  if (listing.status !== 0) throw new Error(listing.stderr.toString().trim());
  const entries = listing.stdout.toString('utf8').split('\0').filter(Boolean).map((line) => {
    const [meta, path] = line.split('\t') as [string, string];
    const [mode, type, sha] = meta.split(' ') as [string, string, string];
    return { mode, type, sha, path };
  }).filter((e) => e.type === 'blob' && e.mode !== '120000'); // symbolic links and submodules are left out
  const cat = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buffer = Buffer.alloc(0);
  let index = 0;
  let files = 0;
  let missing = 0;
  const done = new Promise<void>((resolve, reject) => {
    cat.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const newline = buffer.indexOf(10);
        if (newline < 0) return;
        const header = buffer.subarray(0, newline).toString();
        const entry = entries[index];
        if (!entry) return;
        if (header.endsWith(' missing')) {
          missing++;
          index++;
          buffer = buffer.subarray(newline + 1);
          continue;
        }
        const size = Number(header.split(' ')[2]);
        if (buffer.length < newline + 1 + size + 1) return;
        const content = buffer.subarray(newline + 1, newline + 1 + size);
        const file = join(target, entry.path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, content, { mode: entry.mode === '100755' ? 0o755 : 0o644 });
        files++;
        index++;
        buffer = buffer.subarray(newline + 1 + size + 1);
      }
    });
    cat.on('close', () => resolve());
    cat.on('error', reject);
  });
  for (const e of entries) cat.stdin.write(`${e.sha}\n`);
  cat.stdin.end();
  await done;
  return { files, missing };
}

async function main(args: string[]): Promise<number> {
  if (args.length === 0) {
    process.stderr.write('usage: populate.ts <git-dir>... (see the header of bench/accuracy/populate.ts)\n');
    return 2;
  }
  for (const arg of args) {
    const [repository, gitDir] = arg.includes('=') ? (arg.split('=', 2) as [string, string]) : [basename(dirname(arg)).replace('+', '/'), arg];
    const entry = corpus.find((c) => c.repository.toLowerCase() === repository.toLowerCase());
    if (!entry) {
      process.stderr.write(`${repository}: not in bench/accuracy/corpus.json, skipped\n`);
      continue;
    }
    const target = join(corpusDir, entry.name);
    rmSync(`${target}.tmp`, { recursive: true, force: true });
    mkdirSync(`${target}.tmp`, { recursive: true });
    try {
      const { files, missing } = await extract(gitDir, entry.commit, `${target}.tmp`);
      writeFileSync(join(`${target}.tmp`, '.corpus-commit'), `${entry.repository} ${entry.commit}\n`);
      rmSync(target, { recursive: true, force: true });
      renameSync(`${target}.tmp`, target);
      process.stdout.write(`${entry.name}: ${entry.repository}@${entry.commit.slice(0, 12)} → ${target} (${files} files${missing ? `, ${missing} absent from the mirror` : ''})\n`);
    } catch (error) {
      rmSync(`${target}.tmp`, { recursive: true, force: true });
      process.stderr.write(`${entry.repository}: ${(error as Error).message}, skipped\n`);
    }
  }
  return 0;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) process.exitCode = await main(process.argv.slice(2));
