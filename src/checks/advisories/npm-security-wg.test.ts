import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { affectedEntryMatches } from './affected.ts';
import { npmWgToOsv, semverRangeToOsv, type NpmWgAdvisory } from './npm-security-wg.ts';
import { sharedAdvisories } from './test-data.ts';
import { semverOrdering } from './versions/index.ts';

function osvMatches(range: string, version: string): boolean {
  const ranges = semverRangeToOsv(range);
  if (typeof ranges === 'string') throw new Error(ranges);
  return affectedEntryMatches({ ranges }, version, semverOrdering);
}

/** Versions around every bound of a range: the bound, its neighbours, prereleases. */
function probeVersions(range: string): string[] {
  const out = new Set(['0.0.0', '0.0.1', '1.0.0', '99.0.0']);
  for (const m of range.matchAll(/v?(\d+)(?:\.(\d+|x))?(?:\.(\d+|x))?(-[0-9A-Za-z.-]+)?/g)) {
    const [maj, min, pat] = [Number(m[1]), Number(m[2] === 'x' ? 0 : (m[2] ?? 0)), Number(m[3] === 'x' ? 0 : (m[3] ?? 0))];
    for (const [a, b, c] of [
      [maj, min, pat],
      [maj, min, pat + 1],
      [maj, min + 1, 0],
      [maj + 1, 0, 0],
      [maj, min, Math.max(0, pat - 1)],
      [maj, Math.max(0, min - 1), 9],
      [Math.max(0, maj - 1), 9, 9],
    ]) {
      out.add(`${a}.${b}.${c}`);
      out.add(`${a}.${b}.${c}-beta.1`);
    }
    if (m[4]) out.add(`${maj}.${min}.${pat}${m[4]}`);
  }
  return [...out];
}

describe('Node.js Security WG → OSV conversion', () => {
  it.each([
    ['<4.2.2', [['0.1.0', true], ['4.2.1', true], ['4.2.2', false], ['5.0.0', false]]],
    ['<=1.0.0', [['1.0.0', true], ['1.0.1', false]]],
    ['>=4.17.15 <4.17.19', [['4.17.14', false], ['4.17.15', true], ['4.17.18', true], ['4.17.19', false]]],
    ['<1.6.5 || >=1.7.0 <1.7.2', [['1.6.4', true], ['1.6.5', false], ['1.6.9', false], ['1.7.0', true], ['1.7.2', false]]],
    ['> 2.0.0 <2.1.7', [['2.0.0', false], ['2.0.1', true], ['2.1.6', true]]],
    ['2.0.x || 2.1.x', [['1.9.9', false], ['2.0.5', true], ['2.1.9', true], ['2.2.0', false]]],
    ['=3.0.0-rc.1', [['3.0.0-rc.1', true], ['3.0.0', false], ['3.0.0-rc.2', false]]],
    ['*', [['0.0.1', true], ['100.0.0', true]]],
    ['<=v2.0.0-alpha7', [['2.0.0-alpha7', true], ['2.0.0-alpha8', false]]],
  ] as const)('range %s', (range, cases) => {
    for (const [version, expected] of cases) expect(osvMatches(range, version), `${version} in ${range}`).toBe(expected);
  });

  it('reports a range it cannot read instead of guessing', () => {
    expect(semverRangeToOsv('not a range ~~')).toMatch(/invalid semver range|matches no version/);
  });

  it('keeps ids, CVE aliases, the CVSS vector and the original ranges', () => {
    const record = npmWgToOsv({
      id: 29,
      title: 'Denial-of-Service Memory Exhaustion',
      module_name: 'qs',
      cves: ['CVE-2014-7191'],
      vulnerable_versions: '<1.0.0',
      patched_versions: '>=1.0.0',
      cvss_vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
      updated_at: '2018-01-01',
    });
    expect(record).toMatchObject({
      id: 'NSWG-ECO-29',
      aliases: ['CVE-2014-7191'],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }],
      affected: [{ package: { ecosystem: 'npm', name: 'qs' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }] }],
      modified: '2018-01-01T00:00:00.000Z',
    });
  });

  it.skipIf(!sharedAdvisories)('matches exactly the versions the original range matches outside the patched ones, on every real advisory', () => {
    const dir = path.join(sharedAdvisories!, 'npm-nodejs-security-wg/vuln/npm');
    let checked = 0;
    for (const f of readdirSync(dir).filter((n) => /^\d+\.json$/.test(n))) {
      const advisory = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as NpmWgAdvisory;
      const record = npmWgToOsv(advisory);
      expect(typeof record, `${f}: ${String(record)}`).toBe('object');
      if (typeof record === 'string') continue;
      for (const version of probeVersions(advisory.vulnerable_versions)) {
        if (!semver.valid(version)) continue;
        const options = { loose: true, includePrerelease: true };
        let patched = false;
        try {
          patched = typeof advisory.patched_versions === 'string' && advisory.patched_versions.trim() !== '' && semver.satisfies(version, advisory.patched_versions, options);
        } catch {
          /* an unreadable patched range is ignored by the converter too */
        }
        const expected = semver.satisfies(version, advisory.vulnerable_versions, options) && !patched;
        expect(affectedEntryMatches(record.affected![0]!, version, semverOrdering), `${f} ${advisory.vulnerable_versions} @ ${version}`).toBe(expected);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5000);
  });
});

describe('patched_versions', () => {
  it('a version the WG says is patched is not affected (protobufjs 5.0.3), the others still are', () => {
    const record = npmWgToOsv({ id: 'protobufjs', module_name: 'protobufjs', vulnerable_versions: '<=6.8.5', patched_versions: '>=5.0.3 <6.0.0 || >=6.8.6' });
    if (typeof record === 'string') throw new Error(record);
    const matches = (v: string) => affectedEntryMatches(record.affected![0]!, v, semverOrdering);
    expect(['5.0.3', '5.1.0', '6.8.6', '7.0.0'].filter(matches)).toEqual([]);
    expect(['4.1.2', '5.0.2', '6.0.0', '6.8.5'].every(matches)).toBe(true);
  });

  it.skipIf(!sharedAdvisories)('on every WG record, no version inside patched_versions is reported as affected', () => {
    const dir = path.join(sharedAdvisories!, 'npm-nodejs-security-wg/vuln/npm');
    let checked = 0;
    for (const file of readdirSync(dir).filter((f) => /^\d+\.json$/.test(f))) {
      const raw = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as NpmWgAdvisory;
      if (!raw.patched_versions || typeof raw.patched_versions !== 'string') continue;
      const record = npmWgToOsv(raw);
      if (typeof record === 'string') continue;
      for (const v of probeVersions(raw.patched_versions)) {
        if (!semver.satisfies(v, raw.patched_versions, { loose: true, includePrerelease: true })) continue;
        expect(affectedEntryMatches(record.affected![0]!, v, semverOrdering), `${file} ${v}`).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(300);
  });
});
