// The shape of a versioned CCT catalogue: what each requirement asks, in our own words, and how the platform
// establishes it. Pure data types; the data itself lives in cct-v*.ts, one file per published version.

export interface LocalisedText {
  fr: string;
  en: string;
}

/** P (primordial): mandatory, handled administratively and gating production. I (important): scored. */
export type RequirementLevel = 'P' | 'I';

export const requirementCategories = [
  'standards',
  'operating-model',
  'infrastructure',
  'application-and-image',
  'shared-services',
  'interactions-and-flows',
] as const;
export type RequirementCategory = (typeof requirementCategories)[number];

export const categoryLabels: Record<RequirementCategory, LocalisedText> = {
  standards: { fr: 'Normes et standards', en: 'Standards' },
  'operating-model': { fr: "Modèle d'opération", en: 'Operating model' },
  infrastructure: { fr: 'Infrastructure', en: 'Infrastructure' },
  'application-and-image': { fr: 'Code applicatif et image', en: 'Application code and image' },
  'shared-services': { fr: 'Services mutualisés', en: 'Shared services' },
  'interactions-and-flows': { fr: 'Interactions et flux', en: 'Interactions and flows' },
};

/** Where the requirement comes from: the ministry's own rules, or the cloud-native principles. */
export type RequirementNature = 'ministerial' | 'cloud-native';

/** Who may attest a requirement: project roles (owner, devops, security) or platform roles. */
export const attestorRoles = ['owner', 'devops', 'security', 'security-officer', 'platform-admin'] as const;
export type AttestorRole = (typeof attestorRoles)[number];

export const evidenceKinds = ['document', 'link', 'text'] as const;
export type EvidenceKind = (typeof evidenceKinds)[number];

/**
 * Established by the checks library. `rules` are rule-id patterns: an exact id (`dependencies.vulnerable-package`)
 * or a prefix ending in `.*` (`secrets.*`), so the mapping survives rules being added or renamed inside a family.
 * Evaluated per repository, from the repository's last certified run.
 */
export interface AutomatedAssessment {
  kind: 'automated';
  rules: readonly string[];
  /**
   * The machine evidence the run must carry for "satisfied": without it the state is "awaiting evidence"
   * (no claim without proof). Judged by catalogue/evidence.ts against the platform's policy.
   */
  evidence?: readonly EvidenceNeed[];
}

/** Machine evidence a run provides (measured or observed in the repository's last certified run). */
export const evidenceNeeds = [
  'test-results',
  'coverage',
  'end-to-end-results',
  'platform-image',
  'fresh-advisories',
  'approved-languages',
  'log-collector',
  'graceful-stop',
  'fast-start',
  'oidc-issuers',
  'flow-separation',
  'platform-gateway',
  'object-storage-backups',
  'environment-connections',
] as const;
export type EvidenceNeed = (typeof evidenceNeeds)[number];

/** Facts the platform observes itself, outside the chain's checks, evaluated for the whole project. */
export const platformFacts = ['forge-push', 'feedback-delivered', 'delivery-measures', 'restore-rehearsed'] as const;
export type PlatformFact = (typeof platformFacts)[number];

/** Established by what the platform observes (webhooks received, deliveries, deployments, recorded tests). */
export interface ObservedAssessment {
  kind: 'observed';
  fact: PlatformFact;
  /** How recent the observation must be to count, in days (restore tests: EX8). Absent: the platform's policy. */
  maxAgeDays?: number;
}

/** Established by a person in one of `roles`, with evidence, for at most `validityDays`. */
export interface AttestedAssessment {
  kind: 'attested';
  roles: readonly AttestorRole[];
  evidence: readonly EvidenceKind[];
  validityDays: number;
  /** When true, each environment needs its own attestation (or one attestation without environment for all). */
  perEnvironment?: boolean;
  /** What the attestation should show. */
  expects: LocalisedText;
}

/** Satisfied by the platform itself for every project; `how` says which mechanism. */
export interface InheritedAssessment {
  kind: 'inherited';
  how: LocalisedText;
}

export type Assessment = AutomatedAssessment | AttestedAssessment | InheritedAssessment | ObservedAssessment;

/** Assessments established by machine evidence rather than by a person or by the platform's design. */
export const machineAssessmentKinds: readonly Assessment['kind'][] = ['automated', 'observed'];

export interface Requirement {
  /** EX1…EX58 */
  id: string;
  level: RequirementLevel;
  category: RequirementCategory;
  nature: RequirementNature;
  title: LocalisedText;
  summary: LocalisedText;
  /** Every assessment must hold for the requirement to be satisfied (a combination is an AND). */
  assessments: readonly Assessment[];
  /** Why we filled a gap of the source (missing level or category), when we had to. */
  curationNote?: LocalisedText;
}

export interface Catalogue {
  /** Semantic version of our catalogue data (not of the framework document). */
  version: string;
  /** Date the version was published (ISO 8601 date). */
  publishedAt: string;
  requirements: readonly Requirement[];
}
