// Kustomize trees: which kustomizations are overlays (built on their own: no other kustomization builds on them),
// and which files each one uses (resources, patches), so that those files are checked through what the overlay
// renders rather than alone (a patch judged alone would fail every rule; a base alone misses its overlays' patches).
import { readYamlDocuments } from './yaml-documents.ts';
import { isObject } from './workloads.ts';

export const isKustomization = (path: string): boolean => /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(path);

const dirOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

export interface KustomizationUse {
  /** Normalised repository-relative paths of the files it names (resources, patches, components…). */
  files: string[];
  /** Folders it builds on (bases, components: other kustomizations). */
  folders: string[];
  /** Files it applies as patches. */
  patches: string[];
}

/** What a kustomization names, resolved against its folder; remote and out-of-tree references are left out. */
export function usesOf(kustomizationPath: string, text: string): KustomizationUse {
  const use: KustomizationUse = { files: [], folders: [], patches: [] };
  const documents = readYamlDocuments(text);
  const kustomization = documents.values[0];
  if (documents.error || !isObject(kustomization)) return use;
  const dir = dirOf(kustomizationPath);
  const resolve = (entry: string): string | undefined => normalise(dir === '' ? entry : `${dir}/${entry}`);
  const named = (entry: unknown): entry is string => typeof entry === 'string' && entry !== '' && !entry.includes('\n') && !/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) && !entry.startsWith('github.com/');
  for (const key of ['resources', 'bases', 'components', 'crds']) {
    const list = kustomization[key];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (!named(entry)) continue;
      const target = resolve(entry);
      if (target === undefined) continue;
      if (/\.(ya?ml|json)$/i.test(entry)) use.files.push(target);
      else use.folders.push(target);
    }
  }
  const strategic = kustomization.patchesStrategicMerge;
  if (Array.isArray(strategic)) for (const entry of strategic) if (named(entry)) use.patches.push(entry);
  for (const key of ['patches', 'patchesJson6902']) {
    const list = kustomization[key];
    if (Array.isArray(list))
      for (const entry of list) if (isObject(entry) && named(entry.path)) use.patches.push(entry.path);
  }
  use.patches = use.patches.map(resolve).filter((p): p is string => p !== undefined);
  use.files.push(...use.patches);
  return use;
}

/** Kept for callers that only need the patch files. */
export function patchFilesOf(kustomizationPath: string, text: string): string[] {
  return usesOf(kustomizationPath, text).patches;
}

export function normalise(path: string): string | undefined {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') { if (parts.pop() === undefined) return undefined; } else parts.push(part);
  }
  return parts.join('/');
}
