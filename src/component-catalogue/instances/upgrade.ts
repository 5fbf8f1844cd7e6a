// An upgrade proposal: what changes in the cluster (a line diff of the manifests rendered with the instance's
// values, before and after) and in the findings (which appear, which are resolved), so that a team accepts a new
// catalogue version knowing what it does.
import type { CatalogueFinding } from '../check.ts';

type FindingLike = Pick<CatalogueFinding, 'ruleId' | 'message'> & { severity: string; blocking?: boolean };

export interface FindingsChange {
  added: FindingLike[];
  resolved: FindingLike[];
}

const keyOf = (f: FindingLike) => `${f.ruleId}\u0000${f.message}`;

export function findingsChange(before: readonly FindingLike[], after: readonly FindingLike[]): FindingsChange {
  const was = new Set(before.map(keyOf));
  const now = new Set(after.map(keyOf));
  const slim = (f: FindingLike): FindingLike => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    ...(f.blocking !== undefined ? { blocking: f.blocking } : {}),
  });
  return {
    added: after.filter((f) => !was.has(keyOf(f))).map(slim),
    resolved: before.filter((f) => !now.has(keyOf(f))).map(slim),
  };
}

/** Bound on the lines compared (the table is quadratic); beyond it the diff says the manifests were replaced. */
const maxLines = 4000;
const context = 3;

/** A unified diff of two multi-document YAML texts (`---`/`+++` headers, `@@` hunks, 3 lines of context). */
export function manifestDiff(before: string, after: string, labels = { before: 'current', after: 'proposed' }): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  const header = `--- ${labels.before}\n+++ ${labels.after}\n`;
  if (a.length > maxLines || b.length > maxLines) return `${header}@@ -1,${a.length} +1,${b.length} @@\n${a.map((l) => `-${l}`).join('\n')}\n${b.map((l) => `+${l}`).join('\n')}\n`;
  // Longest common subsequence, then a walk that emits ' ', '-' and '+' lines.
  const n = a.length;
  const m = b.length;
  const lcs = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] =
        a[i] === b[j]
          ? lcs[(i + 1) * (m + 1) + j + 1]! + 1
          : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
    }
  }
  const ops: { op: ' ' | '-' | '+'; line: string; ai: number; bi: number }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ op: ' ', line: a[i]!, ai: i++, bi: j++ });
    else if (j < m && (i === n || lcs[i * (m + 1) + j + 1]! >= lcs[(i + 1) * (m + 1) + j]!)) ops.push({ op: '+', line: b[j]!, ai: i, bi: j++ });
    else ops.push({ op: '-', line: a[i]!, ai: i++, bi: j });
  }
  // Group changes into hunks with context.
  const hunks: string[] = [];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.op === ' ') {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    let quiet = 0;
    while (end < ops.length && quiet <= context * 2) {
      quiet = ops[end]!.op === ' ' ? quiet + 1 : 0;
      end++;
    }
    end = Math.min(ops.length, end - Math.max(0, quiet - context));
    const slice = ops.slice(start, end);
    const aCount = slice.filter((o) => o.op !== '+').length;
    const bCount = slice.filter((o) => o.op !== '-').length;
    hunks.push(`@@ -${slice[0]!.ai + 1},${aCount} +${slice[0]!.bi + 1},${bCount} @@\n${slice.map((o) => `${o.op}${o.line}`).join('\n')}\n`);
    k = end;
  }
  return header + hunks.join('');
}
