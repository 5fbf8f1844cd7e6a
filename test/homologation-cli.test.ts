// `dso conformity`, `dso derogations` and `dso dossier export` against a real server on loopback: the team
// requests, a security officer approves, the conformity shows it; the dossier is written to a file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { asActor, runCommand, type CliCommand } from './support/cli.ts';
import { run as conformity } from '../src/cli/conformity.ts';
import { run as derogations } from '../src/cli/derogations.ts';
import { run as dossier } from '../src/cli/dossier.ts';
import { describeApiOnDatabases } from './support/api-fixtures.ts';

describeApiOnDatabases('dso homologation commands', (ctx) => {
  let url = '';
  const dso = async (command: CliCommand, args: string[], actor = 'developer', env: Record<string, string> = {}) => {
    url ||= await ctx.system.listen();
    return runCommand(command, args, asActor(url, ctx.world.actors[actor]!.authorization!, env));
  };
  const inTenDays = new Date(Date.now() + 10 * 86_400_000).toISOString();

  it('request → list → approve (security officer) → conformity shows the derogation', async () => {
    const asked = await dso(derogations, ['request', 'projet-a', '--requirement', 'EX29', '--justification', 'Image éditeur en cours de remplacement', '--expires-at', inTenDays, '--json']);
    expect(asked.code, asked.err).toBe(0);
    const id = JSON.parse(asked.out).id as string;

    const listed = await dso(derogations, ['list', 'projet-a', '--status', 'requested']);
    expect(listed.out).toMatch(/^ID\s+EXIGENCE\s+PÉRIMÈTRE\s+STATUT\s+FIN/);
    expect(listed.out).toContain(id);
    expect(listed.out).toContain('demandée');

    const notOfficer = await dso(derogations, ['approve', id, '--comment', 'ok'], 'owner', { DSO_LANG: 'en' });
    expect(notOfficer.code).toBe(1);
    expect(notOfficer.err).toMatch(/^dso: Action not allowed — Only a security officer/);

    const approved = await dso(derogations, ['approve', id, '--comment', 'Accordé'], 'security-officer');
    expect(approved.code, approved.err).toBe(0);
    expect(approved.out).toContain(`Dérogation accordée : ${id} (EX29, en vigueur`);

    const result = await dso(conformity, ['projet-a']);
    expect(result.code).toBe(1); // other P requirements are still unmet
    expect(result.out).toMatch(/EX29\s+P\s+Sous dérogation \(jusqu'au /);
    const json = await dso(conformity, ['projet-a', '--json']);
    expect(JSON.parse(json.out).requirements.find((r: { id: string }) => r.id === 'EX29').state).toBe('derogated');

    const rejected = await dso(derogations, ['reject', id, '--comment', 'trop tard'], 'security-officer');
    expect(rejected.code).toBe(1);
    expect(rejected.err).toMatch(/^dso: Conflit/);
  });

  it('bad requests are explained field by field', async () => {
    const r = await dso(derogations, ['request', 'projet-a', '--requirement', 'EX99', '--expires-at', '2020-01-01T00:00:00Z'], 'developer', { DSO_LANG: 'en' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('requirement: This requirement is not in the catalogue.');
    expect(r.err).toContain('justification: A justification is required.');
    expect(r.err).toContain('expiresAt: The end date must be in the future.');
  });

  it('exports the dossier as HTML and OSCAL to a file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dso-dossier-'));
    const html = path.join(dir, 'dossier.html');
    const done = await dso(dossier, ['export', 'projet-a', '--format', 'html', '--output', html], 'read-only');
    expect(done.code, done.err).toBe(0);
    expect(fs.readFileSync(html, 'utf8')).toContain('EX29');
    const oscal = path.join(dir, 'ar.json');
    expect((await dso(dossier, ['export', 'projet-a', '--format', 'oscal', '--output', oscal], 'read-only')).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(oscal, 'utf8'))).toHaveProperty('assessment-results');
    const hidden = await dso(dossier, ['export', 'projet-a'], 'other-project-member');
    expect(hidden.code).toBe(2);
    expect(hidden.err).toContain('projet « projet-a » introuvable');
  });
});
