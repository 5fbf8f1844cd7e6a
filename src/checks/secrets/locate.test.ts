// The located matches must be exactly those of the alternations run over the whole text: same positions, same
// words, same order. Every spelling of every keyword and name is tried, alone and packed together in random text.
import { describe, expect, it } from 'vitest';
import { secretName } from './assignments.ts';
import { detectors } from './detectors.ts';
import { candidatesIn, eachMatchNear, nearPatterns } from './locate.ts';
import { keywordAlternation } from './scan.ts';

/** Every string a pattern made of literals, [classes], (?:groups), `|` and `?` matches (the names' pattern). */
function spellings(source: string): string[] {
  let at = 0;
  const alternation = (): string[] => {
    const all: string[] = [];
    for (;;) {
      all.push(...sequence());
      if (source[at] !== '|') return all;
      at++;
    }
  };
  const sequence = (): string[] => {
    let all = [''];
    while (at < source.length && source[at] !== '|' && source[at] !== ')') {
      let atom: string[];
      if (source.startsWith('(?:', at)) {
        at += 3;
        atom = alternation();
        at++; // ')'
      } else if (source[at] === '[') {
        const end = source.indexOf(']', at);
        atom = [...source.slice(at + 1, end)];
        at = end + 1;
      } else {
        atom = [source[at] === '\\' ? (source[++at] as string) : (source[at] as string)];
        at++;
      }
      if (source[at] === '?') {
        atom = ['', ...atom];
        at++;
      }
      all = all.flatMap((head) => atom.map((tail) => head + tail));
    }
    return all;
  };
  return alternation();
}

function globalMatches(source: string, text: string): string[] {
  return [...text.matchAll(new RegExp(source, 'g'))].map((m) => `${m.index}:${m[0]}`);
}

function locatedMatches(kind: 'keywords' | 'names', source: string, text: string): string[] {
  const found: string[] = [];
  eachMatchNear(text, nearPatterns(source), candidatesIn(text)[kind], (index, match) => found.push(`${index}:${match}`));
  return found;
}

const keywords = [...new Set(detectors.flatMap((d) => d.keywords))];
const names = spellings(secretName.source);
const streams = [
  ['keywords', keywordAlternation, keywords],
  ['names', secretName.source, names],
] as const;

describe('locating keywords and secret-like names', () => {
  it('spells out every name of the pattern', () => {
    expect(names).toContain('PRIVATE_KEY');
    expect(names).toContain('apiKey');
    expect(names.every((n) => new RegExp(`^(?:${secretName.source})$`).test(n))).toBe(true);
  });

  it.each(streams)('finds every spelling of the %s, wherever it sits', (kind, source, words) => {
    for (const word of words) {
      for (const text of [word, `x${word}`, `${word}=`, `  ${word}: 'v'`, `a_${word}_b`, `${word}${word}`, `(${word}.${word})`]) {
        expect(locatedMatches(kind, source, text)).toEqual(globalMatches(source, text));
        expect(globalMatches(source, text).length).toBeGreaterThan(0);
      }
    }
  });

  it.each(streams)('finds the %s exactly as the whole-text alternation does in dense random text', (kind, source) => {
    // Pieces of every keyword and name glued at random: overlapping, truncated and adjacent matches abound.
    const pieces = [...keywords, ...names, ...[...keywords, ...names].map((w) => w.slice(1)), ...[...keywords, ...names].map((w) => w.slice(0, -1)), '_', '.', '-', ' ', '=', ':', '/', '\n'];
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const text = Array.from({ length: 200 }, () => pieces[random(pieces.length)]).join('');
      expect(locatedMatches(kind, source, text)).toEqual(globalMatches(source, text));
    }
  });

  it('finds nothing, and tries nothing, in text without any anchor', () => {
    expect(candidatesIn('const a = 1; // plain text, no names at all\n'.repeat(10))).toEqual({ keywords: [], names: [] });
  });
});
