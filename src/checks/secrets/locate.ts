// Where the provider keywords and the secret-like names can be, found without running their alternations over the
// whole text. The alternations start with common letters (p, s, t, a, c, g, e…), so the regular expression engine
// stops at almost every character (~2 ns each, twice per byte scanned). Every keyword and every name holds a rare
// character (w, W, k, K, I, J, C, _) or a rare literal ("cr", "://", "xox"…): indexOf jumps from one to the next
// at memory speed, a few character tests reject most of them, and the alternation is then tried only in the few
// characters before each survivor. The matches are exactly those of the alternation run over the whole text.

/** Farthest a keyword or name can start before its anchor: "PRIVATE KEY" (K), "private_key" (k). */
export const reach = 8;

export interface Candidates {
  /** Positions no keyword match starts more than `reach` characters before; every keyword match has one. */
  keywords: number[];
  /** The same for secret-like names. */
  names: number[];
}

// Character codes compared in the loops below.
const [a, b, d, e, g, h, i, l, m, o, p, r, s, t, u, y, z] = [...'abdeghilmoprstuyz'].map((c) => c.charCodeAt(0)) as number[] as Codes17;
const [A, B, C, D, E, H, I, K, O, P, R, S, T] = [...'ABCDEHIKOPRST'].map((c) => c.charCodeAt(0)) as number[] as Codes13;
const [underscore, dot, dash, space] = [...'_.- '].map((c) => c.charCodeAt(0)) as number[] as Codes4;
type Codes4 = [number, number, number, number];
type Codes13 = [...Codes4, ...Codes4, ...Codes4, number];
type Codes17 = [...Codes13, ...Codes4];

/** What may precede the "key" of api_key, accesskey, private-key, client.key, authkey (and the "ken" of token). */
function beforeLowerKey(c: number): boolean {
  return c === i || c === s || c === e || c === t || c === h || c === o || c === underscore || c === dot || c === dash;
}
/** The same for KEY, TOKEN. */
function beforeUpperKey(c: number): boolean {
  return c === I || c === S || c === E || c === T || c === H || c === O || c === underscore || c === dot || c === dash;
}

/** The character code at `index`, or -1 outside the text: always a small integer, which keeps the loops below
 * optimised (an out-of-range charCodeAt gives NaN and makes V8 throw their optimised code away, again and again). */
function at(text: string, index: number): number {
  return index >= 0 && index < text.length ? text.charCodeAt(index) : -1;
}

/**
 * Candidate positions for the keywords of `detectors.ts` and the names of `assignments.ts`. Each test below is
 * implied by a keyword or a name holding the anchor (they are listed beside it): loosening one costs time only,
 * tightening one past its keyword loses findings, which the equivalence test over every keyword and name catches.
 * One small function per anchor: each is optimised on its own, and a rare branch taken late recompiles only it.
 */
export function candidatesIn(text: string): Candidates {
  const found: Candidates = { keywords: [], names: [] };
  lowerW(text, found);
  upperW(text, found);
  lowerK(text, found);
  upperK(text, found);
  lowerCr(text, found);
  upperC(text, found);
  upperI(text, found);
  underscores(text, found);
  upperJ(text, found);
  sendgrid(text, found);
  for (const literal of ['://', 'xox', 'glpat-', 'jdbc:']) literals(text, literal, found);
  if (found.keywords.length > 1) found.keywords.sort(ascending);
  if (found.names.length > 1) found.names.sort(ascending);
  return found;
}

const ascending = (x: number, w: number) => x - w;

/** passw(or)d, pwd, Pwd (names; with "=", keywords); aws, Aws. */
function lowerW(text: string, { keywords, names }: Candidates): void {
  for (let q = text.indexOf('w'); q !== -1; q = text.indexOf('w', q + 1)) {
    const next = at(text, q + 1);
    const prev = at(text, q - 1);
    if ((next === o && prev === s) || (next === d && (prev === s || prev === p || prev === P))) {
      names.push(q);
      keywords.push(q);
    } else if (next === s && (prev === a || prev === A)) keywords.push(q);
  }
}

/** PASSW(OR)D, PWD; AWS. */
function upperW(text: string, { keywords, names }: Candidates): void {
  for (let q = text.indexOf('W'); q !== -1; q = text.indexOf('W', q + 1)) {
    const next = at(text, q + 1);
    const prev = at(text, q - 1);
    if ((next === O && prev === S) || (next === D && (prev === S || prev === P))) {
      names.push(q);
      keywords.push(q);
    } else if (next === S && prev === A) keywords.push(q);
  }
}

/** token, api_key, apikey, access-key, private.key, clientkey, auth_key; hooks.slack.com. */
function lowerK(text: string, { keywords, names }: Candidates): void {
  for (let q = text.indexOf('k'); q !== -1; q = text.indexOf('k', q + 1)) {
    const next = at(text, q + 1);
    if (next === e) {
      if (beforeLowerKey(at(text, q - 1))) names.push(q);
    } else if (next === s && at(text, q - 1) === o) keywords.push(q);
  }
}

/** apiKey, TOKEN, API_KEY…; PRIVATE KEY, AccountKey=, AKIA, SK. */
function upperK(text: string, { keywords, names }: Candidates): void {
  for (let q = text.indexOf('K'); q !== -1; q = text.indexOf('K', q + 1)) {
    const next = at(text, q + 1);
    const prev = at(text, q - 1);
    if ((next === e && beforeLowerKey(prev)) || (next === E && beforeUpperKey(prev))) names.push(q);
    if ((next === E && prev === space) || (next === e && prev === t) || (next === I && prev === A) || prev === S) keywords.push(q);
  }
}

/** secret, Secret, credential. */
function lowerCr(text: string, { names }: Candidates): void {
  for (let q = text.indexOf('cr'); q !== -1; q = text.indexOf('cr', q + 1)) {
    if (at(text, q + 2) === e && (at(text, q + 3) === t || at(text, q + 3) === d)) names.push(q);
  }
}

/** Credential, CREDENTIAL, SECRET; ACCA. */
function upperC(text: string, { keywords, names }: Candidates): void {
  for (let q = text.indexOf('C'); q !== -1; q = text.indexOf('C', q + 1)) {
    const next = at(text, q + 1);
    if ((next === r && at(text, q + 2) === e && at(text, q + 3) === d) || (next === R && at(text, q + 2) === E && (at(text, q + 3) === D || at(text, q + 3) === T))) names.push(q);
    else if (next === C && at(text, q + 2) === A) keywords.push(q);
  }
}

/** AKIA, ASIA, ABIA; AIza. */
function upperI(text: string, { keywords }: Candidates): void {
  for (let q = text.indexOf('I'); q !== -1; q = text.indexOf('I', q + 1)) {
    const next = at(text, q + 1);
    const prev = at(text, q - 1);
    if ((next === A && (prev === K || prev === S || prev === B)) || (next === z && prev === A)) keywords.push(q);
  }
}

/** ghp_, gho_, ghu_, ghs_, ghr_, github_pat_, npm_, _live_. */
function underscores(text: string, { keywords }: Candidates): void {
  for (let q = text.indexOf('_'); q !== -1; q = text.indexOf('_', q + 1)) {
    const prev = at(text, q - 1);
    if (
      ((prev === p || prev === o || prev === u || prev === s || prev === r) && at(text, q - 2) === h && at(text, q - 3) === g) ||
      (prev === b && text.startsWith('githu', q - 6)) ||
      (prev === m && text.startsWith('np', q - 3)) ||
      (at(text, q + 1) === l && text.startsWith('live_', q + 1))
    ) {
      keywords.push(q);
    }
  }
}

/** eyJ. */
function upperJ(text: string, { keywords }: Candidates): void {
  for (let q = text.indexOf('J'); q !== -1; q = text.indexOf('J', q + 1)) {
    if (at(text, q - 1) === y && at(text, q - 2) === e) keywords.push(q);
  }
}

/** SG. */
function sendgrid(text: string, { keywords }: Candidates): void {
  for (let q = text.indexOf('G.'); q !== -1; q = text.indexOf('G.', q + 1)) {
    if (at(text, q - 1) === S) keywords.push(q);
  }
}

/** ://, xox, glpat-, jdbc: (rare enough as they are). */
function literals(text: string, literal: string, { keywords }: Candidates): void {
  for (let q = text.indexOf(literal); q !== -1; q = text.indexOf(literal, q + 1)) keywords.push(q);
}

/** The alternation `source`, tried from a position up to `reach` characters before a candidate (one per width). */
export function nearPatterns(source: string): RegExp[] {
  return Array.from({ length: reach + 1 }, (_, width) => new RegExp(`[^]{0,${width}}?(${source})`, 'y'));
}

/**
 * The matches a global regular expression made of the alternation behind `near` would find in `text`, in order
 * (non-overlapping, leftmost first), given sorted candidates such that every match starts at most `reach` before one.
 */
export function eachMatchNear(text: string, near: readonly RegExp[], candidates: readonly number[], found: (index: number, match: string) => void): void {
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
