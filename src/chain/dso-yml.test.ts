import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_PLATFORM_LIMITS, loadDsoYml, parseDsoYml } from './dso-yml.ts';

describe('.dso.yml', () => {
  it('reads the test command, reports, variables, limits and image build', () => {
    const r = parseDsoYml(`
version: 1
test:
  command: npm ci && npm test
  reports:
    - reports/junit.xml
    - { path: ./out/results.sarif, format: sarif }
  env: { NODE_ENV: test, RETRIES: 2 }
  limits: { cpuSeconds: 120, wallSeconds: 300, memoryMiB: 2048, outputKiB: 512 }
image:
  file: deploy/Containerfile
  context: app
`);
    expect(r).toEqual({
      ok: true,
      warnings: [],
      config: {
        version: 1,
        test: {
          command: 'npm ci && npm test',
          reports: [
            { path: 'reports/junit.xml', format: 'junit' },
            { path: 'out/results.sarif', format: 'sarif' },
          ],
          env: { NODE_ENV: 'test', RETRIES: '2' },
          limits: { cpuSeconds: 120, wallSeconds: 300, memoryBytes: 2048 * 1024 ** 2, outputBytes: 512 * 1024 },
        },
        image: { file: 'deploy/Containerfile', context: 'app' },
      },
    });
  });

  it('accepts the coverage formats the chain reads (lcov, Cobertura, JaCoCo) and refuses unknown ones', () => {
    const r = parseDsoYml('version: 1\ntest:\n  command: make test\n  reports:\n    - { path: coverage/lcov.info, format: lcov }\n    - { path: target/site/jacoco/jacoco.xml, format: jacoco }\n    - { path: coverage.xml, format: cobertura }\n');
    expect(r.ok && r.config.test?.reports.map((x) => x.format)).toEqual(['lcov', 'jacoco', 'cobertura']);
    const unknown = parseDsoYml('version: 1\ntest:\n  command: make test\n  reports:\n    - { path: out.trx, format: trx }\n');
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.errors[0]).toMatchObject({ path: 'test.reports[0].format' });
  });

  it('clamps absurd limits to the platform maxima and says so', () => {
    const r = parseDsoYml('version: 1\ntest:\n  command: make test\n  limits: { cpuSeconds: 99999999, memoryMiB: 1000000 }\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.test?.limits.memoryBytes).toBe(DEFAULT_PLATFORM_LIMITS.max.memoryBytes);
    // Never more CPU than wall time.
    expect(r.config.test?.limits.cpuSeconds).toBe(DEFAULT_PLATFORM_LIMITS.defaults.wallSeconds);
    expect(r.warnings.map((w) => w.path)).toEqual(['test.limits.cpuSeconds', 'test.limits.memoryMiB']);
    expect(r.warnings[0]!.fr).toMatch(/ramenée au maximum/);
  });

  it('refuses paths leaving the repository, reserved variables and nonsensical limits', () => {
    const r = parseDsoYml(`
version: 1
test:
  command: x
  reports: [../../etc/passwd, /abs/path]
  env: { PATH: /tmp/evil, DSO_SECRET: x }
  limits: { cpuSeconds: -1, wallSeconds: 1.5 }
image: { file: ../Dockerfile }
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toEqual([
      'test.reports[0].path',
      'test.reports[1].path',
      'test.env.PATH',
      'test.env.DSO_SECRET',
      'test.limits.cpuSeconds',
      'test.limits.wallSeconds',
      'image.file',
    ]);
  });

  it('bounds hostile YAML: alias bombs, huge files, wrong shapes', () => {
    const bomb = ['version: 1', 'a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 12; i++) bomb.push(`${'b'.repeat(i + 1)}: &${'b'.repeat(i + 1)} [${Array(9).fill(i === 0 ? '*a' : `*${'b'.repeat(i)}`).join(', ')}]`);
    expect(parseDsoYml(bomb.join('\n')).ok).toBe(false);
    expect(parseDsoYml(`version: 1\n# ${'x'.repeat(70_000)}`)).toMatchObject({ ok: false, errors: [{ en: expect.stringMatching(/larger than/) }] });
    expect(parseDsoYml('- a\n- b')).toMatchObject({ ok: false });
    expect(parseDsoYml('version: 1\nversion: 2')).toMatchObject({ ok: false });
    expect(parseDsoYml('version: 1\ntest: { command: "" }')).toMatchObject({ ok: false, errors: [{ path: 'test.command' }] });
  });

  it('works without a file: no tests, image from Dockerfile', () => {
    expect(parseDsoYml(null)).toMatchObject({ ok: true, config: { version: 1, image: { file: 'Dockerfile', context: '.' } } });
  });

  it('is read from a checkout without following links', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dso-yml-'));
    try {
      expect(await loadDsoYml(dir)).toMatchObject({ ok: true, config: { image: { file: 'Dockerfile' } } });
      writeFileSync(path.join(dir, '.dso.yml'), 'version: 1\ntest: { command: make check }\n');
      expect(await loadDsoYml(dir)).toMatchObject({ ok: true, config: { test: { command: 'make check' } } });
      rmSync(path.join(dir, '.dso.yml'));
      symlinkSync('/etc/passwd', path.join(dir, '.dso.yml'));
      expect(await loadDsoYml(dir)).toMatchObject({ ok: false, errors: [{ en: '.dso.yml must not be a symbolic link.' }] });
      rmSync(path.join(dir, '.dso.yml'));
      mkdirSync(path.join(dir, '.dso.yml'));
      expect(await loadDsoYml(dir)).toMatchObject({ ok: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
