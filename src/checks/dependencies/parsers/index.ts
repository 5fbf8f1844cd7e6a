// Which parser reads which file, by file name.
import path from 'node:path';
import type { ParseOutcome } from '../component.ts';
import { parseCargoLock } from './cargo-lock.ts';
import { parseComposerLock } from './composer-lock.ts';
import { parseGoMod, parseGoSum } from './go.ts';
import { parsePom } from './maven.ts';
import { parseNpmLock } from './npm-lock.ts';
import { parsePnpmLock } from './pnpm-lock.ts';
import { parsePipfileLock, parsePoetryLock, parseRequirements, parseTomlPackageLock } from './python.ts';
import { parsePackageJson } from './package-json.ts';
import { parseGradleBuild, parseGradleLockfile, parseVersionCatalog } from './gradle.ts';
import { parsePackagesLock, parseProjectFile } from './nuget.ts';
import { parseGemfileLock } from './gemfile-lock.ts';
import { parseYarnLock } from './yarn-lock.ts';

export type Parser = (file: string, text: string) => ParseOutcome;

export interface ManifestKind {
  /** Human name of the format, used in messages. */
  format: string;
  parse: Parser;
}

/** The parser for a path, or undefined when the file is not a dependency manifest. */
export function manifestKind(file: string): ManifestKind | undefined {
  const base = path.posix.basename(file);
  switch (base) {
    case 'package-lock.json':
    case 'npm-shrinkwrap.json':
      return { format: 'package-lock.json', parse: parseNpmLock };
    case 'yarn.lock':
      return { format: 'yarn.lock', parse: parseYarnLock };
    case 'pnpm-lock.yaml':
      return { format: 'pnpm-lock.yaml', parse: parsePnpmLock };
    case 'poetry.lock':
      return { format: 'poetry.lock', parse: parsePoetryLock };
    case 'Pipfile.lock':
      return { format: 'Pipfile.lock', parse: parsePipfileLock };
    case 'pom.xml':
      return { format: 'pom.xml', parse: parsePom };
    case 'go.mod':
      return { format: 'go.mod', parse: parseGoMod };
    case 'go.sum':
      return { format: 'go.sum', parse: parseGoSum };
    case 'Cargo.lock':
      return { format: 'Cargo.lock', parse: parseCargoLock };
    case 'composer.lock':
      return { format: 'composer.lock', parse: parseComposerLock };
    case 'uv.lock':
      return { format: 'uv.lock', parse: parseTomlPackageLock };
    case 'pdm.lock':
      return { format: 'pdm.lock', parse: parseTomlPackageLock };
    case 'package.json':
      return { format: 'package.json', parse: parsePackageJson };
    case 'gradle.lockfile':
      return { format: 'gradle.lockfile', parse: parseGradleLockfile };
    case 'build.gradle':
    case 'build.gradle.kts':
      return { format: base, parse: parseGradleBuild };
    case 'packages.lock.json':
      return { format: 'packages.lock.json', parse: parsePackagesLock };
    case 'Gemfile.lock':
      return { format: 'Gemfile.lock', parse: parseGemfileLock };
  }
  if (base.endsWith('.versions.toml') && /(^|\/)gradle\/[^/]+$/.test(file)) return { format: 'Gradle version catalog', parse: parseVersionCatalog };
  if (/\.(cs|fs|vb)proj$/.test(base)) return { format: base.slice(base.lastIndexOf('.') + 1), parse: parseProjectFile };
  if (/^requirements.*\.txt$/i.test(base) || /(^|\/)requirements\/[^/]+\.txt$/i.test(file)) return { format: 'requirements.txt', parse: parseRequirements };
  return undefined;
}
