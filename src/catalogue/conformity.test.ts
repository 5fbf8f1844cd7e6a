import { describe, expect, it } from 'vitest';
import type { Derogation } from '../domain/derogation.ts';
import { cctV1 } from './cct-v1.ts';
import { evaluateConformity, type ConformityResult, type RequirementConformity } from './conformity.ts';
import type { ProjectFacts } from './facts.ts';
import { deploymentGate, productionGate } from './production-gate.ts';
import { syntheticFinding, syntheticProject } from './synthetic-project.ts';

const now = new Date('2026-11-29T12:00:00Z');
const stateOf = (result: ConformityResult, id: string): RequirementConformity =>
  result.requirements.find((r) => r.id === id)!;

const rootFinding = syntheticFinding('containers.run-as-root', ['EX32'], 'root');

function derogation(over: Partial<Derogation> & Pick<Derogation, 'id' | 'expiresAt'>): Derogation {
  return { requirement: 'EX32', scope: {}, status: 'approved', projectId: 'project-00001', ...over };
}

describe('conformity of a project', () => {
  it('is fully satisfied when every check passes and every attestation is valid', () => {
    const result = evaluateConformity(cctV1, syntheticProject(cctV1, 1), now);
    expect(result.requirements.filter((r) => r.state !== 'satisfied').map((r) => r.id)).toEqual([]);
    expect(result.scores.P).toMatchObject({ ratio: 1, coveredRatio: 1, derogated: 0 });
    expect(result.scores.I.ratio).toBe(1);
    expect(result.catalogueVersion).toBe('1.0.0');
    expect(stateOf(result, 'EX34').targets[0]!.evidence[0]).toMatchObject({ kind: 'inherited' });
    expect(stateOf(result, 'EX46').targets.map((t) => t.target)).toEqual([
      { kind: 'repository', id: 'project-00001-repo-0', name: 'api' },
      { kind: 'repository', id: 'project-00001-repo-1', name: 'service-1' },
    ]);
  });

  it('marks a requirement not satisfied per repository when its last certified run has an open finding', () => {
    const result = evaluateConformity(cctV1, syntheticProject(cctV1, 1, { findings: [rootFinding] }), now);
    const ex32 = stateOf(result, 'EX32');
    expect(ex32.state).toBe('not-satisfied');
    expect(ex32.targets.map((t) => t.state)).toEqual(['not-satisfied', 'satisfied']);
    expect(ex32.targets[0]!.openFindings).toEqual([rootFinding]);
    expect(ex32.targets[0]!.evidence[0]).toMatchObject({ kind: 'run', sarifUrl: 'https://dso.example/runs/project-00001-run-0/results.sarif' });
    // The finding declares EX32 only: EX29, which shares the containers.* family, is not affected.
    expect(stateOf(result, 'EX29').state).toBe('satisfied');
    expect(result.scores.P.notSatisfied).toBe(1);
  });

  it('places findings of rules that declare no requirement through the catalogue patterns', () => {
    const undeclared = syntheticFinding('api-description.invalid', [], 'openapi');
    const result = evaluateConformity(cctV1, syntheticProject(cctV1, 1, { findings: [undeclared] }), now);
    expect(stateOf(result, 'EX46').state).toBe('not-satisfied');
    expect(stateOf(result, 'EX54').state).toBe('not-satisfied');
    expect(stateOf(result, 'EX47').state).toBe('satisfied');
  });

  it('is not satisfied without a certified run, or when the run did not evaluate the rules', () => {
    const facts = syntheticProject(cctV1, 1);
    const noRun: ProjectFacts = {
      ...facts,
      repositories: facts.repositories.map((r, i) => (i === 0 ? { id: r.id, name: r.name } : r)),
    };
    expect(stateOf(evaluateConformity(cctV1, noRun, now), 'EX46').targets[0]!.reasons[0]!.code).toBe('no-certified-run');
    const partial: ProjectFacts = {
      ...facts,
      repositories: facts.repositories.map((r) => ({ ...r, lastCertifiedRun: { ...r.lastCertifiedRun!, evaluatedRules: ['secrets.sample'] } })),
    };
    const result = evaluateConformity(cctV1, partial, now);
    expect(stateOf(result, 'EX46').targets[0]!.reasons[0]!.code).toBe('rules-not-evaluated');
    expect(stateOf(result, 'EX46').state).toBe('not-satisfied');
  });

  it('is derogated until the derogation ends, and reopens at that exact instant', () => {
    const facts = { ...syntheticProject(cctV1, 1, { findings: [rootFinding] }), derogations: [derogation({ id: 'd1', expiresAt: '2026-12-31T23:00:00Z', scope: { ruleId: 'containers.run-as-root' } })] };
    const before = evaluateConformity(cctV1, facts, new Date('2026-12-31T22:59:59.999Z'));
    expect(stateOf(before, 'EX32')).toMatchObject({ state: 'derogated', until: '2026-12-31T23:00:00.000Z' });
    expect(before.scores.P).toMatchObject({ derogated: 1, notSatisfied: 0 });
    expect(before.scores.P.ratio).toBeLessThan(1);
    expect(before.scores.P.coveredRatio).toBe(1);
    expect(before.nextChangeAt).toBe('2026-12-31T23:00:00.000Z');
    const at = evaluateConformity(cctV1, facts, new Date('2026-12-31T23:00:00.000Z'));
    expect(stateOf(at, 'EX32').state).toBe('not-satisfied');
  });

  it('reads expiry instants with their offsets: +01:00 at 00:30 is 23:30 UTC the day before', () => {
    const facts = { ...syntheticProject(cctV1, 1, { findings: [rootFinding] }), derogations: [derogation({ id: 'd1', expiresAt: '2027-01-01T00:30:00+01:00' })] };
    expect(stateOf(evaluateConformity(cctV1, facts, new Date('2026-12-31T23:29:59.999Z')), 'EX32').state).toBe('derogated');
    expect(stateOf(evaluateConformity(cctV1, facts, new Date('2026-12-31T23:30:00Z')), 'EX32').state).toBe('not-satisfied');
    // The same instant written in another zone gives the same answer.
    const tokyo = { ...facts, derogations: [derogation({ id: 'd1', expiresAt: '2027-01-01T08:30:00+09:00' })] };
    expect(stateOf(evaluateConformity(cctV1, tokyo, new Date('2026-12-31T23:29:59.999Z')), 'EX32').state).toBe('derogated');
    expect(stateOf(evaluateConformity(cctV1, tokyo, new Date('2026-12-31T23:30:00Z')), 'EX32').state).toBe('not-satisfied');
  });

  it('ignores derogations that are not approved, belong to another project, or narrow to another finding', () => {
    const base = syntheticProject(cctV1, 1, { findings: [rootFinding] });
    for (const d of [
      derogation({ id: 'd1', expiresAt: '2027-06-01T00:00:00Z', status: 'requested' }),
      derogation({ id: 'd2', expiresAt: '2027-06-01T00:00:00Z', status: 'revoked' }),
      derogation({ id: 'd3', expiresAt: '2027-06-01T00:00:00Z', projectId: 'someone-else' }),
      derogation({ id: 'd4', expiresAt: '2027-06-01T00:00:00Z', scope: { fingerprint: 'ffffffffffffffffffffffffffffffff' } }),
      derogation({ id: 'd5', expiresAt: '2027-06-01T00:00:00Z', scope: { repositoryId: 'project-00001-repo-1' } }),
      derogation({ id: 'd6', expiresAt: '2027-06-01T00:00' }),
    ]) {
      expect(stateOf(evaluateConformity(cctV1, { ...base, derogations: [d] }, now), 'EX32').state, d.id).toBe('not-satisfied');
    }
    const byFingerprint = derogation({ id: 'd7', expiresAt: '2027-06-01T00:00:00Z', scope: { fingerprint: rootFinding.fingerprint } });
    expect(stateOf(evaluateConformity(cctV1, { ...base, derogations: [byFingerprint] }, now), 'EX32').state).toBe('derogated');
  });

  it('applies an environment-scoped derogation only when evaluated for that environment', () => {
    const facts = {
      ...syntheticProject(cctV1, 1, { findings: [rootFinding] }),
      derogations: [derogation({ id: 'd1', expiresAt: '2027-06-01T00:00:00Z', scope: { environmentId: 'project-00001-env-dev' } })],
    };
    expect(stateOf(evaluateConformity(cctV1, facts, now), 'EX32').state).toBe('not-satisfied');
    expect(stateOf(evaluateConformity(cctV1, facts, now, { environmentId: 'project-00001-env-dev' }), 'EX32').state).toBe('derogated');
    expect(stateOf(evaluateConformity(cctV1, facts, now, { environmentId: 'project-00001-env-prod' }), 'EX32').state).toBe('not-satisfied');
  });

  it('falls back to awaiting attestation at the exact instant an attestation ends', () => {
    const facts = syntheticProject(cctV1, 1, { attestedAt: '2026-10-01T00:00:00+02:00', attestedUntil: '2026-12-01T00:00:00+01:00' });
    expect(stateOf(evaluateConformity(cctV1, facts, new Date('2026-11-30T22:59:59.999Z')), 'EX19').state).toBe('satisfied');
    const after = evaluateConformity(cctV1, facts, new Date('2026-11-30T23:00:00Z'));
    expect(stateOf(after, 'EX19')).toMatchObject({ state: 'awaiting-attestation' });
    expect(stateOf(after, 'EX19').targets[0]!.reasons[0]!.code).toBe('attestation-expired');
    expect(after.scores.P.awaitingAttestation).toBeGreaterThan(0);
  });

  it('caps an attestation at the validity period of the catalogue', () => {
    // EX8 is valid 180 days: attested 2026-01-01, it ends 2026-06-30 whatever validUntil says.
    const facts = syntheticProject(cctV1, 1, { attestedAt: '2026-01-01T00:00:00Z', attestedUntil: '2030-01-01T00:00:00Z' });
    const result = evaluateConformity(cctV1, facts, new Date('2026-06-30T00:00:00Z'));
    expect(stateOf(result, 'EX8').state).toBe('awaiting-attestation');
    expect(stateOf(result, 'EX19').state).toBe('satisfied');
  });

  it('does not accept an attestation from a role that may not attest', () => {
    const facts = syntheticProject(cctV1, 1);
    const wrongRole: ProjectFacts = { ...facts, attestations: facts.attestations.map((a) => (a.requirement === 'EX56' ? { ...a, role: 'developer' } : a)) };
    const ex56 = stateOf(evaluateConformity(cctV1, wrongRole, now), 'EX56');
    expect(ex56.state).toBe('awaiting-attestation');
    expect(ex56.targets[0]!.reasons[0]!.code).toBe('attestation-role-not-accepted');
  });

  it('evaluates per-environment attestations separately', () => {
    const facts = syntheticProject(cctV1, 1);
    const onlyDev: ProjectFacts = {
      ...facts,
      attestations: facts.attestations.map((a) => (a.requirement === 'EX23' ? { ...a, environmentId: 'project-00001-env-dev' } : a)),
    };
    const ex23 = stateOf(evaluateConformity(cctV1, onlyDev, now), 'EX23');
    expect(ex23.targets.map((t) => [t.target.kind === 'environment' ? t.target.name : '', t.state])).toEqual([
      ['dev', 'satisfied'],
      ['prod', 'awaiting-attestation'],
    ]);
    expect(ex23.state).toBe('awaiting-attestation');
  });

  it('excludes not-applicable requirements from the scores', () => {
    const facts = syntheticProject(cctV1, 1);
    const noAttestation: ProjectFacts = { ...facts, attestations: facts.attestations.filter((a) => a.requirement !== 'EX57') };
    expect(stateOf(evaluateConformity(cctV1, noAttestation, now), 'EX57').state).toBe('awaiting-attestation');
    const declared: ProjectFacts = {
      ...noAttestation,
      notApplicable: [{ id: 'na1', requirement: 'EX57', justification: 'No personal data is stored.', declaredBy: 'alice', declaredAt: '2026-11-01T00:00:00Z' }],
    };
    const result = evaluateConformity(cctV1, declared, now);
    expect(stateOf(result, 'EX57').state).toBe('not-applicable');
    expect(result.scores.I).toMatchObject({ notApplicable: 1, ratio: 1 });
    expect(result.scores.I.applicable).toBe(cctV1.requirements.filter((r) => r.level === 'I').length - 1);
  });

  it('gives the same result whatever the order of its inputs', () => {
    const facts = {
      ...syntheticProject(cctV1, 1, { findings: [rootFinding, syntheticFinding('secrets.sample', ['EX47', 'EX58'], 'k')] }),
      derogations: [derogation({ id: 'b', expiresAt: '2027-02-01T00:00:00Z' }), derogation({ id: 'a', expiresAt: '2027-01-01T00:00:00Z' })],
    };
    const shuffled: ProjectFacts = {
      ...facts,
      repositories: [...facts.repositories].reverse(),
      environments: [...facts.environments].reverse(),
      attestations: [...facts.attestations].reverse(),
      derogations: [...facts.derogations].reverse(),
    };
    expect(JSON.stringify(evaluateConformity(cctV1, shuffled, now))).toBe(
      JSON.stringify(evaluateConformity(cctV1, facts, now)),
    );
  });
});

describe('production gate', () => {
  const failing = evaluateConformity(cctV1, syntheticProject(cctV1, 1, { findings: [rootFinding] }), now);
  const passing = evaluateConformity(cctV1, syntheticProject(cctV1, 1), now);

  it('blocks a production deployment in an enforcing zone and lists the unmet P requirements', () => {
    const decision = productionGate({ stage: { production: true }, zone: { gateMode: 'enforce' }, conformity: failing });
    expect(decision.outcome).toBe('blocked');
    expect(decision.unmet.map((u) => u.id)).toEqual(['EX32']);
    expect(decision.unmet[0]!.reasons[0]!.code).toBe('open-findings');
  });

  it('lets it through with warnings in an auditing zone', () => {
    const decision = productionGate({ stage: { production: true }, zone: { gateMode: 'audit' }, conformity: failing });
    expect(decision).toMatchObject({ outcome: 'allowed-with-warnings', unmet: [{ id: 'EX32' }] });
  });

  it('never gates a non-production stage', () => {
    expect(productionGate({ stage: { production: false }, zone: { gateMode: 'enforce' }, conformity: failing })).toEqual({ outcome: 'allowed', unmet: [] });
  });

  it('allows production when P requirements are met or derogated, whatever I requirements say', () => {
    expect(productionGate({ stage: { production: true }, zone: { gateMode: 'enforce' }, conformity: passing }).outcome).toBe('allowed');
    const facts = syntheticProject(cctV1, 1, { findings: [rootFinding] });
    const derogated = evaluateConformity(cctV1, { ...facts, derogations: [derogation({ id: 'd', expiresAt: '2027-01-01T00:00:00Z' })] }, now);
    expect(productionGate({ stage: { production: true }, zone: { gateMode: 'enforce' }, conformity: derogated }).outcome).toBe('allowed');
    // EX10 is I: a failing test report does not block production.
    const iOnly = evaluateConformity(cctV1, syntheticProject(cctV1, 1, { findings: [syntheticFinding('test-reports.coverage', ['EX10'], 'c')] }), now);
    expect(stateOf(iOnly, 'EX10').state).toBe('not-satisfied');
    expect(productionGate({ stage: { production: true }, zone: { gateMode: 'enforce' }, conformity: iOnly }).outcome).toBe('allowed');
  });

  it('blocks a P requirement awaiting attestation', () => {
    const facts = syntheticProject(cctV1, 1);
    const missing = evaluateConformity(cctV1, { ...facts, attestations: facts.attestations.filter((a) => a.requirement !== 'EX7') }, now);
    const decision = productionGate({ stage: { production: true }, zone: { gateMode: 'enforce' }, conformity: missing });
    expect(decision).toMatchObject({ outcome: 'blocked', unmet: [{ id: 'EX7', state: 'awaiting-attestation' }] });
  });

  it('evaluates a deployment as seen from its environment', () => {
    const facts = {
      ...syntheticProject(cctV1, 1, { findings: [rootFinding] }),
      derogations: [derogation({ id: 'd1', expiresAt: '2027-06-01T00:00:00Z', scope: { environmentId: 'project-00001-env-prod' } })],
    };
    expect(deploymentGate(cctV1, facts, 'project-00001-env-prod', now)?.outcome).toBe('allowed');
    expect(deploymentGate(cctV1, facts, 'project-00001-env-dev', now)?.outcome).toBe('allowed');
    const noDerogation = { ...facts, derogations: [] };
    expect(deploymentGate(cctV1, noDerogation, 'project-00001-env-prod', now)).toMatchObject({ outcome: 'blocked', unmet: [{ id: 'EX32' }] });
    expect(deploymentGate(cctV1, noDerogation, 'unknown', now)).toBeUndefined();
  });
});
