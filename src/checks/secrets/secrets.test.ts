import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretsChecker } from './checker.ts';
import { allSecretRules } from './rules.ts';
import { keywordIndex, maxHitsPerFile, scanSecrets } from './scan.ts';

const fixtures = join(import.meta.dirname, '../__fixtures__/secrets');
const positives = readdirSync(join(fixtures, 'positive'));
const negatives = readdirSync(join(fixtures, 'negative'));
const read = (kind: string, file: string) => readFileSync(join(fixtures, kind, file), 'utf8');
const ruleOf = (file: string) => `secrets.${file.replace(/\.[^.]+$/, '')}`;

describe('secrets scan', () => {
  it('names an existing rule in every positive fixture (every rule has its examples on its page: rule-pages.test.ts)', () => {
    for (const id of positives.map(ruleOf)) expect(allSecretRules.map((r) => r.id)).toContain(id);
  });

  it.each(positives)('finds the secret in %s, masked, as a critical or high EX47/EX58 finding', (file) => {
    const text = read('positive', file);
    const findings = scanSecrets(file, text);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.ruleId).toBe(ruleOf(file));
      expect(['critical', 'high']).toContain(f.severity);
      expect(f.requirements).toEqual(['EX47', 'EX58']);
      const masked = String(f.properties?.masked);
      expect(masked).toMatch(/^.{4}\*\*\*$/);
      expect(f.message).toContain(masked);
      // No run of 8+ characters of the file's secret-looking values appears in the message.
      for (const token of (text.match(/[A-Za-z0-9+/_-]{12,}/g) ?? []).filter((t) => /\d/.test(t))) expect(f.message).not.toContain(token.slice(0, 8));
    }
  });

  it('marks private keys and cloud credentials as blocking everywhere, and only those', () => {
    const everywhere = allSecretRules.filter((r) => r.blocksEverywhere).map((r) => r.id);
    expect(everywhere).toEqual(expect.arrayContaining(['secrets.private-key', 'secrets.aws-access-key-id', 'secrets.aws-secret-access-key', 'secrets.azure-storage-key']));
    expect(everywhere).not.toContain('secrets.password');
    expect(everywhere).not.toContain('secrets.generic-secret');
  });

  it('finds passwords in structured configuration whatever the word in the value or the key casing', () => {
    const lines = (file: string) => scanSecrets(file, read('positive', file)).map((f) => `${f.ruleId}:${f.location.line}`);
    expect(lines('password.yaml')).toEqual(['secrets.password:6', 'secrets.password:9']); // Spring application.yml, Helm values.yaml
    expect(lines('password.xml')).toEqual(['secrets.password:5', 'secrets.password:7']); // element and name/value attributes
    for (const file of ['password.properties', 'password.toml', 'password.ini', 'password.json']) expect(lines(file)).toHaveLength(1);
  });

  it('says what leaked in French by default and in English, the value masked in both', () => {
    const [finding] = scanSecrets('a.ts', read('positive', 'github-token.ts'));
    expect(finding?.messageId).toBe('secrets.github-token/found');
    expect(finding?.text?.fr).toMatch(/^Jeton GitHub : ghp_\*\*\*\. Révoquez-le/);
    expect(finding?.text?.en).toMatch(/^GitHub token: ghp_\*\*\*\. Revoke it/);
    expect(finding?.message).toBe(finding?.text?.en);
  });

  it('finds every PEM flavour and every connection-string form', () => {
    expect(scanSecrets('k.pem', read('positive', 'private-key.pem')).map((f) => f.location.line)).toEqual([1, 5, 8, 12]); // RSA, OpenSSH, PGP, EC
    // postgres URL, JDBC, ADO.NET, mongodb+srv, redis, amqp
    expect(scanSecrets('c.yaml', read('positive', 'connection-string.yaml')).map((f) => f.location.line)).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it.each(negatives)('reports nothing in %s (placeholders, references, allowed lines)', (file) => {
    expect(scanSecrets(file, read('negative', file))).toEqual([]);
  });

  it('gives the same fingerprint when the secret moves to another line', () => {
    const text = read('positive', 'github-token.ts');
    const before = scanSecrets('a.ts', text);
    const after = scanSecrets('a.ts', `// header\n\n${text}`);
    expect(after[0]?.location.line).toBe((before[0]?.location.line ?? 0) + 2);
    expect(after[0]?.fingerprint).toBe(before[0]?.fingerprint);
  });

  it('reports the same secret in two files as two findings, and a private key at its BEGIN line', () => {
    const pem = read('positive', 'private-key.pem');
    const a = scanSecrets('a.pem', pem);
    const b = scanSecrets('b.pem', pem);
    expect(a[0]?.location.line).toBe(1);
    expect(a[0]?.fingerprint).not.toBe(b[0]?.fingerprint);
  });

  it('only looks at text: a checker run goes through readText', async () => {
    const result = await secretsChecker.check({
      root: '/nowhere',
      files: [{ path: '.env', size: 30 }, { path: 'image.png', size: 10 }],
      readText: async (p) => (p === '.env' ? read('positive', 'password.env') : undefined),
      options: { dataDir: './data', now: new Date() },
    });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['secrets.password']);
  });

  it('stays linear on a pathological line (1 MB of "password=" repeats)', () => {
    const text = 'password='.repeat(120_000);
    const started = performance.now();
    scanSecrets('x.env', text);
    // Quadratic backtracking takes minutes on this input; linear takes milliseconds. The bound separates the two.
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('stays bounded on hostile input: a 5 MB minified bundle, a 100,000-line lockfile, binary bytes, every keyword repeated', () => {
    const minified = 'var a=b+c;function d(e){return e.token||e.password||"AKIA"+e.ghp_}'.repeat(80_000);
    const lockfile = Array.from({ length: 100_000 }, (_, n) => `  '@inquirer/password@4.0.${n}':\n    resolution: {integrity: sha512-${'Ab3dE5fG7h'.repeat(8)}==}`).join('\n');
    const binary = Buffer.from(Array.from({ length: 2_000_000 }, (_, n) => (n * 7919) % 256)).toString('latin1');
    // Hundreds of thousands of short assignments on one line: looking back for the start of the line at each one
    // must not walk back to the start of the file.
    const oneLine = 'o.token="v";'.repeat(400_000);
    const started = performance.now();
    expect(scanSecrets('dist/app.min.js', minified)).toEqual([]);
    expect(scanSecrets('pnpm-lock.yaml', lockfile)).toEqual([]);
    scanSecrets('image.bin', binary);
    expect(scanSecrets('dist/bundle.js', oneLine)).toEqual([]);
    for (const keyword of keywordIndex.keywords) {
      // Each keyword glued to itself and to token characters: every occurrence is tried, none may rescan the rest.
      expect(scanSecrets('x.env', `${keyword}aB3dE5fG7h`.repeat(Math.ceil(20_000 / keyword.length))).length).toBeLessThanOrEqual(maxHitsPerFile);
    }
    // Linear work takes a few seconds here even on a loaded machine; a quadratic rule takes minutes.
    expect(performance.now() - started).toBeLessThan(60_000);
  });

  // The fast paths (keyword pass, name pass without line splitting) must find what a line-by-line scan would.
  describe('wherever the secret sits in the file', () => {
    // Built at run time so that this test file itself holds no token.
    const token = ['ghp', 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A'].join('_');
    const password = ['Xq7', 'pL9z', 'R2vK'].join('');
    const cases: [string, string, string, number][] = [
      ['on the last line with no final newline', 'a.ts', `const a = 1;\nconst t = "${token}"`, 2],
      ['in CRLF text', 'a.ts', `const a = 1;\r\n\r\nconst t = "${token}";\r\n`, 3],
      ['alone, with nothing around it', 'a.txt', token, 1],
      ['deep in a 1 MB minified line', 'a.min.js', `${'var a=b+c;'.repeat(100_000)}x="${token}";${'d(e);'.repeat(1000)}`, 1],
      ['after thousands of harmless keyword hits', 'a.js', `${'// https://example.org/SKIP Aws ghp_ token.type\n'.repeat(5000)}k="${token}"\n`, 5001],
      ['as a password assignment on a CRLF last line', '.env', `A=1\r\nDB_PASSWORD=${password}`, 2],
      ['as a password after many secret-like names with no value', 'a.ts', `${'getToken(); secret.length; password\n'.repeat(3000)}const password = "${password}";`, 3001],
    ];
    it.each(cases)('finds it %s', (_label, file, text, line) => {
      expect(scanSecrets(file, text).map((f) => f.location.line)).toEqual([line]);
    });

    it('finds it in a Latin-1 (non-UTF-8) file read from disk', async () => {
      const { mkdtempSync, writeFileSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const { readSource } = await import('../worker/read-source.ts');
      const dir = mkdtempSync(join(tmpdir(), 'dso-secrets-'));
      writeFileSync(join(dir, 'r.properties'), Buffer.concat([Buffer.from('# r\xe9glages\r\n', 'latin1'), Buffer.from(`github.token=${token}`)]));
      const read = readSource(join(dir, 'r.properties'));
      expect('text' in read && scanSecrets('r.properties', read.text).map((f) => `${f.ruleId}:${f.location.line}`)).toEqual(['secrets.github-token:2']);
    });
  });
});
