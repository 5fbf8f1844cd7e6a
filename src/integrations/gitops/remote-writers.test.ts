// Two console replicas, each in its own process with its own local repository, commit to one external GitOps
// repository served over smart HTTP on loopback: every change of both reaches it, in a linear history, with no
// lost update and no force-push.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../test/support/process.ts';
import { createGitHttpHandler } from '../git/http-backend.ts';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } }).trim();
}

function writer(
  repository: string,
  url: string,
  name: string,
  count: number,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'test/support/gitops-writer.ts'), repository, url, name, String(count)],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

describe('external GitOps repository written by several replicas', () => {
  let work: string;
  let server: Server;
  let url: string;
  const tokens: string[] = [];

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'dso-remote-writers-'));
    const root = path.join(work, 'forge');
    git(work, 'init', '--quiet', '--bare', '-b', 'main', path.join(root, '_platform', 'gitops.git'));
    const handler = createGitHttpHandler({ root });
    server = createServer((req, res) => {
      tokens.push(String(req.headers.authorization ?? ''));
      void handler(req, res, async () => ({ allowed: true, user: 'gitops-writer' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/git/_platform/gitops.git`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    rmSync(work, { recursive: true, force: true });
  });

  it('keeps every change of two processes pushing at once, in a linear history', async () => {
    const perWriter = 8;
    const results = await Promise.all([writer(path.join(work, 'a.git'), url, 'a', perWriter), writer(path.join(work, 'b.git'), url, 'b', perWriter)]);
    for (const r of results) expect(r.stderr).toBe('');
    expect(results.map((r) => r.code)).toEqual([0, 0]);

    const clone = path.join(work, 'clone');
    git(work, 'clone', '--quiet', path.join(work, 'forge', '_platform', 'gitops.git'), clone);
    const files = git(clone, 'ls-files').split('\n');
    for (const name of ['a', 'b']) for (let i = 0; i < perWriter; i++) expect(files).toContain(`writers/${name}/${i}/change.yaml`);
    expect(git(clone, 'rev-list', '--count', 'HEAD')).toBe(String(2 * perWriter));
    expect(git(clone, 'rev-list', '--merges', 'HEAD')).toBe('');
    // The token reached the forge as HTTP Basic (never in a URL).
    expect(tokens.some((t) => t === `Basic ${Buffer.from('oauth2:writer-token').toString('base64')}`)).toBe(true);
  }, 120_000);
});
