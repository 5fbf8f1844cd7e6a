// Security suite, the test command's side: a hostile `.dso.yml` test command, run by the bubblewrap executor the
// chain uses, against a data folder laid out as the platform's (another project's mirror, the GitOps repository,
// another run's tree, the database folder). Every read, write, link escape and connection must fail; a fork loop is
// bounded; nothing of the run survives it. The same script run as a host process (DSO_SANDBOX=none) shows that the
// probes do detect a leak.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bubblewrapAvailable, bubblewrapExecutor } from '../../src/chain/sandbox/bubblewrap.ts';
import { hostProcessExecutor } from '../../src/chain/sandbox/host-process.ts';
import type { SandboxLimits } from '../../src/chain/sandbox/run-tests.ts';
import { countProbes, hostileScript, probeCount, type ProbeTargets } from './probes.ts';

const available = bubblewrapAvailable();
const skip = !available.ok && process.env.CI !== 'true';
if (skip) console.log(`SKIP security sandbox suite: ${available.ok ? '' : available.reason} (install bubblewrap: apt-get install bubblewrap)`);

const limits: SandboxLimits = { cpuSeconds: 30, wallSeconds: 60, memoryBytes: 4 * 1024 ** 3, outputBytes: 64 * 1024 };

function processesMatching(pattern: string): string {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

describe.skipIf(skip)('security: a hostile test command in the sandbox', () => {
  let root: string;
  let tree: string;
  let targets: ProbeTargets;
  let listener: Server;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'dso-security-'));
    const dataDir = path.join(root, 'data');
    const otherMirror = path.join(dataDir, 'git', 'projects', 'victim', 'app.git');
    const gitopsDir = path.join(dataDir, 'git', '_platform', 'gitops.git');
    const otherRunTree = path.join(dataDir, 'chain', 'work', '00000000-0000-4000-8000-000000000001', 'tree');
    for (const dir of [otherMirror, gitopsDir, otherRunTree, path.join(dataDir, 'pg')]) mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(otherMirror, 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(path.join(otherRunTree, 'secret.txt'), 'victim source\n');
    // Readable by anyone on the host: only the sandbox's mount namespace can hide them.
    execFileSync('chmod', ['-R', 'a+rX', root]);
    listener = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', () => resolve()));
    targets = {
      dataDir,
      otherMirrorFile: path.join(otherMirror, 'HEAD'),
      gitopsDir,
      otherRunTree,
      hostTmpMarker: path.join(tmpdir(), `dso-escape-${process.pid}-${Date.now()}`),
      platformPort: (listener.address() as { port: number }).port,
    };
    tree = path.join(root, 'tree');
    mkdirSync(tree);
    writeFileSync(path.join(tree, 'hostile.sh'), hostileScript(targets));
    symlinkSync(targets.otherMirrorFile, path.join(tree, 'link-to-mirror'));
    symlinkSync('/root', path.join(tree, 'link-to-root'));
  });

  afterAll(async () => {
    await new Promise((resolve) => listener?.close(resolve));
    rmSync(root, { recursive: true, force: true });
    if (targets) rmSync(targets.hostTmpMarker, { force: true });
  });

  it(`denies all ${probeCount} probes: reads of other projects, GitOps, data folder, other runs; writes outside; link escapes; the platform's port`, async () => {
    const r = await bubblewrapExecutor().run({ command: 'sh hostile.sh', tree, limits });
    try {
      const { denied, leaked } = countProbes(r.output);
      console.log(`security suite (sandbox): ${denied.length} probes denied, ${leaked.length} leaked of ${probeCount}${leaked.length ? `: ${leaked.join(', ')}` : ''}`);
      expect(r.output).toContain('probes done');
      expect(leaked).toEqual([]);
      expect(denied).toHaveLength(probeCount);
      // Nothing written on the host: not in its /tmp, not in the data folder.
      expect(existsSync(targets.hostTmpMarker)).toBe(false);
      expect(existsSync(path.join(targets.dataDir, 'escape'))).toBe(false);
      expect(r.isolation).toEqual({ sandbox: 'bubblewrap', filesystem: true, network: true, unprivilegedUser: true });
    } finally {
      await r.dispose();
    }
  });

  it('the same probes do detect a leak when the command runs as a host process (DSO_SANDBOX=none)', async () => {
    const r = await hostProcessExecutor.run({ command: 'sh hostile.sh', tree, limits });
    try {
      const { leaked } = countProbes(r.output);
      expect(leaked).toEqual(expect.arrayContaining(['read-other-project-mirror', 'read-gitops-repository', 'read-other-run-tree', 'committed-link-to-data']));
    } finally {
      await r.dispose();
      rmSync(targets.hostTmpMarker, { force: true });
    }
  });

  it('bounds a fork loop: the command cannot fork past its process limit, and nothing of it survives', async () => {
    const marker = `forkloop${process.pid}`;
    const r = await bubblewrapExecutor().run({
      command: `${marker}() { ${marker} | ${marker} & }; ${marker}; sleep 1; echo still-answering`,
      tree,
      limits: { ...limits, wallSeconds: 20, processes: 64 },
    });
    try {
      expect(r.output).toContain('Cannot fork');
      expect(r.output).toContain('still-answering');
      await expect.poll(() => processesMatching(marker)).toBe('');
    } finally {
      await r.dispose();
    }
  });

  it('gives every run its own /tmp: what one run leaves there, the next does not see', async () => {
    const first = await bubblewrapExecutor().run({ command: 'echo secret > /tmp/left-behind; ls /tmp', tree, limits });
    const second = await bubblewrapExecutor().run({ command: 'cat /tmp/left-behind', tree, limits });
    try {
      expect(first.outcome).toBe('passed');
      expect(second.outcome).toBe('failed');
      expect(second.output).toContain('No such file');
    } finally {
      await Promise.all([first.dispose(), second.dispose()]);
    }
  });
});
