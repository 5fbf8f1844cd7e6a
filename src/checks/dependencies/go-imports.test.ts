// Go advisories name the packages they affect: a program that requires golang.org/x/crypto but imports only its
// bcrypt package is not blocked by advisories against x/crypto/ssh or x/crypto/openpgp, and says what it could not
// verify. Checked end to end with the shipped advisory set (real Go vulnerability database records).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks } from '../engine.ts';
import { dependenciesChecker } from './checker.ts';
import { goImportsOf, vendoredPackages } from './go-imports.ts';

describe('goImportsOf', () => {
  it('reads single, grouped, aliased, dot and blank imports, and raw-string paths', () => {
    const text = [
      '// Package main: import "not/this" in a comment.',
      'package main',
      '',
      'import "fmt"',
      'import b "golang.org/x/crypto/bcrypt"',
      'import (',
      '\t"net/http"',
      '\tssh "golang.org/x/crypto/ssh" // the client',
      '\t. "example.com/dot"',
      '\t_ "example.com/blank"',
      '\t`example.com/raw`',
      '\t// "golang.org/x/crypto/openpgp"',
      '\t/* "golang.org/x/crypto/acme" */',
      ')',
      '',
      'func main() { fmt.Println(b.DefaultCost, http.StatusOK, ssh.KeyAlgoRSA, "import \\"not/this/either\\"") }',
      'var s = `',
      'import "nor/this"',
      '`',
    ].join('\n');
    expect(goImportsOf(text).sort()).toEqual(['example.com/blank', 'example.com/dot', 'example.com/raw', 'fmt', 'golang.org/x/crypto/bcrypt', 'golang.org/x/crypto/ssh', 'net/http']);
  });

  it('is not fooled by a comment that looks like a declaration, nor by comment markers inside strings', () => {
    const text = ['/*', 'type T struct{}', 'func f() {}', '*/', 'package p', 'import (', '\t"a/b" // x', '\t"c/d"', ')', 'const url = "http://x/*y"'].join('\n');
    expect(goImportsOf(text)).toEqual(['a/b', 'c/d']);
  });

  it('reads the package list of vendor/modules.txt', () => {
    const list = vendoredPackages('# golang.org/x/crypto v0.1.0\n## explicit; go 1.17\ngolang.org/x/crypto/bcrypt\ngolang.org/x/crypto/blowfish\n');
    expect([...list]).toEqual(['golang.org/x/crypto/bcrypt', 'golang.org/x/crypto/blowfish']);
  });
});

// x/crypto from mid-2020: affected by advisories on ssh (several, critical and high), acme/autocert and openpgp.
const goMod = 'module example.com/app\n\ngo 1.21\n\nrequire golang.org/x/crypto v0.0.0-20200622213623-75b288015ac9\n';
const mainImporting = (...packages: string[]) => `package main\n\nimport (\n${packages.map((p) => `\t"${p}"`).join('\n')}\n)\n\nfunc main() {}\n`;

let dirs: string[] = [];
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'dso-go-reach-'));
  dirs.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'dso-go-reach-data-'));
});
afterAll(() => {
  for (const d of [...dirs, dataDir]) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

const check = (root: string, goModuleCache?: string) =>
  runChecks({ root, options: { dataDir, now: new Date('2026-08-22T00:00:00Z'), checkers: [dependenciesChecker], workers: 0, ...(goModuleCache ? { goModuleCache } : {}) } });
const reachOf = (f: { properties?: Record<string, unknown> }) =>
  f.properties?.reachability as { state: string; basis?: string; packages: string[] } | undefined;

describe('Go advisories and the packages the program imports', () => {
  it('a program importing only x/crypto/bcrypt is not blocked by ssh or openpgp advisories, and says what it could not verify', async () => {
    const report = await check(tree({ 'go.mod': goMod, 'main.go': mainImporting('fmt', 'golang.org/x/crypto/bcrypt'), 'main_test.go': mainImporting('golang.org/x/crypto/ssh') }));
    const crypto = report.findings.filter((f) => f.properties?.package === 'golang.org/x/crypto');
    expect(crypto.length).toBeGreaterThan(5);
    const ssh = crypto.filter((f) => reachOf(f)?.packages.includes('golang.org/x/crypto/ssh'));
    expect(ssh.length).toBeGreaterThan(3);
    for (const f of crypto) {
      expect(f.severity).toBe('info');
      expect(reachOf(f)).toMatchObject({ state: 'not-imported', basis: 'own-code' });
    }
    // The advisory's own rating is kept, and the sentence says why it does not block, in both languages.
    expect(ssh.some((f) => f.properties?.ratedSeverity === 'critical' || f.properties?.ratedSeverity === 'high')).toBe(true);
    expect(ssh[0]!.text!.fr).toMatch(/golang\.org\/x\/crypto\/ssh.*n’importe nulle part.*sans bloquer/);
    expect(ssh[0]!.text!.en).toMatch(/never imports.*not blocking/);
    expect(report.gate.verdict).toBe('pass');
    expect(report.gate.reasons.find((r) => r.code === 'new-vulnerability')).toBeUndefined();
    // Not a silent pass: the unverified import by a dependency is listed as not evaluated, the policy warns.
    const unverified = report.unevaluated?.filter((u) => u.code === 'reachability-unverified') ?? [];
    expect(unverified).toEqual([expect.objectContaining({ item: 'golang.org/x/crypto', kind: 'dependency', file: 'go.mod', line: 5 })]);
    expect(report.gate.complete).toBe(false);
    expect(report.extent?.vulnerabilities).toMatchObject({ checked: 1, total: 1 });
  });

  it('a program importing x/crypto/ssh is blocked by the ssh advisories, not by the openpgp one', async () => {
    const report = await check(tree({ 'go.mod': goMod, 'cmd/app/main.go': mainImporting('golang.org/x/crypto/ssh') }));
    const blocking = report.findings.filter((f) => f.severity === 'critical' || f.severity === 'high');
    expect(blocking.length).toBeGreaterThan(3);
    expect(blocking.every((f) => reachOf(f)?.state === 'imported' && reachOf(f)!.packages.includes('golang.org/x/crypto/ssh'))).toBe(true);
    const openpgp = report.findings.find((f) => f.properties?.advisoryId === 'GO-2026-5932');
    expect(openpgp).toMatchObject({ severity: 'info' });
    expect(report.gate.verdict).toBe('fail');
  });

  it('with vendor/modules.txt the answer is certain: a package a dependency imports blocks, one nobody imports does not', async () => {
    const vendored = (packages: string[]) => `# golang.org/x/crypto v0.0.0-20200622213623-75b288015ac9\n## explicit; go 1.11\n${packages.join('\n')}\n`;
    const quiet = await check(tree({ 'go.mod': goMod, 'main.go': mainImporting('golang.org/x/crypto/bcrypt'), 'vendor/modules.txt': vendored(['golang.org/x/crypto/bcrypt', 'golang.org/x/crypto/blowfish']) }));
    const crypto = quiet.findings.filter((f) => f.properties?.package === 'golang.org/x/crypto');
    expect(crypto.length).toBeGreaterThan(5);
    expect(crypto.every((f) => f.severity === 'info' && reachOf(f)?.basis === 'vendor')).toBe(true);
    expect(quiet.unevaluated?.some((u) => u.code === 'reachability-unverified') ?? false).toBe(false);
    expect(quiet.gate).toMatchObject({ verdict: 'pass', complete: true });

    // The program's code imports bcrypt only, but a vendored dependency brings x/crypto/ssh into the build.
    const viaDependency = await check(tree({ 'go.mod': goMod, 'main.go': mainImporting('golang.org/x/crypto/bcrypt'), 'vendor/modules.txt': vendored(['golang.org/x/crypto/bcrypt', 'golang.org/x/crypto/ssh']) }));
    expect(viaDependency.gate.verdict).toBe('fail');
    expect(viaDependency.findings.filter((f) => reachOf(f)?.state === 'imported').length).toBeGreaterThan(3);
  });

  it('a module whose code is not in the tree, or an advisory naming no package, is judged at the module level as before', async () => {
    const report = await check(tree({ 'go.mod': goMod }));
    const crypto = report.findings.filter((f) => f.properties?.package === 'golang.org/x/crypto');
    expect(crypto.length).toBeGreaterThan(5);
    expect(crypto.every((f) => reachOf(f) === undefined)).toBe(true);
    expect(crypto.some((f) => f.severity === 'critical' || f.severity === 'high')).toBe(true);
    expect(report.gate.verdict).toBe('fail');
  });

  it('each module of a repository is judged by its own code', async () => {
    const report = await check(tree({
      'a/go.mod': goMod.replace('example.com/app', 'example.com/a'),
      'a/main.go': mainImporting('golang.org/x/crypto/ssh'),
      'b/go.mod': goMod.replace('example.com/app', 'example.com/b'),
      'b/main.go': mainImporting('golang.org/x/crypto/bcrypt'),
    }));
    const blockingFiles = new Set(report.findings.filter((f) => f.severity === 'critical' || f.severity === 'high').map((f) => f.location.file));
    expect([...blockingFiles]).toEqual(['a/go.mod']);
    // a's code imports ssh but not openpgp: the openpgp advisory is set aside there too, unverified like b's.
    expect(report.unevaluated?.filter((u) => u.code === 'reachability-unverified').map((u) => u.file)).toEqual(['a/go.mod', 'b/go.mod']);
  });

  it('with the Go module cache the answer is certain too: a dependency that imports x/crypto/ssh blocks, one that does not, does not', async () => {
    // A module cache laid out as `go mod download` writes it (capital letters escaped as '!' + lower case).
    const cacheWith = (libImports: string) => tree({
      'example.com/!lib@v1.2.0/lib.go': mainImporting(libImports, 'example.com/Lib/internal/util').replace('package main', 'package lib'),
      'example.com/!lib@v1.2.0/lib_test.go': mainImporting('golang.org/x/crypto/openpgp').replace('package main', 'package lib'),
      'example.com/!lib@v1.2.0/internal/util/util.go': 'package util\n\nimport "strings"\n',
      'golang.org/x/crypto@v0.0.0-20200622213623-75b288015ac9/ssh/ssh.go': mainImporting('golang.org/x/crypto/curve25519').replace('package main', 'package ssh'),
      'golang.org/x/crypto@v0.0.0-20200622213623-75b288015ac9/curve25519/c.go': 'package curve25519\n',
      'golang.org/x/crypto@v0.0.0-20200622213623-75b288015ac9/bcrypt/bcrypt.go': mainImporting('golang.org/x/crypto/blowfish').replace('package main', 'package bcrypt'),
      'golang.org/x/crypto@v0.0.0-20200622213623-75b288015ac9/blowfish/b.go': 'package blowfish\n',
    });
    const program = () => tree({
      'go.mod': `${goMod}require example.com/Lib v1.2.0\n`,
      'main.go': mainImporting('example.com/app/internal/server', 'example.com/Lib'),
      'internal/server/server.go': mainImporting('net/http').replace('package main', 'package server'),
    });

    const certainNo = await check(program(), cacheWith('golang.org/x/crypto/bcrypt'));
    const crypto = certainNo.findings.filter((f) => f.properties?.package === 'golang.org/x/crypto');
    expect(crypto.length).toBeGreaterThan(5);
    expect(crypto.every((f) => f.severity === 'info' && reachOf(f)?.basis === 'module-cache')).toBe(true);
    expect(crypto[0]!.text!.en).toMatch(/Go module cache/);
    expect(certainNo.unevaluated?.some((u) => u.code === 'reachability-unverified') ?? false).toBe(false);
    expect(certainNo.gate).toMatchObject({ verdict: 'pass', complete: true });

    const certainYes = await check(program(), cacheWith('golang.org/x/crypto/ssh'));
    expect(certainYes.gate.verdict).toBe('fail');
    expect(certainYes.findings.filter((f) => reachOf(f)?.state === 'imported').every((f) => reachOf(f)!.packages.includes('golang.org/x/crypto/ssh'))).toBe(true);

    // A cache missing a module the program reaches proves nothing: back to the program's own imports, said unverified.
    const incomplete = await check(program(), tree({ 'example.com/!lib@v1.2.0/lib.go': mainImporting('golang.org/x/crypto/bcrypt').replace('package main', 'package lib') }));
    expect(incomplete.unevaluated?.some((u) => u.code === 'reachability-unverified')).toBe(true);
  });
});
