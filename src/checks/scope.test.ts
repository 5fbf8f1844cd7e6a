// Scope as a team meets it: findings in tests, fixtures, examples and docs are reported, marked `scope: test`, and
// do not block — except private keys — and `.dso.yml` moves paths either way.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containersChecker as containerChecker } from './containers/checker.ts';
import { runChecks } from './engine.ts';
import { toSarif } from './format/sarif.ts';
import { allRules } from './registry.ts';
import { conventionalTestPath } from './scope.ts';
import { secretsChecker } from './secrets/checker.ts';

const made: string[] = [];
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dso-scope-'));
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

// Built at run time so that this file holds no key.
const privateKey = ['-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgwMbRvI0MBZhpI', 'jT8gTw3nGzbBUPzPNm9X+P0n3FeV0IU5mBQf5ZrqPn6IuUJY5JLT6cB+LX0AHzgs', '-----END RSA PRIVATE KEY-----'].join('\n');
const rootDockerfile = 'FROM debian:12-slim\nRUN true\n';

describe('scope: tests, fixtures, examples, docs', () => {
  it('recognises each ecosystem\'s test, fixture, example and doc paths, and not production code', () => {
    for (const path of [
      'src/test/java/org/demo/OwnerControllerTests.java', 'src/it/java/DbIT.java', 'pkg/server/handler_test.go', 'internal/testdata/config.yaml',
      'app/tests/test_views.py', 'app/test_models.py', 'web/src/__tests__/App.tsx', 'spec/models/user_spec.rb', 'src/app.spec.ts',
      'unittests/scans/acunetix/many_findings.xml', 'examples/nginx/Dockerfile', 'docs/install.md', 'README.md', 'test/fixtures/key.pem',
      'cypress/e2e/login.cy.ts', 'conftest.py', 'charts/jiralert/ci/test-values.yaml', '.env.docker-example', 'docker/sample_data/initial.json',
    ]) expect(conventionalTestPath(path), path).toBe(true);
    for (const path of [
      'src/main/java/org/demo/OwnerController.java', 'pkg/server/handler.go', 'app/views.py', 'src/app.ts', 'Dockerfile', 'charts/app/values.yaml',
      'src/testimonials/page.ts', 'locales/it/messages.json', 'contest.py', 'requirements.txt', '.gitlab/ci/build.yml',
    ]) expect(conventionalTestPath(path), path).toBe(false);
  });

  it('reports findings in test folders as scope test without blocking, while a private key blocks everywhere', async () => {
    const root = tree({ 'examples/demo/Dockerfile': rootDockerfile, 'src/test/resources/Dockerfile': rootDockerfile });
    const report = await runChecks({ root, options: { checkers: [containerChecker], workers: 0 } });
    const nonRoot = report.findings.filter((f) => f.ruleId === 'containers.non-root-user');
    expect(nonRoot.map((f) => [f.location.file, f.scope])).toEqual([['examples/demo/Dockerfile', 'test'], ['src/test/resources/Dockerfile', 'test']]);
    expect(report.gate.verdict).toBe('pass');
    expect(report.gate.reasons.find((r) => r.code === 'test-scope')).toMatchObject({ blocking: false });
    expect(report.summary.testScope).toBe(report.findings.length);
    const sarif = toSarif(report, allRules()) as { runs: { results: { properties: { scope?: string } }[] }[] };
    expect(sarif.runs[0]!.results.every((r) => r.properties.scope === 'test')).toBe(true);

    const withKey = tree({ 'test/fixtures/server.key': `${privateKey}\n` });
    const keyReport = await runChecks({ root: withKey, options: { checkers: [secretsChecker], workers: 0 } });
    expect(keyReport.findings.map((f) => [f.ruleId, f.scope])).toEqual([['secrets.private-key', 'test']]);
    expect(keyReport.gate.verdict).toBe('fail');
  });

  it('lets .dso.yml move paths: scope.production blocks in docs/server, scope.test spares qa/', async () => {
    const root = tree({
      '.dso.yml': 'version: 1\nscope:\n  test: [qa/**]\n  production: [docs/server/**]\n',
      'docs/server/Dockerfile': rootDockerfile,
      'qa/Dockerfile': rootDockerfile,
    });
    const report = await runChecks({ root, options: { checkers: [containerChecker], workers: 0 } });
    const byFile = Object.fromEntries(report.findings.filter((f) => f.ruleId === 'containers.non-root-user').map((f) => [f.location.file, f.scope ?? 'production']));
    expect(byFile).toEqual({ 'docs/server/Dockerfile': 'production', 'qa/Dockerfile': 'test' });
    expect(report.gate.verdict).toBe('fail');
  });

  it('notes a malformed scope in .dso.yml and keeps the conventions', async () => {
    const root = tree({ '.dso.yml': 'version: 1\nscope: [qa]\n', 'examples/Dockerfile': rootDockerfile });
    const report = await runChecks({ root, options: { checkers: [containerChecker], workers: 0 } });
    expect(report.notes.map((n) => n.message)).toContain('"scope" must be a mapping (keys test, production). Ignored.');
    expect(report.gate.verdict).toBe('pass');
  });
});
