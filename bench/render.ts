// `npm run bench:render [-- --charts N] [--overlays N] [--runs N]`: how fast `dso check` renders and checks Helm
// charts and Kustomize overlays, in charts (and overlays) per second, with the helm and kubectl it ships.
// The charts are what `helm create` generates (deployment, service, ingress, autoscaler, service account, test
// hook: the shape most application charts start from), each with one ci/*-values.yaml, so two renderings each; the
// overlays are a base and a patch each. Rendering runs through the Kubernetes checker, as `dso check` runs it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { folderInput } from '../src/checks/containers/fixture-input.ts';
import { createKubernetesChecker } from '../src/checks/kubernetes/checker.ts';
import { locateRenderer } from '../src/integrations/renderers/index.ts';

const { values } = parseArgs({
  options: {
    charts: { type: 'string', default: '24' },
    overlays: { type: 'string', default: '12' },
    runs: { type: 'string', default: '3' },
  },
});
const chartCount = Number(values.charts);
const overlayCount = Number(values.overlays);

const helm = await locateRenderer('helm');
const kubectl = await locateRenderer('kubectl');
if ('missing' in helm || 'missing' in kubectl) {
  console.log(`cannot bench rendering: ${'missing' in helm ? helm.missing : ''} ${'missing' in kubectl ? kubectl.missing : ''}`);
  process.exit(1);
}
console.log(`helm ${helm.path} (${helm.origin}), kubectl ${kubectl.path} (${kubectl.origin})`);

const root = mkdtempSync(join(tmpdir(), 'dso-bench-render-'));
try {
  execFileSync(helm.path, ['create', join(root, 'template-chart')], { env: { PATH: '/usr/bin:/bin', HOME: root }, stdio: 'ignore' });
  for (let i = 0; i < chartCount; i++) {
    const dir = join(root, 'charts', `app-${i}`);
    cpSync(join(root, 'template-chart'), dir, { recursive: true });
    mkdirSync(join(dir, 'ci'));
    writeFileSync(join(dir, 'ci', 'autoscaling-values.yaml'), 'autoscaling:\n  enabled: true\ningress:\n  enabled: true\n');
  }
  rmSync(join(root, 'template-chart'), { recursive: true });
  for (let i = 0; i < overlayCount; i++) {
    const dir = join(root, 'kustomize', `app-${i}`);
    mkdirSync(join(dir, 'base'), { recursive: true });
    mkdirSync(join(dir, 'prod'), { recursive: true });
    writeFileSync(join(dir, 'base', 'kustomization.yaml'), 'resources: [deployment.yaml]\n');
    writeFileSync(join(dir, 'base', 'deployment.yaml'), `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app-${i} }\nspec:\n  selector: { matchLabels: { app: a } }\n  template:\n    metadata: { labels: { app: a } }\n    spec:\n      containers:\n        - name: app\n          image: registry.example.org/app:1.0.${i}\n`);
    writeFileSync(join(dir, 'prod', 'kustomization.yaml'), 'namespace: prod\nresources: [../base]\npatches:\n  - path: replicas.yaml\n');
    writeFileSync(join(dir, 'prod', 'replicas.yaml'), `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: app-${i} }\nspec: { replicas: 3 }\n`);
  }

  const checker = createKubernetesChecker();
  const measure = async (input: ReturnType<typeof folderInput>) => {
    const started = performance.now();
    const result = await checker.check(input);
    return {
      seconds: (performance.now() - started) / 1000,
      findings: result.findings.length,
      notEvaluated: result.unevaluated?.length ?? 0,
    };
  };
  const everything = folderInput(root);
  const chartsOnly = { ...everything, files: everything.files.filter((f) => f.path.startsWith('charts/')) };
  const overlaysOnly = { ...everything, files: everything.files.filter((f) => f.path.startsWith('kustomize/')) };
  // One warm-up: the first call verifies the bundled binaries and probes the network isolation.
  await measure({ ...overlaysOnly, files: overlaysOnly.files.slice(0, 4) });
  console.log(`${chartCount} charts (2 renderings each: values.yaml, ci/autoscaling-values.yaml), ${overlayCount} overlays; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (let run = 1; run <= Number(values.runs); run++) {
    const charts = await measure(chartsOnly);
    const overlays = await measure(overlaysOnly);
    console.log(
      `run ${run}  charts ${(chartCount / charts.seconds).toFixed(1).padStart(5)} charts/s (${charts.seconds.toFixed(2)} s, ${charts.findings} findings, ${charts.notEvaluated} not evaluated)`
      + `  overlays ${(overlayCount / overlays.seconds).toFixed(1).padStart(5)} overlays/s (${overlays.seconds.toFixed(2)} s, ${overlays.findings} findings)`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
