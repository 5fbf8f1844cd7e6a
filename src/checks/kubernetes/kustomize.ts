// Kustomize patches are fragments of objects (a Deployment with only `spec.replicas`), not
// manifests: judged alone they would fail every rule. The files a kustomization names as
// patches are therefore left out; the resources it assembles are checked as usual.
import { readYamlDocuments } from './yaml-documents.ts';
import { isObject } from './workloads.ts';

export const isKustomization = (path: string): boolean => /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(path);

/** Paths (relative to the scanned root, normalised) of the patch files a kustomization names. */
export function patchFilesOf(kustomizationPath: string, text: string): string[] {
  const documents = readYamlDocuments(text);
  const kustomization = documents.values[0];
  if (documents.error || !isObject(kustomization)) return [];
  const dir = kustomizationPath.includes('/') ? kustomizationPath.slice(0, kustomizationPath.lastIndexOf('/')) : '';
  const named: string[] = [];
  const strategic = kustomization.patchesStrategicMerge;
  if (Array.isArray(strategic)) for (const entry of strategic) if (typeof entry === 'string' && !entry.includes('\n')) named.push(entry);
  for (const key of ['patches', 'patchesJson6902']) {
    const list = kustomization[key];
    if (Array.isArray(list)) for (const entry of list) if (isObject(entry) && typeof entry.path === 'string') named.push(entry.path);
  }
  return named.map((path) => normalise(dir === '' ? path : `${dir}/${path}`)).filter((p): p is string => p !== undefined);
}

function normalise(path: string): string | undefined {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') { if (parts.pop() === undefined) return undefined; } else parts.push(part);
  }
  return parts.join('/');
}
