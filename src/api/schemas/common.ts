// Building blocks shared by the resource schemas: every string is bounded, text is stored verbatim (no trimming,
// no escaping on input — output is JSON, the console escapes when rendering).
import { z } from 'zod';
import { slugMaxLength, slugPattern } from '../../domain/project-rules.ts';
import type { Condition } from '../../db/schema.ts';
import { conditionText } from '../../reconcile/condition-messages.ts';

export const id = z.uuid();
export const slug = z.string().max(slugMaxLength).regex(slugPattern, 'lowercase letters, digits and "-" (not at either end), at most 40 characters');
export const name = z.string().min(1).max(100);
export const description = z.string().max(2000);
export const isoDateTime = z.iso.datetime({ offset: true });
export const timestamp = z.string().describe('ISO 8601, UTC');

export const condition = z.object({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string(),
  message: z.string().describe('In the request\'s language (French unless Accept-Language prefers English)'),
  code: z.string().optional().describe('Stable code of the message (absent on conditions written before codes)'),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional().describe('Parameters of the coded message'),
  text: z.object({ fr: z.string(), en: z.string() }).describe('The message in French and in English'),
  lastTransitionTime: z.string(),
});

/** Conditions as the API shows them: the message in `lang`, both texts, and the code when there is one. */
export function presentConditions(conditions: readonly Condition[], lang: 'fr' | 'en' = 'en'): z.infer<typeof condition>[] {
  return conditions.map((c) => {
    const text = conditionText(c);
    return {
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: text[lang],
      ...(c.code ? { code: c.code } : {}),
      ...(c.params ? { params: c.params } : {}),
      text,
      lastTransitionTime: c.lastTransitionTime,
    };
  });
}

export const provisioning = {
  status: z.enum(['pending', 'ready', 'failed']),
  conditions: z.array(condition),
  generation: z.number().int(),
  observedGeneration: z.number().int(),
};

export const idParams = z.strictObject({ id });
export const projectIdQuery = z.uuid().optional();

export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
export const isoRequired = (d: Date): string => d.toISOString();

/** Bounded quota figures (an environment asks for millicores, MiB and whole GPUs). */
export const quota = {
  cpuMillicores: z.number().int().min(1).max(1_000_000),
  memoryMiB: z.number().int().min(1).max(16_777_216),
  gpu: z.number().int().min(0).max(1024),
};
