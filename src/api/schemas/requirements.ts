// The CCT catalogue as GET /requirements shows it: each requirement's level, category and how the platform
// establishes it (checks, observations, a person's attestation, or the platform itself). The console reads the
// attested assessment from here to know which evidence and validity an attestation may have.
import { z } from 'zod';
import { attestorRoles, evidenceKinds, evidenceNeeds, platformFacts, requirementCategories } from '../../catalogue/model.ts';

// Arrays are read-only as in the catalogue's data (catalogue/model.ts), so the route returns that data as it is
// and the type check compares the two shapes.
const localised = z.object({ fr: z.string(), en: z.string() });

export const requirementListQuery = z.strictObject({
  version: z.string().max(40).optional().describe('Catalogue version (default: the current one)'),
  level: z.enum(['P', 'I']).optional(),
  q: z.string().max(100).optional().describe('Text searched in the id, title and summary (French and English)'),
});
export const requirementDiffQuery = z.strictObject({ from: z.string().min(1).max(40), to: z.string().min(1).max(40).optional() });

export const attestedAssessment = z.object({
  kind: z.literal('attested'),
  roles: z.array(z.enum(attestorRoles)).readonly().describe('Who may attest it'),
  evidence: z.array(z.enum(evidenceKinds)).readonly().describe('The evidence an attestation may carry'),
  validityDays: z.number().int().describe('Longest validity of an attestation'),
  perEnvironment: z.boolean().optional().describe('Each environment needs its own attestation (or one without environment for all)'),
  expects: localised.describe('What the attestation should show'),
});

export const assessment = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('automated'), rules: z.array(z.string()).readonly().describe('Rule ids, or a family prefix ending in .*'), evidence: z.array(z.enum(evidenceNeeds)).readonly().optional() }),
  attestedAssessment,
  z.object({ kind: z.literal('inherited'), how: localised }),
  z.object({ kind: z.literal('observed'), fact: z.enum(platformFacts), maxAgeDays: z.number().int().optional() }),
]);

export const catalogueRequirement = z.object({
  id: z.string(),
  level: z.enum(['P', 'I']),
  category: z.enum(requirementCategories),
  nature: z.enum(['ministerial', 'cloud-native']),
  title: localised,
  summary: localised,
  assessments: z.array(assessment).readonly().describe('Every assessment must hold for the requirement to be satisfied'),
  curationNote: localised.optional(),
});

export const requirementCatalogue = z.object({
  version: z.string(),
  publishedAt: z.string(),
  current: z.boolean().describe('Whether this is the version projects are evaluated against'),
  versions: z.array(z.object({ version: z.string(), publishedAt: z.string() })),
  requirements: z.array(catalogueRequirement),
});
