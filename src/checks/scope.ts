// Where a file sits in the project: production code, or tests, fixtures, examples and documentation. Findings in
// the second group are still reported, marked `scope: test`, but do not block the gate (unless their rule blocks
// everywhere, like a private key). Folders are recognised by each ecosystem's conventions; `.dso.yml` can move
// paths either way (`scope.test`, `scope.production`, gitignore patterns). Pure: no I/O.
import ignore, { type Ignore } from 'ignore';

export type FindingScope = 'test';

/** Folder names that hold tests, fixtures, examples or documentation, whatever the language. */
const testFolders = new Set([
  // tests (JavaScript, Python, Java/Maven src/test, Go, Ruby, PHP, .NET…)
  'test', 'tests', '__tests__', 'spec', 'specs', 'e2e', 'unittests', 'unit-tests', 'unit_tests', 'integration-tests',
  'integration_tests', 'testing', 'cypress', 'playwright', '__mocks__', 'mocks', 'test-utils', 'testutils',
  // fixtures and test data
  'fixtures', '__fixtures__', 'fixture', 'testdata', 'test-data', 'test_data', 'testfiles', 'test-resources',
  'sample_data', 'sample-data', 'sampledata',
  // examples and samples
  'examples', 'example', 'samples', '_examples',
  // documentation
  'docs', 'doc', 'documentation', '_docs', 'website-docs',
]);

/** Test files named by convention outside test folders. */
const testFile = new RegExp(
  [
    String.raw`_test\.go$`, // Go
    String.raw`(?:^|/)test_[^/]*\.py$`, String.raw`_tests?\.py$`, String.raw`(?:^|/)conftest\.py$`, // Python
    String.raw`\.(?:test|spec|e2e|cy)\.[cm]?[jt]sx?$`, String.raw`\.(?:test|spec)\.vue$`, // JavaScript, TypeScript
    String.raw`(?:Tests?|IT|Spec)\.(?:java|kt|groovy|scala|cs)$`, // JVM, .NET
    String.raw`_spec\.rb$`, String.raw`_test\.rb$`, // Ruby
    String.raw`Test\.php$`, // PHP
    String.raw`_test\.(?:exs?|rs|c|cc|cpp)$`,
  ].join('|'),
);

/** Prose: its snippets illustrate, they do not configure anything. */
const documentFile = /\.(?:md|mdx|markdown|rst|adoc|asciidoc)$/i;

/** Example configuration meant to be copied and filled in: `.env.example`, `.env.docker-example`,
 * `config.sample.yml`. */
const exampleFile = /[.-](?:example|sample|dist)(?:\.[a-z0-9]+)?$|^\.env\.template$/i;

/** True when the path is a test, fixture, example or documentation file by its folder or name. */
export function conventionalTestPath(path: string): boolean {
  const segments = path.split('/');
  for (let i = 0; i < segments.length - 1; i++) {
    const folder = (segments[i] ?? '').toLowerCase();
    if (testFolders.has(folder)) return true;
    // Helm's chart tests: <chart>/ci/*-values.yaml, the values `ct install` renders the chart with.
    if (folder === 'ci' && i === segments.length - 2 && /values[^/]*\.ya?ml$/i.test(segments[i + 1] ?? '')) return true;
    // Maven's integration tests: src/it/ (a bare `it/` elsewhere may be an Italian translation).
    if (folder === 'it' && segments[i - 1] === 'src') return true;
  }
  return testFile.test(path) || documentFile.test(path) || exampleFile.test(path.slice(path.lastIndexOf('/') + 1));
}

/** `.dso.yml` `scope`: gitignore patterns moved to the test scope, or kept in production. */
export interface ScopeSettings {
  test: string[];
  production: string[];
}

export interface ScopeResolver {
  scopeOf(path: string): FindingScope | undefined;
}

/** Production patterns win over test patterns, which win over conventions. */
export function scopeResolver(settings: ScopeSettings = { test: [], production: [] }): ScopeResolver {
  const production: Ignore | undefined = settings.production.length > 0 ? ignore().add(settings.production) : undefined;
  const test: Ignore | undefined = settings.test.length > 0 ? ignore().add(settings.test) : undefined;
  return {
    scopeOf(path) {
      if (!path || path.startsWith('/') || path.startsWith('..')) return undefined;
      if (production?.ignores(path)) return undefined;
      if (test?.ignores(path)) return 'test';
      return conventionalTestPath(path) ? 'test' : undefined;
    },
  };
}

const maxPatterns = 200;

/** Reads the `scope` value of `.dso.yml`; problems are sentences naming the key, in both languages. */
export function scopeSettingsOf(raw: unknown): {
  settings: ScopeSettings;
  problems: { path: string; fr: string; en: string }[];
} {
  const settings: ScopeSettings = { test: [], production: [] };
  const problems: { path: string; fr: string; en: string }[] = [];
  if (raw === undefined || raw === null) return { settings, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push({
      path: 'scope',
      fr: '« scope » doit être un objet (clés test, production).',
      en: '"scope" must be a mapping (keys test, production).',
    });
    return { settings, problems };
  }
  for (const key of ['test', 'production'] as const) {
    const value = (raw as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (
      !Array.isArray(value) ||
      value.length > maxPatterns ||
      !value.every((p) => typeof p === 'string' && p.length > 0 && p.length <= 500)
    ) {
      problems.push({
        path: `scope.${key}`,
        fr: `« scope.${key} » doit être une liste de ${maxPatterns} motifs au plus (texte, syntaxe .gitignore).`,
        en: `"scope.${key}" must be a list of at most ${maxPatterns} patterns (text, .gitignore syntax).`,
      });
      continue;
    }
    settings[key] = value as string[];
  }
  return { settings, problems };
}
