// Long-term-support operating system releases accepted as image bases (EX29), kept as data.
// End-of-life dates are the end of the last free security support of each release (LTS phase
// included for Debian, standard support for Ubuntu, full/maintenance support for the RHEL
// family). Update this table when a distribution announces or shifts a date.
import type { ImageReference } from './image-reference.ts';

export interface DistributionRelease {
  distribution: string;
  version: string;
  /** Other names of the release found in tags (codenames). */
  aliases: string[];
  /** ISO date (UTC) after which the release no longer receives security updates. */
  endOfLife: string;
}

const release = (
  distribution: string,
  version: string,
  endOfLife: string,
  aliases: string[] = [],
): DistributionRelease => ({
  distribution,
  version,
  aliases,
  endOfLife,
});

export const ltsReleases: readonly DistributionRelease[] = [
  release('debian', '8', '2020-06-30', ['jessie']),
  release('debian', '9', '2022-06-30', ['stretch']),
  release('debian', '10', '2024-06-30', ['buster']),
  release('debian', '11', '2026-08-31', ['bullseye']),
  release('debian', '12', '2028-06-30', ['bookworm']),
  release('debian', '13', '2030-06-30', ['trixie']),
  release('ubuntu', '16.04', '2021-04-30', ['xenial']),
  release('ubuntu', '18.04', '2023-05-31', ['bionic']),
  release('ubuntu', '20.04', '2025-05-31', ['focal']),
  release('ubuntu', '22.04', '2027-06-01', ['jammy']),
  release('ubuntu', '24.04', '2029-05-31', ['noble']),
  release('ubuntu', '26.04', '2031-05-31', ['resolute']),
  release('ubi', '7', '2024-06-30'),
  release('ubi', '8', '2029-05-31'),
  release('ubi', '9', '2032-05-31'),
  release('ubi', '10', '2035-05-31'),
  release('rockylinux', '8', '2029-05-31'),
  release('rockylinux', '9', '2032-05-31'),
  release('rockylinux', '10', '2035-05-31'),
  release('almalinux', '8', '2029-03-01'),
  release('almalinux', '9', '2032-05-31'),
  release('almalinux', '10', '2035-05-31'),
  release('oraclelinux', '8', '2029-07-31'),
  release('oraclelinux', '9', '2032-06-30'),
  release('centos', '7', '2024-06-30'),
  release('centos', '8', '2021-12-31'),
  release('opensuse-leap', '15.5', '2024-12-31'),
  release('opensuse-leap', '15.6', '2026-04-30'),
  release('opensuse-leap', '16.0', '2027-10-31'),
  release('sles', '15', '2031-07-31'),
];

/** Distributions without a long-term-support process for container bases, or rolling ones. */
const nonLtsDistributions = new Set(['alpine', 'fedora', 'archlinux', 'busybox', 'wolfi-base', 'gentoo', 'clearlinux', 'photon']);
const rollingDebianTags = new Set(['sid', 'unstable', 'testing', 'experimental', 'rc-buggy', 'forky']);
const nonLtsUbuntuCodenames = new Set(['lunar', 'mantic', 'oracular', 'plucky', 'questing', 'kinetic', 'impish', 'hirsute', 'groovy']);

export type BaseVerdict =
  | { status: 'lts'; release: DistributionRelease }
  /** A known distribution whose release cannot be pinned down (e.g. `debian:stable`). */
  | { status: 'lts-unversioned'; distribution: string }
  | { status: 'alpine' }
  | { status: 'not-lts'; distribution: string; version?: string }
  | { status: 'no-os' }
  | { status: 'unknown' };

const repositoryAlias: Record<string, string> = {
  debian: 'debian', ubuntu: 'ubuntu', rockylinux: 'rockylinux', almalinux: 'almalinux', oraclelinux: 'oraclelinux',
  centos: 'centos', leap: 'opensuse-leap', 'opensuse-leap': 'opensuse-leap', alpine: 'alpine', fedora: 'fedora',
  archlinux: 'archlinux', busybox: 'busybox', 'wolfi-base': 'wolfi-base', gentoo: 'gentoo', photon: 'photon',
  'bci-base': 'sles', 'bci-micro': 'sles', 'bci-minimal': 'sles', 'sle15': 'sles',
};

function find(distribution: string, version: string): DistributionRelease | undefined {
  const v = version.toLowerCase();
  return ltsReleases.find((r) => r.distribution === distribution
    && (r.version === v || v.startsWith(`${r.version}.`) || r.aliases.includes(v)));
}

/** Judges the operating system an image reference is built from. */
export function judgeBaseImage(reference: ImageReference): BaseVerdict {
  const segments = reference.repository.split('/');
  const name = segments[segments.length - 1] ?? '';
  if (name === 'scratch' && segments.length === 1) return { status: 'no-os' };
  const tag = (reference.tag ?? '').toLowerCase();
  const tagTokens = tag.split(/[-_]/).filter((t) => t !== '');

  // Red Hat Universal Base Images: the major version is in the path (`ubi9/ubi-minimal`, `redhat/ubi8`).
  for (const segment of segments) {
    const ubi = /^ubi(\d+)(?:-|$)/.exec(segment);
    if (ubi?.[1]) return verdictFor('ubi', ubi[1]);
  }
  const distribution = repositoryAlias[name];
  if (distribution) {
    if (distribution === 'alpine') return { status: 'alpine' };
    if (nonLtsDistributions.has(distribution)) return { status: 'not-lts', distribution };
    const version = tagTokens[0];
    if (version === undefined || version === 'latest' || version === 'stable' || version === 'slim') return { status: 'lts-unversioned', distribution };
    if (distribution === 'debian' && rollingDebianTags.has(version)) return { status: 'not-lts', distribution, version };
    if (distribution === 'ubuntu' && version === 'rolling') return { status: 'not-lts', distribution, version };
    if (distribution === 'ubuntu' && version === 'devel') return { status: 'not-lts', distribution, version };
    if (distribution === 'rockylinux' || distribution === 'almalinux' || distribution === 'oraclelinux' || distribution === 'centos') {
      const major = /^(\d+)/.exec(version)?.[1];
      if (distribution === 'centos' && /^stream/.test(version)) return { status: 'not-lts', distribution, version };
      if (major) return verdictFor(distribution, major);
    }
    if (distribution === 'sles') {
      const major = /^(\d+)/.exec(version)?.[1];
      if (major) return verdictFor(distribution, major);
    }
    return verdictFor(distribution, version);
  }
  // Language and tool images say their OS in the tag: `python:3.12-slim-bookworm`, `temurin:21-jre-jammy`.
  for (const token of tagTokens) {
    if (/^alpine(\d|$)/.test(token)) return { status: 'alpine' };
    const ubi = /^ubi(\d+)$/.exec(token);
    if (ubi?.[1]) return verdictFor('ubi', ubi[1]);
    if (rollingDebianTags.has(token) && token !== 'testing') return { status: 'not-lts', distribution: 'debian', version: token };
    if (nonLtsUbuntuCodenames.has(token)) return { status: 'not-lts', distribution: 'ubuntu', version: token };
    const byCodename = ltsReleases.find((r) => r.aliases.includes(token));
    if (byCodename) return { status: 'lts', release: byCodename };
  }
  // Distroless images carry the Debian release in their name: `gcr.io/distroless/static-debian12`.
  const distroless = /-debian(\d+)$/.exec(name);
  if (distroless?.[1]) return verdictFor('debian', distroless[1]);
  return { status: 'unknown' };
}

function verdictFor(distribution: string, version: string): BaseVerdict {
  const found = find(distribution, version);
  if (found) return { status: 'lts', release: found };
  if (distribution === 'ubuntu') {
    // Ubuntu LTS releases are the April releases of even years.
    const m = /^(\d\d)\.(\d\d)/.exec(version);
    if (m && (Number(m[1]) % 2 !== 0 || m[2] !== '04')) return { status: 'not-lts', distribution, version };
    if (nonLtsUbuntuCodenames.has(version)) return { status: 'not-lts', distribution, version };
  }
  return { status: 'not-lts', distribution, version };
}

/** True when the release's end of life is on or before `now`. */
export function isEndOfLife(entry: DistributionRelease, now: Date): boolean {
  return Date.parse(`${entry.endOfLife}T23:59:59Z`) < now.getTime();
}
