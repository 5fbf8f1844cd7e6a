// Certified runs written straight into the database, with the check report the chain stores: conformity reads the
// last one of each repository, so homologation tests build a history in milliseconds instead of running the chain.
import type { Db } from '../../src/db/client.ts';
import { certifiedRevisions, runArtifacts, runs } from '../../src/db/schema.ts';

/** A high-severity finding of rule `ruleId` on `requirement`; `key` tells findings apart (their fingerprint). */
export const finding = (ruleId: string, requirement: string, key: string) => ({
  ruleId,
  requirements: [requirement],
  severity: 'high',
  location: { file: 'Dockerfile', line: 1 },
  message: `problème ${key}`,
  fingerprint: key.padEnd(16, '0'),
});

/** A check report as the chain stores it. */
export const checkReport = (findings: unknown[], notes: unknown[] = []) =>
  JSON.stringify({ tool: { name: 'dso', version: 't' }, findings, notes });

/**
 * A run of `repositoryId` certified at `at`: the run, its check report (stored as given, so an unreadable one can be
 * tested), an SBOM when asked, and the certified revision. The commit defaults to one derived from `at`. Returns the
 * run's id.
 */
export async function insertCertifiedRun(
  db: Db,
  options: { projectId: string; repositoryId: string; report: string; at: Date; commitSha?: string; sbom?: boolean },
): Promise<string> {
  const { projectId, repositoryId, report, at } = options;
  const commitSha = options.commitSha ?? at.getTime().toString(16).padEnd(40, 'a');
  const [run] = await db
    .insert(runs)
    .values({ projectId, repositoryId, trigger: 'api', status: 'certified', commitSha, finishedAt: at })
    .returning();
  await db.insert(runArtifacts).values({
    runId: run!.id,
    kind: 'check-report',
    mediaType: 'application/json',
    sha256: 'x',
    size: report.length,
    content: report,
  });
  if (options.sbom)
    await db
      .insert(runArtifacts)
      .values({ runId: run!.id, kind: 'sbom', mediaType: 'application/json', sha256: 'y', size: 2, content: '{}' });
  await db.insert(certifiedRevisions).values({ projectId, repositoryId, commitSha, runId: run!.id, certifiedAt: at });
  return run!.id;
}
