// The project's approved derogations, as the gate reads them (the gate itself decides whether each is still in
// force at the run's time and whether it covers a finding).
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { derogations } from '../db/schema.ts';
import type { Derogation } from '../domain/derogation.ts';

export async function approvedDerogations(db: Db, projectId: string): Promise<Derogation[]> {
  const rows = await db.select().from(derogations).where(and(eq(derogations.projectId, projectId), eq(derogations.status, 'approved')));
  return rows.map((r) => ({ id: r.id, projectId: r.projectId, requirement: r.requirement, scope: r.scope, status: 'approved', expiresAt: r.expiresAt.toISOString() }));
}
