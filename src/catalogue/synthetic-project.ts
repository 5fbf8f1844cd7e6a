// Synthetic project facts for tests and the benchmark: a project whose every assessment can be satisfied,
// with knobs to add findings. Deterministic: the same arguments give the same facts.
import { fingerprintOf } from '../checks/model.ts';
import { referencedRulePatterns } from './catalogue.ts';
import type { CertifiedRunFacts, FindingFact, ProjectFacts } from './facts.ts';
import type { Catalogue } from './model.ts';

/** One concrete rule id per catalogue pattern (`secrets.*` → `secrets.sample`). */
export function sampleRuleIds(catalogue: Catalogue): string[] {
  return referencedRulePatterns(catalogue).map((p) => (p.endsWith('.*') ? `${p.slice(0, -2)}.sample` : p));
}

export function syntheticFinding(ruleId: string, requirements: string[], key: string): FindingFact {
  return {
    ruleId,
    requirements,
    severity: 'high',
    location: { file: 'Dockerfile', line: 1 },
    message: `Synthetic finding ${key}`,
    fingerprint: fingerprintOf(ruleId, 'Dockerfile', key),
  };
}

export interface SyntheticOptions {
  /** Findings added to the first repository's run. */
  findings?: FindingFact[];
  /** Instant attestations were given (default 2026-10-01T00:00:00Z) and how long they are valid. */
  attestedAt?: string;
  attestedUntil?: string;
  repositories?: number;
  runSuffix?: string;
}

export function syntheticRun(catalogue: Catalogue, id: string, findings: FindingFact[] = []): CertifiedRunFacts {
  return {
    runId: id,
    finishedAt: '2026-11-01T10:00:00Z',
    revision: '0123456789abcdef0123456789abcdef01234567',
    evaluatedRules: sampleRuleIds(catalogue),
    findings,
    links: { bundleUrl: `https://dso.example/runs/${id}/evidence.zip`, sbomUrl: `https://dso.example/runs/${id}/sbom.json`, sarifUrl: `https://dso.example/runs/${id}/results.sarif` },
  };
}

export function syntheticProject(catalogue: Catalogue, n: number, options: SyntheticOptions = {}): ProjectFacts {
  const projectId = `project-${String(n).padStart(5, '0')}`;
  const repositories = Array.from({ length: options.repositories ?? 2 }, (_, i) => ({
    id: `${projectId}-repo-${i}`,
    name: i === 0 ? 'api' : `service-${i}`,
    lastCertifiedRun: syntheticRun(catalogue, `${projectId}-run-${i}${options.runSuffix ?? ''}`, i === 0 ? (options.findings ?? []) : []),
  }));
  const environments = [
    { id: `${projectId}-env-dev`, name: 'dev', stage: { name: 'dev', production: false }, zone: { id: 'zone-a', name: 'Zone A', gateMode: 'enforce' as const } },
    { id: `${projectId}-env-prod`, name: 'prod', stage: { name: 'prod', production: true }, zone: { id: 'zone-a', name: 'Zone A', gateMode: 'enforce' as const } },
  ];
  const attestedAt = options.attestedAt ?? '2026-10-01T00:00:00Z';
  const attestedUntil = options.attestedUntil ?? '2027-09-01T00:00:00Z';
  const attestations = catalogue.requirements.flatMap((r) =>
    r.assessments.flatMap((a) =>
      a.kind === 'attested'
        ? [
            {
              id: `${projectId}-att-${r.id}`,
              requirement: r.id,
              attestedBy: 'alice',
              role: a.roles[0]!,
              evidence: { kind: 'link' as const, title: `Evidence for ${r.id}`, url: `https://docs.example/${r.id}` },
              attestedAt,
              validUntil: attestedUntil,
            },
          ]
        : [],
    ),
  );
  return { projectId, projectName: `Project ${n}`, repositories, environments, attestations, derogations: [], notApplicable: [] };
}
