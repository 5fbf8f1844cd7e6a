// Where the secret-like names of assignments.ts (password, token, api_key, credential…) can be, found without
// running their alternation over the whole text. The alternation starts with common letters (p, s, t, a, c…), so the
// regular expression engine stops at almost every character (~2 ns each). Every name holds a rare character (w, W,
// k, K, C) or a rare pair ("cr"): indexOf jumps from one to the next at memory speed, a few character tests reject
// most of them, and the alternation is then tried only in the few characters before each survivor. The matches are
// exactly those of the alternation run over the whole text. (The detectors' keywords are found by keywords.ts.)

/** Farthest a name can start before its anchor: "private_key" (k). */
export const reach = 8;

/** Positions no name match starts more than `reach` characters before; every name match has one. */
type Candidates = number[];

// Character codes compared in the loops below.
const code = (c: string) => c.charCodeAt(0);
const [d, e, h, i, o, p, s, t] = [code('d'), code('e'), code('h'), code('i'), code('o'), code('p'), code('s'), code('t')];
const [C, D, E, H, I, O, P, S, T] = [code('C'), code('D'), code('E'), code('H'), code('I'), code('O'), code('P'), code('S'), code('T')];
const [underscore, dot, dash] = [code('_'), code('.'), code('-')];

/** What may precede the "key" of api_key, accesskey, private-key, client.key, authkey, appkey (and the "ken" of
 * token). */
function beforeLowerKey(c: number): boolean {
  return (
    c === i ||
    c === s ||
    c === e ||
    c === t ||
    c === h ||
    c === o ||
    c === p ||
    c === underscore ||
    c === dot ||
    c === dash
  );
}
/** The same for KEY, TOKEN. */
function beforeUpperKey(c: number): boolean {
  return (
    c === I ||
    c === S ||
    c === E ||
    c === T ||
    c === H ||
    c === O ||
    c === P ||
    c === underscore ||
    c === dot ||
    c === dash
  );
}

/** The character code at `index`, or -1 outside the text: always a small integer, which keeps the loops below
 * optimised (an out-of-range charCodeAt gives NaN and makes V8 throw their optimised code away, again and again). */
function at(text: string, index: number): number {
  return index >= 0 && index < text.length ? text.charCodeAt(index) : -1;
}

/** One rare character (or pair) that every name of a group holds, and the test that keeps a candidate there. */
export interface NameAnchor {
  needle: string;
  /** Whether a name may start up to `reach` characters before `q`, where the needle sits. */
  holdsName(text: string, q: number): boolean;
}

/**
 * The anchors of the names of `assignments.ts`. Each test below is implied by a name holding the anchor (they are
 * listed beside it): loosening one costs time only, tightening one past its name loses findings, which the
 * equivalence test over every name catches. One small function per anchor: each is optimised on its own, and a rare
 * branch taken late recompiles only it. The secrets scan searches these needles in the same pass as the detectors'
 * keywords (keywords.ts): a needle both need is searched once.
 */
export const nameAnchors: readonly NameAnchor[] = [
  // passw(or)d, pwd, Pwd.
  { needle: 'w', holdsName: (text, q) => {
    const next = at(text, q + 1);
    const prev = at(text, q - 1);
    return (next === o && prev === s) || (next === d && (prev === s || prev === p || prev === P));
  } },
  // PASSW(OR)D, PWD.
  { needle: 'W', holdsName: (text, q) => {
    const next = at(text, q + 1);
    const prev = at(text, q - 1);
    return (next === O && prev === S) || (next === D && (prev === S || prev === P));
  } },
  // token, api_key, apikey, access-key, private.key, clientkey, auth_key.
  { needle: 'k', holdsName: (text, q) => at(text, q + 1) === e && beforeLowerKey(at(text, q - 1)) },
  // apiKey, TOKEN, API_KEY…
  { needle: 'K', holdsName: (text, q) => {
    const next = at(text, q + 1);
    const prev = at(text, q - 1);
    return (next === e && beforeLowerKey(prev)) || (next === E && beforeUpperKey(prev));
  } },
  // secret, Secret, credential.
  { needle: 'cr', holdsName: (text, q) => at(text, q + 2) === e && (at(text, q + 3) === t || at(text, q + 3) === d) },
  // Credential: the pair, found by indexOf in native code, stops far less often than 'C' alone.
  { needle: 'Cr', holdsName: (text, q) => at(text, q + 2) === e && at(text, q + 3) === d },
  // CREDENTIAL, SECRET.
  { needle: 'R', holdsName: (text, q) => at(text, q - 1) === C && at(text, q + 1) === E && (at(text, q + 2) === D || at(text, q + 2) === T) },
];

/** Candidate positions for the names of `assignments.ts`, sorted (the scan finds them with the keywords instead). */
export function nameCandidatesIn(text: string): number[] {
  const names: Candidates = [];
  for (const anchor of nameAnchors) {
    for (let q = text.indexOf(anchor.needle); q !== -1; q = text.indexOf(anchor.needle, q + 1))
      if (anchor.holdsName(text, q)) names.push(q);
  }
  if (names.length > 1) names.sort(ascending);
  return names;
}

const ascending = (x: number, w: number) => x - w;

/** The alternation `source`, tried from a position up to `reach` characters before a candidate (one per width). */
export function nearPatterns(source: string): RegExp[] {
  return Array.from({ length: reach + 1 }, (_, width) => new RegExp(`[^]{0,${width}}?(${source})`, 'y'));
}

/**
 * The matches a global regular expression made of the alternation behind `near` would find in `text`, in order
 * (non-overlapping, leftmost first), given sorted candidates such that every match starts at most `reach` before one.
 */
export function eachMatchNear(
  text: string,
  near: readonly RegExp[],
  candidates: readonly number[],
  found: (index: number, match: string) => void,
): void {
  // Every position before `resume` was tried already or lies inside a match.
  let resume = 0;
  for (const candidate of candidates) {
    let from = Math.max(resume, candidate - reach);
    while (from <= candidate) {
      const pattern = near[candidate - from] as RegExp;
      pattern.lastIndex = from;
      const m = pattern.exec(text);
      if (m === null) break;
      const match = m[1] as string;
      const end = from + m[0].length;
      found(end - match.length, match);
      from = resume = end;
    }
    if (resume <= candidate) resume = candidate + 1;
  }
}
