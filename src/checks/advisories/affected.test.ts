import { describe, expect, it } from 'vitest';
import { fixedVersions, matchingEntries, normalizePackageName } from './affected.ts';
import type { OsvRecord } from './osv.ts';

function record(affected: OsvRecord['affected'], extra: Partial<OsvRecord> = {}): OsvRecord {
  return { id: 'TEST-1', affected, ...extra };
}

const affects = (r: OsvRecord, ecosystem: string, name: string, version: string): boolean =>
  matchingEntries(r, ecosystem, name, version).length > 0;

describe('OSV affected evaluation', () => {
  it('handles several introduced/fixed pairs in one range, listed out of order', () => {
    const r = record([
      { package: { ecosystem: 'PyPI', name: 'django' }, ranges: [{ type: 'ECOSYSTEM', events: [{ fixed: '3.1.6' }, { introduced: '3.1' }, { introduced: '0' }, { fixed: '2.2.18' }] }] },
    ]);
    expect(affects(r, 'PyPI', 'Django', '2.2.17')).toBe(true);
    expect(affects(r, 'PyPI', 'Django', '2.2.18')).toBe(false);
    expect(affects(r, 'PyPI', 'Django', '3.0.5')).toBe(false);
    expect(affects(r, 'PyPI', 'Django', '3.1rc1')).toBe(false);
    expect(affects(r, 'PyPI', 'Django', '3.1')).toBe(true);
    expect(affects(r, 'PyPI', 'Django', '3.1.6')).toBe(false);
  });

  it('treats last_affected as inclusive and limit as an exclusive ceiling', () => {
    const r = record([
      { package: { ecosystem: 'Maven', name: 'org.example:lib' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { last_affected: '1.4' }] }] },
      { package: { ecosystem: 'Maven', name: 'org.example:lib' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.0-rc1' }, { limit: '2.1' }] }] },
    ]);
    expect(affects(r, 'Maven', 'org.example:lib', '1.4')).toBe(true);
    expect(affects(r, 'Maven', 'org.example:lib', '1.4.1')).toBe(false);
    expect(affects(r, 'Maven', 'org.example:lib', '2.0-beta')).toBe(false);
    expect(affects(r, 'Maven', 'org.example:lib', '2.0')).toBe(true);
    expect(affects(r, 'Maven', 'org.example:lib', '2.1')).toBe(false);
  });

  it('matches explicit versions lists with the ecosystem canonical form, and ignores GIT ranges', () => {
    const r = record([
      {
        package: { ecosystem: 'PyPI', name: 'lxml' },
        ranges: [{ type: 'GIT', events: [{ introduced: '0' }, { fixed: '6be1d081' }] }],
        versions: ['1.1alpha', '2.0'],
      },
    ]);
    expect(affects(r, 'PyPI', 'lxml', '1.1a0')).toBe(true);
    expect(affects(r, 'PyPI', 'lxml', '2.0.0')).toBe(true);
    expect(affects(r, 'PyPI', 'lxml', '2.0.1')).toBe(false);
  });

  it('compares package names as each ecosystem does', () => {
    expect(normalizePackageName('PyPI', 'Zope.Interface')).toBe('zope-interface');
    expect(normalizePackageName('Go', 'github.com/BurntSushi/toml')).toBe('github.com/BurntSushi/toml');
    const r = record([{ package: { ecosystem: 'PyPI', name: 'ruamel.yaml' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }]);
    expect(affects(r, 'PyPI', 'ruamel-yaml', '0.17.0')).toBe(true);
    expect(affects(r, 'npm', 'ruamel.yaml', '0.17.0')).toBe(false);
  });

  it('ignores withdrawn records', () => {
    const r = record([{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }], { withdrawn: '2024-01-01T00:00:00Z' });
    expect(affects(r, 'npm', 'x', '1.0.0')).toBe(false);
  });

  it('lists fixed versions lowest first in the ecosystem order', () => {
    const entries = [{ ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.10' }, { introduced: '2.0' }, { fixed: '2.0.post1' }, { introduced: '1.2' }, { fixed: '1.9' }] }] }];
    expect(fixedVersions(entries, 'PyPI')).toEqual(['1.9', '1.10', '2.0.post1']);
  });
});
