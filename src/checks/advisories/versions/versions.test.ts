import { describe, expect, it } from 'vitest';
import { composerOrdering, mavenOrdering, orderingFor, pep440Ordering, semverOrdering, type VersionOrdering } from './index.ts';

/** Each list is strictly increasing; every pair is checked both ways. */
function expectIncreasing(ordering: VersionOrdering, versions: string[]): void {
  for (let i = 0; i < versions.length; i++) {
    for (let j = 0; j < versions.length; j++) {
      const expected = Math.sign(i - j);
      expect(Math.sign(ordering.compare(versions[i]!, versions[j]!)), `${versions[i]} vs ${versions[j]}`).toBe(expected);
      expect(ordering.equalityKey(versions[i]!) === ordering.equalityKey(versions[j]!), `key ${versions[i]} vs ${versions[j]}`).toBe(i === j);
    }
  }
}

function expectEqual(ordering: VersionOrdering, pairs: [string, string][]): void {
  for (const [a, b] of pairs) {
    expect(ordering.compare(a, b), `${a} = ${b}`).toBe(0);
    expect(ordering.equalityKey(a), `key ${a} = ${b}`).toBe(ordering.equalityKey(b));
  }
}

describe('semver ordering (npm, crates.io, Go)', () => {
  it('orders releases and prereleases as Semantic Versioning 2.0 says', () => {
    expectIncreasing(semverOrdering, [
      '0.0.0-0',
      '0.0.1',
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1-0',
      '1.0.1',
      '1.2.10',
      '1.10.0',
      '2.0.0',
      '10.0.0',
    ]);
  });

  it('ignores build metadata, a leading v and missing parts', () => {
    expectEqual(semverOrdering, [
      ['1.0.0+build.1', '1.0.0'],
      ['v1.2.3', '1.2.3'],
      ['1.2', '1.2.0'],
      ['v2.0.0+incompatible', '2.0.0'],
    ]);
  });

  it('orders Go pseudo-versions between the releases they derive from', () => {
    expectIncreasing(orderingFor('Go'), [
      'v0.0.0-20191109021931-daa7c04131f5',
      'v0.0.0-20200101000000-aaaaaaaaaaaa',
      'v0.1.0',
      'v0.1.1-0.20200301000000-bbbbbbbbbbbb',
      'v0.1.1',
      'v1.2.4-pre',
      'v1.2.4-pre.0.20210101000000-cccccccccccc',
      'v1.2.4',
    ]);
  });

  it('compares huge numeric parts without losing precision', () => {
    expect(semverOrdering.compare('1.0.90071992547409910', '1.0.90071992547409911')).toBeLessThan(0);
  });
});

describe('PEP 440 ordering (PyPI)', () => {
  it('orders dev, pre, final, post and local versions', () => {
    expectIncreasing(pep440Ordering, [
      '1.0.dev456',
      '1.0a1',
      '1.0a2.dev456',
      '1.0a12.dev456',
      '1.0a12',
      '1.0b1.dev456',
      '1.0b2',
      '1.0b2.post345.dev456',
      '1.0b2.post345',
      '1.0rc1.dev456',
      '1.0rc1',
      '1.0',
      '1.0+abc.5',
      '1.0+abc.7',
      '1.0+5',
      '1.0.post456.dev34',
      '1.0.post456',
      '1.0.15',
      '1.1.dev1',
      '2!0.1',
    ]);
  });

  it('treats spelling variants and trailing zeros as the same version', () => {
    expectEqual(pep440Ordering, [
      ['1.0', '1.0.0'],
      ['1.0alpha1', '1.0a1'],
      ['1.0-c1', '1.0rc1'],
      ['1.0.beta', '1.0b0'],
      ['1.0-1', '1.0.post1'],
      ['1.0rev2', '1.0.post2'],
      ['v1.0', '1.0'],
      ['1.0.DEV', '1.0.dev0'],
    ]);
  });

  it('puts versions outside PEP 440 below valid ones instead of failing', () => {
    expect(pep440Ordering.compare('not a version', '0.0.1')).toBeLessThan(0);
    expect(pep440Ordering.compare('0.0.1', 'not a version')).toBeGreaterThan(0);
  });

  it('normalises versions for exact list membership', () => {
    expect(pep440Ordering.canonical('1.1alpha')).toBe('1.1a0');
    expect(pep440Ordering.canonical('2.0-1')).toBe('2.0.post1');
  });
});

describe('Maven ordering (ComparableVersion)', () => {
  it('orders qualifiers alpha < beta < milestone < rc < snapshot < release < sp', () => {
    expectIncreasing(mavenOrdering, ['1.0-alpha1', '1.0-beta1', '1.0-milestone1', '1.0-rc1', '1.0-SNAPSHOT', '1.0', '1.0-sp1', '1.0.1']);
  });

  it('knows the aliases and abbreviations', () => {
    expectEqual(mavenOrdering, [
      ['1.0', '1.0.0'],
      ['1.0-ga', '1.0'],
      ['1.0-final', '1.0'],
      ['1.0.RELEASE', '1.0'],
      ['1.0-cr1', '1.0-rc1'],
      ['1.0a1', '1.0-alpha-1'],
      ['1.0-b2', '1.0-beta-2'],
      ['1.0m3', '1.0-milestone-3'],
      ['1-1', '1.0.0-1'],
    ]);
  });

  it('orders numbers numerically and unknown qualifiers after the known ones', () => {
    expectIncreasing(mavenOrdering, ['1.0-alpha', '1.0', '1.0-abc', '1.0-xyz', '1.0-1', '1.0.1', '1.2', '1.10', '2.13.4', '2.13.4.1', '2.13.4.2']);
    expect(mavenOrdering.compare('5.3.0-RC2', '5.3.0')).toBeLessThan(0);
    expect(mavenOrdering.compare('2.17.0', '2.17.0-rc1')).toBeGreaterThan(0);
    expect(mavenOrdering.compare('1.0-SNAPSHOT', '1.0-rc1')).toBeGreaterThan(0);
  });
});

describe('Composer ordering (Packagist)', () => {
  it('orders stability suffixes dev < alpha < beta < RC < stable < patch', () => {
    expectIncreasing(composerOrdering, ['1.0.0-dev', '1.0.0-alpha1', '1.0.0-alpha2', '1.0.0-beta1', '1.0.0-RC1', '1.0.0-RC2', '1.0.0', '1.0.0-p1', '1.0.1', '1.1.0']);
  });
  it('treats missing parts and a v prefix as equal', () => {
    expectEqual(composerOrdering, [
      ['v1.2.3', '1.2.3'],
      ['1.2', '1.2.0'],
      ['1.2.0.0', '1.2.0'],
    ]);
  });
});
