import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../checks/gate.ts';
import { allRules } from '../checks/registry.ts';
import { chainReason, gateVerdictReason, verdictReasonText } from './verdict.ts';

describe('verdict reasons in both languages', () => {
  const failing = evaluateGate({ findings: [], tests: { reports: [], tests: 12, failures: 2, errors: 1, skipped: 0 }, coverage: { lineRate: 71.5 }, baselineCoverage: { lineRate: 80 }, rules: allRules(), now: new Date('2026-11-30T00:00:00Z') });

  it('says the gate reasons in French from their parameters, with the chain detail kept as written', () => {
    const tests = gateVerdictReason(failing.reasons.find((r) => r.code === 'tests-failing')!, 'login rejects a bad password; export is sorted');
    expect(tests.message).toBe('3 of 12 tests fail: login rejects a bad password; export is sorted');
    expect(verdictReasonText(tests, 'en')).toBe(tests.message);
    expect(verdictReasonText(tests, 'fr')).toBe('3 test(s) en échec sur 12 : login rejects a bad password; export is sorted');
    const coverage = gateVerdictReason(failing.reasons.find((r) => r.code === 'coverage-decreased')!);
    expect(verdictReasonText(coverage, 'fr')).toBe('couverture des lignes en baisse : 80 % → 71.5 %');
    // Stored as JSON and read back: still said in French.
    expect(verdictReasonText(JSON.parse(JSON.stringify(coverage)), 'fr')).toBe('couverture des lignes en baisse : 80 % → 71.5 %');
  });

  it('says the reasons only the chain gives in both languages', () => {
    const invalid = chainReason('configuration-invalid', true, 'test.command: expected a string');
    expect(invalid.message).toBe('.dso.yml is invalid: test.command: expected a string');
    expect(verdictReasonText(invalid, 'fr')).toBe('le fichier .dso.yml est invalide : test.command: expected a string');
    expect(verdictReasonText(chainReason('no-image-builder', false), 'fr')).toMatch(/aucun outil de construction d'image/);
  });

  it('keeps the English sentence of a reason recorded without parameters rather than guess the figures', () => {
    expect(verdictReasonText({ code: 'secret', blocking: true, message: '2 secrets in the code' }, 'fr')).toBe('2 secrets in the code');
  });
});
