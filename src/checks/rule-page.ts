// A rule's documentation page (docs/rules/<id>.md) as structured, inert data: headings, paragraphs, lists, tables
// and code blocks made of plain text runs. The console renders it with text interpolation only, so nothing written
// in a page (an HTML tag, a script, a javascript: link) can ever reach the browser as markup. Pure: the caller reads
// the file.

/** A run of text inside a paragraph, list item or table cell; `ruleId` marks a link to another rule's page. */
export interface Inline {
  text: string;
  code?: true;
  strong?: true;
  ruleId?: string;
}

export type Block =
  | { kind: 'paragraph'; inlines: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | { kind: 'table'; header: Inline[][]; rows: Inline[][][] }
  | { kind: 'code'; language?: string; text: string };

export interface Section {
  /** Absent for what comes before the first `##` heading. */
  heading?: string;
  level: number;
  blocks: Block[];
}

/** A code sample of the "Example" section, sorted by what the rule does with it. */
export interface RuleExample {
  /** `reported`: the rule reports it (positive); `not-reported`: the rule accepts it (negative). */
  kind: 'reported' | 'not-reported' | 'illustration';
  language?: string;
  code: string;
  /** The sentence next to the sample, as written on the page. */
  note?: Inline[];
}

export interface RulePage {
  /** The page's own title (after the rule id on its first line), when it has one. */
  title?: string;
  sections: Section[];
  examples: RuleExample[];
}

const ruleLink = /^([a-z0-9][a-z0-9.-]*)\.md$/;

/** Splits `**bold**`, `` `code` `` and `[text](other-rule.md)`; every other character stays literal text. */
export function parseInlines(source: string, isRule: (id: string) => boolean): Inline[] {
  const out: Inline[] = [];
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (const m of source.matchAll(pattern)) {
    if (m.index > last) out.push({ text: source.slice(last, m.index) });
    if (m[1] !== undefined) out.push({ text: m[1], code: true });
    else if (m[2] !== undefined) out.push({ text: m[2].replace(/`/g, ''), strong: true });
    else {
      const label = m[3]!.replace(/`/g, '');
      const target = ruleLink.exec(m[4]!)?.[1];
      // Only links to other rule pages are kept as links; any other target is shown as its label alone.
      out.push(target !== undefined && isRule(target) ? { text: label, ruleId: target, ...(m[3]!.startsWith('`') ? { code: true as const } : {}) } : { text: label });
    }
    last = m.index + m[0].length;
  }
  if (last < source.length) out.push({ text: source.slice(last) });
  return out;
}

const cells = (line: string) =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());

export function parseRulePage(markdown: string, isRule: (id: string) => boolean = () => true): RulePage {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const inl = (s: string) => parseInlines(s, isRule);
  let title: string | undefined;
  const sections: Section[] = [{ level: 1, blocks: [] }];
  const current = () => sections[sections.length - 1]!;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = /^(```+|~~~+)\s*([\w+-]*)\s*$/.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.startsWith(fence[1]!)) body.push(lines[i++]!);
      i++;
      current().blocks.push({ kind: 'code', ...(fence[2] ? { language: fence[2] } : {}), text: body.join('\n') });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const text = heading[2]!.trim();
      if (heading[1]!.length === 1 && title === undefined && sections.length === 1 && current().blocks.length === 0) {
        // "# `rule.id` — Title" or "# rule.id": the id is shown by the page already.
        const after = /^`?[a-z0-9.-]+`?\s*(?:—|-|:)\s*(.+)$/.exec(text);
        title = after ? after[1]!.trim() : undefined;
      } else sections.push({ heading: text.replace(/`/g, ''), level: heading[1]!.length, blocks: [] });
      i++;
      continue;
    }
    if (/^\s*\|/.test(line)) {
      const rows: string[][] = [];
      while (i < lines.length && /^\s*\|/.test(lines[i]!)) rows.push(cells(lines[i++]!));
      const separator = rows[1]?.every((c) => /^:?-+:?$/.test(c)) ?? false;
      const header = separator ? rows[0]! : [];
      const body = separator ? rows.slice(2) : rows;
      current().blocks.push({ kind: 'table', header: header.map(inl), rows: body.map((r) => r.map(inl)) });
      continue;
    }
    const item = /^(\s*)([-*]|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      const ordered = /\d/.test(item[2]!);
      const items: string[] = [];
      while (i < lines.length) {
        const l = lines[i]!;
        const next = /^(\s*)([-*]|\d+\.)\s+(.*)$/.exec(l);
        if (next) items.push(next[3]!);
        else if (/^\s+\S/.test(l) && items.length > 0) items[items.length - 1] += ` ${l.trim()}`;
        else break;
        i++;
      }
      current().blocks.push({ kind: 'list', ordered, items: items.map(inl) });
      continue;
    }
    if (line.trim() === '') {
      i++;
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !/^(#{1,6}\s|```|~~~|\s*\||\s*([-*]|\d+\.)\s)/.test(lines[i]!)) para.push(lines[i++]!.trim());
    current().blocks.push({ kind: 'paragraph', inlines: inl(para.join(' ')) });
  }
  const kept = sections.filter((s) => s.heading !== undefined || s.blocks.length > 0);
  return { ...(title !== undefined ? { title } : {}), sections: kept, examples: examplesOf(kept) };
}

const plain = (inlines: Inline[]) => inlines.map((x) => x.text).join('');

/** What a sentence next to a sample says the rule does with it. */
function verdictOf(sentence: string | undefined, before: boolean): RuleExample['kind'] | undefined {
  if (sentence === undefined) return undefined;
  const s = sentence.trim().toLowerCase();
  if (/^(not reported|accepted|passes|fine|no finding)/.test(s)) return 'not-reported';
  if (/^(reported|fails|rejected)/.test(s)) return 'reported';
  if (!before && /^(passes|is accepted|is fine)/.test(s)) return 'not-reported';
  if (!before && /^(gives|is reported|fails|reports)/.test(s)) return 'reported';
  return undefined;
}

function examplesOf(sections: Section[]): RuleExample[] {
  const examples: RuleExample[] = [];
  for (const section of sections) {
    if (!/^examples?\b/i.test(section.heading ?? '')) continue;
    const blocks = section.blocks;
    blocks.forEach((b, k) => {
      if (b.kind !== 'code') return;
      const prev = blocks[k - 1];
      const next = blocks[k + 1];
      const before = prev?.kind === 'paragraph' ? prev : undefined;
      const after = next?.kind === 'paragraph' ? next : undefined;
      const fromBefore = verdictOf(before && plain(before.inlines), true);
      const fromAfter = fromBefore === undefined ? verdictOf(after && plain(after.inlines), false) : undefined;
      const kind = fromBefore ?? fromAfter ?? 'illustration';
      const note = fromBefore !== undefined ? before : fromAfter !== undefined ? after : undefined;
      examples.push({
        kind,
        ...(b.language ? { language: b.language } : {}),
        code: b.text,
        ...(note ? { note: note.inlines } : {}),
      });
    });
  }
  return examples;
}
