// The API's types as the server declares them: each is inferred (z.infer) from the zod schema the route validates
// and serializes with (src/api/schemas), so the console cannot drift from the server without `npm run typecheck`
// failing. Type-only imports: nothing of the server reaches the browser bundle.
import type { z } from 'zod';
import type { cluster, stage, user } from '../../src/api/schemas/admin.ts';
import type { evidenceDocument } from '../../src/api/schemas/attestations.ts';
import type { catalogueItem } from '../../src/api/schemas/catalogue.ts';
import type { condition } from '../../src/api/schemas/common.ts';
import type { conformity, historyPoint } from '../../src/api/schemas/conformity.ts';
import type { deploymentStatus } from '../../src/api/schemas/deployments.ts';
import type { derogation } from '../../src/api/schemas/derogations.ts';
import type { me } from '../../src/api/schemas/me.ts';
import type { problem, fieldError } from '../../src/api/schemas/problem.ts';
import type { conformitySummary, projectDetail } from '../../src/api/schemas/projects.ts';
import type { finding, findingPage, run, runStep } from '../../src/api/schemas/runs.ts';
import type { secretMetadata } from '../../src/api/schemas/secrets.ts';

/** A page of a list: the items and the cursor of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type Problem = z.infer<typeof problem>;
export type FieldError = z.infer<typeof fieldError>;
export type Condition = z.infer<typeof condition>;
export type Me = z.infer<typeof me>;
export type ProjectDetail = z.infer<typeof projectDetail>;
export type ConformitySummary = z.infer<typeof conformitySummary>;
export type Conformity = z.infer<typeof conformity>;
export type HistoryPoint = z.infer<typeof historyPoint>;
export type Run = z.infer<typeof run>;
export type RunStep = z.infer<typeof runStep>;
export type Finding = z.infer<typeof finding>;
export type FindingPage = z.infer<typeof findingPage>;
export type DeploymentStatus = z.infer<typeof deploymentStatus>;
export type Derogation = z.infer<typeof derogation>;
export type Secret = z.infer<typeof secretMetadata>;
export type EvidenceDocument = z.infer<typeof evidenceDocument>;
export type User = z.infer<typeof user>;
export type Cluster = z.infer<typeof cluster>;
export type Stage = z.infer<typeof stage>;
export type CatalogueItem = z.infer<typeof catalogueItem>;
