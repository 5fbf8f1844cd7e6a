// Synthetic project facts for tests and the benchmark: a project whose every assessment can be satisfied,
// with knobs to add findings. Deterministic: the same arguments give the same facts.
import { fingerprintOf } from '../checks/model.ts';
import { referencedRulePatterns } from './catalogue.ts';
import type { CertifiedRunFacts, FindingFact, PlatformObservations, ProjectFacts, RunMeasurements } from './facts.ts';
import type { ConformityPolicy } from './policy.ts';
import { defaultConformityPolicy } from './policy.ts';
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

/** A policy with every list the synthetic evidence needs (registry, gateway, object storage, OIDC issuer). */
export const syntheticPolicy: ConformityPolicy = {
  ...defaultConformityPolicy,
  registryHosts: ['registry.dso.example'],
  gatewayClasses: ['dso-gateway'],
  objectStorageEndpoints: ['s3://dso-backups'],
  oidcIssuers: ['https://sso.interieur.example/realms/agents'],
};

/** What a complete, healthy run measures and observes: every evidence need of the catalogue is met. */
export function syntheticMeasurements(id: string): RunMeasurements {
  return {
    imageDigest: `sha256:${id.padEnd(64, '0').slice(0, 64)}`,
    runtime: {
      status: 'measured',
      measuredAt: '2026-11-01T09:58:00Z',
      probe: { port: 8080, path: '/healthz' },
      readyMs: 1800,
      startWaitMs: 65_000,
      stop: { afterMs: 400, exitCode: 0, killed: false, stopWaitMs: 35_000 },
    },
    tests: { reports: ['reports/junit.xml'], tests: 120, failures: 0, errors: 0, skipped: 0 },
    coverage: { reports: ['coverage/lcov.info'], lineRate: 100, linesCovered: 500, linesValid: 500 },
    observations: {
      languages: { typescript: 40, shell: 2 },
      dockerfiles: ['Dockerfile'],
      dependencies: { components: 30, database: { origin: 'imported', updatedAt: '2026-11-28T00:00:00Z' } },
      endToEnd: { reports: ['reports/e2e/playwright.xml'], tests: 12, failures: 0, errors: 0 },
      manifests: {
        objects: 6,
        workloads: [
          {
            kind: 'Deployment',
            name: 'api',
            file: 'deploy/api.yaml',
            images: ['registry.dso.example/app/api@sha256:1'],
            readinessProbe: true,
            startupProbe: true,
            livenessProbe: true,
            preStop: false,
            terminationGracePeriodSeconds: 20,
            startBudgetSeconds: 30,
            connectionVariables: ['DATABASE_URL'],
            literalConnectionUrls: [],
            logCollector: true,
          },
        ],
        networkPolicies: [
          { name: 'users', file: 'deploy/np.yaml', policyTypes: ['Ingress'], podSelector: {}, flow: 'user' },
          { name: 'admin', file: 'deploy/np.yaml', policyTypes: ['Ingress'], podSelector: {}, flow: 'admin' },
        ],
        routes: [{ kind: 'Ingress', name: 'api', file: 'deploy/ingress.yaml', classes: ['dso-gateway'] }],
        backups: [
          { kind: 'ScheduledBackup', name: 'db', file: 'deploy/db.yaml', destinations: ['s3://dso-backups/app'] },
        ],
        logCollectors: [],
        oidcIssuers: ['https://sso.interieur.example/realms/agents'],
      },
    },
  };
}

/** Feedback delivered recently and regular deployments: every observed requirement holds at 2026-11-29. */
export function syntheticPlatform(): PlatformObservations {
  return {
    feedback: { lastDeliveredAt: '2026-11-28T09:00:00Z', deliveredInWindow: 12, failedInWindow: 0, windowStart: '2026-10-30T12:00:00Z' },
    delivery: { windowStart: '2026-08-31T12:00:00Z', deployments: 9, leadTimesHours: [2, 5, 20, 8, 3, 30, 4, 6, 12], productionDeployments: 3, lastDeploymentAt: '2026-11-27T15:00:00Z', oldestAt: '2026-09-10T10:00:00Z' },
    lastRestoreTest: { id: 'restore-1', at: '2026-10-15T09:00:00Z', succeeded: true, recordedBy: 'ops' },
  };
}

export function syntheticRun(catalogue: Catalogue, id: string, findings: FindingFact[] = []): CertifiedRunFacts {
  return {
    runId: id,
    finishedAt: '2026-11-01T10:00:00Z',
    revision: '0123456789abcdef0123456789abcdef01234567',
    evaluatedRules: sampleRuleIds(catalogue),
    findings,
    links: { bundleUrl: `https://dso.example/runs/${id}/evidence.zip`, sbomUrl: `https://dso.example/runs/${id}/sbom.json`, sarifUrl: `https://dso.example/runs/${id}/results.sarif` },
    measurements: syntheticMeasurements(id),
  };
}

export function syntheticProject(catalogue: Catalogue, n: number, options: SyntheticOptions = {}): ProjectFacts {
  const projectId = `project-${String(n).padStart(5, '0')}`;
  const repositories = Array.from({ length: options.repositories ?? 2 }, (_, i) => ({
    id: `${projectId}-repo-${i}`,
    name: i === 0 ? 'api' : `service-${i}`,
    lastCertifiedRun: syntheticRun(catalogue, `${projectId}-run-${i}${options.runSuffix ?? ''}`, i === 0 ? (options.findings ?? []) : []),
    lastForgePush: { runId: `${projectId}-push-${i}`, at: '2026-11-20T08:00:00Z' },
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
  return { projectId, projectName: `Project ${n}`, repositories, environments, attestations, derogations: [], notApplicable: [], policy: syntheticPolicy, platform: syntheticPlatform() };
}
