import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { configurationChecker } from '../configuration/checker.ts';
import { runChecks } from '../engine.ts';
import { allSecretRules } from '../secrets/rules.ts';
import { secretsChecker } from '../secrets/checker.ts';
import { allConfigurationRules } from '../configuration/rules.ts';
import { toSarif } from './sarif.ts';
import { formatText } from './text.ts';

function sarifValidator() {
  const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../__fixtures__/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
  schema.$id = schema.id;
  delete schema.id;
  delete schema.$schema;
  const ajv = new Ajv.default({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

describe('report formats', async () => {
  const report = await runChecks({
    root: join(import.meta.dirname, '../__fixtures__'),
    options: { checkers: [secretsChecker, configurationChecker], workers: 0 },
  });

  it('writes SARIF 2.1.0 that is valid against its schema, with one result per finding', () => {
    const sarif = toSarif(report, [...allSecretRules, ...allConfigurationRules]) as {
      runs: { results: { ruleId: string; partialFingerprints: Record<string, string> }[] }[];
    };
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors, null, 1)).toBe(true);
    expect(sarif.runs[0]?.results).toHaveLength(report.findings.length);
    expect(sarif.runs[0]?.results[0]?.partialFingerprints['dsoFingerprint/v1']).toBe(report.findings[0]?.fingerprint);
    // A finding whose rule is unknown still gets a rule entry.
    const unknown = { ...report, findings: [{ ...report.findings[0]!, ruleId: 'other.rule' }] };
    expect(validate(toSarif(unknown, []))).toBe(true);
  });

  it('points each rule to its page in the console when the chain knows the console, else to docs/rules', () => {
    type Driver = {
      runs: { tool: { driver: { rules: { id: string; helpUri?: string; help: { text: string } }[] } } }[];
    };
    const fromChain = toSarif(report, allSecretRules, 'en', 'https://dso.example.gouv.fr/') as Driver;
    const rule = fromChain.runs[0]!.tool.driver.rules.find((r) => r.id === 'secrets.github-token')!;
    expect(rule.helpUri).toBe('https://dso.example.gouv.fr/rules/secrets.github-token');
    expect(rule.help.text).toMatch(/See https:\/\/dso\.example\.gouv\.fr\/rules\/secrets\.github-token\.$/);
    expect(sarifValidator()(fromChain)).toBe(true);
    const fromLaptop = (toSarif(report, allSecretRules, 'en') as Driver).runs[0]!.tool.driver.rules.find((r) => r.id === 'secrets.github-token')!;
    expect(fromLaptop.helpUri).toBeUndefined();
    expect(fromLaptop.help.text).toMatch(/See docs\/rules\/secrets\.github-token\.md\.$/);
  });

  it('never prints a secret in full, in any format', () => {
    const everything = JSON.stringify(report) + JSON.stringify(toSarif(report, allSecretRules)) + formatText(report, { colour: false, lang: 'fr' });
    expect(everything).not.toContain(['ghp', 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A'].join('_'));
    expect(everything).not.toContain('hunter22Zq');
  });

  it('prints a table grouped by file, colours only when asked, in French or English', () => {
    const plain = formatText(report, { colour: false, lang: 'fr' });
    expect(plain).not.toContain('\u001b[');
    expect(plain).toMatch(/^secrets\/positive\/github-token\.ts$/m);
    expect(plain).toMatch(/^ {2}1 {2}critique {2}secrets\.github-token/m);
    expect(plain).toContain('Verdict : ÉCHEC');
    expect(formatText(report, { colour: true, lang: 'en' })).toContain('\u001b[31mFAILED');
  });
});
