// Gradle: gradle.lockfile (every resolved module, the complete answer when the project locks), version catalogs
// (gradle/libs.versions.toml) and the dependency declarations of build.gradle / build.gradle.kts. Declarations
// are read, not executed: string notation "group:name:version" and map notation (group:, name:, version:),
// with $var / ${var} taken from the build file's own ext/val/def and from gradle.properties. A dynamic version
// (1.+, latest.release), a version from a BOM or plugin, or an unknown variable is reported as not evaluated.
import { parse as parseToml } from 'smol-toml';
import { tomlProblem } from './toml-problem.ts';
import { componentOf, type ParseOutcome } from '../component.ts';
import { unevaluatedOf } from '../../unevaluated.ts';
import { LineIndex } from './lines.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseGradleLockfile(file: string, text: string): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [] };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('empty=')) continue;
    const m = /^([^:\s=]+):([^:\s=]+):([^:\s=]+)=(.*)$/.exec(line);
    if (!m) {
      outcome.problem = { line: i + 1, message: 'expected "group:name:version=configurations"' };
      return outcome;
    }
    const configurations = m[4]!.split(',');
    const development = configurations.length > 0 && configurations.every((c) => /^test/i.test(c));
    outcome.components.push(componentOf('Maven', `${m[1]}:${m[2]}`, m[3]!, file, { line: i + 1, development }));
  }
  return outcome;
}

const dynamic = (v: string) => /[+]$|^latest\.|[[(]/.test(v);

/** Versions a catalog gives, by [versions] name; rich versions take `strictly`, then `require`, then `prefer`. */
function catalogVersion(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (isObj(v)) for (const k of ['strictly', 'require', 'prefer']) if (typeof v[k] === 'string') return v[k] as string;
  return undefined;
}

export function parseVersionCatalog(file: string, text: string): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [], unevaluated: [] };
  let doc: Obj;
  try {
    doc = parseToml(text) as Obj;
  } catch (e) {
    return { ...outcome, problem: tomlProblem(e) };
  }
  const versions = isObj(doc.versions) ? doc.versions : {};
  const libraries = isObj(doc.libraries) ? doc.libraries : {};
  const lines = new LineIndex(text);
  for (const [alias, entry] of Object.entries(libraries)) {
    const line = lines.find(`${alias}`, Math.max(0, text.indexOf('[libraries]')));
    const at = { file, ...(line !== undefined ? { line } : {}) };
    let module: string | undefined;
    let version: string | undefined;
    let expression = 'no version';
    if (typeof entry === 'string') {
      const parts = entry.split(':');
      module = parts.length >= 2 ? `${parts[0]}:${parts[1]}` : undefined;
      version = parts[2];
      if (version) expression = version;
    } else if (isObj(entry)) {
      module = typeof entry.module === 'string' ? entry.module : typeof entry.group === 'string' && typeof entry.name === 'string' ? `${entry.group}:${entry.name}` : undefined;
      const v = entry.version;
      if (isObj(v) && typeof v.ref === 'string') {
        version = catalogVersion(versions[v.ref]);
        expression = `versions.${v.ref}`;
      } else {
        version = catalogVersion(v);
        if (version) expression = version;
      }
    }
    if (!module) continue;
    if (!version) {
      // A library without a version in a catalog takes it from a platform (BOM) or a plugin.
      outcome.unevaluated!.push(unevaluatedOf('dependency', module, 'version-unresolved', { name: module, expression }, at));
      continue;
    }
    if (dynamic(version)) {
      outcome.unevaluated!.push(unevaluatedOf('dependency', module, 'dynamic-version', { name: module, version }, at));
      continue;
    }
    outcome.components.push(componentOf('Maven', module, version, file, { ...(line !== undefined ? { line } : {}) }));
  }
  return outcome;
}

/** Properties of gradle.properties (key=value or key: value). */
export function readGradleProperties(text: string): Map<string, string> {
  const properties = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(line);
    if (m) properties.set(m[1]!, m[2]!.trim());
  }
  return properties;
}

const configurations =
  'implementation|api|compile|runtime|compileOnly|runtimeOnly|annotationProcessor|kapt|ksp|developmentOnly|testImplementation|testCompile|testRuntimeOnly|testCompileOnly|testRuntime|androidTestImplementation|integrationTestImplementation|classpath';

/**
 * build.gradle (Groovy) or build.gradle.kts (Kotlin). `properties`: gradle.properties of the build, if any.
 * Catalog references (libs.x) are left to the catalog's own parse; project(":x") dependencies are the project's own.
 */
export function parseGradleBuild(
  file: string,
  text: string,
  properties: ReadonlyMap<string, string> = new Map(),
  /** Versions managed by a BOM ("group:name:version"), from the Maven sources; undefined when not found. */
  managedBy: (bom: string) => ReadonlyMap<string, string> | undefined = () => undefined,
): ParseOutcome {
  const outcome: ParseOutcome = { components: [], notes: [], unevaluated: [] };
  const variables = new Map(properties);
  // ext.x = '1', ext { x = '1' } (Groovy), def x = '1', val x = "1", extra["x"] = "1", set("x", "1").
  for (const m of text.matchAll(/(?:^|[\s;{])(?:ext\.|def\s+|val\s+|var\s+)?([A-Za-z_][\w.]*)\s*=\s*["']([^"'$]+)["']/gm)) variables.set(m[1]!.replace(/^ext\./, ''), m[2]!);
  for (const m of text.matchAll(/(?:extra|ext)\s*\[\s*["']([\w.]+)["']\s*\]\s*=\s*["']([^"'$]+)["']/g)) variables.set(m[1]!, m[2]!);
  for (const m of text.matchAll(/set\(\s*["']([\w.]+)["']\s*,\s*["']([^"'$]+)["']\s*\)/g)) variables.set(m[1]!, m[2]!);
  const usesPlatformManagement = /io\.spring\.dependency-management|dependencyManagement\s*\{|platform\(|enforcedPlatform\(/.test(text);
  // The BOMs that give versions: the Spring Boot plugin's (with the dependency-management plugin), platform(...) ones.
  const boms: string[] = [];
  const boot = /id\s*\(?\s*["']org\.springframework\.boot["']\s*\)?\s*version\s*["']([^"']+)["']/.exec(text);
  if (boot) boms.push(`org.springframework.boot:spring-boot-dependencies:${boot[1]}`);
  for (const m of text.matchAll(/(?:platform|enforcedPlatform|mavenBom)\s*\(?\s*["']([^"':]+:[^"':]+:[^"']+)["']/g)) boms.push(m[1]!);
  const managed = new Map<string, string>();
  let missingBom: string | undefined;
  for (const bom of boms) {
    const versions = managedBy(bom.replace(/\$\{?([\w.]+)\}?/g, (_, n: string) => properties.get(n) ?? _));
    if (!versions) {
      missingBom ??= bom;
      continue;
    }
    for (const [k, v] of versions) if (!managed.has(k)) managed.set(k, v);
  }
  const lines = new LineIndex(text);
  const substitute = (value: string): string | undefined => {
    let unresolved = false;
    const out = value.replace(/\$\{?([A-Za-z_][\w.]*)\}?/g, (_, name: string) => {
      const v = variables.get(name) ?? variables.get(name.replace(/^(project|rootProject|ext)\./, ''));
      if (v === undefined) unresolved = true;
      return v ?? '';
    });
    return unresolved ? undefined : out;
  };
  const seen = new Set<string>();
  const declaration = new RegExp(`\\b(${configurations})\\s*\\(?\\s*(?:(platform|enforcedPlatform)\\s*\\(\\s*)?(?:"([^"\\n]+)"|'([^'\\n]+)'|group\\s*[:=]\\s*["']([^"']+)["']\\s*,\\s*name\\s*[:=]\\s*["']([^"']+)["'](?:\\s*,\\s*version\\s*[:=]\\s*["']([^"']+)["'])?)`, 'g');
  for (const m of text.matchAll(declaration)) {
    const [, configuration, platform, dq, sq, group, artifact, mapVersion] = m;
    const line = lines.lineAt(m.index);
    const at = { file, line };
    let g: string;
    let a: string;
    let declared: string | undefined;
    if (group && artifact) {
      [g, a, declared] = [group, artifact, mapVersion];
    } else {
      const notation = (dq ?? sq)!;
      const parts = notation.split(':');
      if (parts.length < 2) continue; // a file or project reference
      [g, a, declared] = [parts[0]!, parts[1]!, parts[2]];
    }
    const name = `${g}:${a}`;
    const development = /^test|^androidTest|^integrationTest/.test(configuration!);
    if ((declared === undefined || declared === '') && managed.has(name)) declared = managed.get(name);
    if (declared === undefined || declared === '') {
      const bom = missingBom ?? (usesPlatformManagement ? 'Gradle dependency management' : undefined);
      if (!seen.has(name)) outcome.unevaluated!.push(unevaluatedOf('dependency', name, bom ? 'maven-bom-unresolved' : 'version-unresolved', bom ? { bom } : { name, expression: 'no version' }, at));
      seen.add(name);
      continue;
    }
    const version = substitute(declared);
    if (version === undefined) {
      outcome.unevaluated!.push(unevaluatedOf('dependency', name, 'version-unresolved', { name, expression: declared }, at));
      continue;
    }
    if (dynamic(version)) {
      outcome.unevaluated!.push(unevaluatedOf('dependency', name, 'dynamic-version', { name, version }, at));
      continue;
    }
    if (seen.has(`${name}@${version}`)) continue;
    seen.add(`${name}@${version}`);
    // A platform (BOM) is itself a published module with advisories of its own; it is checked like the others.
    outcome.components.push(componentOf('Maven', name, version, file, { line, direct: true, development: development && !platform }));
  }
  return outcome;
}
