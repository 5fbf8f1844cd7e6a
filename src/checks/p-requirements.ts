// The CCT requirements of level P ("primordial"): a violation of a rule tied to one of them fails the gate.
// Kept as data here until the catalogue exists; the catalogue engineer can replace this list by a derivation
// from the catalogue (`requirements.filter(r => r.level === 'P').map(r => r.id)`) without touching the gate.
// Source: reference/cct-exigences.md (EX43 has no level there and is left out).

export const pRequirementIds: ReadonlySet<string> = new Set([
  'EX2', 'EX3', 'EX4', 'EX5', 'EX7', 'EX12', 'EX13', 'EX14', 'EX15', 'EX18', 'EX19', 'EX22', 'EX23', 'EX24', 'EX25',
  'EX28', 'EX29', 'EX32', 'EX34', 'EX35', 'EX39', 'EX41', 'EX46', 'EX47', 'EX49', 'EX50', 'EX54', 'EX55', 'EX56', 'EX58',
]);

export function isPrimordialRequirement(id: string): boolean {
  return pRequirementIds.has(id);
}
