import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { cctV1 } from './cct-v1.ts';
import { evaluateConformity } from './conformity.ts';
import { uuidV5 } from './deterministic-uuid.ts';
import type { ProjectFacts } from './facts.ts';
import { assessmentResults, planOfActionAndMilestones } from './oscal.ts';
import { syntheticFinding, syntheticProject } from './synthetic-project.ts';

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

function validatorFor(file: string): ValidateFunction {
  const schema = JSON.parse(readFileSync(new URL(`./testdata/oscal/${file}`, import.meta.url), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: true, allowUnionTypes: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

const validateAr = validatorFor('oscal_assessment-results_schema.json');
const validatePoam = validatorFor('oscal_poam_schema.json');
const errors = (v: ValidateFunction) => JSON.stringify(v.errors?.slice(0, 5), null, 1);

const now = new Date('2026-11-29T12:00:00Z');
const generatedAt = new Date('2026-11-29T12:00:05Z');

function richFacts(): ProjectFacts {
  const base = syntheticProject(cctV1, 7, { findings: [syntheticFinding('containers.run-as-root', ['EX32'], 'root'), syntheticFinding('secrets.sample', ['EX47', 'EX58'], 'k')] });
  return {
    ...base,
    projectName: 'Téléservice <démo> & "cie"',
    attestations: base.attestations
      .filter((a) => a.requirement !== 'EX7')
      .map((a) => (a.requirement === 'EX1' ? { ...a, evidence: { kind: 'text' as const, text: 'Multi-line\nstatement', url: 'not a url' } } : a)),
    derogations: [
      { id: 'der-1', requirement: 'EX32', scope: { ruleId: 'containers.run-as-root' }, status: 'approved', expiresAt: '2027-01-31T23:59:59+01:00', projectId: base.projectId, justification: 'Vendor image', compensatingMeasures: 'Network isolation\nand monitoring' },
      { id: 'der-2', requirement: 'EX47', scope: {}, status: 'revoked', expiresAt: '2026-10-01T00:00:00Z', projectId: base.projectId, justification: '  ' },
      { id: 'der-3', requirement: 'EX29', scope: { repositoryId: 'x' }, status: 'requested', expiresAt: '2027-02-01T00:00:00-03:30', projectId: base.projectId },
    ],
    notApplicable: [{ id: 'na-1', requirement: 'EX57', justification: 'No personal data.', declaredBy: 'alice', declaredAt: '2026-11-01T00:00:00Z' }],
  };
}

describe('name-based UUIDs', () => {
  it('follow RFC 4122 version 5', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});

describe('OSCAL assessment results', () => {
  it('validate against the official OSCAL 1.1 JSON schema', () => {
    const facts = richFacts();
    const conformity = evaluateConformity(cctV1, facts, now);
    const doc = assessmentResults({ catalogue: cctV1, facts, conformity, generatedAt, catalogueUrl: 'https://dso.example/api/v1/requirements?version=1.0.0' });
    expect(validateAr(doc), errors(validateAr)).toBe(true);
    const result = (doc['assessment-results'] as { results: { findings: { target: { 'target-id': string; status: { state: string } } }[] }[] }).results[0]!;
    expect(result.findings).toHaveLength(58);
    const ex32 = result.findings.find((f) => f.target['target-id'] === 'ex32')!;
    expect(ex32.target.status.state).toBe('not-satisfied');
    expect(JSON.stringify(ex32)).toContain('derogated');
  });

  it('are reproducible: same facts and date give the same bytes, and item UUIDs survive a new evaluation', () => {
    const facts = richFacts();
    const conformity = evaluateConformity(cctV1, facts, now);
    const a = JSON.stringify(assessmentResults({ catalogue: cctV1, facts, conformity, generatedAt }));
    const b = JSON.stringify(
      assessmentResults({
        catalogue: cctV1,
        facts: richFacts(),
        conformity: evaluateConformity(cctV1, richFacts(), now),
        generatedAt,
      }),
    );
    expect(a).toBe(b);
    const later = JSON.stringify(assessmentResults({ catalogue: cctV1, facts, conformity: evaluateConformity(cctV1, facts, new Date('2026-11-30T00:00:00Z')), generatedAt }));
    const runObservation = (json: string) => (JSON.parse(json)['assessment-results'].results[0].observations as { uuid: string; title: string }[]).find((o) => o.title.startsWith('Exécution'))!.uuid;
    expect(runObservation(later)).toBe(runObservation(a));
  });

  it('validate for an empty project too', () => {
    const facts: ProjectFacts = { projectId: 'p', projectName: 'Empty', repositories: [], environments: [], attestations: [], derogations: [], notApplicable: [] };
    const doc = assessmentResults({
      catalogue: cctV1,
      facts,
      conformity: evaluateConformity(cctV1, facts, now),
      generatedAt,
    });
    expect(validateAr(doc), errors(validateAr)).toBe(true);
  });

  it('are rejected by the schema when broken (the validator is really checking)', () => {
    const facts = richFacts();
    const doc = assessmentResults({ catalogue: cctV1, facts, conformity: evaluateConformity(cctV1, facts, now), generatedAt }) as { 'assessment-results': { uuid: string } };
    doc['assessment-results'].uuid = 'not-a-uuid';
    expect(validateAr(doc)).toBe(false);
  });
});

describe('OSCAL POA&M', () => {
  it('lists derogations and unmet requirements and validates against the official schema', () => {
    const facts = richFacts();
    const conformity = evaluateConformity(cctV1, facts, now);
    const doc = planOfActionAndMilestones({ catalogue: cctV1, facts, conformity, generatedAt });
    expect(validatePoam(doc), errors(validatePoam)).toBe(true);
    const items = (doc['plan-of-action-and-milestones'] as { 'poam-items': { title: string; props: { name: string; value: string }[] }[] })['poam-items'];
    expect(items.filter((i) => i.props.some((p) => p.value === 'derogation')).map((i) => i.title)).toEqual([
      'Dérogation der-1 à EX32',
      'Dérogation der-2 à EX47',
      'Dérogation der-3 à EX29',
    ]);
    expect(items.find((i) => i.title.startsWith('Dérogation der-1'))!.props).toContainEqual({ name: 'expires-at', ns: 'https://dso.example.gouv.fr/ns/oscal', value: '2027-01-31T22:59:59.000Z' });
    expect(items.some((i) => i.title.startsWith('EX7 '))).toBe(true);
  });

  it('validates for a fully conformant project without derogation', () => {
    const facts = syntheticProject(cctV1, 1);
    const conformity = evaluateConformity(cctV1, facts, now);
    const doc = planOfActionAndMilestones({ catalogue: cctV1, facts, conformity, generatedAt });
    expect(validatePoam(doc), errors(validatePoam)).toBe(true);
  });
});
