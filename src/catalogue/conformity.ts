// Conformity of one project to a catalogue, as a pure function of facts and the time. The API, the CLI, the
// gate and the dossier all call this; the same inputs always give the same result (deterministic order).
//
// States, per target (a repository, an environment or the project) then rolled up per requirement:
//   satisfied              every assessment holds;
//   not-satisfied          an automated check failed, or could not be established (no certified run…);
//   awaiting-evidence      the machine evidence an automated or observed assessment needs is missing or too old
//                          (no coverage report, no image built by the platform, stale advisories…): never satisfied;
//   awaiting-attestation   an attestation is missing, expired, or given by a role that may not attest;
//   derogated              what fails is covered by derogations in force (`until` = the earliest end);
//   not-applicable         declared so, with a justification.
// Roll-up: the worst target wins, in this order: not-satisfied > awaiting-evidence > awaiting-attestation >
// derogated > satisfied;
// not-applicable targets are ignored, and a requirement whose targets are all not applicable is not applicable.
//
// Scores (per level P and I, over applicable requirements only):
//   ratio        = satisfied / applicable  (a derogated requirement is NOT counted as met)
//   coveredRatio = (satisfied + derogated) / applicable  (what the production gate needs to be 1 for P)
// With no applicable requirement both ratios are 1.
import { derogationCovers, derogationInForce, derogationIsFindingScoped, parseInstant, type Derogation } from '../domain/derogation.ts';
import { compileCatalogue, type CompiledRequirement } from './catalogue.ts';
import type { Attestation, FindingFact, NotApplicableDeclaration, ProjectFacts, RepositoryFacts, RunEvidenceLinks, ServiceFacts } from './facts.ts';
import { judgeEvidence, type EvidenceObservation, type EvidenceShortfall, type EvidenceVerdict } from './evidence.ts';
import type { AttestedAssessment, Catalogue, LocalisedText, ObservedAssessment, RequirementLevel } from './model.ts';
import { judgePlatformFact } from './observed-facts.ts';
import { defaultConformityPolicy, type ConformityPolicy } from './policy.ts';
import { anyRuleMatches } from './rule-pattern.ts';

export const conformityStates = ['satisfied', 'not-satisfied', 'derogated', 'awaiting-evidence', 'awaiting-attestation', 'not-applicable'] as const;
export type ConformityState = (typeof conformityStates)[number];

export const stateLabels: Record<ConformityState, LocalisedText> = {
  satisfied: { fr: 'Satisfaite', en: 'Satisfied' },
  'not-satisfied': { fr: 'Non satisfaite', en: 'Not satisfied' },
  derogated: { fr: 'Sous dérogation', en: 'Derogated' },
  'awaiting-evidence': { fr: 'En attente de preuve', en: 'Awaiting evidence' },
  'awaiting-attestation': { fr: 'Attestation attendue', en: 'Awaiting attestation' },
  'not-applicable': { fr: 'Non applicable', en: 'Not applicable' },
};

const severityOfState: Record<ConformityState, number> = {
  'not-applicable': 0,
  satisfied: 1,
  derogated: 2,
  'awaiting-attestation': 3,
  'awaiting-evidence': 4,
  'not-satisfied': 5,
};

export type EvidenceRef =
  | ({ kind: 'run'; repositoryId: string; runId: string; finishedAt: string; revision?: string } & RunEvidenceLinks)
  | { kind: 'attestation'; attestationId: string; attestedBy: string; role: string; attestedAt: string; effectiveUntil: string; title?: string; url?: string; text?: string }
  | { kind: 'derogation'; derogationId: string; expiresAt: string }
  | ({ kind: 'observation'; repositoryId?: string } & EvidenceObservation)
  | { kind: 'inherited'; how: LocalisedText }
  | { kind: 'not-applicable'; declarationId: string; justification: string }
  | { kind: 'service'; serviceId: string; name: string; environmentId: string; item: string; version: string; verdict: string; gitopsCommit?: string };

export type ReasonCode =
  | 'checks-passed'
  | 'open-findings'
  | 'findings-derogated'
  | 'no-certified-run'
  | 'rules-not-evaluated'
  | 'no-repository'
  | 'attestation-valid'
  | 'attestation-missing'
  | 'attestation-expired'
  | 'attestation-role-not-accepted'
  | 'inherited'
  | 'derogated'
  | 'not-applicable'
  | EvidenceShortfall['code']
  | 'evidence-observed'
  | 'service-evidence';

export interface Reason {
  code: ReasonCode;
  message: LocalisedText;
  /** For evidence reasons: which evidence, and how to provide it. */
  evidence?: EvidenceShortfall['evidence'];
  howTo?: LocalisedText;
}

export type ConformityTarget =
  | { kind: 'project' }
  | { kind: 'repository'; id: string; name: string }
  | { kind: 'environment'; id: string; name: string };

export interface TargetConformity {
  target: ConformityTarget;
  /** Which assessment of the requirement this target evaluates. */
  assessment: 'automated' | 'attested' | 'inherited' | 'observed';
  state: ConformityState;
  /** When derogated: the instant the covering derogation(s) end. */
  until?: string;
  reasons: Reason[];
  evidence: EvidenceRef[];
  /** Findings still open (not derogated), for automated targets; at most `maxFindingsPerTarget`. */
  openFindings?: FindingFact[];
  openFindingCount?: number;
}

export interface RequirementConformity {
  id: string;
  level: RequirementLevel;
  state: ConformityState;
  until?: string;
  targets: TargetConformity[];
}

export interface LevelScore {
  applicable: number;
  satisfied: number;
  derogated: number;
  awaitingAttestation: number;
  awaitingEvidence: number;
  notSatisfied: number;
  notApplicable: number;
  /** satisfied / applicable (1 when nothing applies). */
  ratio: number;
  /** (satisfied + derogated) / applicable (1 when nothing applies). */
  coveredRatio: number;
}

export interface ConformityResult {
  projectId: string;
  catalogueVersion: string;
  evaluatedAt: string;
  /** Set when evaluated for deployment to one environment (its environment-scoped derogations then apply). */
  environmentId?: string;
  requirements: RequirementConformity[];
  scores: { P: LevelScore; I: LevelScore };
  /** The next instant at which the result changes by itself (an attestation or derogation ends). */
  nextChangeAt?: string;
}

export interface EvaluateOptions {
  /** Evaluate as seen by a deployment to this environment. */
  environmentId?: string;
  /** Cap on open findings listed per target (counts stay exact). Default 20. */
  maxFindingsPerTarget?: number;
  /** Thresholds and approved lists machine evidence is judged against (default: defaultConformityPolicy). */
  policy?: ConformityPolicy;
}

const DAY_MS = 86_400_000;

const iso = (ms: number) => new Date(ms).toISOString();

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

interface ProjectIndex {
  facts: ProjectFacts;
  now: Date;
  nowMs: number;
  environmentId?: string;
  repositories: RepositoryFacts[];
  environments: ProjectFacts['environments'][number][];
  derogations: Map<string, Derogation[]>;
  attestations: Map<string, Attestation[]>;
  notApplicable: Map<string, NotApplicableDeclaration[]>;
  /** repository id → requirement id → findings that count against it */
  findings: Map<string, Map<string, FindingFact[]>>;
  maxFindings: number;
  policy: ConformityPolicy;
  /** Earliest instant a piece of evidence stops counting (advisories age, pushes get old…). */
  evidenceEnds: number;
}

function indexFindings(repo: RepositoryFacts, automated: readonly CompiledRequirement[]): Map<string, FindingFact[]> {
  const byRequirement = new Map<string, FindingFact[]>();
  const add = (id: string, f: FindingFact) => {
    const list = byRequirement.get(id);
    if (list) list.push(f);
    else byRequirement.set(id, [f]);
  };
  for (const f of repo.lastCertifiedRun?.findings ?? []) {
    // A rule that declares its requirements is authoritative; the catalogue's patterns only place findings of
    // rules that declare none.
    if (f.requirements.length > 0) for (const id of new Set(f.requirements)) add(id, f);
    else for (const part of automated) if (anyRuleMatches(part.rulePatterns, f.ruleId)) add(part.requirement.id, f);
  }
  return byRequirement;
}

/** Evaluate one project. `now` decides every expiry: at its exact instant an attestation or derogation ends. */
export function evaluateConformity(
  catalogue: Catalogue,
  facts: ProjectFacts,
  now: Date,
  options: EvaluateOptions = {},
): ConformityResult {
  const compiled = compileCatalogue(catalogue);
  const repositories = [...facts.repositories].sort(byId);
  const environments = [...facts.environments]
    .sort(byId)
    .filter((e) => options.environmentId === undefined || e.id === options.environmentId);
  const index: ProjectIndex = {
    facts,
    now,
    nowMs: now.getTime(),
    ...(options.environmentId !== undefined ? { environmentId: options.environmentId } : {}),
    repositories,
    environments,
    derogations: groupBy(facts.derogations.filter((d) => derogationInForce(d, now)).sort(byId), (d) => d.requirement),
    attestations: groupBy([...facts.attestations].sort(byId), (a) => a.requirement),
    notApplicable: groupBy([...facts.notApplicable].sort(byId), (n) => n.requirement),
    findings: new Map(repositories.map((r) => [r.id, indexFindings(r, compiled.automated)])),
    maxFindings: options.maxFindingsPerTarget ?? 20,
    policy: options.policy ?? facts.policy ?? defaultConformityPolicy,
    evidenceEnds: Infinity,
  };

  const requirements = compiled.ordered.map((part) => evaluateRequirement(part, index));

  return {
    projectId: facts.projectId,
    catalogueVersion: catalogue.version,
    evaluatedAt: now.toISOString(),
    ...(options.environmentId !== undefined ? { environmentId: options.environmentId } : {}),
    requirements,
    scores: { P: score(requirements, 'P'), I: score(requirements, 'I') },
    ...nextChange(index, catalogue),
  };
}

function evaluateRequirement(part: CompiledRequirement, ix: ProjectIndex): RequirementConformity {
  const r = part.requirement;
  const declarations = ix.notApplicable.get(r.id) ?? [];
  const whole = declarations.find((d) => d.repositoryId === undefined && d.environmentId === undefined);
  if (whole) {
    return {
      id: r.id,
      level: r.level,
      state: 'not-applicable',
      targets: [
        {
          target: { kind: 'project' },
          assessment: r.assessments[0]?.kind ?? 'attested',
          state: 'not-applicable',
          reasons: [notApplicableReason(whole)],
          evidence: [{ kind: 'not-applicable', declarationId: whole.id, justification: whole.justification }],
        },
      ],
    };
  }

  const targets: TargetConformity[] = [];
  if (part.automated) targets.push(...automatedTargets(part, ix, declarations));
  for (const assessment of part.observed) targets.push(observedTarget(part, assessment, ix));
  for (const assessment of part.attested) targets.push(...attestedTargets(part, assessment, ix, declarations));
  for (const assessment of part.inherited) {
    targets.push({
      target: { kind: 'project' },
      assessment: 'inherited',
      state: 'satisfied',
      reasons: [{ code: 'inherited', message: { fr: 'Assurée par la plateforme.', en: 'Provided by the platform.' } }],
      evidence: [{ kind: 'inherited', how: assessment.how }],
    });
  }

  const applicable = targets.filter((t) => t.state !== 'not-applicable');
  if (applicable.length === 0) return { id: r.id, level: r.level, state: 'not-applicable', targets };
  let state: ConformityState = 'satisfied';
  for (const t of applicable) if (severityOfState[t.state] > severityOfState[state]) state = t.state;
  const result: RequirementConformity = { id: r.id, level: r.level, state, targets };
  if (state === 'derogated') {
    const ends = applicable.filter((t) => t.until !== undefined).map((t) => parseInstant(t.until!)!);
    if (ends.length > 0) result.until = iso(Math.min(...ends));
  }
  return result;
}

function notApplicableReason(d: NotApplicableDeclaration): Reason {
  return {
    code: 'not-applicable',
    message: { fr: `Déclarée non applicable : ${d.justification}`, en: `Declared not applicable: ${d.justification}` },
  };
}

/** A derogation covering a whole target (no rule or fingerprint narrowing), if any is in force. */
function wholesaleDerogation(
  requirement: string,
  ix: ProjectIndex,
  where: { repositoryId?: string; environmentId?: string },
): Derogation | undefined {
  for (const d of ix.derogations.get(requirement) ?? []) {
    if (derogationIsFindingScoped(d)) continue;
    const target = {
      requirement,
      projectId: ix.facts.projectId,
      ...(where.repositoryId !== undefined ? { repositoryId: where.repositoryId } : {}),
      ...((where.environmentId ?? ix.environmentId) !== undefined
        ? { environmentId: (where.environmentId ?? ix.environmentId)! }
        : {}),
    };
    if (derogationCovers(d, target, ix.now)) return d;
  }
  return undefined;
}

function derogate(t: TargetConformity, d: Derogation): TargetConformity {
  return {
    ...t,
    state: 'derogated',
    until: iso(parseInstant(d.expiresAt)!),
    reasons: [
      ...t.reasons,
      { code: 'derogated', message: { fr: `Couverte par la dérogation ${d.id} jusqu'au ${d.expiresAt}.`, en: `Covered by derogation ${d.id} until ${d.expiresAt}.` } },
    ],
    evidence: [...t.evidence, { kind: 'derogation', derogationId: d.id, expiresAt: d.expiresAt }],
  };
}

/** Rules whose findings a declared evidence need replaces (the coverage measurement judges the threshold). */
const supersededBy: Partial<Record<string, readonly string[]>> = { coverage: ['test-reports.back-end-coverage'] };

function shortfallReason(s: EvidenceShortfall): Reason {
  return { code: s.code, message: s.message, evidence: s.evidence, howTo: s.howTo };
}

function observationRef(o: EvidenceObservation, repositoryId?: string): EvidenceRef {
  return { kind: 'observation', ...(repositoryId !== undefined ? { repositoryId } : {}), ...o };
}

/** Note when a piece of evidence stops counting, so that the stored result is re-evaluated then. */
function noteEvidenceEnd(ix: ProjectIndex, verdict: EvidenceVerdict): void {
  const until = verdict.met ? verdict.observation.validUntil : undefined;
  if (until === undefined) return;
  const ms = parseInstant(until);
  if (ms !== undefined && ms > ix.nowMs) ix.evidenceEnds = Math.min(ix.evidenceEnds, ms);
}

function observedTarget(part: CompiledRequirement, assessment: ObservedAssessment, ix: ProjectIndex): TargetConformity {
  const verdict = judgePlatformFact(assessment.fact, ix.facts, ix.policy, ix.now, assessment.maxAgeDays);
  noteEvidenceEnd(ix, verdict);
  let t: TargetConformity;
  if (verdict.met) {
    return {
      target: { kind: 'project' },
      assessment: 'observed',
      state: 'satisfied',
      reasons: [{ code: 'evidence-observed', message: verdict.observation.summary, evidence: assessment.fact }],
      evidence: [observationRef(verdict.observation)],
    };
  } else {
    t = {
      target: { kind: 'project' },
      assessment: 'observed',
      state: verdict.state,
      reasons: [shortfallReason(verdict.shortfall)],
      evidence: verdict.observation ? [observationRef(verdict.observation)] : [],
    };
  }
  const d = wholesaleDerogation(part.requirement.id, ix, {});
  return d ? derogate(t, d) : t;
}

function automatedTargets(
  part: CompiledRequirement,
  ix: ProjectIndex,
  declarations: NotApplicableDeclaration[],
): TargetConformity[] {
  const id = part.requirement.id;
  // Machine evidence with no check rule (backups to object storage…) can come from a catalogue service that passed
  // its checks and is committed: the service is what provides it, whatever the repositories hold.
  const service = part.rulePatterns.length === 0 ? coveringService(id, ix, undefined) : undefined;
  if (service) return [serviceTarget(service, 'automated')];
  if (ix.repositories.length === 0) {
    const t: TargetConformity = {
      target: { kind: 'project' },
      assessment: 'automated',
      state: 'not-satisfied',
      reasons: [{ code: 'no-repository', message: { fr: 'Aucun dépôt à analyser.', en: 'No repository to scan.' } }],
      evidence: [],
    };
    const d = wholesaleDerogation(id, ix, {});
    return [d ? derogate(t, d) : t];
  }
  const superseded = part.evidence.flatMap((need) => supersededBy[need] ?? []);
  return ix.repositories.map((repo): TargetConformity => {
    const target: ConformityTarget = { kind: 'repository', id: repo.id, name: repo.name };
    const na = declarations.find((d) => d.repositoryId === repo.id && d.environmentId === undefined);
    if (na) {
      return {
        target,
        assessment: 'automated',
        state: 'not-applicable',
        reasons: [notApplicableReason(na)],
        evidence: [{ kind: 'not-applicable', declarationId: na.id, justification: na.justification }],
      };
    }
    const run = repo.lastCertifiedRun;
    let t: TargetConformity;
    if (!run) {
      t = {
        target,
        assessment: 'automated',
        state: 'not-satisfied',
        reasons: [
          {
            code: 'no-certified-run',
            message: { fr: "Aucune révision certifiée pour l'instant.", en: 'No certified revision yet.' },
          },
        ],
        evidence: [],
      };
    } else {
      const runRef: EvidenceRef = {
        kind: 'run',
        repositoryId: repo.id,
        runId: run.runId,
        finishedAt: run.finishedAt,
        ...(run.revision !== undefined ? { revision: run.revision } : {}),
        ...run.links,
      };
      const evaluated =
        part.rulePatterns.length === 0 ||
        run.evaluatedRules.some((ruleId) => anyRuleMatches(part.rulePatterns, ruleId));
      if (!evaluated) {
        t = {
          target,
          assessment: 'automated',
          state: 'not-satisfied',
          reasons: [
            {
              code: 'rules-not-evaluated',
              message: {
                fr: `Les contrôles ${part.rulePatterns.join(', ')} n'ont pas été exécutés par la dernière exécution certifiée.`,
                en: `Checks ${part.rulePatterns.join(', ')} were not run by the last certified run.`,
              },
            },
          ],
          evidence: [runRef],
        };
      } else {
        const findings = (ix.findings.get(repo.id)?.get(id) ?? []).filter((f) => !superseded.includes(f.ruleId));
        const open: FindingFact[] = [];
        const used = new Map<string, Derogation>();
        for (const f of findings) {
          const cover = (ix.derogations.get(id) ?? []).find((d) =>
            derogationCovers(
              d,
              {
                requirement: id,
                projectId: ix.facts.projectId,
                repositoryId: repo.id,
                ruleId: f.ruleId,
                fingerprint: f.fingerprint,
                ...(ix.environmentId !== undefined ? { environmentId: ix.environmentId } : {}),
              },
              ix.now,
            ),
          );
          if (cover) used.set(cover.id, cover);
          else open.push(f);
        }
        const verdicts = part.evidence.map((need) => judgeEvidence(need, run, ix.policy, ix.now));
        for (const v of verdicts) noteEvidenceEnd(ix, v);
        const observations = verdicts.flatMap((v) =>
          v.met
            ? [observationRef(v.observation, repo.id)]
            : v.observation
              ? [observationRef(v.observation, repo.id)]
              : [],
        );
        const contradicted = verdicts.filter(
          (v): v is Extract<EvidenceVerdict, { met: false }> => !v.met && v.state === 'not-satisfied',
        );
        const lacking = verdicts.filter(
          (v): v is Extract<EvidenceVerdict, { met: false }> => !v.met && v.state === 'awaiting-evidence',
        );
        if (open.length > 0 || contradicted.length > 0) {
          t = {
            target,
            assessment: 'automated',
            state: 'not-satisfied',
            reasons: [
              ...(open.length > 0
                ? [
                    {
                      code: 'open-findings' as const,
                      message: {
                        fr: `${open.length} constat(s) ouvert(s) dans la dernière exécution certifiée.`,
                        en: `${open.length} open finding(s) in the last certified run.`,
                      },
                    },
                  ]
                : []),
              ...contradicted.map((v) => shortfallReason(v.shortfall)),
              ...lacking.map((v) => shortfallReason(v.shortfall)),
            ],
            evidence: [runRef, ...observations],
            openFindings: open.slice(0, ix.maxFindings),
            openFindingCount: open.length,
          };
        } else if (lacking.length > 0) {
          t = {
            target,
            assessment: 'automated',
            state: 'awaiting-evidence',
            reasons: lacking.map((v) => shortfallReason(v.shortfall)),
            evidence: [runRef, ...observations],
            openFindingCount: 0,
          };
        } else if (used.size > 0) {
          const derogations = [...used.values()].sort(byId);
          const until = Math.min(...derogations.map((d) => parseInstant(d.expiresAt)!));
          return {
            target,
            assessment: 'automated',
            state: 'derogated',
            until: iso(until),
            reasons: [
              {
                code: 'findings-derogated',
                message: {
                  fr: `${findings.length} constat(s), tous couverts par des dérogations.`,
                  en: `${findings.length} finding(s), all covered by derogations.`,
                },
              },
            ],
            evidence: [
              runRef,
              ...observations,
              ...derogations.map((d): EvidenceRef => ({
                kind: 'derogation',
                derogationId: d.id,
                expiresAt: d.expiresAt,
              })),
            ],
            openFindingCount: 0,
          };
        } else {
          const met = verdicts.flatMap((v) => (v.met ? [v.observation] : []));
          return {
            target,
            assessment: 'automated',
            state: 'satisfied',
            reasons: [
              ...(part.rulePatterns.length > 0
                ? [
                    {
                      code: 'checks-passed' as const,
                      message: { fr: 'Contrôles passés sans constat.', en: 'Checks passed with no finding.' },
                    },
                  ]
                : []),
              ...met.map((o): Reason => ({ code: 'evidence-observed', message: o.summary, evidence: o.evidence })),
            ],
            evidence: [runRef, ...observations],
            openFindingCount: 0,
          };
        }
      }
    }
    const d = wholesaleDerogation(id, ix, { repositoryId: repo.id });
    return d ? derogate(t, d) : t;
  });
}

function attestedTargets(
  part: CompiledRequirement,
  assessment: AttestedAssessment,
  ix: ProjectIndex,
  declarations: NotApplicableDeclaration[],
): TargetConformity[] {
  const id = part.requirement.id;
  const all = ix.attestations.get(id) ?? [];
  const perEnvironment = assessment.perEnvironment === true && ix.environments.length > 0;
  const places: { target: ConformityTarget; environmentId?: string }[] = perEnvironment
    ? ix.environments.map((e) => ({ target: { kind: 'environment', id: e.id, name: e.name }, environmentId: e.id }))
    : [{ target: { kind: 'project' } }];

  return places.map(({ target, environmentId }): TargetConformity => {
    if (environmentId !== undefined) {
      const na = declarations.find((d) => d.environmentId === environmentId && d.repositoryId === undefined);
      if (na) {
        return {
          target,
          assessment: 'attested',
          state: 'not-applicable',
          reasons: [notApplicableReason(na)],
          evidence: [{ kind: 'not-applicable', declarationId: na.id, justification: na.justification }],
        };
      }
    }
    const candidates =
      environmentId === undefined
        ? all
        : all.filter((a) => a.environmentId === undefined || a.environmentId === environmentId);
    let best: { a: Attestation; end: number } | undefined;
    let lastExpired: { a: Attestation; end: number } | undefined;
    let refusedRole: Attestation | undefined;
    for (const a of candidates) {
      if (!assessment.roles.includes(a.role as never)) {
        refusedRole ??= a;
        continue;
      }
      const start = parseInstant(a.attestedAt);
      const requested = parseInstant(a.validUntil);
      if (start === undefined || requested === undefined) continue;
      const end = Math.min(requested, start + assessment.validityDays * DAY_MS);
      if (start <= ix.nowMs && ix.nowMs < end) {
        if (!best || end > best.end) best = { a, end };
      } else if (end <= ix.nowMs && (!lastExpired || end > lastExpired.end)) lastExpired = { a, end };
    }
    let t: TargetConformity;
    if (best) {
      return {
        target,
        assessment: 'attested',
        state: 'satisfied',
        reasons: [
          {
            code: 'attestation-valid',
            message: { fr: `Attestée par ${best.a.attestedBy} (${best.a.role}) jusqu'au ${iso(best.end)}.`, en: `Attested by ${best.a.attestedBy} (${best.a.role}) until ${iso(best.end)}.` },
          },
        ],
        evidence: [attestationRef(best.a, best.end)],
      };
    }
    // A catalogue service that passed its checks and is committed stands in for the attestation it covers.
    const service = coveringService(id, ix, environmentId);
    if (service) return { ...serviceTarget(service, 'attested'), target };
    if (lastExpired) {
      t = {
        target,
        assessment: 'attested',
        state: 'awaiting-attestation',
        reasons: [{ code: 'attestation-expired', message: { fr: `Attestation expirée le ${iso(lastExpired.end)}.`, en: `Attestation expired at ${iso(lastExpired.end)}.` } }],
        evidence: [attestationRef(lastExpired.a, lastExpired.end)],
      };
    } else if (refusedRole) {
      t = {
        target,
        assessment: 'attested',
        state: 'awaiting-attestation',
        reasons: [
          {
            code: 'attestation-role-not-accepted',
            message: {
              fr: `Le rôle ${refusedRole.role} ne peut pas attester cette exigence (rôles admis : ${assessment.roles.join(', ')}).`,
              en: `Role ${refusedRole.role} cannot attest this requirement (accepted roles: ${assessment.roles.join(', ')}).`,
            },
          },
        ],
        evidence: [],
      };
    } else {
      t = {
        target,
        assessment: 'attested',
        state: 'awaiting-attestation',
        reasons: [{ code: 'attestation-missing', message: { fr: `Attendue : ${assessment.expects.fr}`, en: `Expected: ${assessment.expects.en}` } }],
        evidence: [],
      };
    }
    const d = wholesaleDerogation(id, ix, environmentId !== undefined ? { environmentId } : {});
    return d ? derogate(t, d) : t;
  });
}

/** A committed, passing service covering the requirement: in the environment, or anywhere for a project-wide target. */
function coveringService(
  requirement: string,
  ix: ProjectIndex,
  environmentId: string | undefined,
): ServiceFacts | undefined {
  const inScope = environmentId ?? ix.environmentId;
  const candidates = (ix.facts.services ?? []).filter(
    (s) =>
      s.verdict === 'pass' &&
      s.gitopsCommit !== undefined &&
      s.covers.includes(requirement) &&
      (inScope === undefined || s.environmentId === inScope),
  );
  return candidates.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
}

function serviceTarget(service: ServiceFacts, assessment: 'automated' | 'attested'): TargetConformity {
  return {
    target: { kind: 'project' },
    assessment,
    state: 'satisfied',
    reasons: [
      {
        code: 'service-evidence',
        message: {
          fr: `Assurée par le service ${service.name} (${service.item} ${service.version}), contrôles réussis.`,
          en: `Provided by service ${service.name} (${service.item} ${service.version}), checks passed.`,
        },
      },
    ],
    evidence: [serviceRef(service)],
  };
}

function serviceRef(s: ServiceFacts): EvidenceRef {
  return { kind: 'service', serviceId: s.id, name: s.name, environmentId: s.environmentId, item: s.item, version: s.version, verdict: s.verdict, ...(s.gitopsCommit !== undefined ? { gitopsCommit: s.gitopsCommit } : {}) };
}

function attestationRef(a: Attestation, end: number): EvidenceRef {
  return {
    kind: 'attestation',
    attestationId: a.id,
    attestedBy: a.attestedBy,
    role: a.role,
    attestedAt: a.attestedAt,
    effectiveUntil: iso(end),
    ...(a.evidence.title !== undefined ? { title: a.evidence.title } : {}),
    ...(a.evidence.url !== undefined ? { url: a.evidence.url } : {}),
    ...(a.evidence.text !== undefined ? { text: a.evidence.text } : {}),
  };
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 1 : Math.round((numerator / denominator) * 10_000) / 10_000;
}

function score(requirements: readonly RequirementConformity[], level: RequirementLevel): LevelScore {
  const counts = {
    satisfied: 0,
    derogated: 0,
    awaitingAttestation: 0,
    awaitingEvidence: 0,
    notSatisfied: 0,
    notApplicable: 0,
  };
  for (const r of requirements) {
    if (r.level !== level) continue;
    if (r.state === 'satisfied') counts.satisfied++;
    else if (r.state === 'derogated') counts.derogated++;
    else if (r.state === 'awaiting-attestation') counts.awaitingAttestation++;
    else if (r.state === 'awaiting-evidence') counts.awaitingEvidence++;
    else if (r.state === 'not-satisfied') counts.notSatisfied++;
    else counts.notApplicable++;
  }
  const applicable =
    counts.satisfied + counts.derogated + counts.awaitingAttestation + counts.awaitingEvidence + counts.notSatisfied;
  return {
    applicable,
    ...counts,
    ratio: ratio(counts.satisfied, applicable),
    coveredRatio: ratio(counts.satisfied + counts.derogated, applicable),
  };
}

function nextChange(ix: ProjectIndex, catalogue: Catalogue): { nextChangeAt?: string } {
  let next = ix.evidenceEnds;
  for (const list of ix.derogations.values()) for (const d of list) next = Math.min(next, parseInstant(d.expiresAt)!);
  const compiled = compileCatalogue(catalogue);
  for (const [requirement, list] of ix.attestations) {
    const part = compiled.parts.get(requirement);
    if (!part) continue;
    for (const assessment of part.attested) {
      for (const a of list) {
        const start = parseInstant(a.attestedAt);
        const requested = parseInstant(a.validUntil);
        if (start === undefined || requested === undefined) continue;
        const end = Math.min(requested, start + assessment.validityDays * DAY_MS);
        if (start > ix.nowMs) next = Math.min(next, start);
        else if (end > ix.nowMs) next = Math.min(next, end);
      }
    }
  }
  return Number.isFinite(next) ? { nextChangeAt: iso(next) } : {};
}
