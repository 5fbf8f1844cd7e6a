import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cctV1 } from '../catalogue/cct-v1.ts';
import { syntheticFinding, syntheticProject } from '../catalogue/synthetic-project.ts';
import { runCommand, runDso, type CliCommand } from '../../test/support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'dso-conformity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const commands: Record<string, () => Promise<{ run: CliCommand }>> = {
  requirements: () => import('./requirements.ts'),
  conformity: () => import('./conformity.ts'),
  derogations: () => import('./derogations.ts'),
  dossier: () => import('./dossier.ts'),
};

/** A sub-command run in this process (fast), in French. */
const dso = async (name: string, ...args: string[]) => runCommand((await commands[name]!()).run, args, { DSO_LANG: 'fr' });

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
    expect(all.out).toContain('EX43  P  Flux usagers, services et administration séparés');
    const p = await dso('requirements', '--level', 'P', '--format', 'json');
    const parsed = JSON.parse(p.out) as { requirements: { level: string }[] };
    expect(parsed.requirements.every((r) => r.level === 'P')).toBe(true);
    expect((await dso('requirements', 'diff', '1.0.0', '1.0.0')).out).toContain('Aucune différence.');
    expect((await dso('requirements', 'diff', '1.0.0', '9.9.9')).code).toBe(2);
  });

  it('dso conformity exits 0 when P requirements hold, 1 when one does not, and reopens at the derogation end', async () => {
    expect((await dso('conformity', '--facts', clean, '--at', at)).code).toBe(0);
    const derogated = await dso('conformity', '--facts', failing, '--at', '2026-11-30T22:59:59Z');
    expect(derogated.code).toBe(0);
    expect(derogated.out).toMatch(/EX32 +P +Sous dérogation \(jusqu'au 2026-11-30T23:00:00.000Z\)/);
    const reopened = await runDso(['conformity', '--facts', failing, '--at', '2026-11-30T23:00:00Z'], { env: { ...process.env, DSO_LANG: 'fr' } });
    expect(reopened.code).toBe(1);
    expect(reopened.out).toContain('constat(s) ouvert(s)');
  });

  it('dso conformity refuses bad input with a sentence saying what to fix', async () => {
    const bad = factsFile('bad.json', { projectId: 'p', projectName: 'x', repositories: 'nope' });
    const result = await dso('conformity', '--facts', bad);
    expect(result.code).toBe(2);
    expect(result.err).toContain('repositories');
    expect((await dso('conformity', '--facts', clean, '--at', '2026-11-29')).code).toBe(2);
    expect((await dso('conformity', '--facts', join(dir, 'missing.json'))).err).toContain('Fichier introuvable');
  });

  it('dso dossier export writes HTML and OSCAL', async () => {
    const html = join(dir, 'dossier.html');
    expect((await dso('dossier', 'export', '--facts', failing, '--at', at, '--output', html)).code).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('Dossier d&#39;homologation');
    const oscal = await dso('dossier', 'export', '--facts', failing, '--at', at, '--format', 'oscal');
    expect(JSON.parse(oscal.out)['assessment-results'].results[0].findings).toHaveLength(58);
    const poam = await dso('dossier', 'export', '--facts', failing, '--at', at, '--format', 'oscal-poam', '--lang', 'en');
    expect(JSON.parse(poam.out)['plan-of-action-and-milestones']['poam-items'].length).toBeGreaterThan(0);
  });

  it('dso derogations validates a request and lists what is in force', async () => {
    const ok = await dso('derogations', 'validate', '--requirement', 'EX32', '--justification', 'Vendor image', '--expires-at', '2027-01-01T00:00:00+01:00', '--at', at);
    expect(ok.code).toBe(0);
    const ko = await dso('derogations', 'validate', '--requirement', 'EX99', '--expires-at', '2026-01-01T00:00:00Z', '--at', at);
    expect(ko.code).toBe(1);
    expect(ko.err).toContain("requirement: Cette exigence n'existe pas dans le catalogue.");
    expect(ko.err).toContain('justification: Une justification est obligatoire.');
    expect(ko.err).toContain('expiresAt: La date de fin doit être dans le futur.');
    const list = await dso('derogations', 'list', '--facts', failing, '--at', at);
    expect(list.out).toContain('d-1\tEX32\t*\ten vigueur\t2026-12-01T00:00:00+01:00');
  });
});
