// Chain runs as the API shows them: status, steps (times, own work duration), verdict, commit and image digest.
import { z } from 'zod';
import { runSteps, runs } from '../../db/schema.ts';
import { stepNoteText, type StepNote } from '../../chain/step-notes.ts';
import { verdictReasonTexts } from '../../chain/verdict.ts';
import { outcomeOf } from '../../checks/format/messages.ts';
import { pageQueryShape, pageSchema } from '../pagination.ts';
import { iso } from './common.ts';

const gitRef = z.string().min(1).max(255).regex(/^(?!-)[A-Za-z0-9._/-]+$/, 'a branch or tag name, or refs/heads/… refs/tags/…');
const revision = z.string().regex(/^[0-9a-f]{7,64}$/, 'a commit sha (hex)');

export const runStart = z.strictObject({ ref: gitRef.optional(), revision: revision.optional() });

export const runStatus = z.enum(['queued', 'running', 'certified', 'rejected', 'failed', 'cancelled']);

/** What a step or a run says: a stable code, its parameters, and the text in both languages. */
const stepNote = z.object({
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  text: z.object({ fr: z.string(), en: z.string() }),
});

function presentNote(value: StepNote | null | undefined): z.infer<typeof stepNote> | null {
  return value ? { code: value.code, ...(value.params ? { params: value.params } : {}), text: stepNoteText(value) } : null;
}

export const runStep = z.object({
  name: z.string(),
  status: z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled']),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  workMs: z.number().int().nullable(),
  message: z.string().nullable().describe('French text of the note (kept for older clients)'),
  note: stepNote.nullable(),
});

export const run = z.object({
  id: z.uuid(),
  projectId: z.uuid(),
  repositoryId: z.uuid(),
  trigger: z.enum(['api', 'webhook', 'manual', 'nightly']),
  ref: z.string().nullable(),
  requestedRevision: z.string().nullable(),
  commitSha: z.string().nullable(),
  status: runStatus,
  currentStep: z.string().nullable(),
  attempt: z.number().int(),
  maxAttempts: z.number().int(),
  imageDigest: z.string().nullable(),
  verdict: z
    .object({
      certified: z.boolean(),
      reasons: z.array(
        z.object({
          code: z.string(),
          outcome: z.enum(['passed', 'failed', 'not-evaluated']).describe('The criterion passed, failed, or could not be fully evaluated (never shown as passed)'),
          blocking: z.boolean(),
          message: z.string().describe('English sentence'),
          text: z.object({ fr: z.string(), en: z.string() }).describe('The reason in French and in English'),
          params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
          detail: z.string().optional().describe('What the chain adds: failing test names, configuration errors'),
        }),
      ),
    })
    .nullable(),
  message: z.string().nullable().describe('French text of the note (kept for older clients)'),
  note: stepNote.nullable(),
  cancelRequested: z.boolean(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  steps: z.array(runStep).optional(),
});
export const runPage = pageSchema(run);

export const runListQuery = z.strictObject({ ...pageQueryShape, status: runStatus.optional() });

export const projectRepositoryParams = z.strictObject({ projectId: z.uuid(), repositoryId: z.uuid() });
export const runParams = z.strictObject({ runId: z.uuid() });

export const findingStatus = z.enum(['new', 'existing', 'fixed']);

export const findingsQuery = z.strictObject({
  ...pageQueryShape,
  severity: z.enum(['critical', 'high', 'medium', 'low', 'info']).optional(),
  ruleId: z.string().max(200).optional().describe('A rule id, or a family ending in `*` (secrets.*)'),
  file: z.string().max(1000).optional().describe('A file path, or a folder: every file under it'),
  status: findingStatus.optional().describe('new: not in the last certified run; existing: already there; fixed: there, and gone now'),
  scope: z.enum(['production', 'test']).optional().describe('test: in tests, fixtures, examples, docs or development images (reported, not blocking); production: everything else'),
  new: z.enum(['true', 'false']).optional().describe('Kept for older clients: status=new, or new and fixed excluded'),
});

export const finding = z.looseObject({
  ruleId: z.string(),
  requirements: z.array(z.string()),
  severity: z.string(),
  location: z.object({ file: z.string(), line: z.number().optional(), column: z.number().optional() }),
  message: z.string().describe('English sentence'),
  messageId: z.string().optional().describe('Stable id of the message in its rule\'s catalogue'),
  text: z.object({ fr: z.string(), en: z.string() }).optional().describe('The message in French and in English'),
  fingerprint: z.string(),
  properties: z.record(z.string(), z.unknown()).optional(),
  scope: z.enum(['test', 'development']).optional().describe('Present when the file is a test, fixture, example or doc (test) or a development image (development): the finding does not block the gate unless its rule blocks everywhere'),
  status: findingStatus,
  /** Same as status === 'new' (older clients read this). */
  new: z.boolean(),
});

/** One page of findings, plus what the whole report says (summary, gate) and how many findings match the filters. */
export const findingPage = z.object({
  items: z.array(finding),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
  summary: z.looseObject({ findings: z.number(), bySeverity: z.record(z.string(), z.number()), testScope: z.number().optional().describe('Findings in test code') }),
  gate: z.looseObject({}).nullable(),
});

export const terminalStatuses = new Set(['certified', 'rejected', 'failed', 'cancelled']);

export function presentRun(r: typeof runs.$inferSelect, steps?: (typeof runSteps.$inferSelect)[]): z.infer<typeof run> {
  return {
    id: r.id,
    projectId: r.projectId,
    repositoryId: r.repositoryId,
    trigger: r.trigger,
    ref: r.ref,
    requestedRevision: r.requestedRevision,
    commitSha: r.commitSha,
    status: r.status,
    currentStep: r.currentStep,
    attempt: r.attempt,
    maxAttempts: r.maxAttempts,
    imageDigest: r.imageDigest,
    verdict: r.verdict ? { certified: r.verdict.certified, reasons: r.verdict.reasons.map((reason) => ({ ...reason, outcome: outcomeOf(reason), text: verdictReasonTexts(reason) })) } : null,
    message: r.message,
    note: presentNote(r.note),
    cancelRequested: r.cancelRequested,
    createdAt: r.createdAt.toISOString(),
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    ...(steps
      ? {
          steps: [...steps]
            .sort((a, b) => a.position - b.position)
            .map((s) => ({ name: s.name, status: s.status, startedAt: iso(s.startedAt), finishedAt: iso(s.finishedAt), workMs: s.workMs, message: s.message, note: presentNote(s.note) })),
        }
      : {}),
  };
}

/** Forge commit-status target of a repository; the token is write-only. */
export const commitStatusSettings = z.strictObject({
  forge: z.enum(['gitlab', 'github']),
  apiUrl: z.url().max(500),
  project: z.string().min(1).max(300),
  token: z.string().min(1).max(4096),
});

/** The runs the nightly re-scan queued when started by hand. */
export const nightlyRescanStarted = z.object({ created: z.array(z.uuid()) });
/** A repository's new push-webhook secret (shown once) and the addresses to configure in the forge. */
export const webhookSecret = z.object({ secret: z.string(), gitlabUrl: z.string(), githubUrl: z.string() });
