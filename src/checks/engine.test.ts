import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configurationChecker } from './configuration/checker.ts';
import { runChecks } from './engine.ts';
import type { Checker } from './model.ts';
import { secretsChecker } from './secrets/checker.ts';

const made: string[] = [];
function tree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'dso-check-'));
  made.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}
afterAll(() => {
  for (const root of made) rmSync(root, { recursive: true, force: true });
});

// Built at run time so that this test file itself holds no token.
const token = ['ghp', 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A'].join('_');
const textCheckers = [secretsChecker, configurationChecker];

describe('check engine', () => {
  it('survives the bad-input list: binary, > 5 MB, links out of the tree, loops, non-UTF-8, deep nesting', async () => {
    const outside = tree({ 'secret.txt': `token = "${token}"\n` });
    const root = tree({
      'app/binary.bin': Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0]), Buffer.from(`"${token}"`)]),
      'app/big.txt': Buffer.alloc(5 * 1024 * 1024 + 1, 0x61),
      'app/latin1.properties': Buffer.concat([Buffer.from('# r\xe9glages\n', 'latin1'), Buffer.from(`github.token=${token}\n`)]),
      [`${'d/'.repeat(150)}deep.ts`]: `const t = "${token}";\n`,
      'app/ok.ts': 'export const x = 1;\n',
    });
    symlinkSync(join(outside, 'secret.txt'), join(root, 'app/outside-link.txt'));
    symlinkSync(join(root, 'app/ok.ts'), join(root, 'app/inside-link.ts'));
    symlinkSync(root, join(root, 'app/loop'));
    symlinkSync(join(root, 'nowhere'), join(root, 'app/broken'));

    const report = await runChecks({ root, options: { checkers: textCheckers } });
    const files = report.findings.map((f) => f.location.file);
    expect(files).toContain('app/latin1.properties');
    expect(files).toContain(`${'d/'.repeat(150)}deep.ts`);
    expect(files).not.toContain('app/binary.bin');
    expect(files).not.toContain('app/outside-link.txt');
    const notes = report.notes.map((n) => `${n.file}: ${n.message}`).join('\n');
    expect(notes).toMatch(/app\/binary\.bin: binary file/);
    expect(notes).toMatch(/app\/big\.txt: file larger than 5 MB/);
    expect(notes).toMatch(/app\/outside-link\.txt: symbolic link pointing outside/);
    expect(notes).toMatch(/app\/broken: broken symbolic link/);
    expect(report.gate.verdict).toBe('fail');
  });

  it('notes an unreadable file instead of failing', async () => {
    const root = tree({ 'ok.ts': 'export {};\n', 'locked.env': `TOKEN=${token}\n` });
    chmodSync(join(root, 'locked.env'), 0o000);
    chmodSync(root, 0o755);
    if (process.getuid?.() === 0) {
      // root reads everything: run the real CLI as root without the capabilities that bypass file permissions
      // (not as another user: the checkout may sit in a folder only root can enter, e.g. a mktemp -d clone).
      const dropped = 'dac_override,-dac_read_search';
      const result = spawnSync('setpriv', [`--inh-caps=-${dropped}`, `--bounding-set=-${dropped}`, '--', process.execPath, 'bin/dso.mjs', 'check', root, '--format', 'json'], {
        cwd: join(import.meta.dirname, '../..'), encoding: 'utf8',
      });
      expect(result.stderr).toBe('');
      const report = JSON.parse(result.stdout) as { notes: { file?: string; message: string }[]; findings: unknown[] };
      expect(report.notes).toContainEqual({ file: 'locked.env', message: 'file not readable (EACCES), not scanned' });
      expect(report.findings).toEqual([]);
      return;
    }
    const report = await runChecks({ root, options: { checkers: textCheckers } });
    expect(report.notes).toContainEqual({ file: 'locked.env', message: 'file not readable (EACCES), not scanned' });
  });

  // How long a 100,001-file tree takes is measured by `npm run bench:large-inputs`, not asserted here.
  it('lists and scans a tree of many folders, finding the one secret', async () => {
    const root = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'dso-check-many-'));
    made.push(root);
    for (let d = 0; d < 20; d++) {
      mkdirSync(join(root, `m${d}`));
      for (let f = 0; f < 100; f++) writeFileSync(join(root, `m${d}`, `f${f}.ts`), 'export const n = 1;\n');
    }
    writeFileSync(join(root, 'm12', 'leak.ts'), `const t = "${token}";\n`);
    const report = await runChecks({ root, options: { checkers: textCheckers, workers: 2 } });
    expect(report.summary.filesListed).toBe(2_001);
    expect(report.summary.filesScanned).toBe(2_001);
    expect(report.findings.map((f) => `${f.ruleId} ${f.location.file}`)).toEqual(['secrets.github-token m12/leak.ts']);
  });

  it('turns a crashing checker into a note and still decides', async () => {
    const root = tree({ 'a.ts': 'export {};\n' });
    const crashing: Checker = { name: 'crashy', rules: [], check: async () => { throw new Error('boom'); } };
    const report = await runChecks({ root, options: { checkers: [crashing, ...textCheckers] } });
    expect(report.notes).toContainEqual({ message: 'the crashy checker failed and was skipped (boom)' });
    expect(report.gate.verdict).toBe('pass');
  });

  it('gives the same sorted findings on worker threads and on the calling thread, run after run', async () => {
    const root = join(import.meta.dirname, '__fixtures__');
    const here = await runChecks({ root, options: { checkers: textCheckers, workers: 0 } });
    const pooled = await runChecks({ root, options: { checkers: textCheckers, workers: 2 } });
    expect(pooled.findings).toEqual(here.findings);
    expect(here.findings.length).toBeGreaterThan(15);
    const keys = here.findings.map((f) => `${f.location.file}\0${String(f.location.line).padStart(8, '0')}\0${f.ruleId}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('skips vendored trees, __fixtures__ and ignored paths unless asked, and honours the allow-list', async () => {
    const line = `const t = "${token}";\n`;
    const root = tree({
      'src/a.ts': line,
      'node_modules/x/index.js': line,
      'vendor/y.go': line,
      'src/__fixtures__/z.ts': line,
      'dist/bundle.js': line,
      'generated/out.ts': line,
      '.gitignore': 'dist/\n',
      '.dso/ignore': '# generated code\ngenerated/\n',
    });
    const first = await runChecks({ root, options: { checkers: textCheckers } });
    expect(first.findings.map((f) => f.location.file)).toEqual(['src/a.ts']);
    const all = await runChecks({
      root,
      options: { checkers: textCheckers, includeVendored: true, includeFixtures: true },
    });
    expect(all.findings.map((f) => f.location.file).sort()).toEqual(['node_modules/x/index.js', 'src/__fixtures__/z.ts', 'src/a.ts', 'vendor/y.go']);

    writeFileSync(join(root, '.dso/allowlist'), `# reviewed: demo token\n${first.findings[0]?.fingerprint}  # src/a.ts\n`);
    const allowed = await runChecks({ root, options: { checkers: textCheckers } });
    expect(allowed.findings).toEqual([]);
    expect(allowed.summary.allowListed).toBe(1);
    expect(allowed.gate.verdict).toBe('pass');
  });

  it('compares with a baseline report: new, still present, fixed', async () => {
    const root = tree({ 'a.env': `GITHUB_TOKEN=${token}\n`, 'b.ts': 'const api = "http://localhost:8080/api";\n' });
    const before = await runChecks({ root, options: { checkers: textCheckers } });
    writeFileSync(join(root, 'b.ts'), 'const api = process.env.API_URL;\n');
    writeFileSync(join(root, 'c.yaml'), 'host: 10.1.2.3\n');
    const after = await runChecks({
      root,
      baseline: JSON.parse(JSON.stringify(before)),
      options: { checkers: textCheckers },
    });
    expect(after.summary.baseline).toEqual({ new: 1, stillPresent: 1, fixed: 1 });
    const ignored = await runChecks({ root, baseline: { nothing: true }, options: { checkers: textCheckers } });
    expect(ignored.notes.map((n) => n.message)).toContain('baseline ignored: the baseline is not a dso check JSON report (no "findings" array)');
  });

  it('reports the target revision from .git without running git', async () => {
    const root = tree({ '.git/HEAD': 'ref: refs/heads/main\n', '.git/packed-refs': `# pack-refs\n${'a'.repeat(40)} refs/heads/main\n`, 'a.ts': '' });
    const report = await runChecks({ root, options: { checkers: textCheckers } });
    expect(report.target.revision).toBe('a'.repeat(40));
    expect(report.tool).toEqual({ name: 'dso-pi', version: expect.any(String) });
  });
});
