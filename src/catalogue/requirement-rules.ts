// Which check rules establish a requirement: the catalogue names rules by id or family pattern
// (`kubernetes.pod-security.*`); readers (the conformity page, its links to rule pages) need the concrete ids.
// Computed once per catalogue from the rule registry, so answering a project's conformity costs no query.
import { allRules } from '../checks/registry.ts';
import { compileCatalogue } from './catalogue.ts';
import type { Catalogue } from './model.ts';
import { anyRuleMatches } from './rule-pattern.ts';

const cache = new WeakMap<Catalogue, ReadonlyMap<string, readonly string[]>>();

/** Concrete rule ids per requirement id (requirements with no automated assessment are absent). */
export function rulesByRequirement(catalogue: Catalogue): ReadonlyMap<string, readonly string[]> {
  const cached = cache.get(catalogue);
  if (cached) return cached;
  const ids = allRules().map((r) => r.id);
  const result = new Map<string, readonly string[]>();
  for (const part of compileCatalogue(catalogue).automated) {
    const rules = ids.filter((id) => anyRuleMatches(part.rulePatterns, id));
    if (rules.length > 0) result.set(part.requirement.id, rules);
  }
  cache.set(catalogue, result);
  return result;
}
