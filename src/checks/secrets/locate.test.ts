// The located names must be exactly those of the names' alternation run over the whole text (same positions, same
// words, same order), and the located keywords exactly every occurrence of every keyword. Every spelling of every
// keyword and name is tried, alone and packed together in random text.
import { describe, expect, it } from 'vitest';
import { secretName } from './assignments.ts';
import { detectors } from './detectors.ts';
import { nameCandidatesIn, eachMatchNear, nearPatterns } from './locate.ts';
import { keywordIndex } from './scan.ts';

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

function locatedNames(text: string): string[] {
  const found: string[] = [];
  eachMatchNear(text, nearPatterns(secretName.source), nameCandidatesIn(text), (index, match) => found.push(`${index}:${match}`));
  return found;
}

function locatedKeywords(text: string): string[] {
  return [...keywordIndex.occurrencesIn(text)].map((packed) => `${Math.floor(packed / 1024)}:${keywordIndex.keywords[packed % 1024]}`);
}

/** Every occurrence of every keyword, overlapping ones included, by position then keyword order. */
function everyKeyword(text: string): string[] {
  const found: [number, number][] = [];
  keywordIndex.keywords.forEach((k, id) => {
    for (let q = text.indexOf(k); q !== -1; q = text.indexOf(k, q + 1)) found.push([q, id]);
  });
  return found.sort((x, y) => x[0] - y[0] || x[1] - y[1]).map(([q, id]) => `${q}:${keywordIndex.keywords[id]}`);
}

const keywords = [...new Set(detectors.flatMap((d) => d.keywords))];
const names = spellings(secretName.source);
const streams = [
  ['keywords', locatedKeywords, everyKeyword, keywords],
  ['names', locatedNames, (text: string) => globalMatches(secretName.source, text), names],
] as const;

describe('locating keywords and secret-like names', () => {
  it('spells out every name of the pattern and indexes every keyword', () => {
    expect(names).toContain('PRIVATE_KEY');
    expect(names).toContain('apiKey');
    expect(names.every((n) => new RegExp(`^(?:${secretName.source})$`).test(n))).toBe(true);
    expect(new Set(keywordIndex.keywords)).toEqual(new Set(keywords));
  });

  it.each(streams)('finds every spelling of the %s, wherever it sits', (_kind, located, expected, words) => {
    for (const word of words) {
      for (const text of [word, `x${word}`, `${word}=`, `  ${word}: 'v'`, `a_${word}_b`, `${word}${word}`, `(${word}.${word})`]) {
        expect(located(text)).toEqual(expected(text));
        expect(expected(text).length).toBeGreaterThan(0);
      }
    }
  });

  it.each(streams)('finds the %s exactly as a search of the whole text does, in dense random text', (_kind, located, expected) => {
    // Pieces of every keyword and name glued at random: overlapping, truncated and adjacent matches abound.
    const all = [...keywords, ...names];
    const pieces = [...all, ...all.map((w) => w.slice(1)), ...all.map((w) => w.slice(0, -1)), '_', '.', '-', ' ', '=', ':', '/', '\n'];
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const text = Array.from({ length: 200 }, () => pieces[random(pieces.length)]).join('');
      expect(located(text)).toEqual(expected(text));
    }
  });

  it('finds nothing, and tries nothing, in text without any anchor', () => {
    const text = 'const a = 1; // plain text, no names at all\n'.repeat(10);
    expect(nameCandidatesIn(text)).toEqual([]);
    expect(keywordIndex.occurrencesIn(text).length).toBe(0);
  });
});
