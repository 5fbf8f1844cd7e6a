// A derogation: a time-boxed, approved exception to a requirement, optionally narrowed to a scope.
// This is the ONE evaluator of "is it in force?" used by the gate, the API, the CLI and the UI.

export type DerogationStatus = 'requested' | 'approved' | 'rejected' | 'revoked';

export interface DerogationScope {
  /** Narrow to findings of one rule… */
  ruleId?: string;
  /** …or to one finding (its fingerprint)… */
  fingerprint?: string;
  /** …or to one repository / environment of the project (ids). */
  repositoryId?: string;
  environmentId?: string;
}

export interface Derogation {
  id: string;
  requirement: string; // EX…
  scope: DerogationScope;
  status: DerogationStatus;
  /** Exact instant (ISO 8601 with offset) at which it stops covering anything. */
  expiresAt: string;
  /** The project it belongs to; when set, it never covers another project's facts. */
  projectId?: string;
  justification?: string;
  compensatingMeasures?: string;
  requestedBy?: string;
  requestedAt?: string;
  decidedBy?: string;
  decidedAt?: string;
  decisionComment?: string;
  revokedAt?: string;
  /** Display names of the people who requested, decided and revoked it (shown instead of their ids). */
  requestedByName?: string;
  decidedByName?: string;
  revokedByName?: string;
}

// An instant must carry its offset: "2026-03-01T00:00" alone would be read in the server's zone and expire
// at a different moment on a laptop and on the server. Date-only values are refused for the same reason.
const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

// Conformity of many projects parses the same few instants over and over: remember recent ones (bounded).
const parsedInstants = new Map<string, number | undefined>();

/** Milliseconds since the epoch of an ISO 8601 instant WITH offset (Z or ±hh:mm); undefined otherwise. */
export function parseInstant(value: string): number | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  if (parsedInstants.has(value)) return parsedInstants.get(value);
  let ms: number | undefined;
  if (instantPattern.test(value)) {
    const parsed = Date.parse(value);
    ms = Number.isFinite(parsed) ? parsed : undefined;
  }
  if (parsedInstants.size >= 10_000) parsedInstants.clear();
  parsedInstants.set(value, ms);
  return ms;
}

/** In force strictly before `expiresAt`; at the exact instant it no longer covers anything. */
export function derogationInForce(d: Pick<Derogation, 'status' | 'expiresAt'>, now: Date): boolean {
  if (d.status !== 'approved') return false;
  const end = parseInstant(d.expiresAt);
  return end !== undefined && now.getTime() < end;
}

/** What a derogation may cover: a requirement, in a project, optionally down to one finding. */
export interface DerogationTarget {
  requirement: string;
  projectId?: string;
  environmentId?: string;
  repositoryId?: string;
  ruleId?: string;
  fingerprint?: string;
}

/**
 * True when `d` is in force at `now` and its scope contains `target`. Each scope field the derogation sets
 * must be matched by the target: a derogation narrowed to one rule covers that rule's findings, never the
 * whole requirement.
 */
export function derogationCovers(d: Derogation, target: DerogationTarget, now: Date): boolean {
  if (d.requirement !== target.requirement) return false;
  if (!derogationInForce(d, now)) return false;
  if (d.projectId !== undefined && target.projectId !== undefined && d.projectId !== target.projectId) return false;
  const s = d.scope ?? {};
  if (s.environmentId !== undefined && s.environmentId !== target.environmentId) return false;
  if (s.repositoryId !== undefined && s.repositoryId !== target.repositoryId) return false;
  if (s.ruleId !== undefined && s.ruleId !== target.ruleId) return false;
  if (s.fingerprint !== undefined && s.fingerprint !== target.fingerprint) return false;
  return true;
}

/** True when the derogation narrows to findings (rule or fingerprint) rather than a whole requirement/target. */
export function derogationIsFindingScoped(d: Pick<Derogation, 'scope'>): boolean {
  return d.scope?.ruleId !== undefined || d.scope?.fingerprint !== undefined;
}

// ---- Request validation (pure): the API turns these into a 400 problem, the CLI prints them. ----

export interface DerogationRequestInput {
  requirement?: unknown;
  scope?: unknown;
  justification?: unknown;
  compensatingMeasures?: unknown;
  /** Requested end: ISO 8601 instant with offset. */
  expiresAt?: unknown;
}

export interface DerogationRequestRules {
  now: Date;
  /** Longest allowed derogation, in days from `now` (configurable per platform). */
  maxDurationDays: number;
  knownRequirements: ReadonlySet<string>;
}

export interface DerogationFieldError {
  field: string;
  code: 'required' | 'unknown-requirement' | 'too-long' | 'invalid-instant' | 'in-the-past' | 'beyond-maximum' | 'invalid';
  message: string;
  /** The message in both languages (the API answers in the request's language). */
  text: { fr: string; en: string };
}

export const justificationMaxLength = 4000;

const texts = {
  requirementRequired: { fr: "L'exigence est obligatoire (ex. EX32).", en: 'The requirement is required (e.g. EX32).' },
  unknownRequirement: { fr: "Cette exigence n'existe pas dans le catalogue.", en: 'This requirement is not in the catalogue.' },
  justificationRequired: { fr: 'Une justification est obligatoire.', en: 'A justification is required.' },
  tooLong: { fr: `Texte trop long (${justificationMaxLength} caractères au plus).`, en: `Text too long (at most ${justificationMaxLength} characters).` },
  expiresRequired: { fr: 'La date de fin est obligatoire.', en: 'The end date is required.' },
  invalidInstant: {
    fr: 'Date de fin invalide : utilisez un horodatage ISO 8601 avec fuseau (ex. 2027-01-31T23:59:59+01:00).',
    en: 'Invalid end date: use an ISO 8601 timestamp with offset (e.g. 2027-01-31T23:59:59+01:00).',
  },
  inThePast: { fr: 'La date de fin doit être dans le futur.', en: 'The end date must be in the future.' },
  beyondMaximum: (days: number) => ({
    fr: `La date de fin dépasse la durée maximale autorisée (${days} jours).`,
    en: `The end date is beyond the maximum allowed duration (${days} days).`,
  }),
  invalidScope: { fr: 'Périmètre invalide.', en: 'Invalid scope.' },
} as const;

const scopeFieldPatterns: Record<keyof DerogationScope, RegExp> = {
  ruleId: /^[a-z0-9][a-z0-9.-]{0,199}$/,
  fingerprint: /^[0-9a-f]{16,64}$/,
  repositoryId: /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/,
  environmentId: /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/,
};

/** Field errors of a derogation request; empty when it may be stored. Messages in `lang` (French by default). */
export function validateDerogationRequest(
  input: DerogationRequestInput,
  rules: DerogationRequestRules,
  lang: 'fr' | 'en' = 'fr',
): DerogationFieldError[] {
  const errors: DerogationFieldError[] = [];
  const push = (field: string, code: DerogationFieldError['code'], text: { fr: string; en: string }) =>
    errors.push({ field, code, message: text[lang], text });

  if (typeof input.requirement !== 'string' || input.requirement.trim() === '') push('requirement', 'required', texts.requirementRequired);
  else if (!rules.knownRequirements.has(input.requirement)) push('requirement', 'unknown-requirement', texts.unknownRequirement);

  if (typeof input.justification !== 'string' || input.justification.trim() === '') push('justification', 'required', texts.justificationRequired);
  else if (input.justification.length > justificationMaxLength) push('justification', 'too-long', texts.tooLong);

  if (input.compensatingMeasures !== undefined && input.compensatingMeasures !== null) {
    if (typeof input.compensatingMeasures !== 'string') push('compensatingMeasures', 'invalid', texts.invalidScope);
    else if (input.compensatingMeasures.length > justificationMaxLength) push('compensatingMeasures', 'too-long', texts.tooLong);
  }

  if (input.expiresAt === undefined || input.expiresAt === null || input.expiresAt === '') push('expiresAt', 'required', texts.expiresRequired);
  else {
    const end = typeof input.expiresAt === 'string' ? parseInstant(input.expiresAt) : undefined;
    if (end === undefined) push('expiresAt', 'invalid-instant', texts.invalidInstant);
    else if (end <= rules.now.getTime()) push('expiresAt', 'in-the-past', texts.inThePast);
    else if (end > rules.now.getTime() + rules.maxDurationDays * 86_400_000) push('expiresAt', 'beyond-maximum', texts.beyondMaximum(rules.maxDurationDays));
  }

  if (input.scope !== undefined && input.scope !== null) {
    if (typeof input.scope !== 'object' || Array.isArray(input.scope)) push('scope', 'invalid', texts.invalidScope);
    else {
      for (const [key, value] of Object.entries(input.scope as Record<string, unknown>)) {
        const pattern = scopeFieldPatterns[key as keyof DerogationScope];
        if (!pattern) push(`scope/${key}`, 'invalid', texts.invalidScope);
        else if (value !== undefined && (typeof value !== 'string' || !pattern.test(value))) push(`scope/${key}`, 'invalid', texts.invalidScope);
      }
    }
  }
  return errors;
}

// ---- Decision rules (pure): only a security officer decides, never on their own request. ----

export type DerogationDecisionRefusal = 'not-security-officer' | 'own-request' | 'not-pending' | 'comment-required';

export function derogationDecisionRefusal(
  d: Pick<Derogation, 'status' | 'requestedBy'>,
  decider: { userId: string; isSecurityOfficer: boolean },
  decision: { outcome: 'approved' | 'rejected'; comment?: string },
): DerogationDecisionRefusal | undefined {
  if (!decider.isSecurityOfficer) return 'not-security-officer';
  if (d.requestedBy !== undefined && d.requestedBy === decider.userId) return 'own-request';
  if (d.status !== 'requested') return 'not-pending';
  if (decision.outcome === 'rejected' && (decision.comment ?? '').trim() === '') return 'comment-required';
  return undefined;
}
