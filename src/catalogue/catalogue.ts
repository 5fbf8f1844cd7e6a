// The published catalogue versions and the lookups everyone needs (the API, the CLI, the checks gate).
import { cctV1 } from './cct-v1.ts';
import { cctV2 } from './cct-v2.ts';
import { compareIds } from './diff.ts';
import type { AttestedAssessment, AutomatedAssessment, Catalogue, EvidenceNeed, InheritedAssessment, ObservedAssessment, Requirement } from './model.ts';

/** Every published version, oldest first. Add a new file and append it here when a version ships. */
export const catalogueVersions: readonly Catalogue[] = [cctV1, cctV2];

/** The version projects are evaluated against. */
export const currentCatalogue: Catalogue = catalogueVersions[catalogueVersions.length - 1]!;

export function catalogueVersion(version: string): Catalogue | undefined {
  return catalogueVersions.find((c) => c.version === version);
}

/** Ids of the P (mandatory) requirements of the current catalogue; the checks gate imports this. */
export const primordialRequirementIds: readonly string[] = Object.freeze(
  currentCatalogue.requirements.filter((r) => r.level === 'P').map((r) => r.id),
);

/** Requirement ids of a catalogue, for validating user input (derogations, attestations…). */
export function requirementIds(catalogue: Catalogue = currentCatalogue): ReadonlySet<string> {
  return compileCatalogue(catalogue).ids;
}

export function findRequirement(id: string, catalogue: Catalogue = currentCatalogue): Requirement | undefined {
  return compileCatalogue(catalogue).byId.get(id);
}

/** A catalogue with its lookups precomputed once, so evaluating many projects does no repeated work. */
export interface CompiledCatalogue {
  catalogue: Catalogue;
  /** Requirements in id order (EX1, EX2 … EX10). */
  ordered: readonly CompiledRequirement[];
  automated: readonly CompiledRequirement[];
  ids: ReadonlySet<string>;
  byId: ReadonlyMap<string, Requirement>;
  parts: ReadonlyMap<string, CompiledRequirement>;
}

export interface CompiledRequirement {
  requirement: Requirement;
  /** Union of the automated assessments' rule patterns (empty when not automated). */
  rulePatterns: readonly string[];
  automated: boolean;
  /** Union of the automated assessments' evidence needs. */
  evidence: readonly EvidenceNeed[];
  observed: readonly ObservedAssessment[];
  attested: readonly AttestedAssessment[];
  inherited: readonly InheritedAssessment[];
}

const compiled = new WeakMap<Catalogue, CompiledCatalogue>();

export function compileCatalogue(catalogue: Catalogue): CompiledCatalogue {
  const cached = compiled.get(catalogue);
  if (cached) return cached;
  const byId = new Map<string, Requirement>();
  const parts = new Map<string, CompiledRequirement>();
  for (const r of catalogue.requirements) {
    byId.set(r.id, r);
    const automated = r.assessments.filter((a): a is AutomatedAssessment => a.kind === 'automated');
    parts.set(r.id, {
      requirement: r,
      rulePatterns: [...new Set(automated.flatMap((a) => a.rules))],
      automated: automated.length > 0,
      evidence: [...new Set(automated.flatMap((a) => a.evidence ?? []))],
      observed: r.assessments.filter((a): a is ObservedAssessment => a.kind === 'observed'),
      attested: r.assessments.filter((a): a is AttestedAssessment => a.kind === 'attested'),
      inherited: r.assessments.filter((a): a is InheritedAssessment => a.kind === 'inherited'),
    });
  }
  const ordered = [...parts.values()].sort((a, b) => compareIds(a.requirement.id, b.requirement.id));
  const result: CompiledCatalogue = {
    catalogue,
    ordered,
    automated: ordered.filter((p) => p.automated),
    ids: new Set(byId.keys()),
    byId,
    parts,
  };
  compiled.set(catalogue, result);
  return result;
}

/** Every rule pattern referenced by a catalogue, sorted (for the registry cross-check and the docs). */
export function referencedRulePatterns(catalogue: Catalogue = currentCatalogue): string[] {
  const all = new Set<string>();
  for (const r of catalogue.requirements) for (const a of r.assessments) if (a.kind === 'automated') for (const p of a.rules) all.add(p);
  return [...all].sort();
}
