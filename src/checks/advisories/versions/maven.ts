// Maven version ordering, after Maven's ComparableVersion: a version is a list of items (numbers,
// qualifiers, sub-lists started by `-` or a digit/letter switch); trailing "null" items (0, "",
// "final", "ga", "release") are dropped; known qualifiers order
// alpha < beta < milestone < rc (= cr) < snapshot < "" (release) < sp, unknown qualifiers come
// after them, alphabetically; `a1`, `b1`, `m1` abbreviate alpha, beta and milestone.
import { compareDigits } from './numeric.ts';

export type MavenVersion = Item;
type Item = { kind: 'int'; value: string } | { kind: 'string'; value: string } | { kind: 'list'; items: Item[] };

const qualifiers = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const aliases: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const releaseIndex = String(qualifiers.indexOf(''));

function comparableQualifier(q: string): string {
  const i = qualifiers.indexOf(q);
  return i === -1 ? `${qualifiers.length}-${q}` : String(i);
}

function stringItem(value: string, followedByDigit: boolean): Item {
  let v = value;
  if (followedByDigit && v.length === 1) v = v === 'a' ? 'alpha' : v === 'b' ? 'beta' : v === 'm' ? 'milestone' : v;
  return { kind: 'string', value: aliases[v] ?? v };
}

function parseItem(buf: string): Item {
  return /^\d+$/.test(buf) ? { kind: 'int', value: buf.replace(/^0+(?=\d)/, '') } : stringItem(buf, false);
}

function isNull(item: Item): boolean {
  if (item.kind === 'int') return item.value === '0';
  if (item.kind === 'string') return comparableQualifier(item.value) === releaseIndex;
  return item.items.length === 0;
}

function normalize(list: Item & { kind: 'list' }): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const last = list.items[i]!;
    if (isNull(last)) list.items.splice(i, 1);
    else if (last.kind !== 'list') break;
  }
}

export function parseMaven(version: string): Item {
  const v = version.toLowerCase();
  const root: Item & { kind: 'list' } = { kind: 'list', items: [] };
  let list = root;
  const stack: (Item & { kind: 'list' })[] = [root];
  let isDigit = false;
  let start = 0;
  const push = (): void => {
    const sub: Item & { kind: 'list' } = { kind: 'list', items: [] };
    list.items.push(sub);
    list = sub;
    stack.push(sub);
  };
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '.') {
      list.items.push(i === start ? { kind: 'int', value: '0' } : parseItem(v.slice(start, i)));
      start = i + 1;
    } else if (c === '-') {
      list.items.push(i === start ? { kind: 'int', value: '0' } : parseItem(v.slice(start, i)));
      start = i + 1;
      push();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        list.items.push(stringItem(v.slice(start, i), true));
        start = i;
        push();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.items.push(parseItem(v.slice(start, i)));
        start = i;
        push();
      }
      isDigit = false;
    }
  }
  if (v.length > start) list.items.push(parseItem(v.slice(start)));
  while (stack.length) normalize(stack.pop()!);
  return root;
}

function compareItem(a: Item, b: Item | undefined): number {
  if (a.kind === 'int') {
    if (!b) return a.value === '0' ? 0 : 1;
    if (b.kind === 'int') return compareDigits(a.value, b.value);
    return 1;
  }
  if (a.kind === 'string') {
    if (!b) return cmp(comparableQualifier(a.value), releaseIndex);
    if (b.kind === 'string') return cmp(comparableQualifier(a.value), comparableQualifier(b.value));
    return -1;
  }
  if (!b) return a.items.length === 0 ? 0 : compareItem(a.items[0]!, undefined);
  if (b.kind === 'int') return -1;
  if (b.kind === 'string') return 1;
  const n = Math.max(a.items.length, b.items.length);
  for (let i = 0; i < n; i++) {
    const l = a.items[i];
    const r = b.items[i];
    const result = l === undefined ? (r === undefined ? 0 : -compareItem(r, l)) : compareItem(l, r);
    if (result !== 0) return result;
  }
  return 0;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareParsedMaven(a: MavenVersion, b: MavenVersion): number {
  return compareItem(a, b);
}

export function compareMaven(a: string, b: string): number {
  return compareItem(parseMaven(a), parseMaven(b));
}
