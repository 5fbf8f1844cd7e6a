#!/usr/bin/env node
// Entry point of the `dso` command: runs the bundled sources (bin/bundle.mjs, rebuilt when a source changed), or,
// when no bundle can be built, the TypeScript sources themselves through bin/ts-hooks.mjs.
import { register } from 'node:module';
import { bundledEntry } from './bundle.mjs';

let entry = await bundledEntry();
if (!entry) {
  register('./ts-hooks.mjs', import.meta.url);
  entry = new URL('../src/cli/main.ts', import.meta.url).href;
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
