// Everything the conformity evaluator needs about a project, read from the database in a handful of queries:
// repositories with their last certified run (findings from its check report), environments with stage and zone,
// attestations, derogations and not-applicable declarations. The ONE place that turns stored rows into
// ProjectFacts, so the API, the dossier, the deployment gate and the history all see the same facts. The sweeps
// read many projects at once (`gatherFactsOfProjects`): a fixed number of queries per chunk instead of per project.
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { AttestorRole } from '../catalogue/model.ts';
import type { Attestation, CertifiedRunFacts, EnvironmentFacts, NotApplicableDeclaration, PlatformObservations, ProjectFacts, RepositoryFacts, RunMeasurements, RuntimeFacts, ServiceFacts } from '../catalogue/facts.ts';
import { defaultConformityPolicy, type ConformityPolicy } from '../catalogue/policy.ts';
import type { CheckReport } from '../checks/engine.ts';
import { allCheckers } from '../checks/registry.ts';
import type { Finding } from '../checks/model.ts';
import type { Db } from '../db/client.ts';
import {
  attestations,
  catalogueItems,
  catalogueVersions,
  environmentServices,
  certifiedRevisions,
  clusters,
  commitStatusDeliveries,
  deployments,
  derogations,
  environments,
  notApplicableDeclarations,
  notificationDeliveries,
  notificationWebhooks,
  projects,
  repositories,
  restoreTests,
  runArtifacts,
  runs,
  stages,
  users,
  zones,
} from '../db/schema.ts';
import type { Derogation } from '../domain/derogation.ts';

export type DerogationRow = typeof derogations.$inferSelect;
export type AttestationRow = typeof attestations.$inferSelect;

/** The derogation as the pure evaluator sees it (instants in UTC ISO 8601). */
export function derogationFact(row: DerogationRow, names: ReadonlyMap<string, string> = new Map()): Derogation {
  const d: Derogation = {
    id: row.id,
    projectId: row.projectId,
    requirement: row.requirement,
    scope: row.scope ?? {},
    status: row.status,
    expiresAt: row.expiresAt.toISOString(),
    justification: row.justification,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt.toISOString(),
  };
  if (row.compensatingMeasures !== null) d.compensatingMeasures = row.compensatingMeasures;
  if (row.decidedBy !== null) d.decidedBy = row.decidedBy;
  if (row.decidedAt !== null) d.decidedAt = row.decidedAt.toISOString();
  if (row.decisionComment !== null) d.decisionComment = row.decisionComment;
  if (row.revokedAt !== null) d.revokedAt = row.revokedAt.toISOString();
  const named = (id: string | null) => (id === null ? undefined : names.get(id));
  if (named(row.requestedBy)) d.requestedByName = named(row.requestedBy)!;
  if (named(row.decidedBy)) d.decidedByName = named(row.decidedBy)!;
  if (named(row.revokedBy)) d.revokedByName = named(row.revokedBy)!;
  return d;
}

/** Display names of the people behind derogations (one query, whatever their number). */
export async function derogationPeople(db: Db, rows: readonly DerogationRow[]): Promise<Map<string, string>> {
  const ids = [
    ...new Set(
      rows.flatMap((r) => [r.requestedBy, r.decidedBy, r.revokedBy]).filter((id): id is string => id !== null),
    ),
  ];
  if (ids.length === 0) return new Map();
  const people = await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids));
  return new Map(people.map((p) => [p.id, p.name]));
}

/** Where an attestation's uploaded document is downloaded from. */
export const attestationDocumentPath = (attestationId: string) => `/api/v1/attestations/${attestationId}/document`;

export function attestationFact(row: AttestationRow): Attestation {
  const evidence: Attestation['evidence'] = { kind: row.evidence.kind };
  if (row.evidence.title !== undefined) evidence.title = row.evidence.title;
  if (row.evidence.text !== undefined) evidence.text = row.evidence.text;
  if (row.evidence.url !== undefined) evidence.url = row.evidence.url;
  if (row.evidence.kind === 'document') evidence.url = attestationDocumentPath(row.id);
  return {
    id: row.id,
    requirement: row.requirement,
    attestedBy: row.attestedBy,
    role: row.role as AttestorRole,
    evidence,
    attestedAt: row.attestedAt.toISOString(),
    validUntil: row.validUntil.toISOString(),
    ...(row.environmentId !== null ? { environmentId: row.environmentId } : {}),
  };
}

/** Links to a run's stored artefacts (the runs API). */
export function runEvidenceLinks(runId: string, hasSbom: boolean): CertifiedRunFacts['links'] {
  return {
    bundleUrl: `/api/v1/runs/${runId}/evidence`,
    sarifUrl: `/api/v1/runs/${runId}/sarif`,
    ...(hasSbom ? { sbomUrl: `/api/v1/runs/${runId}/sbom` } : {}),
  };
}

const failedCheckerNote = /^the (.+) checker failed and was skipped/;

/**
 * Rules a check report evaluated: every registered rule, except those of a checker that crashed during the run
 * (the engine turns a crash into a note) — a rule that did not run establishes nothing.
 */
export function evaluatedRulesOf(report: { notes?: { message: string }[] }): string[] {
  const failed = new Set<string>();
  for (const note of report.notes ?? []) {
    const m = failedCheckerNote.exec(note.message);
    if (m) failed.add(m[1]!);
  }
  return allCheckers()
    .filter((c) => !failed.has(c.name))
    .flatMap((c) => c.rules.map((r) => r.id));
}

/** The last certified run of each repository, with its findings (from the run's check report). */
async function lastCertifiedRuns(db: Db, repositoryIds: string[]): Promise<Map<string, CertifiedRunFacts>> {
  const result = new Map<string, CertifiedRunFacts>();
  if (repositoryIds.length === 0) return result;
  const latest = await db
    .selectDistinctOn([certifiedRevisions.repositoryId], {
      repositoryId: certifiedRevisions.repositoryId,
      runId: certifiedRevisions.runId,
      commitSha: certifiedRevisions.commitSha,
      certifiedAt: certifiedRevisions.certifiedAt,
      finishedAt: runs.finishedAt,
      imageDigest: runs.imageDigest,
    })
    .from(certifiedRevisions)
    .innerJoin(runs, eq(runs.id, certifiedRevisions.runId))
    .where(inArray(certifiedRevisions.repositoryId, repositoryIds))
    .orderBy(certifiedRevisions.repositoryId, desc(certifiedRevisions.certifiedAt), desc(certifiedRevisions.runId));
  if (latest.length === 0) return result;
  const artifacts = await db
    .select({ runId: runArtifacts.runId, kind: runArtifacts.kind, content: sql<string | null>`case when ${runArtifacts.kind} in ('check-report', 'runtime') then ${runArtifacts.content} end` })
    .from(runArtifacts)
    .where(and(inArray(runArtifacts.runId, latest.map((l) => l.runId)), inArray(runArtifacts.kind, ['check-report', 'sbom', 'runtime'])));
  const artifactsByRun = new Map<string, typeof artifacts>();
  for (const a of artifacts) artifactsByRun.set(a.runId, [...(artifactsByRun.get(a.runId) ?? []), a]);
  const blockingEverywhere = new Set(
    allCheckers()
      .flatMap((c) => c.rules)
      .filter((r) => r.blocksEverywhere)
      .map((r) => r.id),
  );
  for (const l of latest) {
    const mine = artifactsByRun.get(l.runId) ?? [];
    const reportText = mine.find((a) => a.kind === 'check-report')?.content;
    let findings: Finding[] = [];
    let evaluatedRules: string[] = [];
    const measurements: RunMeasurements = {};
    if (l.imageDigest) measurements.imageDigest = l.imageDigest;
    if (reportText) {
      try {
        const report = JSON.parse(reportText) as Partial<Pick<CheckReport, 'findings' | 'notes' | 'tests' | 'coverage' | 'observations' | 'unevaluated'>>;
        findings = Array.isArray(report.findings) ? report.findings : [];
        evaluatedRules = evaluatedRulesOf(report);
        Object.assign(measurements, measurementsOf(report));
      } catch {
        // An unreadable report establishes nothing: the automated parts stay "rules not evaluated".
      }
    }
    const runtime = runtimeOf(mine.find((a) => a.kind === 'runtime')?.content);
    if (runtime) measurements.runtime = runtime;
    result.set(l.repositoryId, {
      runId: l.runId,
      finishedAt: (l.finishedAt ?? l.certifiedAt).toISOString(),
      revision: l.commitSha,
      evaluatedRules,
      // Like the gate: findings in tests, fixtures, examples and docs do not count against a requirement, except
      // those of rules that block everywhere (private keys, live cloud credentials); informational ones never do.
      findings: findings.filter((f) => f.severity !== 'info' && (f.scope === undefined || blockingEverywhere.has(f.ruleId))).map((f) => ({ ruleId: f.ruleId, requirements: f.requirements ?? [], fingerprint: f.fingerprint, severity: f.severity, message: f.message, location: f.location })),
      links: runEvidenceLinks(l.runId, mine.some((a) => a.kind === 'sbom')),
      measurements,
    });
  }
  return result;
}

/** The start-up measurement the chain stored (well-formed parts only: an artifact is stored data). */
export function runtimeOf(text: string | null | undefined): RuntimeFacts | undefined {
  if (!text) return undefined;
  try {
    const r = JSON.parse(text) as Partial<RuntimeFacts>;
    if ((r.status !== 'measured' && r.status !== 'not-started') || typeof r.measuredAt !== 'string') return undefined;
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
    const out: RuntimeFacts = { status: r.status, measuredAt: r.measuredAt };
    if (r.reason && typeof r.reason.code === 'string' && r.reason.message) out.reason = { code: r.reason.code, message: { fr: String(r.reason.message.fr), en: String(r.reason.message.en) } };
    if (r.probe && num(r.probe.port) !== undefined) out.probe = { port: r.probe.port, ...(typeof r.probe.path === 'string' ? { path: r.probe.path } : {}) };
    if (num(r.readyMs) !== undefined) out.readyMs = r.readyMs!;
    if (num(r.startWaitMs) !== undefined) out.startWaitMs = r.startWaitMs!;
    if (r.exitedEarly && num(r.exitedEarly.afterMs) !== undefined)
      out.exitedEarly = { afterMs: r.exitedEarly.afterMs, exitCode: num(r.exitedEarly.exitCode) ?? null };
    if (r.stop && num(r.stop.afterMs) !== undefined)
      out.stop = {
        afterMs: r.stop.afterMs,
        exitCode: num(r.stop.exitCode) ?? null,
        killed: r.stop.killed === true,
        stopWaitMs: num(r.stop.stopWaitMs) ?? 0,
      };
    return out;
  } catch {
    return undefined;
  }
}

/** What a stored check report measured and observed (only well-formed parts: a report is stored data). */
export function measurementsOf(report: Partial<Pick<CheckReport, 'tests' | 'coverage' | 'observations' | 'unevaluated'>>): RunMeasurements {
  const m: RunMeasurements = {};
  const tests = report.tests;
  if (tests && typeof tests.tests === 'number') {
    m.tests = {
      reports: Array.isArray(tests.reports) ? tests.reports : [],
      tests: tests.tests,
      failures: tests.failures ?? 0,
      errors: tests.errors ?? 0,
      skipped: tests.skipped ?? 0,
    };
  }
  const coverage = report.coverage;
  if (coverage && typeof coverage.lineRate === 'number') {
    m.coverage = {
      reports: Array.isArray(coverage.reports) ? coverage.reports : [],
      lineRate: coverage.lineRate,
      linesCovered: coverage.linesCovered ?? 0,
      linesValid: coverage.linesValid ?? 0,
    };
  }
  if (report.observations && typeof report.observations === 'object') m.observations = report.observations;
  if (Array.isArray(report.unevaluated) && report.unevaluated.length > 0) {
    m.unevaluated = report.unevaluated
      .slice(0, 200)
      .map((u) => ({
        kind: String(u.kind),
        item: String(u.item),
        code: String(u.code),
        message: String(u.message).slice(0, 500),
      }));
  }
  return m;
}

/** The last run of each repository started by a push from the team's forge (EX5). */
async function lastForgePushes(db: Db, projectIds: string[]): Promise<Map<string, { runId: string; at: string }>> {
  const result = new Map<string, { runId: string; at: string }>();
  if (projectIds.length === 0) return result;
  const rows = await db
    .selectDistinctOn([runs.repositoryId], { repositoryId: runs.repositoryId, runId: runs.id, at: runs.createdAt })
    .from(runs)
    .where(and(inArray(runs.projectId, projectIds), eq(runs.trigger, 'webhook')))
    .orderBy(runs.repositoryId, desc(runs.createdAt), desc(runs.id));
  for (const r of rows) result.set(r.repositoryId, { runId: r.runId, at: r.at.toISOString() });
  return result;
}

const DAY_MS = 86_400_000;

/** Feedback deliveries and deployments of many projects, two grouped queries whatever their number. */
async function platformObservations(
  db: Db,
  projectIds: string[],
  policy: ConformityPolicy,
  now: Date,
): Promise<Map<string, PlatformObservations>> {
  const feedbackStart = new Date(now.getTime() - policy.feedbackMaxAgeDays * DAY_MS);
  const deliveryStart = new Date(now.getTime() - policy.delivery.windowDays * DAY_MS);
  const [feedbackRows, statusRows, restoreRows, deploymentRows] = await Promise.all([
    db
      .select({
        projectId: notificationWebhooks.projectId,
        lastDeliveredAt: sql<
          string | null
        >`max(${notificationDeliveries.createdAt}) filter (where ${notificationDeliveries.delivered})`,
        lastFailedAt: sql<
          string | null
        >`max(${notificationDeliveries.createdAt}) filter (where not ${notificationDeliveries.delivered})`,
        deliveredInWindow: sql<number>`cast(count(*) filter (where ${notificationDeliveries.delivered} and ${notificationDeliveries.createdAt} >= ${feedbackStart}) as int)`,
        failedInWindow: sql<number>`cast(count(*) filter (where not ${notificationDeliveries.delivered} and ${notificationDeliveries.createdAt} >= ${feedbackStart}) as int)`,
      })
      .from(notificationDeliveries)
      .innerJoin(notificationWebhooks, eq(notificationWebhooks.id, notificationDeliveries.webhookId))
      .where(inArray(notificationWebhooks.projectId, projectIds))
      .groupBy(notificationWebhooks.projectId),
    db
      .select({
        projectId: commitStatusDeliveries.projectId,
        lastDeliveredAt: sql<
          string | null
        >`max(${commitStatusDeliveries.createdAt}) filter (where ${commitStatusDeliveries.delivered})`,
        lastFailedAt: sql<
          string | null
        >`max(${commitStatusDeliveries.createdAt}) filter (where not ${commitStatusDeliveries.delivered})`,
        deliveredInWindow: sql<number>`cast(count(*) filter (where ${commitStatusDeliveries.delivered} and ${commitStatusDeliveries.createdAt} >= ${feedbackStart}) as int)`,
        failedInWindow: sql<number>`cast(count(*) filter (where not ${commitStatusDeliveries.delivered} and ${commitStatusDeliveries.createdAt} >= ${feedbackStart}) as int)`,
      })
      .from(commitStatusDeliveries)
      .where(inArray(commitStatusDeliveries.projectId, projectIds))
      .groupBy(commitStatusDeliveries.projectId),
    db
      .selectDistinctOn([restoreTests.projectId], {
        projectId: restoreTests.projectId,
        id: restoreTests.id,
        at: restoreTests.performedAt,
        outcome: restoreTests.outcome,
        recordedBy: restoreTests.recordedBy,
        recordedByName: users.displayName,
        environmentId: restoreTests.environmentId,
      })
      .from(restoreTests)
      .leftJoin(users, eq(users.id, restoreTests.recordedBy))
      .where(inArray(restoreTests.projectId, projectIds))
      .orderBy(
        restoreTests.projectId,
        desc(restoreTests.performedAt),
        desc(restoreTests.recordedAt),
        desc(restoreTests.id),
      ),
    db
      .select({
        projectId: deployments.projectId,
        changeSize: deployments.changeSize,
        at: deployments.committedAt,
        production: stages.production,
        firstRunAt: sql<
          string | null
        >`(select min(${runs.createdAt}) from ${runs} where ${runs.repositoryId} = ${deployments.repositoryId} and ${runs.commitSha} = ${deployments.revision})`,
      })
      .from(deployments)
      .innerJoin(environments, eq(environments.id, deployments.environmentId))
      .innerJoin(stages, eq(stages.id, environments.stageId))
      .where(
        and(
          inArray(deployments.projectId, projectIds),
          isNotNull(deployments.committedAt),
          gte(deployments.committedAt, deliveryStart),
          inArray(deployments.status, ['committed', 'superseded']),
        ),
      )
      .orderBy(asc(deployments.committedAt), asc(deployments.id)),
  ]);
  const instant = (v: string | Date | null | undefined) =>
    v === null || v === undefined ? undefined : new Date(v).toISOString();
  const result = new Map<string, PlatformObservations>();
  const get = (projectId: string): PlatformObservations => {
    let o = result.get(projectId);
    if (!o) {
      o = {
        feedback: { deliveredInWindow: 0, failedInWindow: 0, windowStart: feedbackStart.toISOString() },
        delivery: {
          windowStart: deliveryStart.toISOString(),
          deployments: 0,
          leadTimesHours: [],
          productionDeployments: 0,
        },
      };
      result.set(projectId, o);
    }
    return o;
  };
  for (const id of projectIds) get(id);
  for (const f of feedbackRows) {
    const o = get(f.projectId);
    const delivered = instant(f.lastDeliveredAt);
    const failed = instant(f.lastFailedAt);
    o.feedback = {
      ...o.feedback,
      deliveredInWindow: Number(f.deliveredInWindow),
      failedInWindow: Number(f.failedInWindow),
      ...(delivered ? { lastDeliveredAt: delivered } : {}),
      ...(failed ? { lastFailedAt: failed } : {}),
    };
  }
  const later = (a: string | undefined, b: string | undefined) =>
    a === undefined ? b : b === undefined ? a : a > b ? a : b;
  for (const f of statusRows) {
    const o = get(f.projectId);
    const delivered = instant(f.lastDeliveredAt);
    const failed = instant(f.lastFailedAt);
    const lastDeliveredAt = later(o.feedback.lastDeliveredAt, delivered);
    const lastFailedAt = later(o.feedback.lastFailedAt, failed);
    o.feedback = {
      ...o.feedback,
      deliveredInWindow: o.feedback.deliveredInWindow + Number(f.deliveredInWindow),
      failedInWindow: o.feedback.failedInWindow + Number(f.failedInWindow),
      commitStatusesInWindow: Number(f.deliveredInWindow) + Number(f.failedInWindow),
      ...(lastDeliveredAt ? { lastDeliveredAt } : {}),
      ...(lastFailedAt ? { lastFailedAt } : {}),
    };
  }
  for (const r of restoreRows) {
    get(r.projectId).lastRestoreTest = {
      id: r.id,
      at: r.at.toISOString(),
      succeeded: r.outcome === 'succeeded',
      recordedBy: r.recordedByName ?? r.recordedBy,
      ...(r.environmentId !== null ? { environmentId: r.environmentId } : {}),
    };
  }
  for (const d of deploymentRows) {
    const o = get(d.projectId);
    const at = d.at!;
    const leadTimes = o.delivery.leadTimesHours as number[];
    const first = instant(d.firstRunAt);
    if (first) leadTimes.push(Math.max(0, Math.round(((at.getTime() - Date.parse(first)) / 3_600_000) * 100) / 100));
    if (d.changeSize) (o.delivery.changeSizesLines ??= []).push(d.changeSize.linesAdded + d.changeSize.linesDeleted);
    o.delivery.deployments++;
    if (d.production) o.delivery.productionDeployments++;
    o.delivery.lastDeploymentAt = at.toISOString();
    o.delivery.oldestAt ??= at.toISOString();
  }
  return result;
}

type RepositoryFactRow = { id: string; projectId: string; name: string };
type EnvironmentFactRow = { id: string; projectId: string; name: string; stageName: string; production: boolean; zoneId: string; zoneName: string; gateMode: EnvironmentFacts['zone']['gateMode'] };
type NotApplicableRow = typeof notApplicableDeclarations.$inferSelect;

// Every list is read in a fixed order (creation, then id) so that one project's facts are the same whether they
// were read alone or with a thousand others.
const repositoryColumns = { id: repositories.id, projectId: repositories.projectId, name: repositories.name };
const repositoryOrder = [asc(repositories.createdAt), asc(repositories.id)];
const environmentColumns = {
  id: environments.id,
  projectId: environments.projectId,
  name: environments.name,
  stageName: stages.slug,
  production: stages.production,
  zoneId: zones.id,
  zoneName: zones.slug,
  gateMode: zones.gateMode,
};
const environmentOrder = [asc(environments.createdAt), asc(environments.id)];
const attestationOrder = [asc(attestations.attestedAt), asc(attestations.id)];
const derogationOrder = [asc(derogations.requestedAt), asc(derogations.id)];
const notApplicableOrder = [asc(notApplicableDeclarations.declaredAt), asc(notApplicableDeclarations.id)];

function environmentsQuery(db: Db) {
  return db
    .select(environmentColumns)
    .from(environments)
    .innerJoin(stages, eq(stages.id, environments.stageId))
    .innerJoin(clusters, eq(clusters.id, environments.clusterId))
    .innerJoin(zones, eq(zones.id, clusters.zoneId));
}

/** Stored rows of one project → the facts the evaluator reads (the only place that does it). */
function assembleFacts(
  project: { id: string; name: string; slug: string },
  repoRows: RepositoryFactRow[],
  envRows: EnvironmentFactRow[],
  attRows: AttestationRow[],
  derRows: DerogationRow[],
  naRows: NotApplicableRow[],
  certified: Map<string, CertifiedRunFacts>,
  pushes: Map<string, { runId: string; at: string }>,
  policy: ConformityPolicy,
  platform: PlatformObservations | undefined,
  people: ReadonlyMap<string, string> = new Map(),
): ProjectFacts {
  const repositoryFacts: RepositoryFacts[] = repoRows.map((r) => {
    const run = certified.get(r.id);
    const push = pushes.get(r.id);
    return {
      id: r.id,
      name: r.name,
      ...(run ? { lastCertifiedRun: run } : {}),
      ...(push ? { lastForgePush: push } : {}),
    };
  });
  const environmentFacts: EnvironmentFacts[] = envRows.map((e) => ({
    id: e.id,
    name: e.name,
    stage: { name: e.stageName, production: e.production },
    zone: { id: e.zoneId, name: e.zoneName, gateMode: e.gateMode },
  }));
  const notApplicable: NotApplicableDeclaration[] = naRows.map((n) => ({
    id: n.id,
    requirement: n.requirement,
    justification: n.justification,
    declaredBy: n.declaredBy,
    declaredAt: n.declaredAt.toISOString(),
    ...(n.repositoryId !== null ? { repositoryId: n.repositoryId } : {}),
    ...(n.environmentId !== null ? { environmentId: n.environmentId } : {}),
  }));
  return {
    projectId: project.id,
    projectName: project.name,
    projectSlug: project.slug,
    repositories: repositoryFacts,
    environments: environmentFacts,
    attestations: attRows.map(attestationFact),
    derogations: derRows.map((d) => derogationFact(d, people)),
    notApplicable,
    policy,
    ...(platform ? { platform } : {}),
  };
}

/** The catalogue services of the projects (present ones), as conformity evidence. */
async function serviceFactsOf(db: Db, projectIds: string[]): Promise<(ServiceFacts & { projectId: string })[]> {
  const rows = await db
    .select({
      projectId: environmentServices.projectId,
      id: environmentServices.id,
      name: environmentServices.name,
      environmentId: environmentServices.environmentId,
      item: catalogueItems.slug,
      version: catalogueVersions.version,
      verdict: environmentServices.verdict,
      covers: catalogueVersions.covers,
      gitopsCommit: environmentServices.gitopsCommit,
    })
    .from(environmentServices)
    .innerJoin(catalogueItems, eq(catalogueItems.id, environmentServices.itemId))
    .innerJoin(catalogueVersions, eq(catalogueVersions.id, environmentServices.versionId))
    .where(and(inArray(environmentServices.projectId, projectIds), isNull(environmentServices.removedAt)))
    .orderBy(asc(environmentServices.id));
  return rows.map(({ gitopsCommit, ...r }) => ({ ...r, ...(gitopsCommit !== null ? { gitopsCommit } : {}) }));
}

/**
 * The facts of one project, or undefined when it does not exist (a single recompute, the API, the dossier): the
 * batched read below with one project, so that both paths can never disagree.
 */
export async function gatherProjectFacts(
  db: Db,
  projectId: string,
  options: GatherOptions = {},
): Promise<ProjectFacts | undefined> {
  return (await gatherFactsOfProjects(db, [projectId], options)).get(projectId);
}

export interface GatherOptions {
  /** The platform's thresholds and approved lists (from the configuration; default: defaultConformityPolicy). */
  policy?: ConformityPolicy;
  /** The instant the platform's observation windows end at (default: now). */
  now?: Date;
}

function groupBy<T extends { projectId: string }>(rows: T[]): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) {
    const list = grouped.get(row.projectId);
    if (list) list.push(row);
    else grouped.set(row.projectId, [row]);
  }
  return grouped;
}

/**
 * The facts of many projects in a fixed number of queries (twelve, whatever the number of projects; one of them the
 * catalogue services; three of them the platform's own observations: forge pushes, feedback deliveries and deployments,
 * read alongside the others): what the sweeps use, a chunk of projects at a time. Projects that do not exist are absent
 * from the map. Same facts as `gatherProjectFacts` for each project.
 */
export async function gatherFactsOfProjects(
  db: Db,
  projectIds: readonly string[],
  options: GatherOptions = {},
): Promise<Map<string, ProjectFacts>> {
  const policy = options.policy ?? defaultConformityPolicy;
  const result = new Map<string, ProjectFacts>();
  const ids = [...new Set(projectIds)];
  if (ids.length === 0) return result;
  const projectRows = await db
    .select({ id: projects.id, name: projects.name, slug: projects.slug })
    .from(projects)
    .where(inArray(projects.id, ids));
  if (projectRows.length === 0) return result;
  const found = projectRows.map((p) => p.id);
  // Read side by side (a server pool answers them at once): none depends on another's result.
  const [repoRows, envRows, attRows, derRows, naRows, pushes, platform, serviceRows] = await Promise.all([
    db
      .select(repositoryColumns)
      .from(repositories)
      .where(inArray(repositories.projectId, found))
      .orderBy(...repositoryOrder),
    environmentsQuery(db)
      .where(inArray(environments.projectId, found))
      .orderBy(...environmentOrder),
    db
      .select()
      .from(attestations)
      .where(inArray(attestations.projectId, found))
      .orderBy(...attestationOrder),
    db
      .select()
      .from(derogations)
      .where(inArray(derogations.projectId, found))
      .orderBy(...derogationOrder),
    db
      .select()
      .from(notApplicableDeclarations)
      .where(inArray(notApplicableDeclarations.projectId, found))
      .orderBy(...notApplicableOrder),
    lastForgePushes(db, found),
    platformObservations(db, found, policy, options.now ?? new Date()),
    serviceFactsOf(db, found),
  ]);
  const servicesByProject = groupBy(serviceRows);
  const [certified, people] = await Promise.all([
    lastCertifiedRuns(
      db,
      repoRows.map((r) => r.id),
    ),
    derogationPeople(db, derRows),
  ]);
  const [repos, envs, atts, ders, nas] = [
    groupBy(repoRows),
    groupBy(envRows),
    groupBy(attRows),
    groupBy(derRows),
    groupBy(naRows),
  ];
  // In the order asked for, so that callers iterating the map see their own order.
  const byId = new Map(projectRows.map((p) => [p.id, p]));
  for (const id of ids) {
    const project = byId.get(id);
    if (!project) continue;
    const facts = assembleFacts(
      project,
      repos.get(id) ?? [],
      envs.get(id) ?? [],
      atts.get(id) ?? [],
      ders.get(id) ?? [],
      nas.get(id) ?? [],
      certified,
      pushes,
      policy,
      platform.get(id),
      people,
    );
    const projectServices = servicesByProject.get(id);
    result.set(
      id,
      projectServices ? { ...facts, services: projectServices.map(({ projectId: _p, ...service }) => service) } : facts,
    );
  }
  return result;
}
