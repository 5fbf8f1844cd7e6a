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

export const requirementConformity = z.looseObject({
  id: z.string(),
  level: z.enum(['P', 'I']),
  state: z.enum(conformityStates),
  until: z.string().optional(),
  title: localised.optional(),
  rules: z.array(z.string()).optional().describe('Check rules that establish this requirement (each has a page: GET /rules/{ruleId})'),
  targets: z.array(z.looseObject({ target: z.looseObject({ kind: z.string() }), assessment: z.string(), state: z.enum(conformityStates), reasons: z.array(z.object({ code: z.string(), message: localised, evidence: z.string().optional(), howTo: localised.optional() })), evidence: z.array(z.looseObject({ kind: z.string() })) })),
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
