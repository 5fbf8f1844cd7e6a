// What changed between two catalogue versions: shown to users when a new version ships, before projects
// are re-evaluated against it.
import type { Catalogue, Requirement } from './model.ts';

export type RequirementField = 'level' | 'category' | 'nature' | 'title' | 'summary' | 'assessments' | 'curationNote';

export interface ChangedRequirement {
  id: string;
  fields: RequirementField[];
  before: Requirement;
  after: Requirement;
}

export interface CatalogueDiff {
  from: string;
  to: string;
  added: Requirement[];
  removed: Requirement[];
  changed: ChangedRequirement[];
}

const fields: readonly RequirementField[] = ['level', 'category', 'nature', 'title', 'summary', 'assessments', 'curationNote'];

/** JSON with object keys sorted, so two equal values always compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

const byRequirementId = (a: Requirement, b: Requirement) => compareIds(a.id, b.id);

/** EX2 before EX10: numeric order of the suffix, then plain order. */
export function compareIds(a: string, b: string): number {
  const na = Number(a.replace(/^\D+/, ''));
  const nb = Number(b.replace(/^\D+/, ''));
  if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function diffCatalogues(a: Catalogue, b: Catalogue): CatalogueDiff {
  const before = new Map(a.requirements.map((r) => [r.id, r]));
  const after = new Map(b.requirements.map((r) => [r.id, r]));
  const added = b.requirements.filter((r) => !before.has(r.id)).sort(byRequirementId);
  const removed = a.requirements.filter((r) => !after.has(r.id)).sort(byRequirementId);
  const changed: ChangedRequirement[] = [];
  for (const r of [...b.requirements].sort(byRequirementId)) {
    const old = before.get(r.id);
    if (!old) continue;
    const differing = fields.filter((f) => canonical(old[f]) !== canonical(r[f]));
    if (differing.length > 0) changed.push({ id: r.id, fields: differing, before: old, after: r });
  }
  return { from: a.version, to: b.version, added, removed, changed };
}
