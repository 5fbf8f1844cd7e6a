// Charts for catalogue tests and benchmarks: small charts written to a folder (compliant or privileged) and
// packaged with the real, bundled helm (`helm package`), as an administrator or a Helm repository would.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { locateRenderer } from '../../src/integrations/renderers/binaries.ts';

export interface ChartOptions {
  name: string;
  version: string;
  /** A template that runs a privileged, root container without probes or limits. */
  privileged?: boolean;
  image?: string;
}

export function writeChart(dir: string, options: ChartOptions): string {
  const root = path.join(dir, `${options.name}-${options.version}`);
  mkdirSync(path.join(root, 'templates'), { recursive: true });
  writeFileSync(path.join(root, 'Chart.yaml'), `apiVersion: v2\nname: ${options.name}\nversion: ${options.version}\nappVersion: "1.0"\ndescription: Test chart ${options.name}\n`);
  writeFileSync(path.join(root, 'values.yaml'), `image: ${options.image ?? 'registry.example.org/team/web:1.2.3'}\nreplicas: 1\n`);
  writeFileSync(path.join(root, 'README.md'), `# ${options.name}\n\nA test chart. <script>alert(1)</script>\n`);
  const securityContext = options.privileged
    ? '          securityContext:\n            privileged: true\n            runAsUser: 0\n'
    : '          securityContext:\n            allowPrivilegeEscalation: false\n            readOnlyRootFilesystem: true\n            capabilities: { drop: [ALL] }\n          resources:\n            requests: { cpu: 10m, memory: 16Mi }\n            limits: { cpu: 100m, memory: 64Mi }\n          livenessProbe: { httpGet: { path: /, port: 8080 } }\n          readinessProbe: { httpGet: { path: /, port: 8080 } }\n';
  writeFileSync(
    path.join(root, 'templates', 'deployment.yaml'),
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicas }}\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec:\n${options.privileged ? '' : '      securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: RuntimeDefault } }\n'}      containers:\n        - name: web\n          image: {{ .Values.image }}\n          ports: [{ containerPort: 8080 }]\n${securityContext}`,
  );
  return root;
}

/** `helm package` with the bundled helm; returns the archive's path. */
export async function packageChart(chartDir: string, outDir: string): Promise<string> {
  const helm = await locateRenderer('helm');
  if ('missing' in helm) throw new Error(helm.missing);
  mkdirSync(outDir, { recursive: true });
  const before = new Set(readdirSync(outDir));
  execFileSync(helm.path, ['package', chartDir, '--destination', outDir], { stdio: 'pipe', env: { ...process.env, HELM_CACHE_HOME: path.join(outDir, '.cache'), HELM_CONFIG_HOME: path.join(outDir, '.config'), HELM_DATA_HOME: path.join(outDir, '.data') } });
  const file = readdirSync(outDir).find((f) => f.endsWith('.tgz') && !before.has(f));
  if (!file) throw new Error('helm package wrote no archive');
  return path.join(outDir, file);
}

export async function chartArchive(dir: string, options: ChartOptions): Promise<Buffer> {
  return readFileSync(await packageChart(writeChart(dir, options), path.join(dir, 'out')));
}
