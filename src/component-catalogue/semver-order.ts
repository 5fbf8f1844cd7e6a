// Ordering chart versions (semantic versions, as Helm does): newest first in lists, and "is there a newer published
// version" for upgrade proposals. Pre-releases sort before their release; build metadata is ignored.
const parse = (v: string): { core: number[]; pre: string[] } => {
  const [main = '', ...rest] = v.replace(/^v/, '').split('+')[0]!.split('-');
  return { core: main.split('.').map((n) => Number.parseInt(n, 10) || 0), pre: rest.length > 0 ? rest.join('-').split('.') : [] };
};

export function compareVersions(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.core[i] ?? 0) - (y.core[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre.length === 0 || y.pre.length === 0) return x.pre.length === y.pre.length ? 0 : x.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn && Number(p) !== Number(q)) return Math.sign(Number(p) - Number(q));
    if (pn !== qn) return pn ? -1 : 1;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

export const newestFirst = <T extends { version: string }>(list: readonly T[]): T[] =>
  [...list].sort((a, b) => compareVersions(b.version, a.version));
