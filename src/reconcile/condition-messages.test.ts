import { describe, expect, it } from 'vitest';
import { conditionMessage, conditionMessageCodes, conditionMessageOfError, conditionMessageText, conditionText, ReconcileFailure } from './condition-messages.ts';
import { TransientReconcileError } from './transient.ts';

describe('condition messages', () => {
  it('says every code in French and in English, from its parameters', () => {
    const params = { step: 'gitops', error: 'boom', fr: 'texte', en: 'text' };
    for (const code of conditionMessageCodes) {
      const text = conditionMessageText(conditionMessage(code, params));
      expect(text.fr.trim(), code).not.toBe('');
      expect(text.en.trim(), code).not.toBe('');
      expect(text.fr, code).not.toMatch(/undefined|\{|\[object/);
      expect(text.en, code).not.toMatch(/undefined|\{|\[object/);
    }
    expect(conditionMessageText(conditionMessage('reconciled'))).toEqual({ fr: 'État souhaité appliqué.', en: 'Desired state applied.' });
    expect(conditionMessageText(conditionMessage('step.failed', { step: 'chain-mirrors', error: 'registry unreachable' }))).toEqual({ fr: 'Échec de l’étape « miroirs des dépôts » : registry unreachable', en: 'registry unreachable' });
  });

  it('shows a condition stored before codes as its message, and an unknown code as itself', () => {
    expect(conditionText({ message: 'Desired state applied.' })).toEqual({ fr: 'Desired state applied.', en: 'Desired state applied.' });
    expect(conditionText({ message: 'x', code: 'mirror.someday' })).toEqual({ fr: 'mirror.someday', en: 'mirror.someday' });
  });

  it('keeps what a step said, and frames an error no step put into words', () => {
    const said = conditionMessage('gitops.contended');
    expect(conditionMessageOfError(new ReconcileFailure(said), 'gitops')).toEqual(said);
    expect(conditionMessageOfError(new TransientReconcileError('GitopsRetrying', said), 'gitops', true)).toEqual(said);
    expect(conditionMessageOfError(new TransientReconcileError('Busy', 'try later'), 'gitops', true)).toEqual({ code: 'step.retrying', params: { step: 'gitops', error: 'try later' } });
    expect(conditionMessageOfError(new Error('x'.repeat(5000)), 'gitops').params!.error).toHaveLength(1000);
  });
});
