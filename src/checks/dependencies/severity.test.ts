import { describe, expect, it } from 'vitest';
import type { OsvRecord } from '../advisories/osv.ts';
import { advisorySeverity } from './severity.ts';

const base: OsvRecord = { id: 'X-1', affected: [] } as unknown as OsvRecord;

describe('advisory severity', () => {
  it('v4 vector first, then v3, then the source rating; never a silent medium', () => {
    expect(advisorySeverity({ ...base, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N' }, { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }] })).toMatchObject({ severity: 'critical', basis: 'cvss', cvss: { version: '4.0' } });
    expect(advisorySeverity({ ...base, database_specific: { severity: 'MODERATE' } })).toMatchObject({ severity: 'medium', basis: 'database' });
    // A PyPA record like Django's SQL injections: no vector, no rating.
    expect(advisorySeverity(base)).toMatchObject({ basis: 'unknown' });
  });
});
