// npm run bench:first-certified — how long a newcomer waits from a fresh clone to the first certified revision,
// by the README's « Premier projet » path: clone, install (build), `npm start` on an empty data folder, sign in as
// `owner` through the built-in provider, accept the usage policy, create `premier-projet` and its hosted repository
// `bonjour`, push examples/premier-projet with `dso repos push`, wait for « Certifiée ». People's reading and
// typing time is not counted: each step runs as soon as the previous one answers (the browser journey in
// test/ui-premier-projet.test.ts proves the same path through the screens).
//
// Install: without network access to every package, `npm ci` cannot run here; by default the clone gets this
// checkout's node_modules as hard links (seconds) and `npm run prepare` (the build `npm install` runs: console,
// bundle, renderers). With BENCH_NPM_INSTALL=1, `npm ci` runs instead (needs the npm registry). Target: first
// certified revision within 5 minutes of the clone, install excluded (README: "about five minutes").
// Each phase is printed with the load average: on a shared machine, read the figures with it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { ScriptedBrowser } from '../test/support/browser.ts';
import { demoPasswords, freePort, repoRoot } from '../test/support/process.ts';

const phases: { phase: string; seconds: number; load: number }[] = [];
async function phase<T>(name: string, work: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  const result = await work();
  phases.push({ phase: name, seconds: (performance.now() - t0) / 1000, load: loadavg()[0]! });
  console.error(`  ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return result;
}

const root = mkdtempSync(path.join(tmpdir(), 'dso-first-certified-'));
const clone = path.join(root, 'dso');
const dataDir = path.join(root, 'data');
const configHome = path.join(root, 'config');
let server: ReturnType<typeof spawn> | undefined;

try {
  await phase('git clone', () => execFileSync('git', ['clone', '--quiet', '--no-hardlinks', repoRoot, clone]));
  await phase(process.env.BENCH_NPM_INSTALL === '1' ? 'npm ci (and its prepare build)' : 'install (node_modules hard links) + npm run prepare', () => {
    if (process.env.BENCH_NPM_INSTALL === '1') execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: clone, stdio: 'inherit' });
    else {
      execFileSync('cp', ['-al', path.join(repoRoot, 'node_modules'), path.join(clone, 'node_modules')]);
      execFileSync('npm', ['run', '-s', 'prepare'], { cwd: clone, stdio: ['ignore', 'ignore', 'inherit'] });
    }
  });

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let stderr = '';
  await phase('npm start → ready', async () => {
    // Its own process group: npm, the shell and the server are stopped together at the end.
    server = spawn('npm', ['start'], { cwd: clone, detached: true, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), DSO_DATA_DIR: dataDir, DSO_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'] });
    server.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    for (;;) {
      if (server.exitCode !== null) throw new Error(`npm start exited:\n${stderr}`);
      const ready = await fetch(`${base}/readyz`).then((r) => r.status === 200, () => false);
      if (ready) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  const browser = new ScriptedBrowser(base);
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await browser.api(method, url, body);
    if (res.status >= 300) throw new Error(`${method} ${url}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const certified = await phase('README steps 2–6 (sign in → push → « Certifiée »)', async () => {
    const password = demoPasswords(stderr).owner;
    if (!password) throw new Error(`no demo password printed:\n${stderr}`);
    await browser.loginWithBuiltinProvider('owner', password);
    const policy = await call('GET', '/api/v1/me/usage-policy');
    if (policy.required && !policy.accepted) await call('POST', '/api/v1/me/usage-policy', { version: policy.policy.version });
    const project = await call('POST', '/api/v1/projects', { name: 'Premier projet', slug: 'premier-projet' });
    const repository = await call('POST', '/api/v1/repositories', { projectId: project.id, name: 'bonjour', source: 'hosted', kind: 'infrastructure', deployPath: 'deploy' });
    // As on screen: the repository is « Prêt » (its hosted copy exists) before anyone pushes to it.
    while ((await call('GET', `/api/v1/repositories/${repository.id}`)).status !== 'ready') await new Promise((r) => setTimeout(r, 100));
    const token = await call('POST', '/api/v1/me/tokens', { name: 'bench', expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    const pushed = spawnSync(process.execPath, ['bin/dso.mjs', 'repos', 'push', '--project', 'premier-projet', '--name', 'bonjour', '--dir', 'examples/premier-projet'], {
      cwd: clone,
      env: { PATH: process.env.PATH ?? '', HOME: configHome, XDG_CONFIG_HOME: configHome, DSO_URL: base, DSO_TOKEN: token.token },
      encoding: 'utf8',
    });
    if (pushed.status !== 0) throw new Error(`dso repos push failed:\n${pushed.stderr}`);
    for (;;) {
      const runs = await call('GET', `/api/v1/projects/${project.id}/repositories/${repository.id}/runs`);
      const run = runs.items[0];
      if (run && ['certified', 'rejected', 'failed', 'cancelled'].includes(run.status)) return run as { status: string; commitSha: string };
      await new Promise((r) => setTimeout(r, 250));
    }
  });
  if (certified.status !== 'certified') throw new Error(`the sample's run ended ${certified.status}, not certified`);

  const total = phases.reduce((sum, p) => sum + p.seconds, 0);
  const withoutInstall = total - phases[1]!.seconds;
  console.log('\nclone → first certified revision (README « Premier projet »)');
  for (const p of phases) console.log(`  ${p.phase.padEnd(56)} ${p.seconds.toFixed(1).padStart(7)} s   (load ${p.load.toFixed(1)})`);
  console.log(`  ${'total'.padEnd(56)} ${total.toFixed(1).padStart(7)} s`);
  console.log(`  ${'total without the install'.padEnd(56)} ${withoutInstall.toFixed(1).padStart(7)} s   (target ≤ 300 s)`);
  console.log(`  certified revision ${certified.commitSha.slice(0, 12)}`);
} finally {
  if (server?.pid && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    process.kill(-server.pid, 'SIGTERM');
    await exited;
  }
  rmSync(root, { recursive: true, force: true });
}
