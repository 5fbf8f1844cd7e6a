import { describe, expect, it } from 'vitest';
import { argocdHealthWords, argocdSyncWords, argocdWord } from '../domain/argocd-words.ts';
import { argocdStatus, deploymentWords, failureReason, provisioningWords, runWords, say, serviceVerdictWords, stepNameWords, stepWords } from './status-words.ts';

describe('status words of the CLI and ArgoCD', () => {
  it('says every status in French and in English', () => {
    const catalogues = {
      provisioningWords,
      runWords,
      stepWords,
      stepNameWords,
      deploymentWords,
      serviceVerdictWords,
      argocdSyncWords,
      argocdHealthWords,
    };
    for (const [name, words] of Object.entries(catalogues)) {
      for (const [value, text] of Object.entries(words)) {
        expect(text.fr.trim(), `${name}.${value}`).not.toBe('');
        expect(text.en.trim(), `${name}.${value}`).not.toBe('');
      }
    }
  });

  it('covers every status the API answers with', () => {
    expect(Object.keys(runWords).sort()).toEqual(['cancelled', 'certified', 'failed', 'queued', 'rejected', 'running']);
    expect(Object.keys(stepWords).sort()).toEqual(['cancelled', 'failed', 'pending', 'running', 'skipped', 'succeeded']);
    expect(Object.keys(deploymentWords).sort()).toEqual(['committed', 'failed', 'pending', 'superseded']);
    expect(Object.keys(argocdSyncWords).sort()).toEqual(['OutOfSync', 'Synced', 'Unknown']);
    expect(Object.keys(argocdHealthWords).sort()).toEqual(['Degraded', 'Healthy', 'Missing', 'Progressing', 'Suspended', 'Unknown']);
  });

  it('translates ArgoCD words and keeps a word a newer ArgoCD introduced as it came', () => {
    expect(argocdStatus('OutOfSync', 'Degraded', 'fr')).toBe('Désynchronisé / Dégradé');
    expect(argocdStatus('Synced', 'Healthy', 'en')).toBe('Synced / Healthy');
    expect(argocdWord('health', 'Sleeping', 'fr')).toBe('Sleeping');
    expect(argocdWord('sync', 'constructor', 'fr')).toBe('constructor');
    expect(say(runWords, 'certified', 'fr')).toBe('certifiée');
    expect(say(runWords, 'toString', 'fr')).toBe('toString');
  });

  it('finds the reason of a failure in the conditions', () => {
    expect(failureReason([{ type: 'Ready', status: 'False', message: 'pas prêt' }, { type: 'Failed', status: 'True', message: 'refusé' }])).toBe('refusé');
    expect(failureReason([{ type: 'Ready', status: 'True', message: 'ok' }])).toBeNull();
    expect(failureReason(undefined)).toBeNull();
  });
});
