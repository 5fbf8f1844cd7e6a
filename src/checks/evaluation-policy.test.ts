// The evaluation policy as administrators and teams write it: DSO_EVALUATION_POLICY on the platform, `evaluation:` in
// a project's .dso.yml, and what `dso check`'s verdict then is for a pom.xml whose Maven parent cannot be resolved.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDsoYml } from '../chain/dso-yml.ts';
import { dependenciesChecker } from './dependencies/checker.ts';
import { runChecks } from './engine.ts';
import { parsePlatformEvaluationPolicy, projectEvaluationPolicyOf } from './evaluation-policy.ts';
import { defaultEvaluationPolicy, mergeEvaluationPolicy } from './unevaluated.ts';

const pom = `<project><modelVersion>4.0.0</modelVersion>
  <parent><groupId>org.example.absent</groupId><artifactId>corporate-parent</artifactId><version>9.9.9</version></parent>
  <artifactId>app</artifactId>
  <dependencies><dependency><groupId>org.example.absent</groupId><artifactId>lib</artifactId></dependency></dependencies>
</project>`;

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'dso-policy-'));
  mkdirSync(path.join(work, 'repo'));
  mkdirSync(path.join(work, 'm2'));
  writeFileSync(path.join(work, 'repo/pom.xml'), pom);
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

async function verdict(dsoYml: string | undefined, platform = defaultEvaluationPolicy) {
  if (dsoYml !== undefined) writeFileSync(path.join(work, 'repo/.dso.yml'), dsoYml);
  const report = await runChecks({
    root: path.join(work, 'repo'),
    options: { checkers: [dependenciesChecker], workers: 0, dataDir: path.join(work, 'data'), mavenRepository: path.join(work, 'm2'), mavenCommand: null, policy: platform },
  });
  return report;
}

describe('platform policy (DSO_EVALUATION_POLICY)', () => {
  it('reads entries over the defaults, with ! for what projects cannot change, and refuses nonsense', () => {
    const { policy, problems } = parsePlatformEvaluationPolicy('dependency=block, chart=block!, unknown-severity=warn');
    expect(problems).toEqual([]);
    expect(policy.unevaluated).toMatchObject({ dependency: 'block', chart: 'block', overlay: 'block', advisories: 'warn' });
    expect(policy.unknownSeverity).toBe('warn');
    expect(policy.enforced).toEqual(['chart']);
    expect(parsePlatformEvaluationPolicy('chart=maybe,helm=warn').problems).toHaveLength(2);
    expect(parsePlatformEvaluationPolicy(undefined).policy).toEqual(defaultEvaluationPolicy);
  });

  it('an enforced entry keeps the platform value whatever the project asks', () => {
    const platform = parsePlatformEvaluationPolicy('chart=block!').policy;
    const merged = mergeEvaluationPolicy(platform, { unevaluated: { chart: 'warn', dependency: 'block' } });
    expect(merged.unevaluated.chart).toBe('block');
    expect(merged.unevaluated.dependency).toBe('block');
  });
});

describe('project policy (.dso.yml evaluation)', () => {
  it('is validated by the chain like the rest of .dso.yml', () => {
    expect(parseDsoYml('version: 1\nevaluation:\n  unevaluated:\n    dependency: block\n  unknownSeverity: warn\n').ok).toBe(true);
    const bad = parseDsoYml('version: 1\nevaluation:\n  unevaluated:\n    dependency: sometimes\n');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors[0]!.path).toBe('evaluation.unevaluated.dependency');
    expect(projectEvaluationPolicyOf({ unevaluated: { chart: 'warn' } }).policy).toEqual({ unevaluated: { chart: 'warn' } });
  });

  it('by default an unresolved Maven parent warns: the revision passes, vulnerabilities are not evaluated', async () => {
    const report = await verdict(undefined);
    expect(report.gate.verdict).toBe('pass');
    expect(report.gate.reasons.find((r) => r.criterion === 'vulnerabilities')).toMatchObject({ outcome: 'not-evaluated', blocking: false });
    expect(report.policy?.unevaluated.dependency).toBe('warn');
  });

  it('a project that asks unresolved dependencies to block gets a not-evaluated verdict', async () => {
    const report = await verdict('version: 1\nevaluation:\n  unevaluated:\n    dependency: block\n');
    expect(report.gate.verdict).toBe('not-evaluated');
    expect(report.policy?.unevaluated.dependency).toBe('block');
  });

  it('a project cannot relax what the platform enforces, and is told so', async () => {
    const platform = parsePlatformEvaluationPolicy('dependency=block!').policy;
    const report = await verdict('version: 1\nevaluation:\n  unevaluated:\n    dependency: warn\n', platform);
    expect(report.gate.verdict).toBe('not-evaluated');
    expect(report.notes.map((n) => n.message)).toContain("evaluation: dependency is enforced by the platform (block); the project's setting is ignored.");
  });
});
