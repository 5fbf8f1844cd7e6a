// Where the real advisory collections used by tests live (../shared/data/advisories beside the
// repository). When absent, tests that need them skip with one line, except in CI where they fail.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const candidate = process.env.DSO_TEST_ADVISORIES ?? path.resolve(repoRoot, '../shared/data/advisories');

export const sharedAdvisories: string | undefined = existsSync(path.join(candidate, 'pypi-osv')) ? candidate : undefined;

if (!sharedAdvisories) {
  if (process.env.CI === 'true') throw new Error(`real advisory data not found at ${candidate} (set DSO_TEST_ADVISORIES)`);
  console.warn(`skipping tests on real advisories: ${candidate} not found (set DSO_TEST_ADVISORIES to the shared/data/advisories folder)`);
}
