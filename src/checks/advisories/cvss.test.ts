import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cvss2BaseScore, cvss3BaseScore, severityOfScore } from './cvss.ts';
import { sharedAdvisories } from './test-data.ts';

describe('CVSS base scores', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'critical'],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5, 'high'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'medium'],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9, 'critical'],
    ['CVSS:3.0/AV:N/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:L', 2.0, 'low'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0, 'info'],
  ])('%s scores %s (%s)', (vector, score, severity) => {
    const result = cvss3BaseScore(vector);
    expect(result?.baseScore).toBe(score);
    expect(severityOfScore(result!.baseScore)).toBe(severity);
  });

  it('scores CVSS v2 vectors', () => {
    expect(cvss2BaseScore('AV:N/AC:L/Au:N/C:P/I:P/A:P')?.baseScore).toBe(7.5);
    expect(cvss2BaseScore('AV:N/AC:M/Au:N/C:N/I:P/A:N')?.baseScore).toBe(4.3);
  });

  it('rejects malformed vectors instead of guessing', () => {
    expect(cvss3BaseScore('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:U/A:U')).toBeUndefined();
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L')).toBeUndefined();
    expect(cvss3BaseScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toBeUndefined();
  });

  it.skipIf(!sharedAdvisories)('agrees with the scores published next to the vectors of the Node.js Security WG records', () => {
    const dir = path.join(sharedAdvisories!, 'npm-nodejs-security-wg/vuln/npm');
    let agree = 0;
    let total = 0;
    for (const f of readdirSync(dir).filter((n) => /^\d+\.json$/.test(n))) {
      const r = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { cvss_vector?: string; cvss_score?: number };
      if (!r.cvss_vector) continue;
      total++;
      if (cvss3BaseScore(r.cvss_vector)?.baseScore === r.cvss_score) agree++;
    }
    // The few disagreements are scores in the records that do not match their own vectors
    // (e.g. 9.3 published for AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N, which is 7.5).
    expect(total).toBeGreaterThan(400);
    expect(agree / total).toBeGreaterThan(0.9);
  });
});

describe('CVSS v4', () => {
  it('scores a v4.0 vector with the FIRST macro-vector tables (ae-cvss-calculator)', async () => {
    const { cvss4BaseScore } = await import('./cvss.ts');
    expect(cvss4BaseScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toEqual({ version: '4.0', vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', baseScore: 9.3 });
    expect(cvss4BaseScore('CVSS:4.0/AV:L/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N')?.baseScore).toBeLessThan(4);
    expect(cvss4BaseScore('CVSS:4.0/AV:X')).toBeUndefined();
  });
});
