// Repositories hosted by the platform and the branch a repository follows, end to end on real git: a team creates
// a hosted repository, sends the sample application of examples/premier-projet with `dso repos push` (a snapshot
// of a folder that is not a repository of its own), the push queues a run that certifies it, and the repository
// now says which branch it follows; a read-only member's push is refused. An external repository whose only branch
// is `tuto` (its HEAD) is followed on `tuto` without anyone typing it, and the branch can then be changed.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as reposCommand } from '../src/cli/repos.ts';
import { createPerson, createProject, type TestActor } from './support/api-fixtures.ts';
import { asActor, runCommand } from './support/cli.ts';
import { startExternalRepository, waitForRun, type ExternalRepository } from './support/chain.ts';
import { repoRoot } from './support/process.ts';
import { createTestSystem, type TestSystem } from './support/server.ts';
import { members } from '../src/db/schema.ts';

describe('hosted repositories and followed branches', () => {
  let system: TestSystem;
  let base: string;
  let owner: TestActor;
  let reader: TestActor;
  let projectId: string;
  let external: ExternalRepository;

  const call = async (actor: TestActor, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) => {
    const res = await system.app.inject({ method, url, headers: { authorization: actor.authorization!, 'accept-language': 'fr' }, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
  };
  /** The runs a push queued: the server queues them once git's answer is sent, so they may lag the push by a moment. */
  const queuedRuns = (repositoryId: string) =>
    vi.waitFor(async () => {
      const runs = await call(owner, 'GET', `/api/v1/projects/${projectId}/repositories/${repositoryId}/runs`);
      if (runs.body.items.length === 0) throw new Error(`no run queued for repository ${repositoryId}`);
      return runs;
    }, { timeout: 10_000, interval: 100 });
  const untilRepository = (id: string, ok: (r: any) => boolean) =>
    vi.waitFor(async () => {
      const r = await call(owner, 'GET', `/api/v1/repositories/${id}`);
      if (!ok(r.body)) throw new Error(`repository ${id} never reached the expected state: ${JSON.stringify(r.body)}`);
      return r.body;
    }, { timeout: 20_000, interval: 100 });

  beforeAll(async () => {
    external = await startExternalRepository({ 'README.md': '# tuto\n', 'hello.txt': 'bonjour\n' });
    // The tutorial's layout: its only branch is `tuto`, and its HEAD names it.
    const bare = execFileSync('git', ['remote', 'get-url', 'origin'], { cwd: external.work, encoding: 'utf8' }).trim();
    execFileSync('git', ['push', '--quiet', 'origin', 'HEAD:refs/heads/tuto'], { cwd: external.work });
    execFileSync('git', ['symbolic-ref', 'HEAD', 'refs/heads/tuto'], { cwd: bare });
    execFileSync('git', ['update-ref', '-d', 'refs/heads/main'], { cwd: bare });
    system = await createTestSystem('pglite', { DSO_GIT_ALLOWED_HOSTS: '127.0.0.1' });
    base = await system.listen();
    owner = await createPerson(system.services.db, 'owner');
    reader = await createPerson(system.services.db, 'reader');
    const project = await createProject(system.services.db, 'premier-projet', owner.userId!);
    projectId = project.id;
    await system.services.db.insert(members).values({ projectId, userId: reader.userId!, role: 'read-only' });
  }, 60_000);

  afterAll(async () => {
    await system?.stop();
    await external?.stop();
  });

  it('lets a person create a project naming themselves as owner, not someone else', async () => {
    const mine = await call(owner, 'POST', '/api/v1/projects', { slug: 'a-moi', name: 'À moi', ownerId: owner.userId });
    expect(mine.status).toBe(201);
    const theirs = await call(owner, 'POST', '/api/v1/projects', { slug: 'a-lui', name: 'À lui', ownerId: reader.userId });
    expect(theirs.status).toBe(403);
  });

  it('refuses a hosted repository with a URL, and an external one without', async () => {
    const withUrl = await call(owner, 'POST', '/api/v1/repositories', { projectId, name: 'x', source: 'hosted', externalUrl: 'https://forge.example/x.git' });
    expect(withUrl.status).toBe(400);
    expect(withUrl.body.errors.map((e: any) => e.field)).toContain('externalUrl');
    const withoutUrl = await call(owner, 'POST', '/api/v1/repositories', { projectId, name: 'y' });
    expect(withoutUrl.status).toBe(400);
  });

  it('takes the sample application with dso repos push, certifies it, and records the branch', async () => {
    const created = await call(owner, 'POST', '/api/v1/repositories', { projectId, name: 'bonjour', source: 'hosted' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ source: 'hosted', externalUrl: null, defaultBranch: null });
    await untilRepository(created.body.id, (r) => r.status === 'ready');

    const env = asActor(base, owner.authorization!, { DSO_LANG: 'fr' });
    const push = ['push', '--project', 'premier-projet', '--name', 'bonjour', '--dir', path.join(repoRoot, 'examples/premier-projet')];
    const pushed = await runCommand(reposCommand, push, env);
    expect(pushed.err).toBe('');
    expect(pushed.code).toBe(0);
    expect(pushed.out).toMatch(/Poussé sur .*\/git\/premier-projet\/bonjour\.git \(branche main/);

    const runs = await queuedRuns(created.body.id);
    expect(runs.body.items).toHaveLength(1);
    expect(runs.body.items[0]).toMatchObject({ ref: 'refs/heads/main', trigger: 'manual' });
    const run = await waitForRun((url) => call(owner, 'GET', url), runs.body.items[0].id, 120_000);
    expect({ status: run.status, blocking: run.verdict?.reasons.filter((r: any) => r.blocking) }).toEqual({ status: 'certified', blocking: [] });
    expect(Object.fromEntries(run.steps.map((s: any) => [s.name, s.status]))).toMatchObject({ sync: 'succeeded', tests: 'succeeded', gate: 'succeeded', certify: 'succeeded' });
    expect((await call(owner, 'GET', `/api/v1/repositories/${created.body.id}`)).body.defaultBranch).toBe('main');

    // Pushing again is a fast-forward on top of what the branch holds.
    const again = await runCommand(reposCommand, push, env);
    expect(again.err).toBe('');
    expect(again.code).toBe(0);
  }, 150_000);

  it('writes an infrastructure repository for the certified application with dso repos skeleton, which the chain certifies in turn', async () => {
    const env = asActor(base, owner.authorization!, { DSO_LANG: 'fr' });
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'dso-skeleton-')), 'infra');
    try {
      const skeleton = await runCommand(reposCommand, ['skeleton', '--project', 'premier-projet', '--application', 'bonjour', '--dir', dir], env);
      expect(skeleton.err).toBe('');
      expect(skeleton.code).toBe(0);
      const said = skeleton.out;
      expect(said).toContain('deploy/deployment.yaml');
      expect(said).toContain('Chemin de déploiement : deploy');
      // The image is the one the chain published for bonjour's certified revision, when an image was built here.
      const bonjour = (await call(owner, 'GET', `/api/v1/repositories?projectId=${projectId}`)).body.items.find((r: any) => r.name === 'bonjour');
      const certifiedRuns = (await call(owner, 'GET', `/api/v1/projects/${projectId}/repositories/${bonjour.id}/runs?status=certified`)).body.items;
      const withImage = certifiedRuns.find((r: any) => r.imageDigest);
      const deployment = readFileSync(path.join(dir, 'deploy/deployment.yaml'), 'utf8');
      if (withImage) expect(deployment).toContain(`/premier-projet/bonjour:sha-${withImage.commitSha}`);
      else expect(said).toMatch(/aucune révision certifiée de bonjour/);
      expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toMatch(/chemin de déploiement/i);
      // Never over an existing folder's files.
      const again = await runCommand(reposCommand, ['skeleton', '--project', 'premier-projet', '--application', 'bonjour', '--dir', dir], env);
      expect(again.code).not.toBe(0);
      expect(again.err).toMatch(/contient déjà/);

      // The zip form, and an application that does not exist.
      const zip = await system.app.inject({ url: `/api/v1/projects/${projectId}/infrastructure-skeleton?application=bonjour&format=zip`, headers: { authorization: owner.authorization! } });
      expect(zip.headers['content-type']).toBe('application/zip');
      expect(zip.rawPayload.subarray(0, 2).toString()).toBe('PK');
      expect((await call(owner, 'GET', `/api/v1/projects/${projectId}/infrastructure-skeleton?application=nulle-part`)).status).toBe(400);

      // Sent as the project's infrastructure repository, it passes the chain.
      const infra = await call(owner, 'POST', '/api/v1/repositories', { projectId, name: 'infrastructure', source: 'hosted', kind: 'infrastructure', deployPath: 'deploy' });
      expect(infra.status).toBe(201);
      await untilRepository(infra.body.id, (r) => r.status === 'ready');
      const pushed = await runCommand(reposCommand, ['push', '--project', 'premier-projet', '--name', 'infrastructure', '--dir', dir], env);
      expect(pushed.code, pushed.err).toBe(0);
      const runs = await queuedRuns(infra.body.id);
      const run = await waitForRun((url) => call(owner, 'GET', url), runs.body.items[0].id, 120_000);
      expect({ status: run.status, blocking: run.verdict?.reasons.filter((r: any) => r.blocking) }).toEqual({ status: 'certified', blocking: [] });
    } finally {
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  }, 150_000);

  it('refuses a push from a read-only member, and any push to a mirrored repository', async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'dso-push-'));
    try {
      execFileSync('git', ['init', '--quiet', '-b', 'main', work]);
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '--quiet', '--allow-empty', '-m', 'x'], { cwd: work });
      // Asynchronous: the server answering the push runs in this very process.
      const push = (actor: TestActor, repo: string) =>
        new Promise<string>((resolve) => {
          execFile('git', ['-c', `http.extraHeader=Authorization: ${actor.authorization}`, 'push', `${base}/git/premier-projet/${repo}.git`, 'HEAD:refs/heads/main'], { cwd: work, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: '/bin/false' } }, (error, _stdout, stderr) => resolve(error ? stderr : 'pushed'));
        });
      expect(await push(reader, 'bonjour')).toMatch(/403/);
      // A mirrored repository is written by the platform only, whoever asks.
      const mirrored = await call(owner, 'POST', '/api/v1/repositories', { projectId, name: 'miroir', externalUrl: external.url });
      await untilRepository(mirrored.body.id, (r) => r.status === 'ready');
      expect(await push(owner, 'miroir')).toMatch(/403/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('follows the remote HEAD of an external repository (branch tuto), and lets the team change the branch', async () => {
    const created = await call(owner, 'POST', '/api/v1/repositories', { projectId, name: 'tuto-java', externalUrl: external.url });
    expect(created.status).toBe(201);
    expect(created.body.defaultBranch).toBeNull();
    const started = await call(owner, 'POST', `/api/v1/projects/${projectId}/repositories/${created.body.id}/runs`, {});
    expect(started.status).toBe(202);
    const run = await waitForRun((url) => call(owner, 'GET', url), started.body.id, 120_000);
    expect(run.steps.find((s: any) => s.name === 'sync').status).toBe('succeeded');
    expect(run.commitSha).toBe(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: external.work, encoding: 'utf8' }).trim());
    expect((await call(owner, 'GET', `/api/v1/repositories/${created.body.id}`)).body.defaultBranch).toBe('tuto');

    const changed = await call(owner, 'PATCH', `/api/v1/repositories/${created.body.id}`, { defaultBranch: 'develop' });
    expect(changed.status).toBe(202);
    expect(changed.body.defaultBranch).toBe('develop');
    const back = await call(owner, 'PATCH', `/api/v1/repositories/${created.body.id}`, { defaultBranch: null });
    expect(back.body.defaultBranch).toBeNull();
  }, 150_000);
});
