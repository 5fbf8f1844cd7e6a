// The product's TypeScript sources bundled into plain JavaScript once, so that `dso` starts without transforming
// or resolving hundreds of modules at every start (that cost ~2 s of a start-up whose target is 3 s).
//
// The bundle lives in dist/bundle-<fingerprint>/, where the fingerprint covers every source file's path, size and
// modification time: an edited source gives a new fingerprint and a rebuild at the next start, so a developer never
// runs stale code. `npm install` builds it (`prepare`); concurrent starts each build into a temporary folder and the
// first rename wins. Packages stay external: only our own code is bundled.
//
// Sources find files beside themselves (migrations, the default advisory set, package.json) through
// `import.meta.url`; in a bundle that would name the bundle, so each source's `import.meta.url` is rewritten to its
// own location, computed relative to the bundle at run time (the folder can move).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const srcDir = path.join(root, 'src');
const distDir = path.join(root, 'dist');
const entry = path.join(srcDir, 'cli', 'main.ts');
/** Bump when the way the bundle is built changes: old bundles are then rebuilt. */
const recipe = 'esm-splitting-2';

const isSource = (name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts');
const skippedFolders = new Set(['__fixtures__', 'fixtures']);

function fingerprint() {
  const hash = createHash('sha256').update(recipe);
  const walk = (dir) => {
    for (const dirent of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, dirent.name);
      if (dirent.isDirectory()) {
        if (!skippedFolders.has(dirent.name)) walk(full);
      } else if (isSource(dirent.name)) {
        const stat = statSync(full);
        hash.update(`${path.relative(srcDir, full)}\0${stat.size}\0${stat.mtimeMs}\n`);
      }
    }
  };
  walk(srcDir);
  return hash.digest('hex').slice(0, 16);
}

/**
 * Rewrites `import.meta.url`, `import.meta.dirname` and `import.meta.filename` in each of our sources to that
 * source's own location, written relative to the bundle folder `outdir` so that the folder can move. Also used by
 * bench/check.ts for its own bundle.
 */
export function ownLocationPlugin(outdir) {
  return {
    name: 'own-location',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        let contents = readFileSync(args.path, 'utf8');
        if (contents.includes('import.meta.')) {
          const relative = path.relative(outdir, args.path).split(path.sep).join('/');
          const url = `new URL(${JSON.stringify(relative)}, import.meta.url)`;
          contents = contents
            .replaceAll('import.meta.url', `${url}.href`)
            .replaceAll('import.meta.filename', `decodeURIComponent(${url}.pathname)`)
            .replaceAll('import.meta.dirname', `decodeURIComponent(new URL('.', ${url}).pathname).replace(/\\/$/, '')`);
        }
        return { contents, loader: 'ts' };
      });
    },
  };
}

async function build(target) {
  const { build: esbuild } = await import('esbuild');
  mkdirSync(distDir, { recursive: true });
  const temporary = path.join(distDir, `.building-${process.pid}-${Date.now()}`);
  try {
    await esbuild({
      entryPoints: { main: entry },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      outdir: temporary,
      sourcemap: 'linked',
      logLevel: 'silent',
      // The rewritten URLs are relative to the final folder, a sibling of the temporary one.
      plugins: [ownLocationPlugin(target)],
    });
    try {
      renameSync(temporary, target);
    } catch (error) {
      // Another start built the same fingerprint first: use theirs.
      if (!existsSync(path.join(target, 'main.js'))) throw error;
    }
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
  removeOldBundles(path.basename(target));
}

/** Bundles are removed once unused for a day: each start stamps the one it runs. */
function markUsed(target) {
  try {
    const now = new Date();
    utimesSync(target, now, now);
  } catch {
    // A read-only install keeps its bundle anyway.
  }
}

function removeOldBundles(keep) {
  for (const name of readdirSync(distDir)) {
    if (!name.startsWith('bundle-') || name === keep) continue;
    const full = path.join(distDir, name);
    // Only bundles unused for a day: a process started a moment ago may still be loading chunks from one.
    if (Date.now() - statSync(full).mtimeMs > 86_400_000) rmSync(full, { recursive: true, force: true });
  }
}

/** URL of the bundled CLI entry for the current sources, building it if needed; null when it cannot be built
 * (read-only install, no esbuild): the caller then runs the sources through the TypeScript hooks. */
export async function bundledEntry() {
  try {
    const target = path.join(distDir, `bundle-${fingerprint()}`);
    const main = path.join(target, 'main.js');
    if (!existsSync(main)) await build(target);
    else markUsed(target);
    return pathToFileURL(main).href;
  } catch {
    return null;
  }
}

// `node bin/bundle.mjs` (run by `npm install` through `prepare`): build now so the first start is fast.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const url = await bundledEntry();
  if (!url) {
    process.stderr.write('dso: could not bundle the sources; `dso` will run them through its TypeScript hooks.\n');
  }
}
