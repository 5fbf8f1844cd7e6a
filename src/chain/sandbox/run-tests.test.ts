import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bubblewrapAvailable, bubblewrapExecutor } from './bubblewrap.ts';
import { hostIsolationAvailable, hostProcessExecutor } from './host-process.ts';
import type { SandboxLimits, SandboxRequest, TestExecutor } from './run-tests.ts';

function processesMatching(pattern: string): string {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8' });
  } catch {
    return ''; // pgrep exits 1 when nothing matches
  }
}

const limits: SandboxLimits = { cpuSeconds: 10, wallSeconds: 20, memoryBytes: 1024 ** 3, outputBytes: 64 * 1024 };
let tree: string;
beforeAll(() => {
  tree = mkdtempSync(path.join(tmpdir(), 'dso-tree-'));
  writeFileSync(path.join(tree, 'test.sh'), 'echo "tests: 3 passed"\n');
  symlinkSync('/etc/hostname', path.join(tree, 'link'));
});
afterAll(() => rmSync(tree, { recursive: true, force: true }));

const bwrap = bubblewrapAvailable();
if (!bwrap.ok) console.log(`bubblewrap sandbox suites skipped: ${bwrap.reason} (install it with: apt-get install bubblewrap)`);
const executors: [string, TestExecutor, boolean][] = [
  ['bubblewrap', bubblewrapExecutor(), bwrap.ok || process.env.CI === 'true'],
  ['a host process (DSO_SANDBOX=none)', hostProcessExecutor, true],
];

describe.each(executors.filter(([, , on]) => on))('running a repository test command in %s', (kind, executor) => {
  const runSandboxed = (request: SandboxRequest) => executor.run(request);
  const namespaces = kind === 'bubblewrap' || hostIsolationAvailable().network;
  const nobody = kind === 'bubblewrap' || hostIsolationAvailable().user;

  it('reports exit code, duration and output of a passing command on its own copy', async () => {
    const r = await runSandboxed({ command: 'sh test.sh && rm -f test.sh link && echo changed > new.txt', tree, limits });
    expect(r).toMatchObject({ outcome: 'passed', exitCode: 0, outputTruncated: false });
    expect(r.output).toBe('tests: 3 passed\n');
    expect(r.durationMs).toBeGreaterThan(0);
    expect(readFileSync(path.join(r.workDir, 'new.txt'), 'utf8')).toBe('changed\n');
    expect(existsSync(path.join(tree, 'test.sh'))).toBe(true); // the original tree is untouched
    await r.dispose();
    expect(existsSync(r.workDir)).toBe(false);
  });

  it('reports a failing command with its exit code', async () => {
    const r = await runSandboxed({ command: 'echo "1 failed" >&2; exit 3', tree, limits });
    expect(r).toMatchObject({ outcome: 'failed', exitCode: 3, output: '1 failed\n' });
    await r.dispose();
  });

  it('never passes platform secrets, only PATH, HOME, LANG, CI and declared variables', async () => {
    process.env.DSO_ENCRYPTION_KEY = 'platform-secret-value';
    process.env.DATABASE_URL = 'postgres://admin:pw@db/dso';
    try {
      const r = await runSandboxed({
        command: 'env | sort',
        tree,
        limits,
        env: { NODE_ENV: 'test', DSO_TOKEN: 'x', LD_PRELOAD: '/tmp/evil.so', 'BAD NAME': 'x' },
      });
      const names = r.output.trim().split('\n').map((l: string) => l.split('=')[0]!);
      expect(names.filter((n: string) => n !== 'PWD' && n !== 'SHLVL' && n !== '_').sort()).toEqual(['CI', 'HOME', 'LANG', 'NODE_ENV', 'PATH', 'TMPDIR']);
      expect(r.output).not.toContain('platform-secret-value');
      expect(r.output).toContain('CI=true');
      await r.dispose();
    } finally {
      delete process.env.DSO_ENCRYPTION_KEY;
      delete process.env.DATABASE_URL;
    }
  });

  it('stops a CPU loop at its CPU-time limit', async () => {
    // A wall limit far away: on a shared, busy machine one CPU-second can take many seconds of wall time, and it is
    // the CPU limit that must stop the loop.
    const r = await runSandboxed({ command: 'while :; do :; done', tree, limits: { ...limits, cpuSeconds: 1, wallSeconds: 50 } });
    expect(r.outcome).toBe('cpu-time-exceeded');
    await r.dispose();
  });

  it('kills the whole process group at the wall-time limit', async () => {
    const r = await runSandboxed({ command: 'sleep 62 & sleep 60', tree, limits: { ...limits, wallSeconds: 1 } });
    expect(r.outcome).toBe('wall-time-exceeded');
    expect(r.durationMs).toBeLessThan(15_000); // 1 s, plus what a busy machine adds; far from the 60 s asked
    await expect.poll(() => processesMatching('^sleep 62$')).toBe('');
    await r.dispose();
  });

  it('reports a command killed by a signal', async () => {
    const r = await runSandboxed({ command: 'kill -9 $$', tree, limits });
    expect(r).toMatchObject({ outcome: 'killed', signal: 'SIGKILL', exitCode: null });
    await r.dispose();
  });

  it('caps the output and keeps its tail', async () => {
    const r = await runSandboxed({ command: 'yes | head -c 2000000; echo; echo LAST LINE', tree, limits: { ...limits, outputBytes: 1000 } });
    expect(r.outputTruncated).toBe(true);
    expect(r.outputBytes).toBe(2000000 + 1 + 10);
    expect(r.output.endsWith('LAST LINE\n')).toBe(true);
    expect(r.output.length).toBeLessThan(1200);
    await r.dispose();
  });

  it('limits memory', async () => {
    const r = await runSandboxed({ command: 'awk \'BEGIN { s = "x"; while (1) s = s s }\'', tree, limits: { ...limits, memoryBytes: 64 * 1024 * 1024 } });
    expect(r.outcome).not.toBe('passed');
    expect(r.durationMs).toBeLessThan(10_000);
    await r.dispose();
  });

  it.skipIf(!namespaces)('leaves no process behind, even one that left the process group', async () => {
    const r = await runSandboxed({ command: 'setsid sleep 61 & sleep 60', tree, limits: { ...limits, wallSeconds: 1 } });
    expect(r.outcome).toBe('wall-time-exceeded');
    await expect.poll(() => processesMatching('^sleep 61$')).toBe('');
    await r.dispose();
  });

  it.skipIf(!nobody)('runs as an unprivileged user without network', async () => {
    const r = await runSandboxed({ command: 'id -u; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "; ls /proc | grep -c "^[0-9]"', tree, limits });
    // Few processes visible: only the sandbox's own (its /proc is private).
    const [uid, iface, processes] = r.output.split('\n');
    expect([uid, iface]).toEqual(['65534', 'lo']);
    expect(Number(processes)).toBeLessThan(10);
    expect(r.isolation).toEqual({ sandbox: executor.kind, filesystem: kind === 'bubblewrap', network: true, unprivilegedUser: true });
    await r.dispose();
  });
});
