// The evidence manifest says what was not evaluated: an auditor reading it never takes a criterion left incomplete
// (stale advisories, a chart that did not render) for a passed one.
import { describe, expect, it } from 'vitest';
import { unevaluatedOf } from '../checks/unevaluated.ts';
import { evaluationOf } from './evidence.ts';

describe('evidence manifest: evaluation', () => {
  it('lists each criterion with its outcome and every unevaluated item in both languages; complete only when nothing is missing', () => {
    const stale = unevaluatedOf('advisories', 'npm', 'advisories-stale', { ecosystem: 'npm', days: 12, maxDays: 7 });
    const chart = unevaluatedOf('chart', 'deploy/chart', 'chart-render-failed', { error: 'template: boom' }, { file: 'deploy/chart/Chart.yaml' });
    const verdict = {
      certified: false,
      reasons: [
        { code: 'not-evaluated', outcome: 'not-evaluated' as const, blocking: true, message: 'policies: 1 item not evaluated' },
        { code: 'no-secret', outcome: 'passed' as const, blocking: false, message: 'no secret in the code', text: { fr: 'aucun secret dans le code', en: 'no secret in the code' } },
      ],
    };
    const evaluation = evaluationOf(verdict, [stale, chart]);
    expect(evaluation.complete).toBe(false);
    expect(evaluation.criteria.map((c) => `${c.code}:${c.outcome}`)).toEqual(['not-evaluated:not-evaluated', 'no-secret:passed']);
    expect(evaluation.unevaluated.map((u) => u.text.fr)).toEqual([
      'npm (avis de sécurité) : avis de sécurité npm vieux de 12 jours (maximum 7)',
      'deploy/chart (chart Helm) : rendu Helm impossible : template: boom',
    ]);
    expect(evaluationOf({ reasons: [verdict.reasons[1]!] }, []).complete).toBe(true);
  });

  it('a run without a verdict, or whose reasons predate outcomes, is never called complete by default', () => {
    expect(evaluationOf(null, undefined).complete).toBe(false);
    const old = evaluationOf({ reasons: [{ code: 'secret', blocking: true, message: '1 secret' }] }, undefined);
    expect(old.criteria[0]!.outcome).toBe('failed');
    expect(old.complete).toBe(false);
  });
});
