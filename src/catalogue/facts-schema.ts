// Bounded validation of project facts read from outside (a JSON file for the offline CLI, a request body):
// untrusted input never reaches the evaluator unchecked. Mirrors facts.ts.
import { z } from 'zod';
import { parseInstant } from '../domain/derogation.ts';
import type { ProjectFacts } from './facts.ts';

const id = z.string().min(1).max(200);
const text = (max: number) => z.string().max(max);
const instant = z.string().max(40).refine((v) => parseInstant(v) !== undefined, { message: 'ISO 8601 instant with offset expected (e.g. 2026-11-29T12:00:00Z)' });
const url = z.string().max(2000).optional();

const finding = z.object({
  ruleId: id,
  requirements: z.array(z.string().max(20)).max(20),
  fingerprint: z.string().max(128),
  severity: z.enum(['critical', 'high', 'medium', 'low', 'info']),
  message: text(4000),
  location: z.object({
    file: text(1000),
    line: z.number().int().nonnegative().optional(),
    column: z.number().int().nonnegative().optional(),
  }),
});

const names = (max: number) => z.array(z.string().max(500)).max(max);
const count = z.number().int().nonnegative();
const workload = z.object({
  kind: text(100),
  name: text(300),
  file: text(1000),
  images: names(50),
  readinessProbe: z.boolean(),
  startupProbe: z.boolean(),
  livenessProbe: z.boolean(),
  preStop: z.boolean(),
  terminationGracePeriodSeconds: z.number().nonnegative().optional(),
  startBudgetSeconds: z.number().nonnegative().optional(),
  connectionVariables: names(100),
  literalConnectionUrls: names(20),
  logCollector: z.boolean(),
});
const observations = z.object({
  languages: z.record(z.string().max(50), count).optional(),
  dockerfiles: names(200).optional(),
  dependencies: z
    .object({
      components: count,
      database: z.object({ origin: z.enum(['imported', 'default']), updatedAt: text(40) }).optional(),
    })
    .optional(),
  endToEnd: z.object({ reports: names(200), tests: count, failures: count, errors: count }).optional(),
  manifests: z
    .object({
      objects: count,
      workloads: z.array(workload).max(200),
      networkPolicies: z
        .array(
          z.object({
            name: text(300),
            file: text(1000),
            policyTypes: names(2),
            podSelector: z.record(z.string().max(300), z.string().max(300)),
            flow: text(50).optional(),
          }),
        )
        .max(200),
      routes: z
        .array(
          z.object({ kind: z.enum(['Ingress', 'HTTPRoute']), name: text(300), file: text(1000), classes: names(20) }),
        )
        .max(200),
      backups: z
        .array(z.object({ kind: text(100), name: text(300), file: text(1000), destinations: names(50) }))
        .max(200),
      logCollectors: names(200),
      oidcIssuers: names(200),
    })
    .optional(),
});
const measurements = z.object({
  tests: z.object({ reports: names(1000), tests: count, failures: count, errors: count, skipped: count }).optional(),
  coverage: z
    .object({ reports: names(1000), lineRate: z.number().min(0).max(100), linesCovered: count, linesValid: count })
    .optional(),
  imageDigest: z.string().max(200).optional(),
  runtime: z
    .object({
      status: z.enum(['measured', 'not-started']),
      measuredAt: instant,
      reason: z.object({ code: text(100), message: z.object({ fr: text(1000), en: text(1000) }) }).optional(),
      probe: z.object({ port: z.number().int().min(1).max(65_535), path: text(1000).optional() }).optional(),
      readyMs: count.optional(),
      startWaitMs: count.optional(),
      exitedEarly: z.object({ afterMs: count, exitCode: z.number().int().nullable() }).optional(),
      stop: z
        .object({ afterMs: count, exitCode: z.number().int().nullable(), killed: z.boolean(), stopWaitMs: count })
        .optional(),
    })
    .optional(),
  observations: observations.optional(),
  unevaluated: z
    .array(z.object({ kind: text(50), item: text(1000), code: text(100), message: text(500) }))
    .max(200)
    .optional(),
});

const run = z.object({
  runId: id,
  finishedAt: instant,
  revision: z.string().max(100).optional(),
  evaluatedRules: z.array(id).max(5000),
  findings: z.array(finding).max(100_000),
  links: z.object({ bundleUrl: url, sbomUrl: url, sarifUrl: url }).optional(),
  measurements: measurements.optional(),
});

export const projectFactsSchema = z.object({
  projectId: id,
  projectName: text(200),
  projectSlug: text(200).optional(),
  repositories: z
    .array(
      z.object({
        id,
        name: text(200),
        lastCertifiedRun: run.optional(),
        lastForgePush: z.object({ runId: id, at: instant }).optional(),
      }),
    )
    .max(1000),
  environments: z
    .array(
      z.object({
        id,
        name: text(200),
        stage: z.object({ name: text(100), production: z.boolean() }),
        zone: z.object({ id, name: text(200), gateMode: z.enum(['audit', 'enforce']) }),
      }),
    )
    .max(1000),
  attestations: z
    .array(
      z.object({
        id,
        requirement: z.string().max(20),
        attestedBy: text(200),
        role: text(50),
        evidence: z.object({
          kind: z.enum(['document', 'link', 'text']),
          title: text(500).optional(),
          url,
          text: text(10_000).optional(),
        }),
        attestedAt: instant,
        validUntil: instant,
        environmentId: id.optional(),
      }),
    )
    .max(10_000),
  derogations: z
    .array(
      z.object({
        id,
        requirement: z.string().max(20),
        scope: z.object({
          ruleId: id.optional(),
          fingerprint: z.string().max(128).optional(),
          repositoryId: id.optional(),
          environmentId: id.optional(),
        }),
        status: z.enum(['requested', 'approved', 'rejected', 'revoked']),
        expiresAt: instant,
        projectId: id.optional(),
        justification: text(4000).optional(),
        compensatingMeasures: text(4000).optional(),
        requestedBy: text(200).optional(),
        requestedAt: instant.optional(),
        decidedBy: text(200).optional(),
        decidedAt: instant.optional(),
        decisionComment: text(4000).optional(),
        revokedAt: instant.optional(),
      }),
    )
    .max(10_000),
  notApplicable: z
    .array(
      z.object({
        id,
        requirement: z.string().max(20),
        justification: z.string().min(1).max(4000),
        declaredBy: text(200),
        declaredAt: instant,
        repositoryId: id.optional(),
        environmentId: id.optional(),
      }),
    )
    .max(1000),
  /** What the platform observed (exported facts carry it; absent, the observed requirements await evidence). */
  platform: z
    .object({
      feedback: z.object({
        lastDeliveredAt: instant.optional(),
        lastFailedAt: instant.optional(),
        deliveredInWindow: count,
        failedInWindow: count,
        windowStart: instant,
        commitStatusesInWindow: count.optional(),
      }),
      delivery: z.object({
        windowStart: instant,
        deployments: count,
        leadTimesHours: z.array(z.number().nonnegative()).max(10_000),
        changeSizesLines: z.array(z.number().int().nonnegative()).max(10_000).optional(),
        productionDeployments: count,
        lastDeploymentAt: instant.optional(),
        oldestAt: instant.optional(),
      }),
      lastRestoreTest: z
        .object({
          id: z.string().max(100),
          at: instant,
          succeeded: z.boolean(),
          recordedBy: z.string().max(200),
          environmentId: id.optional(),
        })
        .optional(),
    })
    .optional(),
  /** Thresholds and approved lists (default: the platform's defaults). */
  policy: z
    .object({
      coverageMinimumPercent: z.number().min(0).max(100),
      advisoryMaxAgeDays: z.number().int().min(1).max(365),
      forgePushMaxAgeDays: z.number().int().min(1).max(365),
      feedbackMaxAgeDays: z.number().int().min(1).max(365),
      delivery: z.object({
        windowDays: z.number().int().min(7).max(365),
        minDeployments: count,
        maxLeadTimeHours: z.number().positive(),
        maxChangeLines: z.number().positive().default(1000),
      }),
      startMaxSeconds: z.number().positive(),
      stopMaxSeconds: z.number().positive(),
      approvedLanguages: names(200),
      oidcIssuers: names(200),
      gatewayClasses: names(200),
      registryHosts: names(200),
      objectStorageEndpoints: names(200),
    })
    .optional(),
});

export type ParsedFacts =
  { ok: true; facts: ProjectFacts } | { ok: false; errors: { field: string; message: string }[] };

/** Validate untrusted facts; errors name the field (JSON-pointer-ish path) and say what is expected. */
export function parseProjectFacts(value: unknown): ParsedFacts {
  const result = projectFactsSchema.safeParse(value);
  if (result.success) return { ok: true, facts: result.data as ProjectFacts };
  return {
    ok: false,
    errors: result.error.issues.slice(0, 50).map((issue) => ({ field: issue.path.map(String).join('/'), message: issue.message })),
  };
}
