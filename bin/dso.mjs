#!/usr/bin/env node
// Entry point of the `dso` command: registers the TypeScript hooks (bin/ts-hooks.mjs), then runs the CLI.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
