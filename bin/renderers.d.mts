// Types of bin/renderers.mjs for the TypeScript code that imports it (src/integrations/renderers/).
export type RendererName = 'helm' | 'kubectl';
export interface PinnedRenderer { entry: string; version: string; size: number; sha256: string }
export const pinnedRenderers: Record<RendererName, PinnedRenderer>;
export const layerPlatform: { platform: string; arch: string };
export function rendererCacheDir(root: string): string;
export function isInstalled(dir: string, name: RendererName): boolean;
export type InstallOutcome = { path: string; error?: undefined } | { error: string; path?: undefined };
export function installRenderers(
  root: string,
  options?: { dir?: string; platform?: string; arch?: string; zip?: string },
): Promise<Partial<Record<RendererName, InstallOutcome>>>;
