import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cctV1 } from '../catalogue/cct-v1.ts';
import { syntheticFinding, syntheticProject } from '../catalogue/synthetic-project.ts';

const repo = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'dso-conformity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const commands: Record<string, () => Promise<{ run: (args: string[]) => Promise<number> }>> = {
  requirements: () => import('./requirements.ts'),
  conformity: () => import('./conformity.ts'),
  derogations: () => import('./derogations.ts'),
  dossier: () => import('./dossier.ts'),
};

/** Runs a sub-command in this process (fast), capturing what it writes. */
async function dso(name: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = { out: process.stdout.write, err: process.stderr.write };
  process.env.DSO_LANG = 'fr';
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    const code = await (await commands[name]!()).run(args);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = write.out;
    process.stderr.write = write.err;
  }
}

/** Runs the real `dso` binary, end to end. */
function dsoProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/dso.mjs', ...args], { cwd: repo, env: { ...process.env, DSO_LANG: 'fr' }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function factsFile(name: string, facts: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(facts));
  return path;
}

const at = '2026-11-29T12:00:00Z';
const clean = factsFile('clean.json', syntheticProject(cctV1, 1));
const failing = factsFile('failing.json', {
  ...syntheticProject(cctV1, 2, { findings: [syntheticFinding('containers.non-root-user', ['EX32'], 'root')] }),
  derogations: [{ id: 'd-1', requirement: 'EX32', scope: {}, status: 'approved', expiresAt: '2026-12-01T00:00:00+01:00' }],
});

describe('offline conformity commands', () => {
  it('dso requirements lists the catalogue, filters by level, and diffs versions', async () => {
    const all = await dso('requirements');
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('EX43  P  Flux usagers, services et administration séparés');
    const p = await dso('requirements', '--level', 'P', '--format', 'json');
    const parsed = JSON.parse(p.stdout) as { requirements: { level: string }[] };
    expect(parsed.requirements.every((r) => r.level === 'P')).toBe(true);
    expect((await dso('requirements', 'diff', '1.0.0', '1.0.0')).stdout).toContain('Aucune différence.');
    expect((await dso('requirements', 'diff', '1.0.0', '9.9.9')).code).toBe(2);
  });

  it('dso conformity exits 0 when P requirements hold, 1 when one does not, and reopens at the derogation end', async () => {
    expect((await dso('conformity', '--facts', clean, '--at', at)).code).toBe(0);
    const derogated = await dso('conformity', '--facts', failing, '--at', '2026-11-30T22:59:59Z');
    expect(derogated.code).toBe(0);
    expect(derogated.stdout).toMatch(/EX32 +P +Sous dérogation \(jusqu'au 2026-11-30T23:00:00.000Z\)/);
    const reopened = await dsoProcess('conformity', '--facts', failing, '--at', '2026-11-30T23:00:00Z');
    expect(reopened.code).toBe(1);
    expect(reopened.stdout).toContain('constat(s) ouvert(s)');
  });

  it('dso conformity refuses bad input with a sentence saying what to fix', async () => {
    const bad = factsFile('bad.json', { projectId: 'p', projectName: 'x', repositories: 'nope' });
    const result = await dso('conformity', '--facts', bad);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('repositories');
    expect((await dso('conformity', '--facts', clean, '--at', '2026-11-29')).code).toBe(2);
    expect((await dso('conformity', '--facts', join(dir, 'missing.json'))).stderr).toContain('Fichier introuvable');
  });

  it('dso dossier export writes HTML and OSCAL', async () => {
    const html = join(dir, 'dossier.html');
    expect((await dso('dossier', 'export', '--facts', failing, '--at', at, '--output', html)).code).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('Dossier d&#39;homologation');
    const oscal = await dso('dossier', 'export', '--facts', failing, '--at', at, '--format', 'oscal');
    expect(JSON.parse(oscal.stdout)['assessment-results'].results[0].findings).toHaveLength(58);
    const poam = await dso('dossier', 'export', '--facts', failing, '--at', at, '--format', 'oscal-poam', '--lang', 'en');
    expect(JSON.parse(poam.stdout)['plan-of-action-and-milestones']['poam-items'].length).toBeGreaterThan(0);
  });

  it('dso derogations validates a request and lists what is in force', async () => {
    const ok = await dso('derogations', 'validate', '--requirement', 'EX32', '--justification', 'Vendor image', '--expires-at', '2027-01-01T00:00:00+01:00', '--at', at);
    expect(ok.code).toBe(0);
    const ko = await dso('derogations', 'validate', '--requirement', 'EX99', '--expires-at', '2026-01-01T00:00:00Z', '--at', at);
    expect(ko.code).toBe(1);
    expect(ko.stderr).toContain("requirement: Cette exigence n'existe pas dans le catalogue.");
    expect(ko.stderr).toContain('justification: Une justification est obligatoire.');
    expect(ko.stderr).toContain('expiresAt: La date de fin doit être dans le futur.');
    const list = await dso('derogations', 'list', '--facts', failing, '--at', at);
    expect(list.stdout).toContain('d-1\tEX32\t*\ten vigueur\t2026-12-01T00:00:00+01:00');
  });
});
