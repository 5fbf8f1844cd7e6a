import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allConfigurationRules } from './rules.ts';
import { scanConfiguration } from './scan.ts';
import { configurationInScope } from './scope.ts';

const fixtures = join(import.meta.dirname, '../__fixtures__/configuration');
const positives = readdirSync(join(fixtures, 'positive'));
const negatives = readdirSync(join(fixtures, 'negative'));
const read = (kind: string, file: string) => readFileSync(join(fixtures, kind, file), 'utf8');
const ruleOf = (file: string) => `configuration.${file.replace(/\.[^.]+$/, '')}`;

describe('configuration scan (EX47)', () => {
  it('has a positive fixture for every configuration rule', () => {
    expect(new Set(positives.map(ruleOf))).toEqual(new Set(allConfigurationRules.map((r) => r.id)));
  });

  it.each(positives)('finds the hard-coded value in %s', (file) => {
    const findings = scanConfiguration(`src/${file}`, read('positive', file));
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.ruleId).toBe(ruleOf(file));
      expect(['low', 'medium']).toContain(f.severity);
      expect(f.requirements).toEqual(['EX47']);
      expect(f.location.line).toBeGreaterThan(0);
    }
  });

  it.each(negatives)('reports nothing in %s (environment lookups, well-known addresses, public sites)', (file) => {
    expect(scanConfiguration(`src/${file}`, read('negative', file))).toEqual([]);
  });

  it('reads application code and configuration, not tests, docs, lockfiles or tooling', () => {
    for (const path of ['src/app.ts', 'config/application.yaml', 'deploy/values.yml', '.env.production', 'src/main/resources/application.properties']) {
      expect(configurationInScope(path), path).toBe(true);
    }
    for (const path of ['src/app.test.ts', 'test/e2e/login.ts', 'tests/test_api.py', 'docs/setup.md', 'README.md', 'package-lock.json', 'web/vite.config.ts', 'src/__fixtures__/x.ts', 'image.png']) {
      expect(configurationInScope(path), path).toBe(false);
    }
  });
});
