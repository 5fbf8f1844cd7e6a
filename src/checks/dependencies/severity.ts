// Severity of an advisory: from its CVSS vectors (v4, then v3, then v2; the highest score of the newest version),
// otherwise from the database's own label (GitHub-style `database_specific.severity`), otherwise unknown — said as
// such, and gated as the evaluation policy says (blocking like a high one by default), never a silent "medium".
import { cvss2BaseScore, cvss3BaseScore, cvss4BaseScore, severityOfLabel, severityOfScore, type CvssScore } from '../advisories/cvss.ts';
import type { OsvRecord } from '../advisories/osv.ts';
import type { Severity } from '../model.ts';

export interface AdvisorySeverity {
  severity: Severity;
  cvss?: CvssScore;
  /** Where the severity came from, for the finding's properties. */
  basis: 'cvss' | 'database' | 'unknown';
}

export function advisorySeverity(record: OsvRecord): AdvisorySeverity {
  let best: CvssScore | undefined;
  for (const s of record.severity ?? []) {
    const score =
      s.type === 'CVSS_V4' || s.score.startsWith('CVSS:4') ? cvss4BaseScore(s.score) : s.type === 'CVSS_V3' || s.score.startsWith('CVSS:3') ? cvss3BaseScore(s.score) : s.type === 'CVSS_V2' ? cvss2BaseScore(s.score) : undefined;
    if (!score) continue;
    // A newer CVSS version takes precedence (they rate the same flaw differently), then the highest score.
    const generation = (c: CvssScore) => (c.version === '4.0' ? 3 : c.version === '2.0' ? 1 : 2);
    const better =
      !best ||
      generation(score) > generation(best) ||
      (generation(score) === generation(best) && score.baseScore > best.baseScore);
    if (better) best = score;
  }
  if (best) return { severity: severityOfScore(best.baseScore), cvss: best, basis: 'cvss' };
  const labels = [
    record.database_specific?.severity,
    ...(record.affected ?? []).map((a) => a.database_specific?.severity),
  ];
  for (const label of labels) {
    const s = severityOfLabel(label);
    if (s) return { severity: s, basis: 'database' };
  }
  // The Node.js Security WG gives a numeric score next to its (sometimes malformed) vector.
  const score = record.database_specific?.cvss_score;
  if (typeof score === 'number' && score >= 0 && score <= 10) return { severity: severityOfScore(score), basis: 'database' };
  // Unknown: shown as such in the finding; `high` here only orders it among the others, the gate reads the basis.
  return { severity: 'high', basis: 'unknown' };
}
