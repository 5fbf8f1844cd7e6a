// OSCAL 1.1 exports of a project's conformity: assessment results (each requirement's state as a finding,
// backed by observations of the evidence) and a plan of action and milestones (POA&M: derogations and
// unmet requirements as items). Pure and reproducible: same inputs and `generatedAt` → same document,
// with name-based UUIDs derived from stable keys.
import { evidenceLabels } from './evidence.ts';
import { derogationInForce, parseInstant, type Derogation } from '../domain/derogation.ts';
import { compileCatalogue } from './catalogue.ts';
import type { ConformityResult, EvidenceRef, RequirementConformity } from './conformity.ts';
import { stateLabels } from './conformity.ts';
import { stableUuid } from './deterministic-uuid.ts';
import type { ProjectFacts } from './facts.ts';
import type { Catalogue } from './model.ts';
import { referenceUrl } from './reference-url.ts';

export const oscalVersion = '1.1.1';
export const defaultOscalNamespace = 'https://dso.example.gouv.fr/ns/oscal';

export interface OscalExportInput {
  catalogue: Catalogue;
  facts: ProjectFacts;
  conformity: ConformityResult;
  /** Instant the document is produced (also its last-modified). */
  generatedAt: Date;
  /** Where the catalogue can be read (e.g. the API's /api/v1/requirements?version=…). */
  catalogueUrl?: string;
  /** Namespace of DSO π's own OSCAL properties. */
  namespace?: string;
}

type Json = Record<string, unknown>;

/** OSCAL instants must carry an offset and match its date-time pattern: always emit UTC with milliseconds. */
function instant(value: string | Date): string {
  const ms = typeof value === 'string' ? (parseInstant(value) ?? Date.parse(value)) : value.getTime();
  return new Date(Number.isFinite(ms) ? ms : 0).toISOString();
}

/** A non-empty single-line string without surrounding blanks (OSCAL's StringDatatype). */
function line(value: string): string {
  const s = value.replace(/\s+/g, ' ').trim();
  return s === '' ? '-' : s.slice(0, 1000);
}

const tokenOf = (id: string) => id.toLowerCase();

function prop(ns: string, name: string, value: string): Json {
  return { name, ns, value: line(value) };
}

function metadata(input: OscalExportInput, title: string, ns: string): Json {
  return {
    title,
    'last-modified': instant(input.generatedAt),
    version: instant(input.conformity.evaluatedAt),
    'oscal-version': oscalVersion,
    props: [prop(ns, 'project-id', input.facts.projectId), prop(ns, 'catalogue-version', input.catalogue.version)],
    parties: [{ uuid: stableUuid('party', 'dso-platform'), type: 'organization', name: 'DSO π' }],
  };
}

interface Observation {
  key: string;
  json: Json;
}

function observationOf(ref: EvidenceRef, input: OscalExportInput, ns: string): Observation | undefined {
  const projectId = input.facts.projectId;
  const evaluatedAt = instant(input.conformity.evaluatedAt);
  switch (ref.kind) {
    case 'run': {
      const repo = input.facts.repositories.find((r) => r.id === ref.repositoryId);
      const evidence = (
        [
          ['bundleUrl', "Paquet de preuves de l'exécution / run evidence bundle"],
          ['sbomUrl', 'SBOM (CycloneDX)'],
          ['sarifUrl', 'Constats SARIF / SARIF findings'],
        ] as const
      ).flatMap(([field, description]) => {
        const href = referenceUrl(ref[field]);
        return href ? [{ href, description }] : [];
      });
      return {
        key: `run:${ref.runId}`,
        json: {
          uuid: stableUuid('observation', projectId, 'run', ref.runId),
          title: line(`Exécution certifiée ${ref.runId}`),
          description: `Exécution certifiée ${ref.runId} du dépôt ${repo?.name ?? ref.repositoryId}${ref.revision ? ` (révision ${ref.revision})` : ''}.`,
          props: [prop(ns, 'repository-id', ref.repositoryId), ...(ref.revision ? [prop(ns, 'revision', ref.revision)] : [])],
          methods: ['TEST'],
          types: ['control-objective'],
          collected: instant(ref.finishedAt),
          ...(evidence.length > 0 ? { 'relevant-evidence': evidence } : {}),
        },
      };
    }
    case 'attestation': {
      const href = referenceUrl(ref.url);
      return {
        key: `attestation:${ref.attestationId}`,
        json: {
          uuid: stableUuid('observation', projectId, 'attestation', ref.attestationId),
          title: line(`Attestation ${ref.attestationId}`),
          description: `Attestée par ${ref.attestedBy} (${ref.role}), valable jusqu'au ${instant(ref.effectiveUntil)}.${ref.text ? `\n\n${ref.text}` : ''}`,
          props: [prop(ns, 'attested-by', ref.attestedBy), prop(ns, 'role', ref.role)],
          methods: ['EXAMINE'],
          types: ['control-objective'],
          collected: instant(ref.attestedAt),
          expires: instant(ref.effectiveUntil),
          'relevant-evidence': [{ ...(href ? { href } : {}), description: ref.title ?? 'Preuve fournie / evidence provided' }],
        },
      };
    }
    case 'inherited':
      return {
        key: `inherited:${ref.how.en}`,
        json: {
          uuid: stableUuid('observation', projectId, 'inherited', ref.how.en),
          title: 'Assurée par la plateforme / provided by the platform',
          description: `${ref.how.fr}\n\n${ref.how.en}`,
          methods: ['EXAMINE'],
          types: ['control-objective'],
          collected: evaluatedAt,
        },
      };
    case 'not-applicable':
      return {
        key: `not-applicable:${ref.declarationId}`,
        json: {
          uuid: stableUuid('observation', projectId, 'not-applicable', ref.declarationId),
          title: line(`Non-applicabilité ${ref.declarationId}`),
          description: ref.justification,
          methods: ['EXAMINE'],
          types: ['control-objective'],
          collected: evaluatedAt,
        },
      };
    case 'observation': {
      // One observation per piece of machine evidence: what was measured or observed, when, and where to see it.
      const href = referenceUrl(ref.url);
      const key = `observation:${ref.evidence}:${ref.repositoryId ?? 'project'}:${ref.runId ?? ref.observedAt}`;
      const repo = ref.repositoryId ? input.facts.repositories.find((r) => r.id === ref.repositoryId) : undefined;
      return {
        key,
        json: {
          uuid: stableUuid('observation', projectId, key),
          title: line(`${evidenceLabels[ref.evidence].fr}${repo ? ` — ${repo.name}` : ''}`),
          description: `${ref.summary.fr}\n\n${ref.summary.en}`,
          props: [
            prop(ns, 'evidence', ref.evidence),
            ...(ref.repositoryId ? [prop(ns, 'repository-id', ref.repositoryId)] : []),
            ...(ref.runId ? [prop(ns, 'run-id', ref.runId)] : []),
          ],
          methods: [ref.runId ? 'TEST' : 'EXAMINE'],
          types: ['control-objective'],
          collected: instant(ref.observedAt),
          ...(ref.validUntil ? { expires: instant(ref.validUntil) } : {}),
          ...(href ? { 'relevant-evidence': [{ href, description: evidenceLabels[ref.evidence].fr }] } : {}),
        },
      };
    }
    case 'service':
      return {
        key: `service:${ref.serviceId}:${ref.version}`,
        json: {
          uuid: stableUuid('observation', projectId, 'service', ref.serviceId, ref.version),
          title: line(`Service ${ref.name} (${ref.item} ${ref.version})`),
          description: `Service du catalogue ${ref.item} ${ref.version}, contrôles : ${ref.verdict}${ref.gitopsCommit ? `, commit GitOps ${ref.gitopsCommit}` : ''}. / Catalogue service, checks: ${ref.verdict}.`,
          props: [prop(ns, 'catalogue-item', ref.item), prop(ns, 'catalogue-version', ref.version), prop(ns, 'environment-id', ref.environmentId)],
          methods: ['TEST'],
          types: ['control-objective'],
          collected: evaluatedAt,
        },
      };
    case 'derogation':
      return undefined;
  }
}

function findingOf(r: RequirementConformity, input: OscalExportInput, ns: string, observationUuids: string[]): Json {
  const requirement = compileCatalogue(input.catalogue).byId.get(r.id);
  const reasons = r.targets.flatMap((t) => t.reasons.map((reason) => `- ${reason.message.fr}${reason.howTo ? ` (${reason.howTo.fr})` : ''}`));
  const state = r.state === 'satisfied' ? 'satisfied' : 'not-satisfied';
  const reason = r.state === 'satisfied' ? 'pass' : r.state === 'not-satisfied' ? 'fail' : 'other';
  return {
    uuid: stableUuid('finding', input.facts.projectId, input.conformity.evaluatedAt, r.id),
    title: line(`${r.id} — ${requirement?.title.fr ?? r.id}`),
    description: `${stateLabels[r.state].fr}${r.until ? ` jusqu'au ${instant(r.until)}` : ''}.\n${reasons.join('\n')}`,
    props: [
      prop(ns, 'state', r.state),
      prop(ns, 'level', r.level),
      ...(r.until ? [prop(ns, 'derogated-until', instant(r.until))] : []),
    ],
    target: {
      type: 'objective-id',
      'target-id': tokenOf(r.id),
      status: { state, reason },
      ...(r.state === 'not-applicable' ? { 'implementation-status': { state: 'not-applicable' } } : {}),
    },
    ...(observationUuids.length > 0 ? { 'related-observations': observationUuids.map((u) => ({ 'observation-uuid': u })) } : {}),
  };
}

function catalogueResource(input: OscalExportInput, ns: string): Json {
  const href = referenceUrl(input.catalogueUrl);
  return {
    uuid: stableUuid('resource', 'catalogue', input.catalogue.version),
    title: `Catalogue CCT Cloud π Native ${input.catalogue.version}`,
    props: [prop(ns, 'catalogue-version', input.catalogue.version)],
    ...(href ? { rlinks: [{ href, 'media-type': 'application/json' }] } : {}),
  };
}

/** OSCAL assessment-results document (as a plain object; JSON.stringify it). */
export function assessmentResults(input: OscalExportInput): Json {
  const ns = input.namespace ?? defaultOscalNamespace;
  const { conformity, facts } = input;
  const observations = new Map<string, Json>();
  const findings = conformity.requirements.map((r) => {
    const uuids: string[] = [];
    for (const t of r.targets) {
      for (const ref of t.evidence) {
        const o = observationOf(ref, input, ns);
        if (!o) continue;
        if (!observations.has(o.key)) observations.set(o.key, o.json);
        const uuid = observations.get(o.key)!.uuid as string;
        if (!uuids.includes(uuid)) uuids.push(uuid);
      }
    }
    return findingOf(r, input, ns, uuids);
  });
  const resource = catalogueResource(input, ns);
  const scores = conformity.scores;
  const result: Json = {
    uuid: stableUuid('result', facts.projectId, conformity.evaluatedAt),
    title: line(`Conformité de ${facts.projectName} au CCT ${input.catalogue.version}`),
    description: `Évaluation continue calculée le ${instant(conformity.evaluatedAt)} à partir des dernières exécutions certifiées, des attestations et des dérogations.`,
    start: instant(conformity.evaluatedAt),
    end: instant(conformity.evaluatedAt),
    props: [
      prop(ns, 'p-ratio', String(scores.P.ratio)),
      prop(ns, 'p-covered-ratio', String(scores.P.coveredRatio)),
      prop(ns, 'i-ratio', String(scores.I.ratio)),
    ],
    'reviewed-controls': {
      'control-selections': [{ 'include-controls': conformity.requirements.map((r) => ({ 'control-id': tokenOf(r.id) })) }],
    },
    ...(observations.size > 0 ? { observations: [...observations.values()] } : {}),
    ...(findings.length > 0 ? { findings } : {}),
  };
  return {
    'assessment-results': {
      uuid: stableUuid('assessment-results', facts.projectId, conformity.evaluatedAt),
      metadata: metadata(input, line(`Résultats d'évaluation CCT — ${facts.projectName}`), ns),
      'import-ap': { href: `#${resource.uuid as string}` },
      results: [result],
      'back-matter': { resources: [resource] },
    },
  };
}

function derogationItem(d: Derogation, input: OscalExportInput, ns: string): Json {
  const now = new Date(input.conformity.evaluatedAt);
  const inForce = derogationInForce(d, now);
  const scope = Object.entries(d.scope ?? {})
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => prop(ns, `scope-${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(v)));
  const remarks = [d.compensatingMeasures ? `Mesures compensatoires : ${d.compensatingMeasures}` : '', d.decisionComment ? `Décision : ${d.decisionComment}` : '']
    .filter(Boolean)
    .join('\n\n');
  return {
    uuid: stableUuid('poam-item', input.facts.projectId, 'derogation', d.id),
    title: line(`Dérogation ${d.id} à ${d.requirement}`),
    description: d.justification && d.justification.trim() !== '' ? d.justification : 'Dérogation sans justification enregistrée.',
    props: [
      prop(ns, 'kind', 'derogation'),
      prop(ns, 'requirement', d.requirement),
      prop(ns, 'status', d.status),
      prop(ns, 'in-force', inForce ? 'true' : 'false'),
      prop(ns, 'expires-at', instant(d.expiresAt)),
      ...scope,
    ],
    ...(remarks ? { remarks } : {}),
  };
}

/** OSCAL plan-of-action-and-milestones: derogations (open and past) and unmet requirements. */
export function planOfActionAndMilestones(input: OscalExportInput): Json {
  const ns = input.namespace ?? defaultOscalNamespace;
  const { facts, conformity } = input;
  const derogations = [...facts.derogations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const unmet = conformity.requirements.filter((r) => r.state === 'not-satisfied' || r.state === 'awaiting-evidence' || r.state === 'awaiting-attestation');
  const items: Json[] = [
    ...derogations.map((d) => derogationItem(d, input, ns)),
    ...unmet.map((r) => ({
      uuid: stableUuid('poam-item', facts.projectId, 'requirement', r.id),
      title: line(`${r.id} — ${stateLabels[r.state].fr}`),
      description: r.targets.flatMap((t) => t.reasons.map((reason) => reason.message.fr)).join('\n') || stateLabels[r.state].fr,
      props: [prop(ns, 'kind', 'unmet-requirement'), prop(ns, 'requirement', r.id), prop(ns, 'level', r.level), prop(ns, 'state', r.state)],
    })),
  ];
  // OSCAL requires at least one item: a fully conformant project without derogation says so explicitly.
  if (items.length === 0) {
    items.push({
      uuid: stableUuid('poam-item', facts.projectId, 'nothing-to-do'),
      title: 'Aucune action en cours / nothing to remediate',
      description: 'Toutes les exigences applicables sont satisfaites et aucune dérogation n’est enregistrée.',
      props: [prop(ns, 'kind', 'none')],
    });
  }
  return {
    'plan-of-action-and-milestones': {
      uuid: stableUuid('poam', facts.projectId, conformity.evaluatedAt),
      metadata: metadata(input, line(`Plan d'action CCT — ${facts.projectName}`), ns),
      'system-id': { 'identifier-type': 'https://ietf.org/rfc/rfc4122', id: stableUuid('system', facts.projectId) },
      'poam-items': items,
    },
  };
}
