// End to end, like a new user: `npm start` on an empty data folder, log in through the built-in identity
// provider with a scripted browser, meet the usage policy, create a project, an environment and a repository,
// and watch them become Ready. Then the operational promises: one process per data folder, SIGTERM < 10 s.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ScriptedBrowser } from './support/browser.ts';
import { runDso } from './support/cli.ts';
import { demoPasswords, freePort, startConsole, waitForReady, type StartedConsole } from './support/process.ts';

const adminToken = 'e2e-admin-token-0123456789abcdefghij';

function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
  lastSeen?: unknown,
): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await probe();
      if (value === undefined) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(lastSeen)}`);
      return value;
    },
    { timeout: timeoutMs, interval: 200 },
  );
}

describe('dso start, end to end', () => {
  let dataDir: string;
  let started: StartedConsole;
  let port: number;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dso-e2e-'));
    port = await freePort();
    started = startConsole({
      PORT: String(port),
      DSO_DATA_DIR: dataDir,
      DSO_PUBLIC_URL: `http://127.0.0.1:${port}`,
      DSO_ADMIN_TOKEN: adminToken,
      DSO_LOG_LEVEL: 'info',
      // The repository below points at this machine (nothing is fetched before the first run); the SSRF guard
      // refuses loopback addresses unless allow-listed, as an administrator would for an internal forge.
      DSO_GIT_ALLOWED_HOSTS: '127.0.0.1',
    });
    await waitForReady(started, 110_000);
  }, 120_000);

  afterAll(async () => {
    if (started.child.exitCode === null) {
      started.child.kill('SIGKILL');
      await started.exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the demo passwords once, and never a password or token in the JSON logs', () => {
    const passwords = demoPasswords(started.stderr());
    expect(Object.keys(passwords).sort()).toEqual(['admin', 'dev', 'owner', 'rssi']);
    for (const password of Object.values(passwords)) expect(started.stdout()).not.toContain(password);
    expect(started.stdout()).not.toContain(adminToken);
  });

  it('logs in through the built-in provider, requires the usage policy, then provisions a project to Ready', async () => {
    const passwords = demoPasswords(started.stderr());
    const browser = new ScriptedBrowser(started.baseUrl);
    const landing = await browser.loginWithBuiltinProvider('owner', passwords.owner!);
    expect(landing.response.status).toBe(200);
    expect(new URL(landing.url).pathname).toBe('/');
    expect(browser.jar.get('dso_session')).toBeTruthy();

    const me = await browser.api('GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.displayName).toBe('Propriétaire Projet');

    const slug = `e2e-${Date.now().toString(36)}`;
    const refused = await browser.api('POST', '/api/v1/projects', { slug, name: 'Projet E2E' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused.body.type).toMatch(/usage-policy-required$/);

    const policy = await browser.api('GET', '/api/v1/me/usage-policy');
    expect(policy.status).toBe(200);
    const version = policy.body.version ?? policy.body.policy?.version ?? policy.body.current?.version;
    expect(typeof version).toBe('number');
    const accepted = await browser.api('POST', '/api/v1/me/usage-policy', { version });
    expect([200, 201, 204]).toContain(accepted.status);

    const project = await browser.api('POST', '/api/v1/projects', { slug, name: 'Projet E2E' });
    expect(project.status).toBe(201);
    expect(project.body.status).toBe('pending');

    // Reference data (stages, clusters) as the platform sees it; the bootstrap token acts as automation.
    const admin = { authorization: `Bearer ${adminToken}`, accept: 'application/json' };
    const stages = (await (await fetch(`${started.baseUrl}/api/v1/admin/stages`, { headers: admin })).json()) as { items: { id: string; slug: string }[] };
    const clusters = (await (await fetch(`${started.baseUrl}/api/v1/admin/clusters`, { headers: admin })).json()) as { items: { id: string }[] };
    const devStage = stages.items.find((s) => s.slug === 'dev') ?? stages.items[0];
    expect(devStage).toBeDefined();
    expect(clusters.items.length).toBeGreaterThan(0);

    const environment = await browser.api('POST', '/api/v1/environments', {
      projectId: project.body.id,
      name: 'dev',
      stageId: devStage!.id,
      clusterId: clusters.items[0]!.id,
      cpuMillicores: 1000,
      memoryMiB: 1024,
    });
    expect(environment.status).toBe(201);
    expect(environment.body.status).toBe('pending');

    const repository = await browser.api('POST', '/api/v1/repositories', {
      projectId: project.body.id,
      name: 'api',
      externalUrl: 'http://127.0.0.1:9/equipe/api.git',
      credentials: { username: 'ci', token: 'glpat-e2e-secret-value' },
    });
    expect(repository.status).toBe(201);
    expect(JSON.stringify(repository.body)).not.toContain('glpat-e2e-secret-value');

    const lastSeen: Record<string, unknown> = {};
    const readyOf = async (url: string) => {
      const res = await browser.api('GET', url);
      lastSeen[url] = { status: res.body?.status, conditions: res.body?.conditions };
      return res.body?.status === 'ready' ? res.body : undefined;
    };
    const readyProject = await until('project Ready', () => readyOf(`/api/v1/projects/${project.body.id}`), 30_000, lastSeen);
    const readyEnv = await until('environment Ready', () => readyOf(`/api/v1/environments/${environment.body.id}`), 30_000, lastSeen);
    const readyRepo = await until('repository Ready', () => readyOf(`/api/v1/repositories/${repository.body.id}`), 30_000, lastSeen);
    for (const resource of [readyProject, readyEnv, readyRepo]) {
      expect(resource.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True' }));
    }
    expect(started.stdout()).not.toContain('glpat-e2e-secret-value');
    expect(started.stdout()).not.toContain(browser.jar.get('dso_session'));
  });

  it('dso login: the browser flow hands a fresh personal access token to the CLI, saved 0600', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dso-e2e-home-'));
    let cliErr = '';
    const cli = runDso(['login', '--url', started.baseUrl, '--no-browser'], {
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') },
      onStderr: (soFar) => (cliErr = soFar),
    });
    const loginUrl = await until('the CLI login URL', async () => /(http:\/\/\S+\/auth\/cli\?\S+)/.exec(cliErr)?.[1], 60_000);

    const browser = new ScriptedBrowser(started.baseUrl);
    // Not logged in yet: the page sends the browser through the login, then back to the confirmation.
    const passwords = demoPasswords(started.stderr());
    const first = await browser.request(loginUrl);
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toMatch(/^\/auth\/login\?returnTo=/);
    const confirmation = await browser.loginWithBuiltinProvider('dev', passwords.dev!, first.headers.get('location')!);
    expect(new URL(confirmation.url).pathname).toBe('/auth/cli');
    const page = await confirmation.response.text();
    expect(page).toContain('Autoriser');
    const port = /name="port" value="(\d+)"/.exec(page)![1]!;
    const state = /name="state" value="([^"]+)"/.exec(page)![1]!;
    const challenge = /name="code_challenge" value="([^"]+)"/.exec(page)![1]!;
    // Without the session cookie (what a cross-site POST gets under SameSite=Lax) nothing is minted.
    const anonymous = await fetch(`${started.baseUrl}/auth/cli`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ port, state, code_challenge: challenge }).toString(), redirect: 'manual' });
    expect(anonymous.status).toBe(401);
    const handedOver = await browser.navigate(`${started.baseUrl}/auth/cli`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ port, state, code_challenge: challenge }).toString(),
    });
    expect(handedOver.response.status).toBe(200);
    const loggedIn = await cli;
    expect(loggedIn.code, loggedIn.err).toBe(0);
    expect(loggedIn.out).toContain('Développeur');
    const file = path.join(home, '.config', 'dso', 'credentials.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { url: string; token: string };
    expect(saved.url).toBe(started.baseUrl);
    expect(saved.token).toMatch(/^dso_pat_/);
    const me = await fetch(`${started.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${saved.token}` } });
    expect(me.status).toBe(200);
    expect(started.stdout()).not.toContain(saved.token);
    fs.rmSync(home, { recursive: true, force: true });
  }, 90_000);

  it('refuses a second process on the same data folder with a clear message', async () => {
    const second = startConsole({ PORT: String(await freePort()), DSO_DATA_DIR: dataDir, DSO_LOG_LEVEL: 'silent' });
    const code = await second.exited;
    expect(code).toBe(1);
    expect(second.stderr()).toContain('already used by another DSO π process');
    expect(second.stderr()).toContain(String(started.child.pid));
  }, 60_000);

  it('stops within 10 s on SIGTERM, and the data folder is free again', async () => {
    const t0 = performance.now();
    started.child.kill('SIGTERM');
    const code = await started.exited;
    const elapsed = performance.now() - t0;
    expect(code).toBe(0);
    expect(elapsed).toBeLessThan(10_000);
    expect(fs.existsSync(path.join(dataDir, 'dso.lock'))).toBe(false);
  }, 20_000);
});
