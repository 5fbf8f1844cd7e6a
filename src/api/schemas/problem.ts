// The problem document (RFC 9457) every route may answer with: declared in each route's response schema (4xx and
// 5xx, added by the server when a route is registered), so OpenAPI documents it and the console's client reads its
// type from here (web/src/contract.ts).
import { z } from 'zod';

export const fieldError = z.object({ field: z.string(), message: z.string() });

export const problem = z
  .looseObject({
    type: z.string().describe('Stable URI of the problem type; its last segment names it (e.g. usage-policy-required).'),
    title: z.string().describe('Short sentence in the request\'s language (French unless Accept-Language prefers English).'),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(fieldError).optional().describe('Invalid fields, for validation problems.'),
    instance: z.string().optional(),
    requestId: z.string().optional(),
  })
  .describe('application/problem+json (RFC 9457); some types add extension members.');
