import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allRules } from '../checks/registry.ts';
import { pRequirementIds } from '../checks/p-requirements.ts';
import { currentCatalogue, findRequirement, primordialRequirementIds, referencedRulePatterns } from './catalogue.ts';
import { cctV1 } from './cct-v1.ts';
import { diffCatalogues } from './diff.ts';
import type { Catalogue } from './model.ts';
import { ruleMatches } from './rule-pattern.ts';

describe('the CCT catalogue', () => {
  it('lists EX1 to EX58 once each, with a level, French and English texts and at least one assessment', () => {
    expect(cctV1.requirements.map((r) => r.id)).toEqual(Array.from({ length: 58 }, (_, i) => `EX${i + 1}`));
    for (const r of cctV1.requirements) {
      expect(['P', 'I']).toContain(r.level);
      for (const text of [r.title, r.summary]) {
        expect(text.fr.trim().length, r.id).toBeGreaterThan(3);
        expect(text.en.trim().length, r.id).toBeGreaterThan(3);
      }
      expect(r.assessments.length, r.id).toBeGreaterThan(0);
      for (const a of r.assessments) {
        if (a.kind === 'automated') expect(a.rules.length).toBeGreaterThan(0);
        if (a.kind === 'attested') {
          expect(a.roles.length).toBeGreaterThan(0);
          expect(a.validityDays).toBeGreaterThan(0);
        }
      }
    }
  });

  it('gives EX43 a level and says why', () => {
    const ex43 = findRequirement('EX43')!;
    expect(ex43.level).toBe('P');
    expect(ex43.curationNote?.fr).toMatch(/niveau/);
    expect(ex43.curationNote?.en).toMatch(/level/);
  });

  it('exports the P requirement ids for the checks gate', () => {
    expect(primordialRequirementIds).toContain('EX32');
    expect(primordialRequirementIds).toContain('EX47');
    expect(primordialRequirementIds).not.toContain('EX1');
    expect(primordialRequirementIds.length).toBe(currentCatalogue.requirements.filter((r) => r.level === 'P').length);
  });

  it('keeps the source levels of the framework list', () => {
    const source = '/work/shared/reference/cct-exigences.md';
    const path = [source, new URL('../../../shared/reference/cct-exigences.md', import.meta.url).pathname].find((p) => existsSync(p));
    if (!path) {
      console.log('skipped: framework source list not found next to the checkout (shared/reference/cct-exigences.md)');
      return;
    }
    const levels = new Map<string, string>();
    for (const m of readFileSync(path, 'utf8').matchAll(/^\|\s*(EX\d+)\s*\|\s*\**\s*([PI]?)\s*\**\s*\|/gm)) levels.set(m[1]!, m[2]!);
    expect(levels.size).toBe(58);
    for (const r of cctV1.requirements) if (levels.get(r.id)) expect(r.level, r.id).toBe(levels.get(r.id));
  });

  it('words its titles and summaries itself (no 6-word run copied from the framework)', () => {
    const path = ['/work/shared/reference/cct-exigences.md', new URL('../../../shared/reference/cct-exigences.md', import.meta.url).pathname].find((p) => existsSync(p));
    if (!path) {
      console.log('skipped: framework source list not found (shared/reference/cct-exigences.md)');
      return;
    }
    const words = (s: string) => s.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[’']/g, ' ').split(/[^a-z0-9]+/).filter(Boolean);
    const grams = (w: string[], n: number) => new Set(w.slice(0, Math.max(0, w.length - n + 1)).map((_, i) => w.slice(i, i + n).join(' ')));
    const source = grams(words(readFileSync(path, 'utf8')), 6);
    for (const r of cctV1.requirements) {
      for (const g of grams(words(`${r.title.fr} ${r.summary.fr}`), 6)) expect(source.has(g), `${r.id}: "${g}"`).toBe(false);
    }
  });

  it('refers to checks-library rules by patterns that match registered rules', () => {
    const rules = allRules();
    expect(rules.length).toBeGreaterThan(0);
    for (const pattern of referencedRulePatterns()) {
      expect(rules.some((r) => ruleMatches(pattern, r.id)), `no registered rule matches ${pattern}`).toBe(true);
    }
    // Every requirement a rule says it establishes exists, and is assessed automatically (so its findings count).
    for (const rule of rules) {
      for (const id of rule.requirements) {
        const requirement = findRequirement(id);
        expect(requirement, `${rule.id} names unknown requirement ${id}`).toBeDefined();
        expect(requirement!.assessments.some((a) => a.kind === 'automated'), `${id} (named by ${rule.id}) has no automated assessment`).toBe(true);
      }
    }
  });

  it('agrees with the P list the checks gate uses (EX43 aside, which the catalogue sets to P)', () => {
    for (const id of pRequirementIds) expect(findRequirement(id)?.level, id).toBe('P');
    for (const id of primordialRequirementIds) if (id !== 'EX43') expect(pRequirementIds.has(id), id).toBe(true);
  });
});

describe('rule patterns', () => {
  it('match a family by prefix and exact ids exactly', () => {
    expect(ruleMatches('secrets.*', 'secrets.aws-access-key')).toBe(true);
    expect(ruleMatches('kubernetes.pod-security.*', 'kubernetes.pod-security.run-as-non-root')).toBe(true);
    expect(ruleMatches('kubernetes.pod-security.*', 'kubernetes.pod-securityx')).toBe(false);
    expect(ruleMatches('secrets.*', 'secretsx.foo')).toBe(false);
    expect(ruleMatches('dependencies.vulnerable-package', 'dependencies.vulnerable-package')).toBe(true);
    expect(ruleMatches('dependencies.vulnerable-package', 'dependencies.vulnerable-package-x')).toBe(false);
  });
});

describe('diffCatalogues', () => {
  it('reports added, removed and changed requirements with the changed fields', () => {
    const next: Catalogue = {
      version: '1.1.0',
      publishedAt: '2027-01-01',
      requirements: [
        ...cctV1.requirements
          .filter((r) => r.id !== 'EX3')
          .map((r) => (r.id === 'EX9' ? { ...r, level: 'P' as const, assessments: [{ kind: 'automated' as const, rules: ['test-reports.*'] }] } : r)),
        { ...cctV1.requirements[0]!, id: 'EX59' },
      ],
    };
    const diff = diffCatalogues(cctV1, next);
    expect(diff.from).toBe('1.0.0');
    expect(diff.to).toBe('1.1.0');
    expect(diff.added.map((r) => r.id)).toEqual(['EX59']);
    expect(diff.removed.map((r) => r.id)).toEqual(['EX3']);
    expect(diff.changed.map((c) => [c.id, c.fields])).toEqual([['EX9', ['level', 'assessments']]]);
  });

  it('finds no change between a catalogue and a reordered copy of itself', () => {
    const copy: Catalogue = {
      ...cctV1,
      requirements: [...cctV1.requirements].reverse().map((r) => JSON.parse(JSON.stringify(r))),
    };
    expect(diffCatalogues(cctV1, copy)).toMatchObject({ added: [], removed: [], changed: [] });
  });
});
