// Writes the README's configuration table from the declarations in src/config/variables.ts (`npm run docs:config`),
// so the two never drift (test/readme.test.ts fails when they do).
import { readFileSync, writeFileSync } from 'node:fs';
import { configTable, withConfigTable } from '../src/config/table.ts';

const table = configTable();
const readmeUrl = new URL('../README.md', import.meta.url);
writeFileSync(readmeUrl, withConfigTable(readFileSync(readmeUrl, 'utf8'), table));
process.stdout.write(table);
