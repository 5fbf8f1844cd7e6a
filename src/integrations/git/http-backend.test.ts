import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHttpHandler, parseCgiHeaders, type GitAccess } from './http-backend.ts';
import { createMirror, syncMirror } from './mirror.ts';
import { parseGitUrl, targetPath } from './repository-path.ts';
import { commitFiles, git, initWorkRepo } from './test-repo.ts';

function gitAsync(cwd: string, ...args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } },
      (error, _stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}

// Members read with "reader:secret"; only the platform ("platform:push") writes.
const access: GitAccess = async (req, target, operation) => {
  const header = req.headers.authorization ?? '';
  const [user, password] = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString().split(':');
  if (!header) return { allowed: false, reason: 'unauthenticated' };
  if (target.kind === 'gitops' && user !== 'platform') return { allowed: false, reason: 'not-found' };
  if (user === 'platform' && password === 'push') return { allowed: true, user };
  if (user === 'reader' && password === 'secret') {
    return operation === 'read' ? { allowed: true, user } : { allowed: false, reason: 'forbidden' };
  }
  return { allowed: false, reason: 'unauthenticated' };
};

let tmp: string;
let root: string;
let server: Server;
let base: string;
let firstCommit: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'dso-git-http-'));
  root = path.join(tmp, 'git');
  const work = path.join(tmp, 'work');
  initWorkRepo(work);
  firstCommit = commitFiles(work, { 'README.md': '# api\n' }, 'first');
  const mirror = targetPath(root, { kind: 'repository', projectSlug: 'web', repositoryName: 'api' });
  const synced = await syncMirror(mirror, { url: `file://${work}`, policy: { schemes: ['file'] } });
  expect(synced.ok).toBe(true);
  await createMirror(targetPath(root, { kind: 'gitops' }));
  const handler = createGitHttpHandler({ root, maxRequestBytes: 1024 * 1024 });
  server = createServer((req, res) => void handler(req, res, access));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(tmp, { recursive: true, force: true });
});

describe('internal git over smart HTTP', () => {
  it('lets a member clone and fetch a mirrored repository', async () => {
    const dest = path.join(tmp, 'clone');
    const clone = await gitAsync(tmp, 'clone', '--quiet', `http://reader:secret@${base.slice(7)}/git/web/api.git`, dest);
    expect(clone.stderr).toBe('');
    expect(clone.code).toBe(0);
    expect(git(dest, 'rev-parse', 'HEAD')).toBe(firstCommit);
    const fetch = await gitAsync(dest, 'fetch', '--quiet', 'origin');
    expect(fetch.code).toBe(0);
  });

  it('refuses a push from a member with 403', async () => {
    const dest = path.join(tmp, 'clone-push');
    await gitAsync(tmp, 'clone', '--quiet', `http://reader:secret@${base.slice(7)}/git/web/api.git`, dest);
    commitFiles(dest, { 'evil.txt': 'x' }, 'unauthorised');
    const push = await gitAsync(dest, 'push', 'origin', 'HEAD:main');
    expect(push.code).not.toBe(0);
    expect(push.stderr).toMatch(/403/);
    const res = await fetch(`${base}/git/web/api.git/info/refs?service=git-receive-pack`, {
      headers: { authorization: `Basic ${Buffer.from('reader:secret').toString('base64')}` },
    });
    expect(res.status).toBe(403);
  });

  it('lets the platform push to the GitOps repository', async () => {
    const work = path.join(tmp, 'gitops-work');
    initWorkRepo(work);
    const sha = commitFiles(work, { 'apps/web.yaml': 'kind: Application\n' }, 'desired state');
    const push = await gitAsync(work, 'push', '--quiet', `http://platform:push@${base.slice(7)}/git/_platform/gitops.git`, 'HEAD:main');
    expect(push.stderr).toBe('');
    expect(push.code).toBe(0);
    expect(git(targetPath(root, { kind: 'gitops' }), 'rev-parse', 'main')).toBe(sha);
  });

  it('asks for credentials, and hides the GitOps repository from members', async () => {
    const anonymous = await fetch(`${base}/git/web/api.git/info/refs?service=git-upload-pack`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic/);
    const member = await fetch(`${base}/git/_platform/gitops.git/info/refs?service=git-upload-pack`, {
      headers: { authorization: `Basic ${Buffer.from('reader:secret').toString('base64')}` },
    });
    expect(member.status).toBe(404);
  });

  it('accepts a gzip request body (as git sends large negotiations)', async () => {
    const want = `0032want ${firstCommit}\n00000009done\n`;
    const res = await fetch(`${base}/git/web/api.git/git-upload-pack`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('reader:secret').toString('base64')}`,
        'content-type': 'application/x-git-upload-pack-request',
        'content-encoding': 'gzip',
      },
      body: gzipSync(want),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-git-upload-pack-result');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.includes(Buffer.from('PACK'))).toBe(true);
  });

  it('refuses oversized bodies and traversal attempts', async () => {
    const auth = { authorization: `Basic ${Buffer.from('reader:secret').toString('base64')}` };
    const big = await fetch(`${base}/git/web/api.git/git-upload-pack`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/x-git-upload-pack-request', 'content-encoding': 'gzip' },
      body: gzipSync(Buffer.alloc(4 * 1024 * 1024, 'a')),
    });
    expect(big.status).toBe(413);
    for (const p of ['/git/../etc.git/info/refs', '/git/web/..%2F..%2Fetc.git/info/refs', '/git/Web/api.git/info/refs', '/git/web/api.git/objects/info/packs']) {
      const res = await fetch(`${base}${p}?service=git-upload-pack`, { headers: auth });
      expect(res.status, p).toBe(404);
    }
    expect(parseGitUrl('/git/web/a%2e%2e.git/info/refs')).toBeNull();
  });
});

describe('hostile clients', () => {
  it('answers promptly a request whose body git refuses to read', async () => {
    const started = Date.now();
    const res = await fetch(`${base}/git/web/api.git/git-upload-pack`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('reader:secret').toString('base64')}`, 'content-type': 'application/x-git-upload-pack-request' },
      body: Buffer.alloc(512 * 1024, 'z'),
    }).catch(() => null);
    if (res) await res.arrayBuffer().catch(() => {});
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('CGI headers', () => {
  it('takes the HTTP status from the Status header', () => {
    expect(parseCgiHeaders('Status: 403 Forbidden\r\nContent-Type: text/plain')).toEqual({
      status: 403,
      headers: { 'Content-Type': 'text/plain' },
    });
  });
});
