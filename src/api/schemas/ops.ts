// The health document /healthz and /readyz answer (application/health+json, draft-inadarei-api-health-check):
// pass or fail, our version, and per readiness check its status. The console's system page reads it.
import { z } from 'zod';

export const health = z.object({
  status: z.enum(['pass', 'fail']),
  version: z.string(),
  checks: z.record(z.string(), z.array(z.object({ status: z.enum(['pass', 'fail']), output: z.string().optional() }))).optional(),
});
