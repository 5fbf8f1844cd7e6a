import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { apiDescriptionChecker } from './checker.ts';
import { folderInput, memoryInput } from '../containers/fixture-input.ts';

const fixtures = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('API description', () => {
  it('accepts valid OpenAPI 3.0, 3.1 and Swagger 2.0 documents', async () => {
    const result = await apiDescriptionChecker.check(folderInput(fixtures('valid')));
    expect(result.findings).toEqual([]);
  });

  it('reports schema violations at their line and unreadable descriptions', async () => {
    const result = await apiDescriptionChecker.check(folderInput(fixtures('invalid')));
    const lines = result.findings.map((f) => `${f.ruleId}@${f.location.file}:${f.location.line}`);
    expect(lines).toEqual(expect.arrayContaining([
      'api-description.invalid@openapi.yaml:9', // the response with a typo
      'api-description.invalid@openapi.yaml:3', // info without version
      'api-description.invalid@openapi.yaml:13', // parameter "in" outside the allowed values
      'api-description.unparsable@swagger.json:2', // the unclosed object, at the end of the text
    ]));
    expect(result.findings.find((f) => f.location.line === 9)?.message).toContain('descriptio');
  });

  it('asks for a description only when the tree serves HTTP without generating one', async () => {
    const missing = await apiDescriptionChecker.check(folderInput(fixtures('missing')));
    expect(missing.findings.map((f) => `${f.ruleId}@${f.location.file}`)).toEqual(['api-description.missing@pom.xml']);
    const generated = await apiDescriptionChecker.check(folderInput(fixtures('generated')));
    expect(generated.findings).toEqual([]);
    expect(generated.notes[0]?.message).toContain('generates one at run time');
    const library = await apiDescriptionChecker.check(memoryInput({ 'package.json': '{"name":"lib","dependencies":{"semver":"7"}}', 'config.yaml': 'openapi_enabled: true\n' }));
    expect(library.findings).toEqual([]);
  });

  it('finds a description by its top-level key whatever the file name, but not a nested key', async () => {
    const info = JSON.stringify({ title: 'Generated', version: '1', description: 'x'.repeat(5000) });
    const result = await apiDescriptionChecker.check(memoryInput({
      'build/api-spec.json': `{"info":${info},"openapi":"3.0.3"}`,
      'config/app.yaml': 'server:\n  openapi: 3.0.0\n',
    }));
    expect(result.findings.map((f) => `${f.ruleId}@${f.location.file}`)).toEqual(['api-description.invalid@build/api-spec.json']);
    const broken = await apiDescriptionChecker.check(memoryInput({ 'docs/api.yaml': 'openapi: 3.1.0\ninfo: { title: x }\n' }));
    expect(broken.findings.map((f) => f.ruleId)).toContain('api-description.invalid');
  });

  it('notes unsupported versions instead of guessing', async () => {
    const result = await apiDescriptionChecker.check(memoryInput({ 'openapi.yaml': 'openapi: 4.0.0\ninfo: {}\n' }));
    expect(result.findings).toEqual([]);
    expect(result.notes[0]?.message).toContain('openapi 4.0.0');
  });
});
