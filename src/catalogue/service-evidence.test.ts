// A catalogue service that passed its checks and is committed counts as evidence for the requirements its version
// covers, in its own environment (per-environment requirements) or for the project (project-wide ones); a failing
// or not yet committed service does not; an attestation still counts where there is no service.
import { describe, expect, it } from 'vitest';
import { cctV1 } from './cct-v1.ts';
import { cctV2 } from './cct-v2.ts';
import { evaluateConformity } from './conformity.ts';
import type { ProjectFacts, ServiceFacts } from './facts.ts';
import { renderDossierHtml } from './dossier-html.ts';
import { syntheticProject } from './synthetic-project.ts';

const now = new Date('2026-11-29T12:00:00Z');
const backups = ['EX7', 'EX33', 'EX40'];

function withoutBackupAttestations(): ProjectFacts {
  const facts = syntheticProject(cctV1, 1);
  return { ...facts, attestations: facts.attestations.filter((a) => !backups.includes(a.requirement)) };
}

const database = (over: Partial<ServiceFacts> = {}): ServiceFacts => ({
  id: 'svc-1',
  name: 'db',
  environmentId: 'project-00001-env-dev',
  item: 'postgresql',
  version: '16.4.0',
  verdict: 'pass',
  covers: backups,
  gitopsCommit: 'a'.repeat(40),
  ...over,
});

const stateIn = (facts: ProjectFacts, id: string) =>
  evaluateConformity(cctV1, facts, now).requirements.find((r) => r.id === id)!;

describe('catalogue services as conformity evidence', () => {
  it('leaves backup requirements awaiting attestation without a service', () => {
    const facts = withoutBackupAttestations();
    expect(backups.map((id) => stateIn(facts, id).state)).toEqual(['awaiting-attestation', 'awaiting-attestation', 'awaiting-attestation']);
  });

  it('satisfies the environment it runs in and the project-wide requirement, naming the service and its version', () => {
    const facts = { ...withoutBackupAttestations(), services: [database()] };
    const ex33 = stateIn(facts, 'EX33');
    expect(ex33.targets.map((t) => [t.target.kind === 'environment' ? t.target.name : 'project', t.state])).toEqual([
      ['dev', 'satisfied'],
      ['prod', 'awaiting-attestation'],
    ]);
    expect(ex33.targets[0]!.reasons[0]).toMatchObject({ code: 'service-evidence' });
    expect(ex33.targets[0]!.evidence[0]).toMatchObject({ kind: 'service', name: 'db', item: 'postgresql', version: '16.4.0', verdict: 'pass' });
    expect(stateIn(facts, 'EX7').state).toBe('satisfied');
  });

  it('provides the machine evidence of catalogue 2 (backups to object storage), even without any repository', () => {
    const facts = { ...withoutBackupAttestations(), repositories: [], services: [database()] };
    const results = evaluateConformity(cctV2, facts, now).requirements.filter((r) => backups.includes(r.id));
    expect(results.map((r) => [r.id, r.state, r.targets[0]!.reasons[0]!.code])).toEqual([
      ['EX7', 'satisfied', 'service-evidence'],
      ['EX33', 'satisfied', 'service-evidence'],
      ['EX40', 'satisfied', 'service-evidence'],
    ]);
    const without = evaluateConformity(cctV2, { ...facts, services: [database({ verdict: 'fail' })] }, now).requirements.find((r) => r.id === 'EX33')!;
    expect(without.state).not.toBe('satisfied');
  });

  it('does not count a service whose checks failed or that is not committed yet', () => {
    for (const service of [database({ verdict: 'fail' }), database({ gitopsCommit: undefined })]) {
      const facts = { ...withoutBackupAttestations(), services: [service] };
      expect(stateIn(facts, 'EX7').state).toBe('awaiting-attestation');
    }
  });

  it('lists the services with their versions and verdicts in the dossier', () => {
    const facts = { ...withoutBackupAttestations(), services: [database()] };
    const html = renderDossierHtml({ catalogue: cctV1, facts, conformity: evaluateConformity(cctV1, facts, now), generatedAt: now, lang: 'fr' });
    expect(html).toContain('Services du catalogue');
    expect(html).toMatch(/<td>db<\/td><td>dev<\/td><td>postgresql 16\.4\.0<\/td><td>réussis<\/td><td>EX7, EX33, EX40<\/td>/);
    expect(html).toContain('Service db (postgresql 16.4.0');
  });
});
