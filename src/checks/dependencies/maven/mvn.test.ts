// `mvn` as the last source of parent POMs: asked offline first, online only when allowed, its copied POM read back.
// Maven here cannot resolve its own dependency plugin without the network, so `mvn` is a small script that answers
// `dependency:copy` like Maven does (the POM copied into -DoutputDirectory, or a failure) from two folders standing
// for the local cache and the remote repository, and logs its arguments.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readComponents } from '../checker.ts';
import { localMavenRepository } from './local-repository.ts';
import { mvnPomSource } from './mvn.ts';

const fixtures = path.join(import.meta.dirname, '../__fixtures__');
const m2 = path.join(fixtures, 'm2');
let work: string;
let mvn: string;
let log: string;

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'dso-mvn-'));
  log = path.join(work, 'mvn.log');
  mvn = path.join(work, 'mvn');
  // Offline (-o) finds only what is in the "cache" (nothing here); online finds the fixtures' repository.
  writeFileSync(
    mvn,
    `#!/bin/sh
echo "$@" >> ${log}
offline=no; out=; artifact=
for a in "$@"; do
  case "$a" in -o) offline=yes;; -DoutputDirectory=*) out="\${a#-DoutputDirectory=}";; -Dartifact=*) artifact="\${a#-Dartifact=}";; esac
done
g=$(echo "$artifact" | cut -d: -f1 | tr . /); a=$(echo "$artifact" | cut -d: -f2); v=$(echo "$artifact" | cut -d: -f3)
repo=${work}/cache; [ "$offline" = no ] && repo=${m2}
[ -f "$repo/$g/$a/$v/$a-$v.pom" ] || exit 1
cp "$repo/$g/$a/$v/$a-$v.pom" "$out/"
`,
  );
  chmodSync(mvn, 0o755);
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

async function petclinic(online: boolean) {
  const pom = await readFile(path.join(fixtures, 'real/spring-petclinic/pom.xml'), 'utf8');
  return readComponents({
    files: [{ path: 'pom.xml', size: pom.length }],
    readText: async () => pom,
    mavenSources: [localMavenRepository(path.join(work, 'empty-m2')), mvnPomSource({ command: mvn, online })],
  });
}

describe('mvn for parents and BOMs the local repository lacks', () => {
  it('offline only by default: what mvn cannot find offline stays unresolved, and is said', async () => {
    const read = await petclinic(false);
    expect(read.components).toHaveLength(3);
    expect(read.unevaluated[0]).toMatchObject({ code: 'maven-parent-unresolved' });
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toContain('-o');
    expect(calls[0]).toContain('-Dartifact=org.springframework.boot:spring-boot-starter-parent:4.0.3:pom');
  });

  it('online allowed: offline first, then the configured repositories; every component is resolved', async () => {
    const read = await petclinic(true);
    expect(read.unevaluated).toEqual([]);
    expect(read.components).toHaveLength(24);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls[0]).toMatch(/ -o /);
    expect(calls[1]).not.toMatch(/ -o /);
  });

  it('mvn not installed: the parent stays unresolved, and mvn is not tried again for the BOMs', async () => {
    const pom = await readFile(path.join(fixtures, 'real/spring-petclinic/pom.xml'), 'utf8');
    const started = performance.now();
    const read = await readComponents({
      files: [{ path: 'pom.xml', size: pom.length }],
      readText: async () => pom,
      mavenSources: [mvnPomSource({ command: path.join(work, 'no-such-mvn'), online: true })],
    });
    expect(read.unevaluated[0]).toMatchObject({ code: 'maven-parent-unresolved' });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
