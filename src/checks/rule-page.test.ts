// Rule pages become inert text: what a page says survives (sections, lists, tables, examples sorted into reported
// and accepted samples), and nothing in a page can become markup or a link out of the console.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRulePage } from './rule-page.ts';

const page = (id: string) => readFileSync(fileURLToPath(new URL(`../../docs/rules/${id}.md`, import.meta.url)), 'utf8');

describe('rule pages', () => {
  it('keeps a secret rule page: title, sections, the reported and the accepted sample', () => {
    const p = parseRulePage(page('secrets.github-token'));
    expect(p.title).toBe('A GitHub token (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_)');
    expect(p.sections.map((s) => s.heading)).toEqual([undefined, 'What', 'Why', 'How to fix', 'Example']);
    expect(p.sections.find((s) => s.heading === 'How to fix')!.blocks[0]).toMatchObject({ kind: 'list', ordered: true });
    expect(p.examples.map((e) => [e.kind, e.code.split('=')[0]])).toEqual([
      ['reported', 'GITHUB_TOKEN'],
      ['not-reported', 'GITHUB_TOKEN'],
    ]);
    expect(p.examples[1]!.code).toMatch(/ghs_x+/);
  });

  it('reads the table of a family page and a verdict written after the sample', () => {
    const p = parseRulePage(page('containers.non-root-user'));
    const table = p.sections[0]!.blocks[0]!;
    expect(table).toMatchObject({ kind: 'table', header: [[{ text: 'kind' }], [{ text: 'default severity' }], [{ text: 'requirements' }]] });
    expect(p.examples).toMatchObject([{ kind: 'not-reported', language: 'dockerfile' }]);
  });

  it('turns HTML, scripts and outside links into plain text; only links to known rules stay links', () => {
    const p = parseRulePage(
      [
        '# `x.y` — <img src=x onerror=alert(1)>',
        '',
        '<script>alert("page")</script> and [click](javascript:void) and [site](https://evil.example) and [a rule](secrets.github-token.md) and [unknown](nope.md)',
      ].join('\n'),
      (id) => id === 'secrets.github-token',
    );
    expect(p.title).toBe('<img src=x onerror=alert(1)>');
    const inlines = (p.sections[0]!.blocks[0] as { inlines: { text: string; ruleId?: string }[] }).inlines;
    expect(inlines.filter((x) => x.ruleId)).toEqual([{ text: 'a rule', ruleId: 'secrets.github-token' }]);
    expect(inlines.map((x) => x.text).join('')).toBe('<script>alert("page")</script> and click and site and a rule and unknown');
    expect(JSON.stringify(p)).not.toMatch(/javascript:|https:\/\/evil/);
  });

  it('parses every page of docs/rules with at least one section', async () => {
    const { allRules } = await import('./registry.ts');
    for (const rule of allRules()) expect(parseRulePage(page(rule.id)).sections.length, rule.id).toBeGreaterThan(0);
  });
});
