// Which Go packages a module's code imports. Go vulnerability records name the affected packages
// (`ecosystem_specific.imports[].path`), not just the module: golang.org/x/crypto carries advisories against
// x/crypto/ssh and x/crypto/openpgp that cannot touch a program importing only x/crypto/bcrypt. Matching at the
// module level alone blocks such programs for nothing; this reader lets the checker tell the two apart.
//
// What is known, per module (the folder of a go.mod):
// - `vendor/modules.txt`, when present, lists every package the build compiles, dependencies' imports included:
//   the answer is then complete;
// - otherwise only the module's own source files are read, so a package imported by a dependency stays unseen.
//   The checker says so (an "unverified" note), it never passes it over silently.
import path from 'node:path';
import type { SourceFile } from '../model.ts';

/** One Go module of the tree: the packages its own code imports, and the vendored package list when there is one. */
export interface GoModuleImports {
  /** Folder of the go.mod, relative POSIX path ('.' for the root). */
  dir: string;
  /** Non-test .go files of the module that were read. */
  files: number;
  /** Import paths found in those files. */
  imports: Set<string>;
  /** Every package listed by vendor/modules.txt (the whole build), when the module vendors its dependencies. */
  vendored?: Set<string>;
  /** Every package of the build read from the Go module cache, when it held all of them (go-module-cache.ts). */
  built?: Set<string>;
}

/** Imports come before any other declaration, so parsing stops at the first one. */
const declaration = /^(?:func|type|var|const)\b/m;
const headerLimit = 256 * 1024;

/**
 * Import paths of one Go source file. Comments are removed first (string literals respected) so a commented-out
 * import does not count and a comment cannot end the import section early.
 */
export function goImportsOf(text: string): string[] {
  // The import section sits at the top; a generated file of megabytes is not scanned to its end.
  const code = withoutComments(text.slice(0, headerLimit));
  const m = declaration.exec(code);
  const header = m ? code.slice(0, m.index) : code;
  const found: string[] = [];
  const importSpec = /^\s*(?:[\p{L}_][\p{L}\p{N}_]*\s+|\.\s+)?(?:"([^"\n]+)"|`([^`\n]+)`)/u;
  const statement = /\bimport\s*(\(([^)]*)\)|(?:[\p{L}_][\p{L}\p{N}_]*\s+|\.\s+)?(?:"[^"\n]+"|`[^`\n]+`))/gu;
  for (const s of header.matchAll(statement)) {
    const specs = s[2] !== undefined ? s[2].split(/\n|;/) : [s[1]!];
    for (const spec of specs) {
      const parsed = importSpec.exec(spec);
      const importPath = parsed?.[1] ?? parsed?.[2];
      if (importPath) found.push(importPath);
    }
  }
  return found;
}

/** The text with its comments blanked (newlines kept), strings and runes left as they are. */
function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  let start = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      // Interpreted string or rune: up to the unescaped closing quote, or the end of the line.
      i++;
      while (i < text.length && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '`') {
      const end = text.indexOf('`', i + 1);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      out += text.slice(start, i);
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
      start = i;
    } else if (c === '/' && text[i + 1] === '*') {
      out += text.slice(start, i);
      const end = text.indexOf('*/', i + 2);
      const comment = text.slice(i, end < 0 ? text.length : end + 2);
      out += comment.includes('\n') ? '\n' : ' ';
      i = end < 0 ? text.length : end + 2;
      start = i;
    } else i++;
  }
  return out + text.slice(start);
}

/** Packages of a vendor/modules.txt: every line that is not a `#` module or `##` marker line. */
export function vendoredPackages(text: string): Set<string> {
  const packages = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line && !line.startsWith('#')) packages.add(line);
  }
  return packages;
}

/** Whether a path is a Go source file that the module's build compiles (tests and testdata left out). */
function isBuiltGoFile(file: string): boolean {
  if (!file.endsWith('.go') || file.endsWith('_test.go')) return false;
  const parts = file.split('/');
  return !parts.includes('testdata') && !parts.includes('vendor');
}

/**
 * The imports of every Go module of the tree, keyed by the go.mod folder. A .go file belongs to the nearest go.mod
 * above it. With a go.work, the workspace's modules build together: each sees the imports of all.
 */
export async function readGoModuleImports(
  files: readonly SourceFile[],
  readText: (path: string) => Promise<string | undefined>,
  /** vendor/modules.txt of a module folder: the tree walk leaves vendor/ out, so it is read on its own. */
  readVendorList: (moduleDir: string) => Promise<string | undefined>,
): Promise<Map<string, GoModuleImports>> {
  const modules = new Map<string, GoModuleImports>();
  for (const f of files) {
    if (path.posix.basename(f.path) === 'go.mod') {
      const dir = path.posix.dirname(f.path);
      const module: GoModuleImports = { dir, files: 0, imports: new Set() };
      const vendorList = await readVendorList(dir);
      if (vendorList !== undefined) module.vendored = vendoredPackages(vendorList);
      modules.set(dir, module);
    }
  }
  if (modules.size === 0) return modules;
  const owner = (file: string): GoModuleImports | undefined => {
    for (let d = path.posix.dirname(file); ; d = path.posix.dirname(d)) {
      const m = modules.get(d);
      if (m) return m;
      if (d === '.' || d === '') return undefined;
    }
  };
  for (const f of files) {
    if (!isBuiltGoFile(f.path)) continue;
    const m = owner(f.path);
    if (!m) continue;
    const text = await readText(f.path);
    if (text === undefined) continue;
    m.files += 1;
    for (const p of goImportsOf(text)) m.imports.add(p);
  }
  if (files.some((f) => path.posix.basename(f.path) === 'go.work')) {
    const all = new Set([...modules.values()].flatMap((m) => [...m.imports]));
    for (const m of modules.values()) m.imports = all;
  }
  return modules;
}

/** How far a Go advisory's packages are used by the module that requires them. */
export type GoReachability =
  /** A package the advisory names is imported (or in the build): the finding stands. */
  | { state: 'imported'; packages: string[] }
  /** None of the named packages is in the build, as vendor/modules.txt or the module cache show: certain. */
  | { state: 'not-imported'; packages: string[]; basis: 'vendor' | 'module-cache' }
  /** None is imported by the module's own code; a dependency might still import one (its source was not read). */
  | { state: 'not-imported'; packages: string[]; basis: 'own-code' }
  /** The advisory names no package, or the module's code was not found: judged at the module level. */
  | { state: 'unknown' };

/** Whether the module's build uses one of `packages` (a vulnerable package's sub-packages are other packages). */
export function goReachability(packages: readonly string[], module: GoModuleImports | undefined): GoReachability {
  if (packages.length === 0 || !module) return { state: 'unknown' };
  const build = module.vendored ?? module.built;
  if (build) {
    const used = packages.filter((p) => build.has(p) || module.imports.has(p));
    return used.length > 0 ? { state: 'imported', packages: used } : { state: 'not-imported', packages: [...packages], basis: module.vendored ? 'vendor' : 'module-cache' };
  }
  if (module.files === 0) return { state: 'unknown' };
  const used = packages.filter((p) => module.imports.has(p));
  return used.length > 0 ? { state: 'imported', packages: used } : { state: 'not-imported', packages: [...packages], basis: 'own-code' };
}
