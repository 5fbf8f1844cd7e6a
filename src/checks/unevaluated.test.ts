import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { runChecks } from './engine.ts';
import { gateReasonText, outcomeMark } from './format/messages.ts';
import { toSarif } from './format/sarif.ts';
import { formatText } from './format/text.ts';
import { evaluateGate } from './gate.ts';
import { findingOf, type Checker, type Rule } from './model.ts';
import { defaultEvaluationPolicy, mergeEvaluationPolicy, unevaluatedOf, unevaluatedText } from './unevaluated.ts';

const vulnerable: Rule = { id: 'dependencies.vulnerable-package', kind: 'vulnerability', severity: 'high', requirements: ['EX58', 'EX12'], description: 'vuln' };
const rules = [vulnerable];
const now = new Date('2026-12-01T00:00:00Z');
const parent = unevaluatedOf('dependency', 'org.springframework.boot:spring-boot-starter-web', 'maven-parent-unresolved', { parent: 'org.springframework.boot:spring-boot-starter-parent:3.0.2' }, { file: 'pom.xml' });
const springUnresolved = Array.from({ length: 17 }, (_, i) => ({ ...parent, item: `org.example:dep-${i}` }));
const chart = unevaluatedOf('chart', 'deploy/chart', 'chart-render-failed', { error: 'template: web/templates/deployment.yaml:12: function "nope" not defined' });

describe('not evaluated: the third outcome', () => {
  it('says how much of the vulnerabilities criterion was checked and why the rest was not, in French and English', () => {
    const gate = evaluateGate({ findings: [], rules, now, unevaluated: springUnresolved, extent: { vulnerabilities: { checked: 3, total: 20, unit: 'components' } } });
    const reason = gate.reasons.find((r) => r.criterion === 'vulnerabilities')!;
    expect(reason.outcome).toBe('not-evaluated');
    // No tick for vulnerabilities: the "no new vulnerability" reason is not given when components were not checked.
    expect(gate.reasons.map((r) => r.code)).not.toContain('no-new-vulnerability');
    expect(outcomeMark(reason)).toBe('⚠');
    expect(gateReasonText(reason, 'fr')).toBe(
      'vulnérabilités : 3 composants sur 20 vérifiés ; 17 non résolus (org.example:dep-0 (dépendance) : parent Maven org.springframework.boot:spring-boot-starter-parent:3.0.2 non résolu, et 16 autres)',
    );
    expect(gateReasonText(reason, 'en')).toContain('vulnerabilities: 3 of 20 components checked; 17 unresolved (org.example:dep-0 (dependency): Maven parent org.springframework.boot:spring-boot-starter-parent:3.0.2 not resolved');
    // Unresolved dependencies warn by default: certified, but the evaluation is said to be incomplete.
    expect(gate.verdict).toBe('pass');
    expect(gate.complete).toBe(false);
    expect(reason.blocking).toBe(false);
  });

  it('an unrenderable chart blocks by default, with its own verdict; a project policy can make it warn', () => {
    const gate = evaluateGate({ findings: [], rules, now, unevaluated: [chart] });
    expect(gate.verdict).toBe('not-evaluated');
    const reason = gate.reasons.find((r) => r.code === 'not-evaluated')!;
    expect(reason).toMatchObject({ criterion: 'policies', blocking: true, outcome: 'not-evaluated' });
    expect(gate.reasons.map((r) => r.code)).not.toContain('no-p-requirement-violation');
    expect(gateReasonText(reason, 'fr')).toContain('exigences P : non évalué entièrement (deploy/chart (chart Helm) : rendu Helm impossible : template:');
    const relaxed = mergeEvaluationPolicy(defaultEvaluationPolicy, { unevaluated: { chart: 'warn' } });
    expect(evaluateGate({ findings: [], rules, now, unevaluated: [chart], policy: relaxed }).verdict).toBe('pass');
    // A platform that blocks unresolved dependencies:
    const strict = mergeEvaluationPolicy(defaultEvaluationPolicy, { unevaluated: { dependency: 'block' } });
    expect(evaluateGate({ findings: [], rules, now, unevaluated: [parent], policy: strict }).verdict).toBe('not-evaluated');
  });

  it('a failed criterion stays failed, and what was not evaluated is still said next to it', () => {
    const finding = findingOf(vulnerable, { file: 'pom.xml' }, 'x affected', 'x@1 GHSA-1');
    const gate = evaluateGate({ findings: [finding], rules, now, unevaluated: [parent, chart] });
    expect(gate.verdict).toBe('fail');
    expect(gate.reasons.filter((r) => r.criterion === 'vulnerabilities').map((r) => r.outcome)).toEqual(['failed', 'not-evaluated']);
  });

  it('a vulnerability of unknown severity gates as the policy says, never as a silent medium', () => {
    const unknown = findingOf({ ...vulnerable, severity: 'medium' }, { file: 'requirements.txt' }, 'django affected', 'django@1 PYSEC-1', { severityBasis: 'unknown' });
    const blocked = evaluateGate({ findings: [unknown], rules, now });
    expect(blocked.verdict).toBe('fail');
    expect(gateReasonText(blocked.reasons[0]!, 'fr')).toBe('1 nouvelle vulnérabilité critique ou élevée (dont 1 de sévérité inconnue)');
    const warned = evaluateGate({ findings: [unknown], rules, now, policy: { ...defaultEvaluationPolicy, unknownSeverity: 'warn' } });
    expect(warned.verdict).toBe('pass');
    expect(warned.reasons.find((r) => r.code === 'unknown-severity')).toMatchObject({ outcome: 'not-evaluated', blocking: false });
    expect(evaluateGate({ findings: [unknown], rules, now, policy: { ...defaultEvaluationPolicy, unknownSeverity: 'ignore' } }).reasons.map((r) => r.code)).toContain('no-new-vulnerability');
  });

  it('renders an item with its extent in both languages', () => {
    const pom = unevaluatedOf('dependency', 'pom.xml', 'maven-parent-unresolved', { parent: 'org.springframework.boot:spring-boot-starter-parent:3.0.2' }, { extent: { checked: 3, total: 20, unit: 'components' } });
    expect(unevaluatedText(pom, 'fr')).toBe('pom.xml (dépendance) : parent Maven org.springframework.boot:spring-boot-starter-parent:3.0.2 non résolu — 3 composants sur 20 vérifiés');
    expect(pom.message).toBe('pom.xml (dependency): Maven parent org.springframework.boot:spring-boot-starter-parent:3.0.2 not resolved — 3 of 20 components checked');
  });
});

describe('the unevaluated list in every output of dso check', async () => {
  const incompleteChecker: Checker = {
    name: 'kubernetes',
    rules: [],
    async check() {
      return { findings: [], notes: [], unevaluated: [chart], extent: { policies: { checked: 0, total: 1, unit: 'charts' } } };
    },
  };
  const crashing: Checker = {
    name: 'dependencies',
    rules: [],
    async check() {
      throw new Error('boom');
    },
  };
  const report = await runChecks({ root: join(import.meta.dirname, '__fixtures__/configuration'), options: { checkers: [incompleteChecker, crashing], workers: 0, now } });

  it('JSON: a top-level unevaluated array, the extent, and the not-evaluated verdict', () => {
    expect(report.unevaluated!.map((u) => [u.kind, u.item, u.code])).toEqual([
      ['chart', 'deploy/chart', 'chart-render-failed'],
      ['dependency', '.', 'checker-failed'],
    ]);
    expect(report.extent).toEqual({ policies: { checked: 0, total: 1, unit: 'charts' } });
    expect(report.gate.verdict).toBe('not-evaluated');
  });

  it('text: a "Non évalué" section, no tick for an incomplete criterion, and the verdict says so', () => {
    const text = formatText(report, { colour: false, lang: 'fr' });
    expect(text).toContain('Non évalué (2)');
    expect(text).toContain('⚠ deploy/chart (chart Helm) : rendu Helm impossible');
    expect(text).toContain('Verdict : NON ÉVALUÉ');
    expect(text).not.toMatch(/✓ aucune nouvelle vulnérabilité/);
    expect(text).toMatch(/⚠ vulnérabilités : non évalué entièrement \(\. \(dépendance\) : le contrôle dependencies a échoué \(boom\)\)/);
    expect(formatText(report, { colour: false, lang: 'en' })).toContain('Verdict: NOT EVALUATED');
  });

  it('SARIF: one notification per unevaluated item, valid against the schema, an error when it blocks', () => {
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
    schema.$id = schema.id;
    delete schema.id;
    delete schema.$schema;
    const ajv = new Ajv.default({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats.default(ajv);
    const sarif = toSarif(report, []) as {
      runs: {
        invocations: {
          toolExecutionNotifications: { level: string; message: { text: string }; properties: { kind: string } }[];
        }[];
      }[];
    };
    const validate = ajv.compile(schema);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const notifications = sarif.runs[0]!.invocations[0]!.toolExecutionNotifications.filter((n) => n.properties?.kind);
    expect(notifications.map((n) => [n.properties.kind, n.level])).toEqual([
      ['chart', 'error'],
      ['dependency', 'warning'],
    ]);
  });
});
