import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkout } from './checkout.ts';
import { syncMirror } from './mirror.ts';
import { commitFiles, git, initWorkRepo } from './test-repo.ts';

let tmp: string;
let work: string;
let mirror: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'dso-checkout-'));
  work = path.join(tmp, 'team');
  mirror = path.join(tmp, 'mirror.git');
  initWorkRepo(work);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function publish(): Promise<string> {
  const sha = git(work, 'rev-parse', 'HEAD');
  const r = await syncMirror(mirror, { url: `file://${work}`, policy: { schemes: ['file'] } });
  expect(r.ok).toBe(true);
  return sha;
}

describe('checking out a revision for the chain', () => {
  it('writes the exact tree, hidden-by-attributes files included', async () => {
    const sha = commitFiles(work, { 'src/app.js': 'ok', '.gitattributes': 'secret.env export-ignore\n', 'secret.env': 'TOKEN=x' });
    await publish();
    const dir = path.join(tmp, 'co-plain');
    const r = await checkout(mirror, sha, dir);
    expect(r).toMatchObject({ ok: true, value: { commit: sha, files: 3 } });
    expect(readFileSync(path.join(dir, 'src/app.js'), 'utf8')).toBe('ok');
    expect(readFileSync(path.join(dir, 'secret.env'), 'utf8')).toBe('TOKEN=x');
  });

  it('keeps symbolic links pointing out of the tree as links, never as the files they name', async () => {
    symlinkSync('/etc/passwd', path.join(work, 'passwd'));
    symlinkSync('../../../../outside', path.join(work, 'escape'));
    const sha = commitFiles(work, {}, 'hostile links');
    await publish();
    const dir = path.join(tmp, 'co-links');
    const r = await checkout(mirror, 'main', dir);
    expect(r).toMatchObject({ ok: true, value: { commit: sha, symlinks: 2 } });
    expect(lstatSync(path.join(dir, 'passwd')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(dir, 'passwd'))).toBe('/etc/passwd');
    expect(lstatSync(path.join(dir, 'escape')).isSymbolicLink()).toBe(true);
  });

  it('refuses a tree with an enormous file before writing anything', async () => {
    writeFileSync(path.join(work, 'big.bin'), Buffer.alloc(3 * 1024 * 1024, 1));
    const sha = commitFiles(work, {}, 'big');
    await publish();
    const dir = path.join(tmp, 'co-big');
    const r = await checkout(mirror, sha, dir, { maxBytes: 2 * 1024 * 1024 });
    expect(r).toMatchObject({ ok: false, failure: { kind: 'too-large', retryable: false } });
    if (!r.ok) expect(r.failure.message.en).toMatch(/big\.bin/);
    expect(() => lstatSync(dir)).toThrow();
  });

  it('refuses a tree with too many files', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`many/f${i}.txt`] = String(i);
    const sha = commitFiles(work, files, 'many');
    await publish();
    const r = await checkout(mirror, sha, path.join(tmp, 'co-many'), { maxFiles: 250 });
    expect(r).toMatchObject({ ok: false, failure: { kind: 'too-large' } });
    if (!r.ok) expect(r.failure.message.fr).toMatch(/plus de 250 fichiers/);
  });

  it('rejects unknown and option-like revisions', async () => {
    expect(await checkout(mirror, 'deadbeef'.repeat(5), path.join(tmp, 'co-x'))).toMatchObject({ ok: false, failure: { kind: 'unknown-revision' } });
    expect(await checkout(mirror, '--output=/tmp/pwned', path.join(tmp, 'co-y'))).toMatchObject({ ok: false, failure: { kind: 'unknown-revision' } });
  });
});
