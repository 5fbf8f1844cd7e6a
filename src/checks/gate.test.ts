import { describe, expect, it } from 'vitest';
import type { Derogation } from '../domain/derogation.ts';
import { evaluateGate } from './gate.ts';
import { findingOf, type Finding, type Rule } from './model.ts';
import { pRequirementIds } from './p-requirements.ts';

const rules: Rule[] = [
  { id: 'dependencies.vulnerable-package', kind: 'vulnerability', severity: 'high', requirements: ['EX58', 'EX12'], description: 'vuln' },
  { id: 'secrets.github-token', kind: 'secret', severity: 'critical', requirements: ['EX47', 'EX58'], description: 'token' },
  { id: 'containers.non-root', kind: 'policy', severity: 'high', requirements: ['EX32'], description: 'root' },
  { id: 'quality.eco', kind: 'quality', severity: 'medium', requirements: ['EX26'], description: 'I-level only' },
  { id: 'api.info', kind: 'policy', severity: 'info', requirements: ['EX46'], description: 'informational' },
];
const rule = (id: string) => rules.find((r) => r.id === id) as Rule;
const vuln = (key: string, severity: Finding['severity'] = 'critical') => ({ ...findingOf(rule('dependencies.vulnerable-package'), { file: 'package-lock.json' }, `vulnerable ${key}`, key), severity });
const secret = findingOf(rule('secrets.github-token'), { file: 'a.ts', line: 3 }, 'token ghp_***', 'k1');
const rootContainer = findingOf(rule('containers.non-root'), { file: 'Dockerfile' }, 'runs as root', 'USER');
const now = new Date('2026-11-29T12:00:00.000Z');
const codes = (r: ReturnType<typeof evaluateGate>) => r.reasons.filter((x) => x.blocking).map((x) => x.code);

describe('gate', () => {
  it('passes a clean run and says why', () => {
    const result = evaluateGate({ findings: [], rules, now });
    expect(result.verdict).toBe('pass');
    expect(result.reasons.map((r) => r.code)).toEqual(['no-new-vulnerability', 'no-secret', 'no-p-requirement-violation']);
  });

  it('fails on a critical or high vulnerability without baseline, not on a medium one', () => {
    expect(codes(evaluateGate({ findings: [vuln('a@1 GHSA-1')], rules, now }))).toEqual(['new-vulnerability']);
    expect(evaluateGate({ findings: [vuln('a@1 GHSA-2', 'medium')], rules, now }).verdict).toBe('pass');
  });

  it('with a baseline, only new vulnerabilities fail; still present and fixed ones are counted', () => {
    const old = vuln('a@1 GHSA-1');
    const fixed = vuln('b@1 GHSA-9');
    const result = evaluateGate({ findings: [old], baseline: [old, fixed], rules, now });
    expect(result.verdict).toBe('pass');
    expect(result.comparison).toEqual({ new: [], stillPresent: [old.fingerprint], fixed: [fixed.fingerprint] });
    const fresh = vuln('c@2 GHSA-3', 'high');
    expect(codes(evaluateGate({ findings: [old, fresh], baseline: [old], rules, now }))).toEqual(['new-vulnerability']);
  });

  it('fails on any secret, even one already in the baseline', () => {
    expect(codes(evaluateGate({ findings: [secret], baseline: [secret], rules, now }))).toEqual(['secret']);
  });

  it('fails on a violated P requirement, not on an I-level or informational finding', () => {
    expect(codes(evaluateGate({ findings: [rootContainer], rules, now }))).toEqual(['p-requirement']);
    const eco = findingOf(rule('quality.eco'), { file: 'x' }, 'heavy', 'k');
    const info = findingOf(rule('api.info'), { file: 'x' }, 'fyi', 'k');
    expect(evaluateGate({ findings: [eco, info], rules, now }).verdict).toBe('pass');
  });

  it('fails on failing tests and on a coverage decrease', () => {
    const tests = { reports: ['junit.xml'], tests: 10, failures: 1, errors: 0, skipped: 0 };
    expect(codes(evaluateGate({ findings: [], tests, rules, now }))).toEqual(['tests-failing']);
    expect(codes(evaluateGate({ findings: [], coverage: { lineRate: 79.99 }, baselineCoverage: { lineRate: 80 }, rules, now }))).toEqual(['coverage-decreased']);
    const kept = evaluateGate({
      findings: [],
      coverage: { lineRate: 80 },
      baselineCoverage: { lineRate: 80 },
      rules,
      now,
    });
    expect(kept.verdict).toBe('pass');
    expect(kept.reasons.map((r) => r.code)).toContain('coverage-kept');
  });

  describe('derogations', () => {
    const derogation = (over: Partial<Derogation> = {}): Derogation => ({
      id: 'd1', requirement: 'EX32', scope: {}, status: 'approved', expiresAt: '2026-11-29T12:00:00.001Z', ...over,
    });

    it('excuse matching findings until the exact expiry instant, not at it', () => {
      const before = evaluateGate({ findings: [rootContainer], rules, derogations: [derogation()], now });
      expect(before.verdict).toBe('pass');
      expect(before.excused).toEqual([{ fingerprint: rootContainer.fingerprint, derogationId: 'd1' }]);
      expect(before.reasons.map((r) => r.code)).toContain('derogated');
      const atExpiry = evaluateGate({
        findings: [rootContainer],
        rules,
        derogations: [derogation({ expiresAt: now.toISOString() })],
        now,
      });
      expect(atExpiry.verdict).toBe('fail');
      expect(atExpiry.excused).toEqual([]);
    });

    it('are narrowed by rule, fingerprint, repository and status', () => {
      const cases: [Partial<Derogation>, 'pass' | 'fail'][] = [
        [{ scope: { ruleId: 'containers.non-root' } }, 'pass'],
        [{ scope: { ruleId: 'containers.other' } }, 'fail'],
        [{ scope: { fingerprint: rootContainer.fingerprint } }, 'pass'],
        [{ scope: { fingerprint: 'f'.repeat(32) } }, 'fail'],
        [{ scope: { repositoryId: 'r1' } }, 'fail'],
        [{ requirement: 'EX29' }, 'fail'],
        [{ status: 'requested' }, 'fail'],
        [{ status: 'revoked' }, 'fail'],
      ];
      for (const [over, verdict] of cases) {
        expect(
          evaluateGate({ findings: [rootContainer], rules, derogations: [derogation(over)], now }).verdict,
          JSON.stringify(over),
        ).toBe(verdict);
      }
      expect(evaluateGate({ findings: [rootContainer], rules, derogations: [derogation({ scope: { repositoryId: 'r1' } })], context: { repositoryId: 'r1' }, now }).verdict).toBe('pass');
    });

    it('can excuse a secret tied to its requirement', () => {
      expect(evaluateGate({ findings: [secret], rules, derogations: [derogation({ requirement: 'EX47' })], now }).verdict).toBe('pass');
    });
  });

  it('takes the P requirements from the framework: EX32, EX47 and EX58 are P, EX10 and EX26 are not', () => {
    for (const id of ['EX32', 'EX47', 'EX58', 'EX29', 'EX46']) expect(pRequirementIds.has(id), id).toBe(true);
    for (const id of ['EX10', 'EX26', 'EX27', 'EX43']) expect(pRequirementIds.has(id), id).toBe(false);
  });
});
