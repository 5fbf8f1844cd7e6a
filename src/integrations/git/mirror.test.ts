import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHttpHandler } from './http-backend.ts';
import { createMirror, receivedRevisions, syncMirror } from './mirror.ts';
import { checkRemoteUrl } from './remote-url.ts';
import { commitFiles, git, initWorkRepo } from './test-repo.ts';

const TOKEN = 'glpat-Sup3rSecretT0ken-xyz';
let tmp: string;
let server: Server;
let base: string;
/** Every command line seen on the machine while the external server was being asked. */
const commandLinesSeen: string[] = [];

function allCommandLines(): string[] {
  const lines: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      lines.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      /* process ended */
    }
  }
  return lines;
}

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'dso-mirror-'));
  // A separate "external forge": our handler over an independent root, protected by a token.
  const forgeRoot = path.join(tmp, 'forge');
  const external = path.join(forgeRoot, 'projects', 'team', 'app.git');
  await createMirror(external);
  const work = path.join(tmp, 'forge-work');
  initWorkRepo(work);
  commitFiles(work, { 'a.txt': 'a' });
  git(work, 'push', '--quiet', external, 'HEAD:main');
  const handler = createGitHttpHandler({ root: forgeRoot });
  server = createServer((req, res) => {
    void handler(req, res, async (request) => {
      commandLinesSeen.push(...allCommandLines());
      const [, password] = Buffer.from((request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
      if (!request.headers.authorization) return { allowed: false, reason: 'unauthenticated' };
      return password === TOKEN ? { allowed: true, user: 'ci' } : { allowed: false, reason: 'unauthenticated' };
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(tmp, { recursive: true, force: true });
});

const localPolicy = { schemes: ['http' as const, 'file' as const], allowList: ['127.0.0.1'] };

describe('mirroring an external repository', () => {
  it('keeps a force-pushed-away revision reachable in the internal mirror', async () => {
    const work = path.join(tmp, 'team');
    initWorkRepo(work);
    const first = commitFiles(work, { 'app.js': 'v1' }, 'v1');
    const mirror = path.join(tmp, 'internal', 'force.git');
    const one = await syncMirror(mirror, { url: `file://${work}`, policy: localPolicy });
    expect(one).toMatchObject({ ok: true, value: { heads: { main: first }, newlyReceived: [first] } });

    git(work, 'reset', '--quiet', '--hard', 'HEAD');
    git(work, 'commit', '--quiet', '--amend', '-m', 'rewritten');
    const rewritten = git(work, 'rev-parse', 'HEAD');
    const two = await syncMirror(mirror, { url: `file://${work}`, policy: localPolicy });
    expect(two.ok && two.value.heads.main).toBe(rewritten);
    expect(await receivedRevisions(mirror)).toEqual(new Set([first, rewritten]));
    git(mirror, 'gc', '--quiet', '--prune=now');
    expect(git(mirror, 'cat-file', '-t', first)).toBe('commit');
  });

  it('serialises concurrent syncs of one mirror', async () => {
    const work = path.join(tmp, 'concurrent');
    initWorkRepo(work);
    const sha = commitFiles(work, { c: '1' });
    const mirror = path.join(tmp, 'internal', 'concurrent.git');
    const results = await Promise.all(Array.from({ length: 5 }, () => syncMirror(mirror, { url: `file://${work}`, policy: localPolicy })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await receivedRevisions(mirror)).toEqual(new Set([sha]));
  });

  it('stops a sync that downloads more than allowed', async () => {
    // A slow link (about 4 MB/s) in front of the forge, so the download is seen while it runs.
    const work = path.join(tmp, 'huge');
    initWorkRepo(work);
    writeFileSync(path.join(work, 'noise.bin'), randomBytes(3 * 1024 * 1024));
    commitFiles(work, {}, 'incompressible');
    git(work, 'push', '--quiet', path.join(tmp, 'forge', 'projects', 'team', 'app.git'), 'HEAD:refs/heads/huge');
    const forgePort = Number(new URL(base).port);
    const slow = createNetServer((client) => {
      const upstream = connect(forgePort, '127.0.0.1');
      client.pipe(upstream);
      upstream.on('data', (chunk: Buffer) => {
        upstream.pause();
        client.write(chunk);
        setTimeout(() => upstream.resume(), Math.ceil(chunk.length / 4096));
      });
      upstream.on('end', () => client.end());
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    try {
      const mirror = path.join(tmp, 'internal', 'huge.git');
      const r = await syncMirror(mirror, {
        url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}/git/team/app.git`,
        branch: 'huge',
        credentials: { kind: 'token', token: TOKEN },
        policy: localPolicy,
        maxFetchBytes: 256 * 1024,
      });
      expect(r).toMatchObject({ ok: false, failure: { kind: 'too-large', retryable: false } });
      expect(await receivedRevisions(mirror)).toEqual(new Set());
    } finally {
      await new Promise((r) => slow.close(r));
    }
  });

  it('syncs one branch only when asked', async () => {
    const work = path.join(tmp, 'branches');
    initWorkRepo(work);
    commitFiles(work, { x: '1' });
    git(work, 'branch', 'feature');
    const mirror = path.join(tmp, 'internal', 'one-branch.git');
    const r = await syncMirror(mirror, { url: `file://${work}`, branch: 'feature', policy: localPolicy });
    expect(r.ok && Object.keys(r.value.heads)).toEqual(['feature']);
    expect(git(mirror, 'for-each-ref', '--format=%(refname)', 'refs/heads/')).toBe('refs/heads/feature');
    const bad = await syncMirror(mirror, { url: `file://${work}`, branch: '--upload-pack=touch /tmp/x', policy: localPolicy });
    expect(bad.ok).toBe(false);
  });

  it('authenticates with a token that never appears in argv or the mirror config', async () => {
    const mirror = path.join(tmp, 'internal', 'private.git');
    const r = await syncMirror(mirror, {
      url: `${base}/git/team/app.git`,
      credentials: { kind: 'token', username: 'ci', token: TOKEN },
      policy: localPolicy,
    });
    expect(r.ok).toBe(true);
    expect(commandLinesSeen.length).toBeGreaterThan(0);
    expect(commandLinesSeen.some((l) => l.includes(`${base}/git/team/app.git`))).toBe(true); // git was running
    expect(commandLinesSeen.filter((l) => l.includes(TOKEN))).toEqual([]);
    expect(readFileSync(path.join(mirror, 'config'), 'utf8')).not.toContain(TOKEN);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('dso-cred-'))).toEqual([]);
  });

  it('connects to the address the SSRF guard approved, and follows no redirect', async () => {
    const port = new URL(base).port;
    const mirror = path.join(tmp, 'internal', 'pinned.git');
    // "forge.invalid" cannot resolve: only the pinned, approved address lets git reach the forge.
    const pinned = await syncMirror(mirror, {
      url: `http://forge.invalid:${port}/git/team/app.git`,
      credentials: { kind: 'token', token: TOKEN },
      policy: { ...localPolicy, resolve: async () => ['127.0.0.1'] },
    });
    expect(pinned.ok).toBe(true);
    const redirector = createServer((_req, res) => {
      res.writeHead(302, { location: `${base}/git/team/app.git/info/refs?service=git-upload-pack` });
      res.end();
    });
    await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', r));
    const redirected = await syncMirror(path.join(tmp, 'internal', 'redirected.git'), {
      url: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/elsewhere.git`,
      credentials: { kind: 'token', token: TOKEN },
      policy: localPolicy,
    });
    await new Promise((r) => redirector.close(r));
    expect(redirected.ok).toBe(false);
  });

  it('explains failures in words a team can act on', async () => {
    const mirror = path.join(tmp, 'internal', 'failures.git');
    const wrong = await syncMirror(mirror, { url: `${base}/git/team/app.git`, credentials: { kind: 'token', token: 'nope' }, policy: localPolicy });
    expect(wrong).toMatchObject({ ok: false, failure: { kind: 'authentication-failed', retryable: false } });
    const missing = await syncMirror(mirror, { url: `${base}/git/team/missing.git`, credentials: { kind: 'token', token: TOKEN }, policy: localPolicy });
    expect(missing).toMatchObject({ ok: false, failure: { kind: 'not-a-repository' } });
    const notGit = await syncMirror(mirror, { url: `file://${tmp}`, policy: localPolicy });
    expect(notGit).toMatchObject({ ok: false, failure: { kind: 'not-a-repository' } });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const unreachable = await syncMirror(mirror, { url: `http://127.0.0.1:${port}/x.git`, policy: localPolicy });
    expect(unreachable).toMatchObject({ ok: false, failure: { kind: 'unreachable', retryable: true } });
    if (!unreachable.ok) expect(unreachable.failure.message.fr).toMatch(/injoignable/);
    const refused = await syncMirror(mirror, { url: `file://${tmp}`, policy: { schemes: ['https'] } });
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'refused-url' } });
  });
});

describe('SSRF guard on repository URLs', () => {
  it('refuses loopback, link-local and metadata addresses unless allow-listed', async () => {
    for (const url of [
      'https://127.0.0.1/x.git',
      'https://localhost/x.git',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/x.git',
      'https://[fd00:ec2::254]/x.git',
      'https://[::ffff:127.0.0.1]/x.git',
      'https://0.0.0.0/x.git',
      'git@127.0.0.1:team/x.git',
    ]) {
      const r = await checkRemoteUrl(url);
      expect(r.ok, url).toBe(false);
    }
    const rebound = await checkRemoteUrl('https://forge.example.test/x.git', { resolve: async () => ['10.0.0.5', '169.254.169.254'] });
    expect(rebound).toMatchObject({ ok: false, reason: 'forbidden-address' });
    expect(await checkRemoteUrl('https://127.0.0.1/x.git', { allowList: ['127.0.0.1'] })).toMatchObject({ ok: true });
    expect(await checkRemoteUrl('https://forge.internal/x.git', { resolve: async () => ['10.1.2.3'] })).toMatchObject({ ok: true });
    expect(await checkRemoteUrl('https://user:tok@forge.internal/x.git')).toMatchObject({ ok: false, reason: 'credentials-in-url' });
    expect(await checkRemoteUrl('file:///etc')).toMatchObject({ ok: false, reason: 'unsupported-scheme' });
    expect(await checkRemoteUrl('-uhttps://x')).toMatchObject({ ok: false, reason: 'invalid-url' });
  });
});
