// The audit page shows each action by its words in French and English (web/src/audit-actions.ts); an action the
// server records without a label there would show as its code. Every action literal the server's sources write
// next to "action" must have both labels, and every filter family must match at least one labelled action.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditActionFamilies, auditActionLabels } from '../web/src/audit-actions.ts';
import { repoRoot } from './support/process.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('audit action labels', () => {
  const recorded = new Set<string>();
  for (const file of sources(path.join(repoRoot, 'src'))) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!/\baction\b/.test(line) || /^\s*(\/\/|\*)/.test(line)) continue;
      for (const match of line.matchAll(/'([a-z-]+\.[a-z-]+)'/g)) recorded.add(match[1]!);
    }
  }

  it('has French and English words for every action the server records', () => {
    expect(recorded.size).toBeGreaterThan(40);
    expect([...recorded].filter((action) => !auditActionLabels[action]?.fr || !auditActionLabels[action]?.en)).toEqual(
      [],
    );
    expect([...recorded]).toEqual(expect.arrayContaining(['session.create', 'session.delete', 'session.expire']));
  });

  it('offers filter families that each match labelled actions', () => {
    for (const family of auditActionFamilies) {
      expect(
        Object.keys(auditActionLabels).some((action) => action.startsWith(family.value.slice(0, -1))),
        family.value,
      ).toBe(true);
    }
  });
});
