// Security suite against the real server (`dso start`, as `npm start` runs it): a team pushes a hostile test command
// that tries to read another project's mirror, the GitOps repository, the data folder and another run's working tree
// (a run of the other project, sleeping in its tests at that moment), and to write outside its sandbox. Every probe
// must fail. Then the server is killed with SIGKILL while that other run's test sleeps: no process of the run may
// survive it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bubblewrapAvailable } from '../../src/chain/sandbox/bubblewrap.ts';
import { mirrorPath, runWorkDir } from '../../src/chain/paths.ts';
import { openDatabase } from '../../src/db/client.ts';
import { repositories } from '../../src/db/schema.ts';
import { seedReferenceData } from '../../src/db/seed.ts';
import { createPerson, createProject, type TestActor } from '../support/api-fixtures.ts';
import { startExternalRepository, terminal, type ExternalRepository } from '../support/chain.ts';
import { freePort, startConsole, waitForReady, type StartedConsole } from '../support/process.ts';
import { countProbes, hostileScript, probeCount } from './probes.ts';

const available = bubblewrapAvailable();
const skip = !available.ok && process.env.CI !== 'true';
if (skip) console.log(`SKIP security server suite: ${available.ok ? '' : available.reason} (install bubblewrap: apt-get install bubblewrap)`);

function processesMatching(pattern: string): string {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

describe.skipIf(skip)('security: runs cannot see each other, and die with the server', () => {
  const marker = `dso-sleeper-${process.pid}-${Date.now()}`;
  let victim: ExternalRepository;
  let sleeper: ExternalRepository;
  let hostile: ExternalRepository;
  let dataDir: string;
  let server: StartedConsole | undefined;
  let owner: TestActor;
  let port: number;
  const runsUrl: Record<'victim' | 'sleeper' | 'hostile', string> = { victim: '', sleeper: '', hostile: '' };

  const api = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${server!.baseUrl}${url}`, {
      method,
      headers: { authorization: owner.authorization!, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // text (logs)
    }
    return { status: res.status, body: parsed };
  };
  const waitFor = (id: string, done: (run: any) => boolean, timeoutMs = 90_000) =>
    vi.waitFor(async () => {
      const run = (await api('GET', `/api/v1/runs/${id}`)).body;
      if (!done(run)) throw new Error(`run ${id} still ${run.status} at ${run.currentStep}`);
      return run;
    }, { timeout: timeoutMs, interval: 250 });

  beforeAll(async () => {
    victim = await startExternalRepository({ 'README.md': 'victim\n', '.dso.yml': 'version: 1\ntest:\n  command: echo ok\n' });
    sleeper = await startExternalRepository({ 'README.md': 'sleeper\n', '.dso.yml': `version: 1\ntest:\n  command: sleep 300 && echo ${marker}\n` });
    hostile = await startExternalRepository({ 'README.md': 'hostile\n' });
    dataDir = fs.mkdtempSync(path.join(tmpdir(), 'dso-security-server-'));
    port = await freePort();
    const database = await openDatabase({ dataDir });
    await seedReferenceData(database.db);
    owner = await createPerson(database.db, 'owner');
    const victimProject = await createProject(database.db, 'victim', owner.userId!);
    const hostileProject = await createProject(database.db, 'hostile', owner.userId!);
    const insert = async (projectId: string, name: string, externalUrl: string) => {
      const [repo] = await database.db.insert(repositories).values({ projectId, name, externalUrl }).returning();
      return `/api/v1/projects/${projectId}/repositories/${repo!.id}/runs`;
    };
    runsUrl.victim = await insert(victimProject.id, 'app', victim.url);
    runsUrl.sleeper = await insert(victimProject.id, 'sleeper', sleeper.url);
    runsUrl.hostile = await insert(hostileProject.id, 'app', hostile.url);
    await database.close();
    server = startConsole({
      DSO_DATA_DIR: dataDir,
      PORT: String(port),
      DSO_PUBLIC_URL: `http://127.0.0.1:${port}`,
      DSO_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
      DSO_LOG_LEVEL: 'warn',
      DSO_WEB_DIR: path.join(dataDir, 'no-web'),
      DSO_GIT_ALLOWED_HOSTS: '127.0.0.1',
      DSO_RUN_CONCURRENCY: '3',
    });
    await waitForReady(server, 60_000);
  }, 120_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    await Promise.all([victim?.stop(), sleeper?.stop(), hostile?.stop()]);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a hostile test command reads nothing of another project, the GitOps repository, the data folder or another run; kill -9 of the server leaves no process of a run', async () => {
    // The victim's mirror exists on the host: the probes aim at real files.
    const victimRun = (await api('POST', runsUrl.victim, { ref: 'main' })).body;
    await waitFor(victimRun.id, (r) => terminal.has(r.status));
    const victimHead = path.join(mirrorPath(dataDir, 'victim', 'app'), 'HEAD');
    expect(fs.existsSync(victimHead)).toBe(true);

    // Another run of the victim project, sleeping in its tests while the hostile one runs.
    const sleeping = (await api('POST', runsUrl.sleeper, { ref: 'main' })).body;
    await waitFor(sleeping.id, (r) => r.currentStep === 'tests' || terminal.has(r.status));
    await expect.poll(() => processesMatching(marker), { timeout: 30_000, interval: 200 }).not.toBe('');
    expect(fs.existsSync(runWorkDir(dataDir, sleeping.id))).toBe(true);

    const hostTmpMarker = path.join(tmpdir(), `dso-escape-${marker}`);
    hostile.commit({
      'hostile.sh': hostileScript({
        dataDir,
        otherMirrorFile: victimHead,
        gitopsDir: path.join(dataDir, 'git', '_platform', 'gitops.git'),
        otherRunTree: runWorkDir(dataDir, sleeping.id),
        hostTmpMarker,
        platformPort: port,
      }),
      '.dso.yml': 'version: 1\ntest:\n  command: sh hostile.sh\n',
    });
    const hostileRun = (await api('POST', runsUrl.hostile, { ref: 'main' })).body;
    const finished = await waitFor(hostileRun.id, (r) => terminal.has(r.status));
    const logs = (await api('GET', `/api/v1/runs/${hostileRun.id}/logs`)).body as string;
    const { denied, leaked } = countProbes(logs);
    console.log(`security suite (server): ${denied.length} probes denied, ${leaked.length} leaked of ${probeCount}; hostile run ${finished.status}`);
    expect(logs).toContain('probes done');
    expect(leaked).toEqual([]);
    expect(denied).toHaveLength(probeCount);
    expect(fs.existsSync(hostTmpMarker)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'escape'))).toBe(false);

    // kill -9 of the server while the other run's test still sleeps.
    expect(processesMatching(marker)).not.toBe('');
    server!.child.kill('SIGKILL');
    await server!.exited;
    await expect.poll(() => processesMatching(marker), { timeout: 5_000, interval: 100 }).toBe('');
  }, 240_000);
});
