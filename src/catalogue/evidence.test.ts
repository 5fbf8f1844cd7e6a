// No claim without proof: each machine evidence a requirement of catalogue 2 needs, with the facts that meet it
// and the facts that leave it awaiting evidence or contradict it — as the team reads it on its conformity page.
import { describe, expect, it } from 'vitest';
import { cctV2 } from './cct-v2.ts';
import { evaluateConformity, type ConformityResult, type RequirementConformity } from './conformity.ts';
import type { ProjectFacts, RunMeasurements } from './facts.ts';
import { machineAssessmentKinds } from './model.ts';
import { syntheticMeasurements, syntheticPolicy, syntheticProject } from './synthetic-project.ts';

const now = new Date('2026-11-29T12:00:00Z');
const stateOf = (result: ConformityResult, id: string): RequirementConformity =>
  result.requirements.find((r) => r.id === id)!;

/** One repository whose last certified run measured `change(measurements)`. */
function project(change: (m: RunMeasurements) => void, over: Partial<ProjectFacts> = {}): ProjectFacts {
  const facts = syntheticProject(cctV2, 1, { repositories: 1 });
  const run = facts.repositories[0]!.lastCertifiedRun!;
  const measurements = structuredClone(syntheticMeasurements(run.runId));
  change(measurements);
  return {
    ...facts,
    repositories: [{ ...facts.repositories[0]!, lastCertifiedRun: { ...run, measurements } }],
    ...over,
  };
}
const evaluate = (facts: ProjectFacts) => evaluateConformity(cctV2, facts, now);
const manifests = (m: RunMeasurements) => m.observations!.manifests!;
const workload = (m: RunMeasurements) => manifests(m).workloads[0]!;

describe('machine evidence (catalogue 2)', () => {
  it('establishes at least 35 of the 58 requirements by machine evidence, and all of them hold on a healthy project', () => {
    const machine = cctV2.requirements.filter((r) =>
      r.assessments.some((a) => machineAssessmentKinds.includes(a.kind)),
    );
    expect(machine.length).toBeGreaterThanOrEqual(35);
    const result = evaluate(syntheticProject(cctV2, 1));
    expect(result.requirements.filter((r) => r.state !== 'satisfied').map((r) => r.id)).toEqual([]);
    // Each satisfied machine requirement points to what was observed, when.
    const ex10 = stateOf(result, 'EX10').targets[0]!;
    expect(ex10.evidence).toContainEqual(expect.objectContaining({ kind: 'observation', evidence: 'coverage', observedAt: '2026-11-01T10:00:00Z', runId: 'project-00001-run-0' }));
  });

  it('leaves EX10, EX22 and EX27 awaiting evidence without test and coverage reports, never satisfied', () => {
    const result = evaluate(project((m) => {
      delete m.coverage;
      delete m.tests;
    }));
    for (const id of ['EX10', 'EX22', 'EX27']) expect(stateOf(result, id).state).toBe('awaiting-evidence');
    const reason = stateOf(result, 'EX10').targets[0]!.reasons[0]!;
    expect(reason).toMatchObject({ code: 'evidence-missing', evidence: 'coverage' });
    expect(reason.message.fr).toContain('couverture est inconnue');
    expect(reason.howTo!.fr).toContain('.dso.yml');
    expect(result.scores.I.awaitingEvidence).toBeGreaterThanOrEqual(2);
    expect(result.scores.P.awaitingEvidence).toBeGreaterThanOrEqual(1);
  });

  it('judges coverage against the configured threshold, not the rule’s 100 % target', () => {
    const at90 = project((m) => {
      m.coverage!.lineRate = 90;
    });
    expect(stateOf(evaluate(at90), 'EX10').state).toBe('not-satisfied');
    expect(stateOf(evaluateConformity(cctV2, { ...at90, policy: { ...syntheticPolicy, coverageMinimumPercent: 80 } }, now), 'EX10').state).toBe('satisfied');
  });

  it('requires an image built by the platform for every deployed workload (EX34)', () => {
    expect(stateOf(evaluate(project((m) => delete m.imageDigest)), 'EX34').state).toBe('awaiting-evidence');
    const foreign = evaluate(project((m) => {
      workload(m).images = ['docker.io/library/nginx:1.27'];
    }));
    expect(stateOf(foreign, 'EX34').state).toBe('not-satisfied');
    expect(stateOf(foreign, 'EX34').targets[0]!.reasons[0]!.message.en).toContain('docker.io/library/nginx:1.27');
    expect(stateOf(evaluate(project((m) => {
      delete m.observations!.dockerfiles;
      delete m.observations!.manifests;
    })), 'EX34').state).toBe('awaiting-evidence');
  });

  it('requires dependencies evaluated against advisories younger than the freshness limit (EX12, EX58), and says when that ends', () => {
    const fresh = evaluate(syntheticProject(cctV2, 1));
    expect(stateOf(fresh, 'EX12').state).toBe('satisfied');
    // Imported 2026-11-28 with a 7-day limit: the result changes by itself on 2026-12-05.
    expect(fresh.nextChangeAt).toBe('2026-12-05T00:00:00.000Z');
    const stale = evaluateConformity(cctV2, syntheticProject(cctV2, 1), new Date('2026-12-06T00:00:00Z'));
    expect(stateOf(stale, 'EX12').state).toBe('awaiting-evidence');
    expect(stateOf(stale, 'EX12').targets.find((t) => t.assessment === 'automated')!.reasons[0]!.code).toBe('evidence-expired');
    const defaultSet = evaluate(project((m) => {
      m.observations!.dependencies!.database = { origin: 'default', updatedAt: '' };
    }));
    expect(stateOf(defaultSet, 'EX58').state).toBe('awaiting-evidence');
    expect(stateOf(evaluate(project((m) => (m.observations!.dependencies = { components: 0 }))), 'EX12').state).toBe('satisfied');
  });

  it('requires passing end-to-end reports for EX9', () => {
    expect(stateOf(evaluate(project((m) => delete m.observations!.endToEnd)), 'EX9').state).toBe('awaiting-evidence');
    expect(stateOf(evaluate(project((m) => (m.observations!.endToEnd!.failures = 2))), 'EX9').state).toBe('not-satisfied');
  });

  it('checks languages against the approved list (EX24)', () => {
    const cobol = evaluate(project((m) => (m.observations!.languages = { cobol: 3, java: 10 })));
    expect(stateOf(cobol, 'EX24').state).toBe('not-satisfied');
    expect(stateOf(cobol, 'EX24').targets[0]!.reasons[0]!.message.fr).toContain('cobol');
  });

  it('reads log collection from the rendered manifests (EX23)', () => {
    const bare = evaluate(project((m) => {
      workload(m).logCollector = false;
    }));
    expect(stateOf(bare, 'EX23').targets.find((t) => t.assessment === 'automated')!.state).toBe('not-satisfied');
    const noManifest = evaluate(project((m) => delete m.observations!.manifests));
    for (const id of ['EX48', 'EX56', 'EX43', 'EX44']) expect(stateOf(noManifest, id).state, id).toBe('awaiting-evidence');
  });

  it('judges EX50 and EX51 from the image started in the chain, never from declarations alone', () => {
    const healthy = evaluate(project(() => {}));
    expect(stateOf(healthy, 'EX51').targets[0]!.reasons[0]!.message.fr).toContain('prête en 1.8 s (port 8080/healthz)');
    expect(stateOf(healthy, 'EX50').targets[0]!.reasons[0]!.message.fr).toContain('arrêtée proprement 0.4 s après SIGTERM');
    // Probes and a grace period declared in the manifests, but no image built: nothing was measured.
    const noImage = evaluate(project((m) => {
      delete m.imageDigest;
      delete m.runtime;
    }));
    for (const id of ['EX50', 'EX51']) {
      expect(stateOf(noImage, id).state, id).toBe('awaiting-evidence');
      expect(stateOf(noImage, id).targets[0]!.reasons[0]!.message.fr).toMatch(/Aucune image construite/);
    }
    const notStarted = evaluate(project((m) => {
      m.runtime = { status: 'not-started', measuredAt: '2026-11-01T09:58:00Z', reason: { code: 'no-command', message: { fr: "L'image ne déclare ni ENTRYPOINT ni CMD.", en: 'No command.' } } };
    }));
    expect(stateOf(notStarted, 'EX50').state).toBe('awaiting-evidence');
    expect(stateOf(notStarted, 'EX51').targets[0]!.reasons[0]!.message.fr).toContain('ni ENTRYPOINT ni CMD');
    const slowAndStubborn = evaluate(project((m) => {
      m.runtime = {
        ...m.runtime!,
        readyMs: 75_000,
        stop: { afterMs: 35_000, exitCode: null, killed: true, stopWaitMs: 35_000 },
      };
    }));
    expect(stateOf(slowAndStubborn, 'EX51').state).toBe('not-satisfied');
    expect(stateOf(slowAndStubborn, 'EX51').targets[0]!.reasons[0]!.message.fr).toContain('au-delà du seuil de 60 s');
    expect(stateOf(slowAndStubborn, 'EX50').state).toBe('not-satisfied');
    expect(stateOf(slowAndStubborn, 'EX50').targets[0]!.reasons[0]!.message.fr).toContain('arrêté de force');
    const noPort = evaluate(project((m) => {
      const { probe: _, readyMs: __, ...rest } = m.runtime!;
      m.runtime = rest;
    }));
    expect(stateOf(noPort, 'EX51').state).toBe('awaiting-evidence');
    expect(stateOf(noPort, 'EX50').state).toBe('satisfied');
  });

  it('accepts only the OIDC issuers, gateway classes and object storage the administrators declare (EX56, EX44, EX7)', () => {
    const elsewhere = evaluate(project((m) => {
      manifests(m).oidcIssuers = ['https://accounts.google.com'];
      manifests(m).routes = [{ kind: 'Ingress', name: 'api', file: 'i.yaml', classes: ['nginx'] }];
      manifests(m).backups = [{ kind: 'Schedule', name: 'velero', file: 'b.yaml', destinations: ['s3://elsewhere/bucket'] }];
    }));
    expect(stateOf(elsewhere, 'EX56').state).toBe('not-satisfied');
    expect(stateOf(elsewhere, 'EX44').state).toBe('not-satisfied');
    for (const id of ['EX7', 'EX33', 'EX40']) expect(stateOf(elsewhere, id).state).toBe('not-satisfied');
    const noBackup = evaluate(project((m) => (manifests(m).backups = [])));
    expect(stateOf(noBackup, 'EX7').state).toBe('awaiting-evidence');
  });

  it('wants every network policy to declare its flow kind (EX41, EX43) and connections read from the environment (EX48)', () => {
    const mixed = evaluate(project((m) => {
      delete manifests(m).networkPolicies[0]!.flow;
      workload(m).literalConnectionUrls = ['DATABASE_URL=postgres://…@db:5432/app'];
    }));
    expect(stateOf(mixed, 'EX43').state).toBe('not-satisfied');
    expect(stateOf(mixed, 'EX41').targets.find((t) => t.assessment === 'automated')!.state).toBe('not-satisfied');
    expect(stateOf(mixed, 'EX48').state).toBe('not-satisfied');
  });

  it('observes the forge connection, feedback deliveries and delivery measures (EX5, EX16, EX17)', () => {
    const healthy = syntheticProject(cctV2, 1, { repositories: 1 });
    const ex5 = stateOf(evaluate(healthy), 'EX5');
    expect(ex5.state).toBe('satisfied');
    expect(ex5.targets[0]!.evidence[0]).toMatchObject({ kind: 'observation', evidence: 'forge-push', observedAt: '2026-11-20T08:00:00Z' });
    const silent = evaluate({ ...healthy, repositories: healthy.repositories.map(({ lastForgePush: _, ...r }) => r) });
    expect(stateOf(silent, 'EX5').state).toBe('awaiting-evidence');
    const oldPush = evaluateConformity(cctV2, healthy, new Date('2026-12-25T00:00:00Z'));
    expect(stateOf(oldPush, 'EX5').targets[0]!.reasons[0]!.code).toBe('evidence-expired');

    const failing = evaluate({ ...healthy, platform: { ...healthy.platform!, feedback: { ...healthy.platform!.feedback, lastFailedAt: '2026-11-29T08:00:00Z' } } });
    expect(stateOf(failing, 'EX16').state).toBe('not-satisfied');
    const slow = evaluate({
      ...healthy,
      platform: {
        ...healthy.platform!,
        delivery: { ...healthy.platform!.delivery, deployments: 1, leadTimesHours: [400] },
      },
    });
    expect(stateOf(slow, 'EX17').state).toBe('not-satisfied');
    expect(stateOf(slow, 'EX17').targets[0]!.reasons[0]!.message.fr).toContain('1 déploiement(s)');
    // Offline (no platform observations): nothing is claimed.
    const { platform: _, ...offline } = healthy;
    expect(stateOf(evaluate(offline), 'EX16').state).toBe('awaiting-evidence');
  });

  it('lets a derogation cover missing evidence, and shows it as derogated, not satisfied', () => {
    const facts = project((m) => delete m.coverage, {
      derogations: [{ id: 'd-1', requirement: 'EX10', scope: {}, status: 'approved', projectId: 'project-00001', expiresAt: '2027-01-01T00:00:00Z' }],
    });
    const result = evaluate(facts);
    expect(stateOf(result, 'EX10').state).toBe('derogated');
    expect(result.scores.I.derogated).toBe(1);
    expect(result.scores.I.ratio).toBeLessThan(1);
  });
});

describe('what the run could not evaluate', () => {
  it('keeps EX12 and the manifest requirements awaiting evidence when dependencies or charts were not evaluated', () => {
    const result = evaluate(project((m) => {
      m.unevaluated = [
        { kind: 'dependency', item: 'org.acme:parent', code: 'maven-parent-unresolved', message: 'parent POM not resolved' },
        { kind: 'chart', item: 'deploy/chart', code: 'chart-render-failed', message: 'helm template failed' },
      ];
    }));
    expect(stateOf(result, 'EX12').state).toBe('awaiting-evidence');
    expect(stateOf(result, 'EX12').targets.find((t) => t.assessment === 'automated')!.reasons[0]!.message.en).toContain('org.acme:parent');
    expect(stateOf(result, 'EX48').state).toBe('awaiting-evidence');
    expect(stateOf(result, 'EX48').targets[0]!.reasons[0]!.message.fr).toContain('deploy/chart');
  });
});
