// A check rule's page as the API serves it: the rule's facts (severity, kind, requirements, description in both
// languages) and its documentation page as inert structured text (checks/rule-page.ts), never HTML.
import { z } from 'zod';

export const ruleParams = z.strictObject({
  ruleId: z
    .string()
    .min(1)
    .max(120)
    .regex(/^[a-z0-9][a-z0-9.-]*$/)
    .describe('The rule id, e.g. secrets.github-token'),
});
export const ruleQuery = z.strictObject({ lang: z.enum(['fr', 'en']).optional() });

const localised = z.object({ fr: z.string(), en: z.string() });
const inline = z.object({
  text: z.string(),
  code: z.literal(true).optional(),
  strong: z.literal(true).optional(),
  ruleId: z.string().optional(),
});
const block = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('paragraph'), inlines: z.array(inline) }),
  z.object({ kind: z.literal('list'), ordered: z.boolean(), items: z.array(z.array(inline)) }),
  z.object({ kind: z.literal('table'), header: z.array(z.array(inline)), rows: z.array(z.array(z.array(inline))) }),
  z.object({ kind: z.literal('code'), language: z.string().optional(), text: z.string() }),
]);

export const rulePage = z.object({
  id: z.string(),
  kind: z.string(),
  severity: z.string(),
  requirements: z.array(z.string()),
  description: localised,
  title: z.string().optional().describe('The page title, in `language`'),
  language: z.enum(['fr', 'en']).describe('Language the page body is written in (English when no French page exists)'),
  sections: z.array(z.object({ heading: z.string().optional(), level: z.number(), blocks: z.array(block) })),
  examples: z
    .array(z.object({ kind: z.enum(['reported', 'not-reported', 'illustration']), language: z.string().optional(), code: z.string(), note: z.array(inline).optional() }))
    .describe('Samples of the Example section: reported by the rule (positive), accepted (negative), or illustrations'),
});
