// Where the detectors' literal keywords (token prefixes such as "ghp_", "glpat-", "xoxb-") and the secret-like names
// (password, token, api_key…: locate.ts) may occur in a text, found without running an alternation of ~150 literals
// over every character (irregexp stops at almost every character for it, ~35 ns per byte here). Each keyword is
// reached through its rarest character in source code (its anchor): indexOf jumps from one anchor to the next at
// memory speed (memchr), one character beside the anchor picks the few keywords that can hold it there, and
// startsWith confirms each. The names' own anchors are searched in the same passes: a character both need is
// searched once, and the keywords use the names' anchors for free. (One JavaScript loop reading every character
// instead costs ~3 ns per character here: more than the ~20 indexOf passes and their stops together.)
import type { NameAnchor } from './locate.ts';
/**
 * How often each character occurs in source code, in thousands per 150 MB of npm packages (measured): a stop at
 * an anchor costs ~50 ns, a pass over the text for one more anchor character ~0.1 ms per MB.
 */
const thousandsPer150Mb: Record<string, number> = {
  '~': 5, Z: 36, X: 53, V: 91, J: 95, Y: 108, H: 123, W: 124, Q: 147, q: 153, z: 166, j: 197, L: 197, P: 222, R: 227, '9': 224,
  '8': 237, N: 244, '6': 262, K: 270, G: 304, T: 318, '3': 316, '5': 393, S: 481, '2': 521, B: 600, I: 610, '1': 646, x: 664,
  w: 665, _: 682, k: 767, '0': 847, v: 996, '=': 1044, b: 1303, '"': 1448, '/': 1478, ':': 1641, g: 1922, f: 2176, p: 2239,
  '.': 2592, d: 2743, C: 3127, c: 3194, '-': 3666, A: 8259,
};
/** Cost of one more anchor character, in the same unit as a thousand stops (a pass ≈ 300 000 stops). */
const passCost = 300;
/** Above this many thousands, a character is not worth stopping at: the keyword is found by its first two
 * characters. */
const commonAbove = 1000;
const frequency = (c: string) => thousandsPer150Mb[c] ?? 5000;

interface Entry {
  /** Index of the keyword in the index's list. */
  id: number;
  keyword: string;
  /** Where the anchor sits in the keyword. */
  offset: number;
}

interface Anchor {
  /** One rare character, or the first two characters of keywords without one. */
  needle: string;
  /** Entries by the code of the character just before the anchor (anchor not first in its keyword). */
  byPrevious: (Entry[] | undefined)[];
  /** Entries by the code of the character just after the needle (needle first in its keyword). */
  byNext: (Entry[] | undefined)[];
  /** The names' test at this needle, when a name group is anchored here. */
  name: NameAnchor | undefined;
}

/** Where the keywords and the name candidates of a text are. */
export interface Located {
  /** Every occurrence of every keyword (overlapping ones included), as `start * 1024 + keyword id`, sorted. */
  keywords: Float64Array;
  /** Sorted positions no name match starts more than `reach` (locate.ts) before; every name match has one. */
  names: number[];
}

/** The character code at `index`, or -1 outside the text (a small integer either way: keeps the loop optimised). */
function at(text: string, index: number): number {
  return index >= 0 && index < text.length ? text.charCodeAt(index) : -1;
}

export class KeywordIndex {
  readonly keywords: readonly string[];
  private readonly anchors: Anchor[];

  constructor(keywords: readonly string[], names: readonly NameAnchor[] = []) {
    this.keywords = keywords;
    for (const keyword of keywords) {
      if (keyword.length < 2 || [...keyword].some((c) => c.charCodeAt(0) > 127)) throw new Error(`keyword "${keyword}": two ASCII characters at least`);
    }
    // The names' one-character needles are searched anyway: any keyword may use them. Then anchor characters are
    // chosen greedily: the one that reaches the most keywords not reached yet for its cost, until every keyword is
    // reached; then each keyword takes the rarest chosen character it holds. Few passes, few stops. A keyword made
    // only of common characters is found by its first two characters (indexOf filters the first in native code),
    // and the character after them picks it.
    const forced = new Set(names.map((n) => n.needle).filter((needle) => needle.length === 1));
    const usable = (k: string) => [...k].filter((c) => frequency(c) <= commonAbove || forced.has(c));
    const chosen = new Set<string>(forced);
    for (;;) {
      const left = keywords.filter((k) => usable(k).length > 0 && !usable(k).some((c) => chosen.has(c)));
      if (left.length === 0) break;
      let best = '';
      let bestScore = -1;
      for (const char of new Set(left.flatMap(usable))) {
        const score = left.filter((k) => k.includes(char)).length / (passCost + frequency(char));
        if (score > bestScore) [best, bestScore] = [char, score];
      }
      chosen.add(best);
    }
    // A character chosen early may have become useless: every keyword it reaches holds a later choice too.
    for (const char of [...chosen]) {
      if (forced.has(char)) continue;
      chosen.delete(char);
      if (keywords.some((k) => usable(k).length > 0 && !usable(k).some((c) => chosen.has(c)))) chosen.add(char);
    }
    const byNeedle = new Map<string, Anchor>();
    const anchorOf = (needle: string) => {
      let anchor = byNeedle.get(needle);
      if (!anchor)
        byNeedle.set(
          needle,
          (anchor = {
            needle,
            byPrevious: new Array<Entry[] | undefined>(128).fill(undefined),
            byNext: new Array<Entry[] | undefined>(128).fill(undefined),
            name: undefined,
          }),
        );
      return anchor;
    };
    for (const name of names) {
      const anchor = anchorOf(name.needle);
      if (anchor.name) throw new Error(`needle "${name.needle}": one name anchor each`);
      anchor.name = name;
    }
    keywords.forEach((keyword, id) => {
      let offset = -1;
      for (let k = 0; k < keyword.length; k++) {
        const c = keyword[k] as string;
        if (chosen.has(c) && (offset === -1 || frequency(c) < frequency(keyword[offset] as string))) offset = k;
      }
      const needle = offset === -1 ? keyword.slice(0, 2) : (keyword[offset] as string);
      if (offset === -1) offset = 0;
      const anchor = anchorOf(needle);
      const after = offset + needle.length;
      const [table, neighbour] =
        offset > 0 || after >= keyword.length
          ? [anchor.byPrevious, keyword.charCodeAt(offset - 1)]
          : [anchor.byNext, keyword.charCodeAt(after)];
      if (Number.isNaN(neighbour)) throw new Error(`keyword "${keyword}": too short for its anchor`);
      (table[neighbour] ??= []).push({ id, keyword, offset });
    });
    this.anchors = [...byNeedle.values()];
  }

  /** The characters (or pairs) searched: one pass over the text each. */
  get needles(): string[] {
    return this.anchors.map((a) => a.needle);
  }

  /** The keywords of a text and, unless `withNames` is false, its name candidates: one pass per needle. */
  locate(text: string, withNames = true): Located {
    const found: number[] = [];
    const names: number[] = [];
    for (const anchor of this.anchors) {
      if (withNames && anchor.name !== undefined) searchAnchorAndName(text, anchor, anchor.name, found, names);
      else searchAnchor(text, anchor, found);
    }
    if (names.length > 1) names.sort(ascending);
    return { keywords: found.length > 1 ? Float64Array.from(found).sort() : Float64Array.from(found), names };
  }

  /**
   * Every occurrence of every keyword (overlapping ones included), as `start * 1024 + keyword id`, sorted: by
   * position, then by keyword.
   */
  occurrencesIn(text: string): Float64Array {
    return this.locate(text, false).keywords;
  }
}

const ascending = (x: number, y: number) => x - y;

/** One anchor's pass over the text (a function of its own, so that each stays optimised on its own). */
function searchAnchor(text: string, anchor: Anchor, found: number[]): void {
  const { needle, byPrevious, byNext } = anchor;
  const width = needle.length;
  for (let q = text.indexOf(needle); q !== -1; q = text.indexOf(needle, q + 1)) {
    const previous = at(text, q - 1);
    const before = previous >= 0 && previous < 128 ? byPrevious[previous] : undefined;
    if (before !== undefined) confirm(text, q, before, found);
    const next = at(text, q + width);
    const after = next >= 0 && next < 128 ? byNext[next] : undefined;
    if (after !== undefined) confirm(text, q, after, found);
  }
}

/** The same pass, also keeping the positions where a name may be. */
function searchAnchorAndName(text: string, anchor: Anchor, name: NameAnchor, found: number[], names: number[]): void {
  const { needle, byPrevious, byNext } = anchor;
  const width = needle.length;
  for (let q = text.indexOf(needle); q !== -1; q = text.indexOf(needle, q + 1)) {
    const previous = at(text, q - 1);
    const before = previous >= 0 && previous < 128 ? byPrevious[previous] : undefined;
    if (before !== undefined) confirm(text, q, before, found);
    const next = at(text, q + width);
    const after = next >= 0 && next < 128 ? byNext[next] : undefined;
    if (after !== undefined) confirm(text, q, after, found);
    if (name.holdsName(text, q)) names.push(q);
  }
}

function confirm(text: string, q: number, entries: Entry[], found: number[]): void {
  for (const entry of entries) {
    const start = q - entry.offset;
    if (start >= 0 && text.startsWith(entry.keyword, start)) found.push(start * 1024 + entry.id);
  }
}
