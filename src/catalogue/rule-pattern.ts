// Rule-id patterns used by the catalogue: an exact rule id, or a family prefix ending in `.*`
// (`kubernetes.pod-security.*` matches `kubernetes.pod-security.run-as-non-root`, not `kubernetes.pod-securityx`).

export function ruleMatches(pattern: string, ruleId: string): boolean {
  if (pattern.endsWith('.*')) return ruleId.startsWith(pattern.slice(0, -1));
  return ruleId === pattern;
}

export function anyRuleMatches(patterns: readonly string[], ruleId: string): boolean {
  for (const p of patterns) if (ruleMatches(p, ruleId)) return true;
  return false;
}
