// Everything the conformity evaluator needs about a project, read from the database in a handful of queries:
// repositories with their last certified run (findings from its check report), environments with stage and zone,
// attestations, derogations and not-applicable declarations. The ONE place that turns stored rows into
// ProjectFacts, so the API, the dossier, the deployment gate and the history all see the same facts. The sweeps
// read many projects at once (`gatherFactsOfProjects`): a fixed number of queries per chunk instead of per project.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { AttestorRole } from '../catalogue/model.ts';
import type { Attestation, CertifiedRunFacts, EnvironmentFacts, NotApplicableDeclaration, ProjectFacts, RepositoryFacts } from '../catalogue/facts.ts';
import { allCheckers } from '../checks/registry.ts';
import '../checks/checkers.ts';
import type { Finding } from '../checks/model.ts';
import type { Db } from '../db/client.ts';
import {
  attestations,
  certifiedRevisions,
  clusters,
  derogations,
  environments,
  notApplicableDeclarations,
  projects,
  repositories,
  runArtifacts,
  runs,
  stages,
  zones,
} from '../db/schema.ts';
import type { Derogation } from '../domain/derogation.ts';

export type DerogationRow = typeof derogations.$inferSelect;
export type AttestationRow = typeof attestations.$inferSelect;

/** The derogation as the pure evaluator sees it (instants in UTC ISO 8601). */
export function derogationFact(row: DerogationRow): Derogation {
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
  return d;
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
    })
    .from(certifiedRevisions)
    .innerJoin(runs, eq(runs.id, certifiedRevisions.runId))
    .where(inArray(certifiedRevisions.repositoryId, repositoryIds))
    .orderBy(certifiedRevisions.repositoryId, desc(certifiedRevisions.certifiedAt), desc(certifiedRevisions.runId));
  if (latest.length === 0) return result;
  const artifacts = await db
    .select({ runId: runArtifacts.runId, kind: runArtifacts.kind, content: sql<string | null>`case when ${runArtifacts.kind} = 'check-report' then ${runArtifacts.content} end` })
    .from(runArtifacts)
    .where(and(inArray(runArtifacts.runId, latest.map((l) => l.runId)), inArray(runArtifacts.kind, ['check-report', 'sbom'])));
  const artifactsByRun = new Map<string, typeof artifacts>();
  for (const a of artifacts) artifactsByRun.set(a.runId, [...(artifactsByRun.get(a.runId) ?? []), a]);
  const blockingEverywhere = new Set(allCheckers().flatMap((c) => c.rules).filter((r) => r.blocksEverywhere).map((r) => r.id));
  for (const l of latest) {
    const mine = artifactsByRun.get(l.runId) ?? [];
    const reportText = mine.find((a) => a.kind === 'check-report')?.content;
    let findings: Finding[] = [];
    let evaluatedRules: string[] = [];
    if (reportText) {
      try {
        const report = JSON.parse(reportText) as { findings?: Finding[]; notes?: { message: string }[] };
        findings = Array.isArray(report.findings) ? report.findings : [];
        evaluatedRules = evaluatedRulesOf(report);
      } catch {
        // An unreadable report establishes nothing: the automated parts stay "rules not evaluated".
      }
    }
    result.set(l.repositoryId, {
      runId: l.runId,
      finishedAt: (l.finishedAt ?? l.certifiedAt).toISOString(),
      revision: l.commitSha,
      evaluatedRules,
      // Like the gate: findings in tests, fixtures, examples and docs do not count against a requirement, except
      // those of rules that block everywhere (private keys, live cloud credentials).
      findings: findings.filter((f) => f.scope === undefined || blockingEverywhere.has(f.ruleId)).map((f) => ({ ruleId: f.ruleId, requirements: f.requirements ?? [], fingerprint: f.fingerprint, severity: f.severity, message: f.message, location: f.location })),
      links: runEvidenceLinks(l.runId, mine.some((a) => a.kind === 'sbom')),
    });
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
  project: { id: string; name: string },
  repoRows: RepositoryFactRow[],
  envRows: EnvironmentFactRow[],
  attRows: AttestationRow[],
  derRows: DerogationRow[],
  naRows: NotApplicableRow[],
  certified: Map<string, CertifiedRunFacts>,
): ProjectFacts {
  const repositoryFacts: RepositoryFacts[] = repoRows.map((r) => {
    const run = certified.get(r.id);
    return { id: r.id, name: r.name, ...(run ? { lastCertifiedRun: run } : {}) };
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
    repositories: repositoryFacts,
    environments: environmentFacts,
    attestations: attRows.map(attestationFact),
    derogations: derRows.map(derogationFact),
    notApplicable,
  };
}

/**
 * The facts of one project, or undefined when it does not exist (a single recompute, the API, the dossier): the
 * batched read below with one project, so that both paths can never disagree.
 */
export async function gatherProjectFacts(db: Db, projectId: string): Promise<ProjectFacts | undefined> {
  return (await gatherFactsOfProjects(db, [projectId])).get(projectId);
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
 * The facts of many projects in a fixed number of queries (eight, whatever the number of projects): what the
 * sweeps use, a chunk of projects at a time. Projects that do not exist are absent from the map. Same facts as
 * `gatherProjectFacts` for each project.
 */
export async function gatherFactsOfProjects(db: Db, projectIds: readonly string[]): Promise<Map<string, ProjectFacts>> {
  const result = new Map<string, ProjectFacts>();
  const ids = [...new Set(projectIds)];
  if (ids.length === 0) return result;
  const projectRows = await db.select({ id: projects.id, name: projects.name }).from(projects).where(inArray(projects.id, ids));
  if (projectRows.length === 0) return result;
  const found = projectRows.map((p) => p.id);
  const [repoRows, envRows, attRows, derRows, naRows] = await Promise.all([
    db.select(repositoryColumns).from(repositories).where(inArray(repositories.projectId, found)).orderBy(...repositoryOrder),
    environmentsQuery(db).where(inArray(environments.projectId, found)).orderBy(...environmentOrder),
    db.select().from(attestations).where(inArray(attestations.projectId, found)).orderBy(...attestationOrder),
    db.select().from(derogations).where(inArray(derogations.projectId, found)).orderBy(...derogationOrder),
    db.select().from(notApplicableDeclarations).where(inArray(notApplicableDeclarations.projectId, found)).orderBy(...notApplicableOrder),
  ]);
  const certified = await lastCertifiedRuns(db, repoRows.map((r) => r.id));
  const [repos, envs, atts, ders, nas] = [groupBy(repoRows), groupBy(envRows), groupBy(attRows), groupBy(derRows), groupBy(naRows)];
  // In the order asked for, so that callers iterating the map see their own order.
  const byId = new Map(projectRows.map((p) => [p.id, p]));
  for (const id of ids) {
    const project = byId.get(id);
    if (!project) continue;
    result.set(id, assembleFacts(project, repos.get(id) ?? [], envs.get(id) ?? [], atts.get(id) ?? [], ders.get(id) ?? [], nas.get(id) ?? [], certified));
  }
  return result;
}
