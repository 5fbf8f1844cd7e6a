// CVSS base scores computed from vectors (FIRST specifications v3.0/v3.1 and v2), so a finding's
// severity does not depend on a score field the database may lack. CVSS v4 vectors need FIRST's
// macro-vector tables: they are scored by the maintained `ae-cvss-calculator` library.
// The package is CommonJS: Node's ESM loader (dso's bundle) only sees its default export, not named ones.
import cvssCalculator from 'ae-cvss-calculator';
import type { Severity } from '../model.ts';

const { Cvss4P0 } = cvssCalculator;

export interface CvssScore {
  version: '2.0' | '3.0' | '3.1' | '4.0';
  vector: string;
  baseScore: number;
}

function parseMetrics(parts: string[]): Map<string, string> | undefined {
  const m = new Map<string, string>();
  for (const p of parts) {
    const [k, v, extra] = p.split(':');
    if (!k || !v || extra !== undefined || m.has(k)) return undefined;
    m.set(k, v);
  }
  return m;
}

/** CVSS v3.1 "Roundup": smallest number with one decimal that is >= input, without float noise. */
function roundUp(value: number): number {
  const int = Math.round(value * 100000);
  return int % 10000 === 0 ? int / 100000 : (Math.floor(int / 10000) + 1) / 10;
}

const v3 = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

export function cvss3BaseScore(vector: string): CvssScore | undefined {
  const [head, ...rest] = vector.trim().split('/');
  const version = head === 'CVSS:3.1' ? '3.1' : head === 'CVSS:3.0' ? '3.0' : undefined;
  if (!version) return undefined;
  const m = parseMetrics(rest);
  if (!m) return undefined;
  const av = v3.AV[m.get('AV') as keyof typeof v3.AV];
  const ac = v3.AC[m.get('AC') as keyof typeof v3.AC];
  const ui = v3.UI[m.get('UI') as keyof typeof v3.UI];
  const scope = m.get('S');
  const prKey = m.get('PR');
  const c = v3.CIA[m.get('C') as keyof typeof v3.CIA];
  const i = v3.CIA[m.get('I') as keyof typeof v3.CIA];
  const a = v3.CIA[m.get('A') as keyof typeof v3.CIA];
  if ([av, ac, ui, c, i, a].some((x) => x === undefined) || (scope !== 'U' && scope !== 'C')) return undefined;
  const changed = scope === 'C';
  const pr = prKey === 'N' ? 0.85 : prKey === 'L' ? (changed ? 0.68 : 0.62) : prKey === 'H' ? (changed ? 0.5 : 0.27) : undefined;
  if (pr === undefined) return undefined;
  const iss = 1 - (1 - c!) * (1 - i!) * (1 - a!);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const exploitability = 8.22 * av! * ac! * pr * ui!;
  let baseScore: number;
  if (impact <= 0) baseScore = 0;
  else if (changed) baseScore = roundUp(Math.min(1.08 * (impact + exploitability), 10));
  else baseScore = roundUp(Math.min(impact + exploitability, 10));
  return { version, vector, baseScore };
}

export function cvss2BaseScore(vector: string): CvssScore | undefined {
  const m = parseMetrics(vector.trim().replace(/^\(|\)$/g, '').split('/'));
  if (!m) return undefined;
  const av = ({ L: 0.395, A: 0.646, N: 1.0 } as Record<string, number>)[m.get('AV') ?? ''];
  const ac = ({ H: 0.35, M: 0.61, L: 0.71 } as Record<string, number>)[m.get('AC') ?? ''];
  const au = ({ M: 0.45, S: 0.56, N: 0.704 } as Record<string, number>)[m.get('Au') ?? ''];
  const imp = { N: 0, P: 0.275, C: 0.66 } as Record<string, number>;
  const c = imp[m.get('C') ?? ''];
  const i = imp[m.get('I') ?? ''];
  const a = imp[m.get('A') ?? ''];
  if ([av, ac, au, c, i, a].some((x) => x === undefined)) return undefined;
  const impact = 10.41 * (1 - (1 - c!) * (1 - i!) * (1 - a!));
  const exploitability = 20 * av! * ac! * au!;
  const f = impact === 0 ? 0 : 1.176;
  const baseScore = Math.round((0.6 * impact + 0.4 * exploitability - 1.5) * f * 10) / 10;
  return { version: '2.0', vector, baseScore: Math.max(0, baseScore) };
}

/** Qualitative rating of CVSS v3 (also used for v2 scores, for one scale across the product). */
export function severityOfScore(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

/** Severity labels used by databases (GitHub: LOW, MODERATE, HIGH, CRITICAL). */
export function severityOfLabel(label: unknown): Severity | undefined {
  if (typeof label !== 'string') return undefined;
  const l = label.trim().toLowerCase();
  if (l === 'critical') return 'critical';
  if (l === 'high' || l === 'important') return 'high';
  if (l === 'moderate' || l === 'medium') return 'medium';
  if (l === 'low') return 'low';
  return undefined;
}

/** CVSS v4.0 base score (CVSS-B) of a vector, or undefined when the vector is not valid v4.0. */
export function cvss4BaseScore(vector: string): CvssScore | undefined {
  const v = vector.trim();
  if (!v.startsWith('CVSS:4.0/') || v.length > 300) return undefined;
  // The library fills missing metrics with defaults; a vector must carry all eleven base metrics.
  const metrics = new Set(v.split('/').slice(1).map((part) => part.split(':')[0]));
  if (!['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'].every((m) => metrics.has(m))) return undefined;
  try {
    const score = new Cvss4P0(v).calculateScores().base;
    if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 10) return undefined;
    return { version: '4.0', vector: v, baseScore: Math.round(score * 10) / 10 };
  } catch {
    return undefined;
  }
}
