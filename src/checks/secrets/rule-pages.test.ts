// Every secret rule's page in docs/rules shows a value the rule reports and a look-alike it does not: both are
// scanned here from the page as written, so the documentation and the behaviour cannot drift apart.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allSecretRules } from './rules.ts';
import { scanSecrets } from './scan.ts';

/** The file name and the fenced block that follow a heading sentence ("Reported, in `x`…:"). */
function exampleAfter(page: string, lead: string): { path: string; text: string } {
  const at = page.indexOf(lead);
  expect(at, `"${lead}" on the page`).toBeGreaterThanOrEqual(0);
  const m = /^[^`\n]*`([^`]+)`[^\n]*\n\n```[^\n]*\n([^]*?)\n```/.exec(page.slice(at));
  expect(m, `a file name and a fenced example after "${lead}"`).not.toBeNull();
  return { path: m?.[1] ?? '', text: m?.[2] ?? '' };
}

describe('secret rule pages', () => {
  it.each(allSecretRules.map((r) => [r.id, r] as const))('%s: the page’s reported example is found and its look-alike is not', (id, rule) => {
    const path = fileURLToPath(new URL(`../../../docs/rules/${id}.md`, import.meta.url));
    expect(existsSync(path)).toBe(true);
    const page = readFileSync(path, 'utf8');
    expect(page).toContain(`# \`${id}\``);
    expect(page).toContain(`Severity: **${rule.severity}**`);
    const positive = exampleAfter(page, 'Reported, in ');
    expect(scanSecrets(positive.path, positive.text).map((f) => f.ruleId)).toContain(id);
    const negative = exampleAfter(page, 'Not reported, in ');
    expect(scanSecrets(negative.path, negative.text)).toEqual([]);
  });
});
