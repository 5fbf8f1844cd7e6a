// What the conformity evaluator reads about a project: plain data gathered by the caller (the API from the
// database, the CLI from files, the benchmark from a generator). Timestamps are ISO 8601 with offset.
import type { Finding } from '../checks/model.ts';
import type { Derogation } from '../domain/derogation.ts';
import type { AttestorRole, EvidenceKind } from './model.ts';

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
}

export interface RepositoryFacts {
  id: string;
  name: string;
  /** The last run whose revision was certified; undefined until the first certification. */
  lastCertifiedRun?: CertifiedRunFacts;
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
  repositories: readonly RepositoryFacts[];
  environments: readonly EnvironmentFacts[];
  attestations: readonly Attestation[];
  derogations: readonly Derogation[];
  notApplicable: readonly NotApplicableDeclaration[];
}
