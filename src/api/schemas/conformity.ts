// Conformity as the API shows it: the pure evaluator's result (catalogue/conformity.ts) — per requirement its
// state, reasons, evidence and targets (repositories, environments) — and the history points for the trend.
import { z } from 'zod';
import { conformityStates } from '../../catalogue/conformity.ts';
import { pageQueryShape, pageSchema } from '../pagination.ts';

export const projectParams = z.strictObject({ projectId: z.uuid() });

export const conformityQuery = z.strictObject({
  at: z.string().max(60).optional().describe('Evaluate at this instant (ISO 8601 with offset) instead of now'),
  environmentId: z.uuid().optional().describe('As seen by a deployment to this environment'),
  lang: z.enum(['fr', 'en']).optional(),
});

const localised = z.object({ fr: z.string(), en: z.string() });
const levelScore = z.object({
  applicable: z.number(),
  satisfied: z.number(),
  derogated: z.number(),
  awaitingAttestation: z.number(),
  awaitingEvidence: z.number(),
  notSatisfied: z.number(),
  notApplicable: z.number(),
  ratio: z.number(),
  coveredRatio: z.number(),
});

// A target's evidence: one of several kinds (a run, an attestation, a derogation, an observation, the platform, a
// declaration, a catalogue service; catalogue/conformity.ts EvidenceRef), each with some of these members. Loose
// objects: a member added by the evaluator reaches the client before it is described here.
const evidenceRef = z.looseObject({
  kind: z.string(),
  runId: z.string().optional(),
  repositoryId: z.string().optional(),
  finishedAt: z.string().optional(),
  evidence: z.string().optional().describe('For an observation: the evidence or platform fact observed'),
  summary: localised.optional(),
  observedAt: z.string().optional(),
  url: z.string().optional(),
  attestedBy: z.string().optional(),
  role: z.string().optional(),
  effectiveUntil: z.string().optional(),
  expiresAt: z.string().optional(),
  derogationId: z.string().optional(),
  how: localised.optional(),
  justification: z.string().optional(),
  name: z.string().optional(),
  item: z.string().optional(),
  version: z.string().optional(),
});
const target = z.looseObject({
  target: z.looseObject({ kind: z.string(), id: z.string().optional(), name: z.string().optional() }),
  assessment: z.string(),
  state: z.enum(conformityStates),
  until: z.string().optional(),
  reasons: z.array(z.object({ code: z.string(), message: localised, evidence: z.string().optional(), howTo: localised.optional() })),
  evidence: z.array(evidenceRef),
  openFindings: z.array(z.looseObject({ ruleId: z.string(), location: z.looseObject({ file: z.string(), line: z.number().optional() }) })).optional().describe('Open findings behind an automated target (the first ones)'),
  openFindingCount: z.number().optional(),
});

export const requirementConformity = z.looseObject({
  id: z.string(),
  level: z.enum(['P', 'I']),
  state: z.enum(conformityStates),
  until: z.string().optional(),
  title: localised.optional(),
  rules: z.array(z.string()).optional().describe('Check rules that establish this requirement (each has a page: GET /rules/{ruleId})'),
  targets: z.array(target),
});

export const conformity = z.object({
  projectId: z.uuid(),
  catalogueVersion: z.string(),
  evaluatedAt: z.string(),
  environmentId: z.string().optional(),
  requirements: z.array(requirementConformity),
  scores: z.object({ P: levelScore, I: levelScore }),
  nextChangeAt: z.string().optional(),
  /** DORA measures over the window (EX17): deployments, per week, median lead time, median change size. */
  delivery: z
    .object({
      windowDays: z.number(),
      deployments: z.number(),
      perWeek: z.number(),
      medianLeadTimeHours: z.number().optional(),
      medianChangeLines: z.number().optional().describe('Median lines added and deleted since the revision the environment ran before'),
      changesMeasured: z.number().describe('Deployments whose change size could be measured'),
      productionDeployments: z.number(),
      lastDeploymentAt: z.string().optional(),
    })
    .optional(),
});

const snapshotScore = z.object({ applicable: z.number(), satisfied: z.number(), derogated: z.number(), ratio: z.number(), coveredRatio: z.number() });
export const historyPoint = z.object({
  evaluatedAt: z.string(),
  catalogueVersion: z.string(),
  P: snapshotScore,
  I: snapshotScore,
  states: z.record(z.string(), z.enum(conformityStates)),
  changes: z.array(z.object({ id: z.string(), from: z.string(), to: z.string() })),
});
export const historyPage = pageSchema(historyPoint);
export const historyQuery = z.object({ ...pageQueryShape, limit: z.coerce.number().int().min(1).max(500).default(100) });

export const dossierQuery = z.strictObject({
  format: z.enum(['html', 'oscal', 'oscal-poam']).default('html'),
  lang: z.enum(['fr', 'en']).optional(),
});
