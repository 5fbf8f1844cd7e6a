import { describe, expect, it } from 'vitest';
import { note, stepNoteCodes, stepNoteText } from './step-notes.ts';

describe('step notes', () => {
  it('says every note in French and in English, from its parameters', () => {
    const params = { ms: 1234, exitCode: 2, signal: 'SIGKILL', error: 'boom', host: 'replica-1', folder: '/work/x', delivered: 1, failed: 0, fr: 'texte', en: 'text' };
    for (const code of stepNoteCodes) {
      const text = stepNoteText(note(code, params));
      expect(text.fr.trim(), code).not.toBe('');
      expect(text.en.trim(), code).not.toBe('');
      expect(text.fr, code).not.toMatch(/undefined|\{/);
      expect(text.en, code).not.toMatch(/undefined|\{/);
    }
    expect(stepNoteText(note('tests.passed', { ms: 812 }))).toEqual({ fr: 'tests réussis en 812 ms', en: 'tests passed in 812 ms' });
    expect(stepNoteText(note('notify.summary', { delivered: 2, failed: 1, emailFr: 'courriel envoyé à 1 destinataire(s)', emailEn: 'e-mail sent to 1 recipient(s)' })).en).toBe('2 webhook(s) delivered, 1 failed; e-mail sent to 1 recipient(s)');
  });

  it('shows an unknown code (written by a newer version) as itself', () => {
    expect(stepNoteText({ code: 'build.someday' as never })).toEqual({ fr: 'build.someday', en: 'build.someday' });
  });
});
