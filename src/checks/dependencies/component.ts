// A third-party package found in a lockfile or manifest: the unit of the SBOM and of matching.
import { PackageURL } from 'packageurl-js';
import type { Unevaluated } from '../unevaluated.ts';

/** OSV ecosystem names, as advisories spell them. */
export type Ecosystem = 'npm' | 'PyPI' | 'Maven' | 'Go' | 'crates.io' | 'Packagist' | 'NuGet' | 'RubyGems';

export interface Component {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  purl: string;
  /** Lockfile or manifest it was read from (relative POSIX path). */
  file: string;
  line?: number;
  /** true: declared by the project itself; false: pulled in by another package; absent: unknown. */
  direct?: boolean;
  /** Used only for development or tests, when the lockfile says so. */
  development?: boolean;
  /** Declared as a range (no lockfile): checked at the lowest version it allows, which is `version`. */
  range?: string;
}

export interface ParseProblem {
  line?: number;
  column?: number;
  message: string;
}

/** What a parser gives back: components, plus remarks (unpinned requirement, unresolved property…). */
export interface ParseOutcome {
  components: Component[];
  notes: { line?: number; message: string }[];
  /** Declared dependencies whose version stayed unknown (or only a range): said, never silently dropped. */
  unevaluated?: Unevaluated[];
  /** Set when the file could not be read as its format at all. */
  problem?: ParseProblem;
}

const purlType: Record<Ecosystem, string> = {
  npm: 'npm',
  PyPI: 'pypi',
  Maven: 'maven',
  Go: 'golang',
  'crates.io': 'cargo',
  Packagist: 'composer',
  NuGet: 'nuget',
  RubyGems: 'gem',
};

function splitNamespace(ecosystem: Ecosystem, name: string): [string | undefined, string] {
  if (ecosystem === 'Maven') {
    const [group, artifact] = name.split(':');
    return [group, artifact ?? name];
  }
  if (ecosystem === 'npm' || ecosystem === 'Go' || ecosystem === 'Packagist') {
    const i = name.lastIndexOf('/');
    if (i > 0) return [name.slice(0, i), name.slice(i + 1)];
  }
  return [undefined, name];
}

export function purlOf(ecosystem: Ecosystem, name: string, version: string): string {
  const [namespace, short] = splitNamespace(ecosystem, name);
  return new PackageURL(purlType[ecosystem], namespace, short, version, undefined, undefined).toString();
}

export function componentOf(ecosystem: Ecosystem, name: string, version: string, file: string, extra: Partial<Pick<Component, 'line' | 'direct' | 'development' | 'range'>> = {}): Component {
  const c: Component = { ecosystem, name, version, purl: purlOf(ecosystem, name, version), file };
  if (extra.range !== undefined) c.range = extra.range;
  if (extra.line !== undefined) c.line = extra.line;
  if (extra.direct !== undefined) c.direct = extra.direct;
  if (extra.development) c.development = true;
  return c;
}
