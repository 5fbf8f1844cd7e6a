// DSO π obeys the framework it enforces: its own image (Dockerfile) and Kubernetes manifests (deploy/) pass its
// own checks with no finding of medium severity or above, and agree with each other and with the configuration
// the application reads (UID, port, data folder, secret names).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { configReference } from '../src/config.ts';
import { runChecks, type CheckReport } from '../src/checks/engine.ts';
import { severityRank } from '../src/checks/model.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifestDir = path.join(repoRoot, 'deploy', 'kubernetes');
const now = new Date('2026-11-29T00:00:00Z');

type Json = Record<string, any>;

/** The Dockerfile and deploy/ alone, as the chain would see a repository holding only them. */
function copyDeliverables(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dso-own-deployment-'));
  cpSync(path.join(repoRoot, 'Dockerfile'), path.join(dir, 'Dockerfile'));
  cpSync(path.join(repoRoot, '.dockerignore'), path.join(dir, '.dockerignore'));
  cpSync(path.join(repoRoot, 'deploy'), path.join(dir, 'deploy'), { recursive: true });
  return dir;
}

function manifests(): Json[] {
  const files = ['serviceaccount', 'configmap', 'externalsecret', 'deployment', 'service', 'servicemonitor',
    'poddisruptionbudget', 'horizontalpodautoscaler', 'networkpolicy'];
  return files.flatMap((name) => parseAllDocuments(readFileSync(path.join(manifestDir, `${name}.yaml`), 'utf8')).map((d) => d.toJS() as Json));
}

const byKind = (kind: string): Json => {
  const found = manifests().find((m) => m.kind === kind);
  if (!found) throw new Error(`no ${kind} in deploy/kubernetes`);
  return found;
};

const atLeastMedium = (report: CheckReport) =>
  report.findings.filter((f) => severityRank[f.severity] >= severityRank.medium);

describe('DSO π own image and Kubernetes manifests', () => {
  let dir: string;
  let report: CheckReport;

  beforeAll(async () => {
    dir = copyDeliverables();
    report = await runChecks({ root: dir, options: { workers: 0, now, dataDir: path.join(dir, '.data') } });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('have no finding of medium severity or above, and pass the gate', () => {
    expect(atLeastMedium(report).map((f) => `${f.ruleId} ${f.location.file}: ${f.message}`)).toEqual([]);
    expect(report.gate.verdict).toBe('pass');
    // Only the base image digest may remain (informational): it cannot be fetched offline.
    expect(report.findings.map((f) => f.ruleId).filter((id) => id !== 'containers.base-image-digest')).toEqual([]);
  });

  it('are really evaluated: the same Deployment without runAsNonRoot fails the gate', async () => {
    const broken = copyDeliverables();
    try {
      const file = path.join(broken, 'deploy', 'kubernetes', 'deployment.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replaceAll('runAsNonRoot: true', 'runAsNonRoot: false'));
      const brokenReport = await runChecks({ root: broken, options: { workers: 0, now, dataDir: path.join(broken, '.data') } });
      expect(brokenReport.findings.map((f) => f.ruleId)).toContain('kubernetes.pod-security.run-as-non-root');
      expect(brokenReport.gate.verdict).toBe('fail');
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('DSO π image and manifests agree with each other and with the configuration', () => {
  const dockerfile = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
  const deployment = byKind('Deployment');
  const pod = deployment.spec.template.spec as Json;
  const container = pod.containers[0] as Json;
  const config = byKind('ConfigMap').data as Record<string, string>;
  const secretKeys = (byKind('ExternalSecret').spec.data as Json[]).map((d) => d.secretKey as string);

  it('run the numeric non-root UID of the image, read-only, with only /tmp and the data folder writable', () => {
    const uid = /^USER (\d+)(?::\d+)?$/m.exec(dockerfile)?.[1];
    expect(uid).toBeDefined();
    expect(pod.securityContext.runAsUser).toBe(Number(uid));
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    const mounts = (container.volumeMounts as Json[]).map((m) => m.mountPath).sort();
    expect(mounts).toEqual(['/tmp', config.DSO_DATA_DIR].sort());
    const emptyDirs = (pod.volumes as Json[]).filter((v) => v.emptyDir).map((v) => v.name);
    expect(emptyDirs.sort()).toEqual((container.volumeMounts as Json[]).map((m) => m.name).sort());
  });

  it('listen, expose and probe the same port, on the health routes the application serves', () => {
    const port = Number(config.PORT);
    expect(port).toBeGreaterThan(1024);
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${port}$`, 'm'));
    expect(container.ports).toEqual([expect.objectContaining({ name: 'http', containerPort: port })]);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(deployment.spec.replicas).toBe(2);
  });

  it('configure only settings the application knows, and keep every secret out of the ConfigMap', () => {
    const known = new Set(configReference.map((v) => v.name));
    expect(Object.keys(config).filter((name) => !known.has(name))).toEqual([]);
    expect(secretKeys.filter((name) => !known.has(name))).toEqual([]);
    expect(secretKeys).toEqual(expect.arrayContaining(['DATABASE_URL', 'DSO_ENCRYPTION_KEY', 'DSO_OIDC_CLIENT_SECRET']));
    expect(Object.keys(config).filter((name) => secretKeys.includes(name) || /SECRET|PASSWORD|TOKEN|KEY|DATABASE_URL/.test(name))).toEqual([]);
    expect(config.NODE_ENV).toBe('production');
    expect(config.DSO_OIDC_ISSUER).toMatch(/^https:\/\//);
    // The container gets both through envFrom, and nothing else.
    expect(container.envFrom).toEqual([{ configMapRef: { name: byKind('ConfigMap').metadata.name } }, { secretRef: { name: byKind('ExternalSecret').spec.target.name } }]);
  });
});
