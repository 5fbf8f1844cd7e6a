// What the conformity evaluator reads about a project: plain data gathered by the caller (the API from the
// database, the CLI from files, the benchmark from a generator). Timestamps are ISO 8601 with offset.
import type { Finding } from '../checks/model.ts';
import type { RunObservations } from '../checks/observations/model.ts';
import type { Derogation } from '../domain/derogation.ts';
import type { AttestorRole, EvidenceKind, LocalisedText } from './model.ts';
import type { ConformityPolicy } from './policy.ts';

/** The parts of a finding conformity needs (a full Finding fits). */
export type FindingFact = Pick<Finding, 'ruleId' | 'requirements' | 'fingerprint' | 'severity' | 'message' | 'location'>;

/** Links to a run's stored artefacts, shown in the dossier. */
export interface RunEvidenceLinks {
  bundleUrl?: string;
  sbomUrl?: string;
  sarifUrl?: string;
}

export interface CertifiedRunFacts {
  runId: string;
  finishedAt: string;
  revision?: string;
  /** Ids of every rule the run evaluated (a rule that ran and found nothing is here; a skipped checker is not). */
  evaluatedRules: readonly string[];
  findings: readonly FindingFact[];
  links?: RunEvidenceLinks;
  /** What the run measured and observed: the machine evidence "satisfied" needs (absent in old reports). */
  measurements?: RunMeasurements;
}

/** Measurements of one run, from its check report and its build (see catalogue/evidence.ts for their use). */
export interface RunMeasurements {
  tests?: { reports: readonly string[]; tests: number; failures: number; errors: number; skipped: number };
  coverage?: { reports: readonly string[]; lineRate: number; linesCovered: number; linesValid: number };
  /** Digest of the image the platform built and published in this run. */
  imageDigest?: string;
  /** The built image started in the chain's sandbox: time to ready and SIGTERM → exit (EX51, EX50). */
  runtime?: RuntimeFacts;
  observations?: RunObservations;
  /** What the run could not fully evaluate (charts that did not render, unresolved dependencies, stale advisories). */
  unevaluated?: readonly { kind: string; item: string; code: string; message: string }[];
}

export interface RepositoryFacts {
  id: string;
  name: string;
  /** The last run whose revision was certified; undefined until the first certification. */
  lastCertifiedRun?: CertifiedRunFacts;
  /** The last run started by a push webhook from the team's forge (EX5). */
  lastForgePush?: { runId: string; at: string };
}

export type GateMode = 'audit' | 'enforce';

export interface EnvironmentFacts {
  id: string;
  name: string;
  stage: { name: string; production: boolean };
  zone: { id: string; name: string; gateMode: GateMode };
}

export interface AttestationEvidence {
  kind: EvidenceKind;
  title?: string;
  url?: string;
  text?: string;
}

export interface Attestation {
  id: string;
  requirement: string;
  attestedBy: string;
  role: AttestorRole | string;
  evidence: AttestationEvidence;
  attestedAt: string;
  /** Requested end of validity; the catalogue's validity period may end it earlier. */
  validUntil: string;
  /** Only for this environment; undefined = the whole project. */
  environmentId?: string;
}

export interface NotApplicableDeclaration {
  id: string;
  requirement: string;
  justification: string;
  declaredBy: string;
  declaredAt: string;
  /** Narrow to one repository or environment; neither = the whole requirement. */
  repositoryId?: string;
  environmentId?: string;
}

export interface ProjectFacts {
  projectId: string;
  projectName: string;
  /** The project's identifier as teams know it (its slug); the dossier shows it rather than the UUID. */
  projectSlug?: string;
  repositories: readonly RepositoryFacts[];
  environments: readonly EnvironmentFacts[];
  attestations: readonly Attestation[];
  derogations: readonly Derogation[];
  notApplicable: readonly NotApplicableDeclaration[];
  /** The platform's thresholds and approved lists (default: defaultConformityPolicy). */
  policy?: ConformityPolicy;
  /** What the platform itself observed about the project (deliveries, deployments); absent offline. */
  platform?: PlatformObservations;
  /** Catalogue services the project runs (issue 17); absent offline. */
  services?: readonly ServiceFacts[];
}

/**
 * A catalogue component running in one of the project's environments. When its checks with the team's values pass
 * and it is committed to the GitOps repository, it is evidence for the requirements its catalogue version covers
 * (e.g. a PostgreSQL with scheduled backups to the platform's object storage covers EX7, EX33 and EX40).
 */
export interface ServiceFacts {
  id: string;
  name: string;
  environmentId: string;
  /** Catalogue item slug and version. */
  item: string;
  version: string;
  verdict: 'pass' | 'fail' | 'unevaluated';
  /** Requirement ids its catalogue version covers. */
  covers: readonly string[];
  /** The GitOps commit that wrote it; absent until reconciled. */
  committedAt?: string;
  gitopsCommit?: string;
}

/** Facts the platform observes outside the chain's checks, for the `observed` assessments. */
export interface PlatformObservations {
  /** Feedback to the team's tools (notification webhooks, commit statuses): last success and last failure. */
  feedback: {
    lastDeliveredAt?: string;
    lastFailedAt?: string;
    deliveredInWindow: number;
    failedInWindow: number;
    windowStart: string;
    commitStatusesInWindow?: number;
  };
  /**
   * Deployments, their lead times (first run of the revision → deployment committed) and change sizes (lines added
   * and deleted since the revision previously deployed to the environment, where known), over the window.
   */
  delivery: {
    windowStart: string;
    deployments: number;
    leadTimesHours: readonly number[];
    changeSizesLines?: number[];
    productionDeployments: number;
    lastDeploymentAt?: string;
    oldestAt?: string;
  };
  /** Restore tests recorded through the API (EX8): the latest one. */
  lastRestoreTest?: { id: string; at: string; succeeded: boolean; recordedBy: string; environmentId?: string };
}

/** What the chain measured by starting the image it built (durations in milliseconds). */
export interface RuntimeFacts {
  status: 'measured' | 'not-started';
  measuredAt: string;
  reason?: { code: string; message: LocalisedText };
  probe?: { port: number; path?: string };
  readyMs?: number;
  startWaitMs?: number;
  exitedEarly?: { afterMs: number; exitCode: number | null };
  stop?: { afterMs: number; exitCode: number | null; killed: boolean; stopWaitMs: number };
}
