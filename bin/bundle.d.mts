// Types of bin/bundle.mjs for the TypeScript code that imports it (bench/check.ts).
import type { Plugin } from 'esbuild';

export function ownLocationPlugin(outdir: string): Plugin;
export function bundledEntry(): Promise<string | null>;
