// The packages a Go program builds, dependencies' imports included, read from the Go module cache
// ($GOMODCACHE, by default ~/go/pkg/mod) when it holds every module the program reaches: on a developer's machine
// after `go build` or `go mod download`. With it, "a dependency might import the vulnerable package" becomes a
// certain yes or no, as with a vendor/ folder. Without it (the chain has no cache), nothing is assumed.
import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { goImportsOf } from './go-imports.ts';

/** The module cache `go` itself would use: GOMODCACHE, else the first GOPATH entry's pkg/mod, else ~/go/pkg/mod. */
export function defaultGoModuleCache(env: Readonly<Record<string, string | undefined>> = {}): string {
  if (env.GOMODCACHE) return env.GOMODCACHE;
  const gopath = env.GOPATH?.split(path.delimiter).find(Boolean);
  return path.join(gopath ?? path.join(homedir(), 'go'), 'pkg', 'mod');
}

/** Case-encoding of module paths and versions in the cache: each capital letter becomes '!' and its lower case. */
export function escapeModulePath(p: string): string {
  return p.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/** The standard library's packages have no dot in their first path element. */
const isStandard = (pkg: string) => !pkg.split('/')[0]!.includes('.');

/** Bounds: a build of thousands of packages is normal; more than this is not read. */
const maxPackages = 20_000;

/**
 * Every package of the build reachable from `imports` (the module's own imports), or undefined when a module it
 * needs is not in the cache. `requirements` maps module path → version (go.mod, replacements applied); `own` is
 * the main module's path, whose packages are the tree's own files (already read).
 */
export async function buildPackages(
  imports: ReadonlySet<string>,
  requirements: ReadonlyMap<string, string>,
  own: string | undefined,
  cache: string,
): Promise<Set<string> | undefined> {
  const modules = [...requirements.keys()].sort((a, b) => b.length - a.length);
  const moduleOf = (pkg: string) => modules.find((m) => pkg === m || pkg.startsWith(`${m}/`));
  const seen = new Set<string>();
  const queue = [...imports];
  while (queue.length > 0) {
    const pkg = queue.pop()!;
    if (seen.has(pkg) || isStandard(pkg) || (own !== undefined && (pkg === own || pkg.startsWith(`${own}/`)))) continue;
    seen.add(pkg);
    if (seen.size > maxPackages) return undefined;
    const module = moduleOf(pkg);
    if (module === undefined) return undefined;
    const dir = path.join(
      cache,
      `${escapeModulePath(module)}@${escapeModulePath(requirements.get(module)!)}`,
      ...pkg.slice(module.length).split('/').filter(Boolean),
    );
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return undefined;
    }
    // Every build constraint is taken (windows files too): a package counts as imported if any platform imports it.
    for (const name of names) {
      if (!name.endsWith('.go') || name.endsWith('_test.go')) continue;
      let text: string;
      try {
        text = await readFile(path.join(dir, name), 'utf8');
      } catch {
        return undefined;
      }
      for (const p of goImportsOf(text)) if (!seen.has(p)) queue.push(p);
    }
  }
  return seen;
}
