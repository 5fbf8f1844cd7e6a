// The observability checker (EX25): when the tree is deployable (a Dockerfile, Kubernetes
// workloads or a Helm chart), it must show a health endpoint and Prometheus metrics somewhere.
import { findingOf, type Checker, type CheckerResult } from '../model.ts';
import { isDevelopmentImage, isDockerfile } from '../containers/checker.ts';
import { conventionalTestPath } from '../scope.ts';
import { observabilityRuleList, observabilityRules as rules } from './rules.ts';
import { codeEvidence, dockerfileEvidence, manifestEvidence, type Evidence } from './signals.ts';
import { say } from './messages.ts';

const yamlFile = /\.ya?ml$/i;
const workloadKind = /^\s*kind\s*:\s*["']?(Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Pod|CronJob|Job)\b/m;
const codeFile = /\.(ts|tsx|js|mjs|cjs|java|kt|kts|scala|groovy|py|go|cs|php|rb|rs|properties)$|(^|\/)(package\.json|pom\.xml|build\.gradle|requirements[^/]*\.txt|pyproject\.toml|go\.mod|composer\.json|Gemfile|[^/]+\.csproj|application[^/]*\.ya?ml)$/i;
/** Tests mention endpoints they exercise; vendored trees describe other applications. */
const ignored = /(^|\/)(node_modules|vendor|dist|build|target|\.git)\//;

export const observabilityChecker: Checker = {
  name: 'observability',
  rules: observabilityRuleList,
  async check(input): Promise<CheckerResult> {
    const result: CheckerResult = { findings: [], notes: [] };
    const found: Evidence & { healthFile?: string; metricsFile?: string } = {};
    let deployable: string | undefined;
    const record = (evidence: Evidence, file: string): void => {
      if (evidence.health && !found.health) { found.health = evidence.health; found.healthFile = file; }
      if (evidence.metrics && !found.metrics) { found.metrics = evidence.metrics; found.metricsFile = file; }
    };

    for (const file of input.files) {
      if (ignored.test(file.path)) continue;
      const dockerfile = isDockerfile(file.path);
      const yaml = yamlFile.test(file.path);
      const chart = /(^|\/)Chart\.ya?ml$/.test(file.path);
      const code = codeFile.test(file.path);
      if (!dockerfile && !yaml && !code) continue;
      if (found.health && found.metrics && deployable) break;
      const text = await input.readText(file.path);
      if (text === undefined) continue;
      // Development images and tests, examples and docs show how to run things, not what is deployed.
      const shipped = !isDevelopmentImage(file.path) && !conventionalTestPath(file.path);
      if (dockerfile) {
        if (shipped) deployable ??= file.path;
        record(dockerfileEvidence(text), file.path);
      }
      // A chart deploys something when its templates hold a workload (an app-of-apps chart holds none).
      if (yaml && !chart) {
        if (shipped && workloadKind.test(text)) deployable ??= file.path;
        record(manifestEvidence(text), file.path);
      }
      if (code) record(codeEvidence(text), file.path);
    }

    if (!deployable) return result;
    if (found.health) result.notes.push({ file: found.healthFile, message: `Health endpoint evidence: ${found.health}.` });
    else {
      result.findings.push(findingOf(rules.healthEndpoint, { file: deployable },
        say['observability.health-endpoint'].missing({}), 'health'));
    }
    if (found.metrics) result.notes.push({ file: found.metricsFile, message: `Metrics evidence: ${found.metrics}.` });
    else {
      result.findings.push(findingOf(rules.metricsEndpoint, { file: deployable },
        say['observability.metrics-endpoint'].missing({}), 'metrics'));
    }
    return result;
  },
};
