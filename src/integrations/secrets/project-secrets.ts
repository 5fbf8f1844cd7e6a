// The embedded project secret store: each secret is a set of key → value pairs sealed together (AES-256-GCM,
// secret-box). Names, keys and target environments are metadata anyone with read access may see; values are
// write-only through the API and leave the store only towards the cluster (external-secrets), never into git.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { projectSecrets } from '../../db/schema.ts';
import type { SecretBox } from './secret-box.ts';

export type ProjectSecretRow = typeof projectSecrets.$inferSelect;

export interface SecretWrite {
  /** Key → value; keys become the keys of the Kubernetes Secret. */
  values: Record<string, string>;
  /** Environment names; absent = every environment of the project. */
  environments?: string[] | undefined;
}

/** Creates or replaces a secret; returns the row (with its version) and whether it existed. */
export async function putProjectSecret(
  db: Db,
  box: SecretBox,
  projectId: string,
  name: string,
  write: SecretWrite,
  by: string | null,
  now: Date,
): Promise<{ row: ProjectSecretRow; created: boolean }> {
  const keys = Object.keys(write.values).sort();
  const sealed = box.seal(JSON.stringify(write.values));
  const environments = write.environments ? [...new Set(write.environments)].sort() : null;
  const [existing] = await db
    .select({ id: projectSecrets.id })
    .from(projectSecrets)
    .where(and(eq(projectSecrets.projectId, projectId), eq(projectSecrets.name, name)))
    .limit(1);
  const [row] = await db
    .insert(projectSecrets)
    .values({
      projectId,
      name,
      valuesSealed: sealed,
      keys,
      environments,
      updatedBy: by,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: [projectSecrets.projectId, projectSecrets.name],
      set: {
        valuesSealed: sealed,
        keys,
        environments,
        updatedBy: by,
        updatedAt: now,
        version: sql`${projectSecrets.version} + 1`,
      },
    })
    .returning();
  if (!row) throw new Error('upsert returned nothing');
  return { row, created: !existing };
}

export async function findProjectSecret(
  db: Db,
  projectId: string,
  name: string,
): Promise<ProjectSecretRow | undefined> {
  const [row] = await db
    .select()
    .from(projectSecrets)
    .where(and(eq(projectSecrets.projectId, projectId), eq(projectSecrets.name, name)))
    .limit(1);
  return row;
}

export async function listProjectSecrets(db: Db, projectId: string): Promise<ProjectSecretRow[]> {
  return db
    .select()
    .from(projectSecrets)
    .where(eq(projectSecrets.projectId, projectId))
    .orderBy(asc(projectSecrets.name));
}

export async function deleteProjectSecret(
  db: Db,
  projectId: string,
  name: string,
): Promise<ProjectSecretRow | undefined> {
  const [row] = await db
    .delete(projectSecrets)
    .where(and(eq(projectSecrets.projectId, projectId), eq(projectSecrets.name, name)))
    .returning();
  return row;
}

/** The values, for the secret store's consumers (the cluster side); never for the API. */
export function openProjectSecret(box: SecretBox, row: ProjectSecretRow): Record<string, string> {
  return JSON.parse(box.open(row.valuesSealed)) as Record<string, string>;
}
