import { runDso } from '../../test/support/cli.ts';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allRules } from '../checks/registry.ts';

const repo = join(import.meta.dirname, '../..');
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dso-cli-'));
  made.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

async function dso(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, out, err } = await runDso(['check', ...args], { cwd: repo, env: { ...process.env, NO_COLOR: '1', DSO_LANG: 'fr' } });
  return { code, stdout: out, stderr: err };
}

const token = ['ghp', 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A'].join('_');

describe('dso check', () => {
  const clean = tree({ 'src/app.ts': 'export const port = Number(process.env.PORT ?? 8080);\n' });
  const leaking = tree({ 'src/app.ts': `const t = "${token}";\n` });
  const out = join(leaking, 'out');
  const derogations = join(leaking, 'derogations.json');
  writeFileSync(derogations, JSON.stringify([{ id: 'd-1', requirement: 'EX47', scope: { ruleId: 'secrets.github-token' }, status: 'approved', expiresAt: '2999-01-01T00:00:00Z' }]));
  const badDerogations = join(leaking, 'bad.json');
  writeFileSync(badDerogations, JSON.stringify([{ id: 'd-2', requirement: 'EX47' }]));

  const withLock = tree({
    'package-lock.json': JSON.stringify({
      name: 'demo', version: '1.0.0', lockfileVersion: 3, requires: true,
      packages: { '': { name: 'demo', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } }, 'node_modules/left-pad': { version: '1.3.0' } },
    }),
  });
  const sbomFile = join(withLock, 'sbom.cdx.json');

  // The CLI runs are independent: start them together.
  const runs = Promise.all([
    dso(clean),
    dso(leaking, '--format', 'json', '--output', out),
    dso(leaking, '--derogations', derogations, '--format', 'sarif'),
    dso(),
    dso(clean, '--format', 'yaml'),
    dso(join(clean, 'missing')),
    dso(leaking, '--derogations', badDerogations),
    dso('--rules'),
    dso(leaking, '--baseline', join(leaking, 'src/app.ts')),
    dso(withLock, '--sbom', sbomFile, '--format', 'json'),
  ]);

  it('passes a clean tree: exit 0 and a readable verdict', async () => {
    const [ok] = await runs;
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Aucun constat.');
    expect(ok.stdout).toContain('Verdict : RÉUSSI');
  });

  it('fails on a secret: exit 1, JSON report, masked value, and --output writes the report files', async () => {
    const [, failing] = await runs;
    expect(failing.code).toBe(1);
    const report = JSON.parse(failing.stdout);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['tool', 'target', 'findings', 'summary', 'gate', 'notes']));
    expect(report.findings[0]).toMatchObject({ ruleId: 'secrets.github-token', requirements: ['EX47', 'EX58'], severity: 'critical', location: { file: 'src/app.ts', line: 1 } });
    expect(report.findings[0].fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(report.gate.verdict).toBe('fail');
    expect(failing.stdout).not.toContain(token);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).gate.verdict).toBe('fail');
    expect(JSON.parse(readFileSync(join(out, 'report.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(existsSync(join(out, 'report.sarif'))).toBe(true);
  });

  it('lets a derogation in force excuse the finding: exit 0', async () => {
    const [, , derogated] = await runs;
    expect(derogated.code).toBe(0);
    expect(JSON.parse(derogated.stdout).runs[0].properties.gate.excused).toHaveLength(1);
  });

  it('answers usage and I/O errors with exit 2 and a sentence', async () => {
    const [, , , noDir, badFormat, missing, badDerogation, , badBaseline] = await runs;
    expect(noDir.code).toBe(2);
    expect(noDir.stderr).toContain('indiquez un et un seul dossier à vérifier');
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toContain('format inconnu "yaml"');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/le dossier .*missing n'existe pas/);
    expect(badDerogation.code).toBe(2);
    expect(badDerogation.stderr).toContain('item 0 needs string fields id, requirement, status and expiresAt');
    expect(badBaseline.code).toBe(2);
    expect(badBaseline.stderr).toContain('impossible de lire la référence');
  });

  it('writes the CycloneDX SBOM of the dependency checker with --sbom and references it in the report', async () => {
    const [, , , , , , , , , withSbom] = await runs;
    expect(withSbom.stderr).toBe('');
    const sbom = JSON.parse(readFileSync(sbomFile, 'utf8'));
    expect(sbom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    expect(JSON.parse(withSbom.stdout).sbom).toMatchObject({ format: 'CycloneDX', specVersion: '1.6', components: sbom.components.length });
  });

  it('lists every rule with --rules, and every rule has its doc page', async () => {
    const [, , , , , , , rules] = await runs;
    expect(rules.code).toBe(0);
    for (const rule of allRules()) {
      expect(rules.stdout).toContain(rule.id);
      expect(existsSync(join(repo, 'docs/rules', `${rule.id}.md`)), `docs/rules/${rule.id}.md`).toBe(true);
    }
  });
});

describe('the --derogations file', () => {
  it('refuses an expiry without a time-zone offset, which would depend on the laptop it runs on', async () => {
    const { derogationsFrom } = await import('./check.ts');
    const base = { id: 'd-1', requirement: 'EX47', scope: {}, status: 'approved' };
    expect(derogationsFrom([{ ...base, expiresAt: '2027-01-01' }])).toMatch(/with an offset/);
    expect(derogationsFrom([{ ...base, expiresAt: '2027-01-01T00:00:00+01:00' }])).toEqual([{ ...base, expiresAt: '2027-01-01T00:00:00+01:00' }]);
  });
});
