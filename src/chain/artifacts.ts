// A run's downloadable results (check report, SARIF, SBOM, test results, gate verdict), each kept with its
// sha256 so the evidence manifest can prove what was produced. Saving again replaces (steps may re-run).
import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { runArtifacts } from '../db/schema.ts';

export type ArtifactKind = 'check-report' | 'sarif' | 'sbom' | 'tests' | 'gate' | 'runtime';

export async function saveArtifact(
  db: Db,
  runId: string,
  kind: ArtifactKind,
  mediaType: string,
  content: string,
  tool?: { name: string; version: string },
): Promise<void> {
  const values = {
    runId,
    kind,
    mediaType,
    content,
    sha256: createHash('sha256').update(content).digest('hex'),
    size: Buffer.byteLength(content),
    tool: tool ?? null,
    createdAt: new Date(),
  };
  await db
    .insert(runArtifacts)
    .values(values)
    .onConflictDoUpdate({ target: [runArtifacts.runId, runArtifacts.kind], set: values });
}

export async function loadArtifact(db: Db, runId: string, kind: ArtifactKind) {
  const [row] = await db
    .select()
    .from(runArtifacts)
    .where(and(eq(runArtifacts.runId, runId), eq(runArtifacts.kind, kind)))
    .limit(1);
  return row;
}
