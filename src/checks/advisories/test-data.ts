// Where the real advisory collections used by tests live: DSO_TEST_ADVISORIES, else ../shared/data/advisories beside
// the repository, else the same collections committed as test/data/advisories.tar.gz (unmodified, licences inside:
// PyPA advisory database CC-BY 4.0, Node.js Security WG MIT, and 61 records of the Go vulnerability database CC-BY 4.0
// for the OSV mirror tests), unpacked once into the temporary folder.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const hasCollections = (dir: string) => existsSync(path.join(dir, 'pypi-osv'));

function unpackCommittedCopy(): string | undefined {
  const archive = path.join(repoRoot, 'test/data/advisories.tar.gz');
  if (!existsSync(archive)) return undefined;
  const target = path.join(tmpdir(), 'dso-test-advisories-v2');
  const unpacked = path.join(target, 'advisories');
  if (hasCollections(unpacked)) return unpacked;
  // Unpack beside, then rename: test files running in parallel never see a half-written folder.
  const staging = `${target}.${process.pid}.tmp`;
  mkdirSync(staging, { recursive: true });
  execFileSync('tar', ['-xzf', archive, '-C', staging]);
  try {
    renameSync(staging, target);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another process won the race
  }
  return hasCollections(unpacked) ? unpacked : undefined;
}

const explicit = process.env.DSO_TEST_ADVISORIES;
const beside = path.resolve(repoRoot, '../shared/data/advisories');
export const sharedAdvisories: string | undefined =
  explicit && hasCollections(explicit) ? explicit : hasCollections(beside) ? beside : unpackCommittedCopy();

if (!sharedAdvisories) {
  const message = 'real advisory data not found (DSO_TEST_ADVISORIES, ../shared/data/advisories, test/data/advisories.tar.gz)';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping tests on real advisories: ${message}`);
}
