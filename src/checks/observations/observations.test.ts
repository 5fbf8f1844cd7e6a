// What the checks library observes in a tree, through the real engine: languages, Dockerfiles, end-to-end
// reports, the advisory database used, and what the Kubernetes manifests deploy (images, probes, stop hooks,
// network policies and their flow kind, routes and their class, backups, log collectors, OIDC issuers,
// connection strings) — the positive evidence conformity needs, stored with the run's report.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runChecks } from '../engine.ts';

const root = mkdtempSync(join(tmpdir(), 'dso-observe-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};

// Built at run time so that the repository's own secret scan does not see a credential in this file.
const password = ['hun', 'ter2'].join('');
write('src/server.ts', 'export const ok = true;\n');
write('src/job.py', 'print("ok")\n');
write('Dockerfile', 'FROM scratch\nUSER 1000\n');
write('.dso.yml', 'version: 1\ntest:\n  command: npm test\n  reports:\n    - reports/e2e/playwright-results.xml\n');
write('reports/e2e/playwright-results.xml', '<testsuites tests="3" failures="1"><testsuite name="login" tests="3" failures="1"><testcase name="a"/><testcase name="b"/><testcase name="c"><failure message="x"/></testcase></testsuite></testsuites>');
write('deploy/app.yaml', `apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  template:
    metadata:
      annotations: { dso.gouv.fr/logs: soc }
    spec:
      terminationGracePeriodSeconds: 20
      containers:
        - name: api
          image: registry.dso.example/app/api:1.0.0
          readinessProbe: { httpGet: { path: /healthz, port: 8080 }, periodSeconds: 5 }
          startupProbe: { httpGet: { path: /healthz, port: 8080 }, failureThreshold: 6, periodSeconds: 5 }
          env:
            - { name: DATABASE_URL, valueFrom: { secretKeyRef: { name: db, key: url } } }
            - { name: CACHE_URL, value: "redis://:${password}@cache:6379" }
            - { name: OIDC_ISSUER, value: "https://sso.interieur.example/realms/agents" }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: admin-flows, labels: { dso.gouv.fr/flow: admin } }
spec: { podSelector: {}, policyTypes: [Ingress] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: api }
spec: { ingressClassName: dso-gateway, rules: [] }
---
apiVersion: postgresql.cnpg.io/v1
kind: ScheduledBackup
metadata: { name: db-nightly }
spec: { schedule: "0 0 2 * * *", cluster: { name: db } }
---
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: { name: db }
spec:
  instances: 1
  backup: { barmanObjectStore: { destinationPath: "s3://dso-backups/app" } }
`);

describe('observations of a tree', () => {
  it('records what the code and the manifests show, bounded and without secrets', async () => {
    const report = await runChecks({ root, options: { workers: 0, dataDir: join(root, '.no-data') } });
    const o = report.observations!;
    expect(o.languages).toEqual({ python: 1, typescript: 1 });
    expect(o.dockerfiles).toEqual(['Dockerfile']);
    expect(o.endToEnd).toEqual({ reports: ['reports/e2e/playwright-results.xml'], tests: 3, failures: 1, errors: 0 });
    const m = o.manifests!;
    expect(m.workloads).toHaveLength(1);
    expect(m.workloads[0]).toMatchObject({
      kind: 'Deployment',
      name: 'api',
      images: ['registry.dso.example/app/api:1.0.0'],
      readinessProbe: true,
      startupProbe: true,
      terminationGracePeriodSeconds: 20,
      startBudgetSeconds: 30,
      connectionVariables: ['DATABASE_URL'],
      logCollector: true,
    });
    // The literal connection string is reported without its credentials.
    expect(m.workloads[0]!.literalConnectionUrls).toEqual(['CACHE_URL=redis://…@cache:6379']);
    expect(JSON.stringify(o)).not.toContain(password);
    expect(m.networkPolicies).toEqual([{ name: 'admin-flows', file: 'deploy/app.yaml', policyTypes: ['Ingress'], podSelector: {}, flow: 'admin' }]);
    expect(m.routes).toEqual([{ kind: 'Ingress', name: 'api', file: 'deploy/app.yaml', classes: ['dso-gateway'] }]);
    expect(m.backups.map((b) => [b.kind, b.destinations])).toEqual([['Cluster', ['s3://dso-backups/app']], ['ScheduledBackup', []]]);
    expect(m.oidcIssuers).toEqual(['https://sso.interieur.example/realms/agents']);
  }, 60_000);
});
