// Version 2 of the CCT catalogue: continuous homologation on evidence. Same 58 requirements as version 1; what
// changed is how they are established. Automated assessments now declare the machine evidence "satisfied" needs
// (coverage, test reports, an image the platform built, fresh advisories…), and 17 requirements that a person
// used to attest are measured or observed by the platform instead (forge connection, feedback deliveries, DORA
// measures, languages, log collection, graceful stop and fast start, OIDC federations, flow separation, API
// gateway, backups to object storage, connection strings). Attestation stays where no machine can know.
import { cctV1 } from './cct-v1.ts';
import type { Assessment, Catalogue, EvidenceNeed, PlatformFact, Requirement } from './model.ts';

/** Automated, and "satisfied" only with this machine evidence in the run (and no open finding of `rules`). */
const proven = (evidence: EvidenceNeed[], ...rules: string[]): Assessment => ({ kind: 'automated', rules, evidence });

/** Established by what the platform observes (webhooks, deliveries, deployments). */
const observed = (fact: PlatformFact, maxAgeDays?: number): Assessment => ({ kind: 'observed', fact, ...(maxAgeDays !== undefined ? { maxAgeDays } : {}) });

/** Version 1's assessments of `r` of this kind (kept alongside the new machine evidence). */
const kept = (r: Requirement, kind: Assessment['kind']): Assessment[] => r.assessments.filter((a) => a.kind === kind);

/** Requirement id → its assessments in version 2, computed from version 1's. */
const changes: Record<string, (r: Requirement) => Assessment[]> = {
  EX5: () => [observed('forge-push')],
  EX7: () => [proven(['object-storage-backups'])],
  // A successful restore test recorded through the API (or by an automated restore job) in the last 180 days.
  EX8: () => [observed('restore-rehearsed', 180)],
  EX9: () => [proven(['end-to-end-results'])],
  EX10: () => [proven(['coverage'], 'test-reports.*')],
  EX12: (r) => [...kept(r, 'inherited'), proven(['fresh-advisories'], 'dependencies.vulnerable-package'), ...kept(r, 'attested')],
  EX16: () => [observed('feedback-delivered')],
  EX17: () => [observed('delivery-measures')],
  EX22: () => [proven(['test-results'], 'test-reports.*')],
  // The SOC service agreement is paperwork; that logs are shipped is visible in the manifests.
  EX23: (r) => [proven(['log-collector']), ...kept(r, 'attested')],
  EX24: () => [proven(['approved-languages'])],
  EX27: () => [proven(['test-results', 'coverage'], 'test-reports.*')],
  EX33: () => [proven(['object-storage-backups'])],
  EX34: () => [proven(['platform-image'])],
  EX40: () => [proven(['object-storage-backups'])],
  // Going through the bastion is a procedure; keeping administration flows apart is in the network policies.
  EX41: (r) => [proven(['flow-separation']), ...kept(r, 'attested')],
  EX43: () => [proven(['flow-separation'])],
  EX44: () => [proven(['platform-gateway'])],
  EX48: () => [proven(['environment-connections'])],
  // Measured in the chain: the image the platform built is started in the sandbox (time to ready, SIGTERM to exit).
  EX50: () => [proven(['graceful-stop'])],
  EX51: () => [proven(['fast-start'])],
  EX56: () => [proven(['oidc-issuers'])],
  EX58: (r) => [proven(['fresh-advisories', 'test-results'], 'secrets.*', 'dependencies.vulnerable-package', 'test-reports.*'), ...kept(r, 'attested')],
};

export const cctV2: Catalogue = Object.freeze({
  version: '2.0.0',
  publishedAt: '2026-12-06',
  requirements: Object.freeze(
    cctV1.requirements.map((r) => (changes[r.id] ? { ...r, assessments: Object.freeze(changes[r.id]!(r)) } : r)),
  ),
}) as Catalogue;
