// Which files the configuration checker reads: application code and configuration, not tests, fixtures, examples,
// docs or lockfiles. Those legitimately mention example hosts and addresses (hundreds of IPs in a fixture are test
// data, not configuration); lockfiles only list registries.
import { conventionalTestPath } from '../scope.ts';

const testPath = /(?:^|\/)(?:tests?|__tests__|specs?|e2e|__mocks__|testdata|test-data|fixtures|__fixtures__|cypress|playwright)\/|\.(?:test|spec|e2e)\.[A-Za-z0-9]+$|(?:^|\/)test_[^/]*\.py$|_test\.(?:go|py)$|Tests?\.(?:java|kt|cs)$/i;
const docPath = /(?:^|\/)(?:docs?|documentation|examples?|samples?)\/|(?:^|\/)(?:README|CHANGELOG|CHANGES|LICEN[CS]E|NOTICE|AUTHORS|CONTRIBUTING)[^/]*$/i;
const lockfile = /(?:^|\/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|composer\.lock|Cargo\.lock|poetry\.lock|Pipfile\.lock|go\.sum|package\.json|tsconfig[^/]*\.json)$/;
// Developer tooling configuration (dev servers, test runners, linters) never reaches an environment.
const toolingConfig = /(?:^|\/)(?:vite|vitest|webpack|rollup|jest|playwright|cypress|karma|babel|eslint|prettier|drizzle|tsup|esbuild|nuxt|next|svelte|astro)\.config\.[A-Za-z]+$|(?:^|\/)\.(?:eslintrc|prettierrc|babelrc)[^/]*$/;
const inScopeExtension = /\.(?:[cm]?[jt]sx?|vue|svelte|py|java|kts?|scala|go|rb|php|cs|rs|swift|c|cc|cpp|h|hpp|sh|bash|ps1|ya?ml|json|properties|toml|ini|conf|cfg|xml|tf|hcl|gradle|groovy)$/i;
const envFile = /(?:^|\/)\.env(?:\.[^/]*)?$/;

/** A chart's values files hold defaults each environment overrides at deploy time; `ci/` holds the chart's tests. */
const chartValues = /(?:^|\/)(?:charts?|helm)\/(?:[^/]+\/)*values[^/]*\.ya?ml$|(?:^|\/)charts?\/[^/]+\/ci\/[^/]+$|(?:^|\/)ci\/[^/]*values[^/]*\.ya?ml$/i;
/** Metadata: where the project lives, who maintains it, its licence; never an environment's host. */
const metadataFile = /(?:^|\/)(?:Chart\.ya?ml|package\.json|pom\.xml|setup\.py|setup\.cfg|pyproject\.toml|composer\.json|[^/]+\.gemspec|[^/]+\.nuspec|[^/]+\.csproj|Cargo\.toml|go\.mod|\.well-known\/[^/]+)$/i;

export function configurationInScope(path: string): boolean {
  if (!inScopeExtension.test(path) && !envFile.test(path)) return false;
  return (
    !testPath.test(path) &&
    !docPath.test(path) &&
    !conventionalTestPath(path) &&
    !lockfile.test(path) &&
    !toolingConfig.test(path) &&
    !chartValues.test(path) &&
    !metadataFile.test(path)
  );
}
