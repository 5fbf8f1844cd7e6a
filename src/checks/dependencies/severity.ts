// Severity of an advisory: from its CVSS vectors (highest v3 score, else v2), otherwise from the
// database's own label (GitHub-style `database_specific.severity`), otherwise medium: an
// advisory without any rating is still a known vulnerability.
import { cvss2BaseScore, cvss3BaseScore, severityOfLabel, severityOfScore, type CvssScore } from '../advisories/cvss.ts';
import type { OsvRecord } from '../advisories/osv.ts';
import type { Severity } from '../model.ts';

export interface AdvisorySeverity {
  severity: Severity;
  cvss?: CvssScore;
  /** Where the severity came from, for the finding's properties. */
  basis: 'cvss' | 'database' | 'unrated';
}

export function advisorySeverity(record: OsvRecord): AdvisorySeverity {
  let best: CvssScore | undefined;
  for (const s of record.severity ?? []) {
    const score = s.type === 'CVSS_V3' || s.score.startsWith('CVSS:3') ? cvss3BaseScore(s.score) : s.type === 'CVSS_V2' ? cvss2BaseScore(s.score) : undefined;
    if (!score) continue;
    // v3 scores take precedence over v2 ones (which rate the same flaw differently), then the highest.
    const better = !best || (best.version === '2.0' && score.version !== '2.0') || ((best.version === '2.0') === (score.version === '2.0') && score.baseScore > best.baseScore);
    if (better) best = score;
  }
  if (best) return { severity: severityOfScore(best.baseScore), cvss: best, basis: 'cvss' };
  const labels = [record.database_specific?.severity, ...(record.affected ?? []).map((a) => a.database_specific?.severity)];
  for (const label of labels) {
    const s = severityOfLabel(label);
    if (s) return { severity: s, basis: 'database' };
  }
  // The Node.js Security WG gives a numeric score next to its (sometimes malformed) vector.
  const score = record.database_specific?.cvss_score;
  if (typeof score === 'number' && score >= 0 && score <= 10) return { severity: severityOfScore(score), basis: 'database' };
  return { severity: 'medium', basis: 'unrated' };
}
