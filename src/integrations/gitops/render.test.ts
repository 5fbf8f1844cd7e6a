import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderDesiredState, renderProject } from './render.ts';
import { samplePlatform, sampleProject, sampleRevision, withSampleServices } from './sample-state.ts';
import { keepPrevious } from './tree-input.ts';
import type { DesiredState } from './model.ts';

// Regenerate with: UPDATE_GOLDEN=1 npx vitest run src/integrations/gitops/render.test.ts
const goldenRoot = join(dirname(fileURLToPath(import.meta.url)), '__golden__', 'demo');
const seeded: DesiredState = { platform: samplePlatform, projects: [withSampleServices(sampleProject('demo', 1))] };

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [relative(goldenRoot, path)];
  });
}

function documents(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJSON() as Record<string, unknown>;
  });
}

function renderedText(files: Map<string, unknown>, path: string): string {
  const content = files.get(path);
  if (typeof content !== 'string') throw new Error(`${path} was not rendered`);
  return content;
}

const envFolder = (cluster: string, env: string) => `clusters/z-sensitive/${cluster}/projects/demo/${env}`;

describe('rendering a seeded project with dev, staging and prod', () => {
  const { files, failures } = renderDesiredState(seeded);

  it('matches the golden tree file for file', () => {
    expect(failures).toEqual([]);
    if (process.env.UPDATE_GOLDEN === '1') {
      rmSync(goldenRoot, { recursive: true, force: true });
      for (const [path, content] of files) {
        mkdirSync(dirname(join(goldenRoot, path)), { recursive: true });
        writeFileSync(join(goldenRoot, path), content as string);
      }
    }
    expect(filesUnder(goldenRoot).sort()).toEqual([...files.keys()].sort());
    for (const [path, content] of files) expect(content, path).toBe(readFileSync(join(goldenRoot, path), 'utf8'));
  });

  it('is byte-for-byte the same whatever the order of the input', () => {
    const project = withSampleServices(sampleProject('demo', 1));
    project.environments.reverse();
    for (const e of project.environments) e.services?.reverse();
    project.roles.reverse();
    project.flows.reverse();
    project.secrets.reverse();
    const shuffled = renderDesiredState({
      platform: { ...samplePlatform, clusters: [...samplePlatform.clusters].reverse() },
      projects: [project],
    });
    expect([...shuffled.files].sort()).toEqual([...files].sort());
  });

  it('writes YAML that a YAML parser reads back as valid manifests', () => {
    for (const [path, content] of files) {
      for (const object of documents(content as string)) {
        expect(object.apiVersion, path).toBeTypeOf('string');
        expect(object.kind, path).toBeTypeOf('string');
      }
    }
  });

  it('labels the namespace and enforces the restricted Pod Security Standard', () => {
    const [namespace] = documents(renderedText(files, `${envFolder('c-prod', 'prod')}/namespace.yaml`));
    expect(namespace).toMatchObject({
      kind: 'Namespace',
      metadata: {
        name: 'demo-prod',
        labels: {
          'dso.pi/project': 'demo',
          'dso.pi/environment': 'prod',
          'dso.pi/stage': 'prod',
          'dso.pi/zone': 'z-sensitive',
          'dso.pi/data-sensitivity': 'sensitive',
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });
  });

  it('gives people read-write access outside production and read-only access in production (EX14)', () => {
    const devRoles = documents(renderedText(files, `${envFolder('c-dev', 'dev')}/rolebindings.yaml`)).map((b) => [(b.metadata as { name: string }).name, (b.roleRef as { name: string }).name]);
    expect(devRoles).toEqual([
      ['dso-role-developer', 'edit'],
      ['dso-role-owner', 'edit'],
      ['dso-role-read-only', 'view'],
    ]);
    const prodRoles = documents(renderedText(files, `${envFolder('c-prod', 'prod')}/rolebindings.yaml`)).map((b) => (b.roleRef as { name: string }).name);
    expect(prodRoles).toEqual(['view', 'view', 'view']);
  });

  it('denies all traffic by default, then allows the namespace, DNS, the ingress controller and the declared flows', () => {
    const names = documents(renderedText(files, `${envFolder('c-prod', 'prod')}/networkpolicies.yaml`)).map((p) => (p.metadata as { name: string }).name);
    expect(names).toEqual(['default-deny-all', 'allow-same-namespace', 'allow-dns', 'allow-from-ingress-controller', 'flow-from-monitoring', 'flow-to-database']);
    expect(renderedText(files, `${envFolder('c-prod', 'prod')}/networkpolicies.yaml`)).toContain('ingress-system');
  });

  it('pins the Application to the certified commit, syncs by itself outside production only', () => {
    const [dev] = documents(renderedText(files, `${envFolder('c-dev', 'dev')}/application.yaml`));
    expect(dev).toMatchObject({
      spec: {
        source: { targetRevision: sampleRevision(1) },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
    const [prod] = documents(renderedText(files, `${envFolder('c-prod', 'prod')}/application.yaml`));
    expect(prod).toMatchObject({ spec: { source: { targetRevision: sampleRevision(1), repoURL: 'https://dso.example.gouv.fr/git/demo/infra.git' } } });
    expect((prod!.spec as { syncPolicy: object }).syncPolicy).not.toHaveProperty('automated');
  });

  it('renders no Application for an environment where nothing has been deployed yet', () => {
    expect(files.has(`${envFolder('c-dev', 'staging')}/namespace.yaml`)).toBe(true);
    expect(files.has(`${envFolder('c-dev', 'staging')}/application.yaml`)).toBe(false);
  });

  it('limits the AppProject to the project namespaces on that cluster and its repositories', () => {
    const [appProject] = documents(renderedText(files, 'clusters/z-sensitive/c-dev/projects/demo/appproject.yaml'));
    expect(appProject).toMatchObject({
      spec: {
        sourceRepos: ['https://dso.example.gouv.fr/catalogue/charts', 'https://dso.example.gouv.fr/git/demo/infra.git'],
        destinations: [
          { namespace: 'demo-dev', server: 'https://kubernetes.default.svc' },
          { namespace: 'demo-staging', server: 'https://kubernetes.default.svc' },
        ],
        clusterResourceWhitelist: [],
      },
    });
  });

  it('writes one root "app of apps" per cluster', () => {
    for (const root of ['clusters/z-sensitive/c-dev/root.yaml', 'clusters/z-sensitive/c-prod/root.yaml', 'clusters/z-public/c-public/root.yaml']) {
      const kinds = documents(renderedText(files, root)).map((o) => o.kind);
      expect(kinds).toEqual(['AppProject', 'Application']);
    }
  });

  it('references secrets by name and key, only in the environments they are for', () => {
    const prod = documents(renderedText(files, `${envFolder('c-prod', 'prod')}/externalsecrets.yaml`)).map((s) => (s.metadata as { name: string }).name);
    const dev = documents(renderedText(files, `${envFolder('c-dev', 'dev')}/externalsecrets.yaml`)).map((s) => (s.metadata as { name: string }).name);
    expect(prod).toEqual(['database', 'smtp']);
    expect(dev).toEqual(['database']);
  });
});

describe('an invalid desired state is not rendered', () => {
  it('refuses a negative quota and keeps the previous content of that environment', () => {
    const project = sampleProject('demo', 1);
    project.environments[0]!.quotas.cpuMillicores = -500;
    const { folders, failures } = renderProject(samplePlatform, project);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ environment: 'dev', folder: envFolder('c-dev', 'dev'), errors: [{ code: 'quota.negative' }] });
    expect(failures[0]!.errors[0]!.message.fr).toContain('cpuMillicores');
    const devFolder = folders.get('clusters/z-sensitive/c-dev/projects/demo')!;
    expect(devFolder.get('dev')).toBe(keepPrevious);
    expect([...devFolder.keys()].some((k) => k.startsWith('dev/'))).toBe(false);
    expect(devFolder.has('staging/namespace.yaml')).toBe(true);
  });

  it('refuses a branch name in production, accepts it outside production', () => {
    const project = sampleProject('demo', 1);
    for (const env of project.environments) env.deployment.revision = 'main';
    const { failures } = renderProject(samplePlatform, project);
    expect(failures.map((f) => [f.environment, f.errors.map((e) => e.code)])).toEqual([['prod', ['revision.branch-in-production']]]);
  });

  it('refuses an environment on a zone that does not accept the project data', () => {
    const project = sampleProject('demo', 1);
    project.environments[0]!.cluster = 'c-public';
    const { failures } = renderProject(samplePlatform, project);
    expect(failures.map((f) => f.errors[0]!.code)).toEqual(['zone.sensitivity']);
  });

  it('never turns an unsafe name into a folder path', () => {
    const project = sampleProject('../../etc', 1);
    const { folders, failures } = renderProject(samplePlatform, project);
    expect(folders.size).toBe(0);
    expect(failures.every((f) => f.folder === null && f.errors.some((e) => e.code === 'project.slug-invalid'))).toBe(true);
  });

  it('refuses bad declared flows with a message naming the flow', () => {
    const project = sampleProject('demo', 1);
    project.flows.push({ name: 'bad', direction: 'egress', peer: { kind: 'cidr', cidr: '10.0.0.0/99' }, ports: [{ protocol: 'TCP', port: 70000 }] });
    const { failures } = renderProject(samplePlatform, project);
    expect(failures).toHaveLength(3);
    expect(failures[0]!.errors.map((e) => e.code).sort()).toEqual(['flow.cidr-invalid', 'flow.port-invalid']);
    expect(failures[0]!.errors[0]!.message.en).toContain('"bad"');
  });
});

describe('catalogue services of an environment', () => {
  const { files } = renderDesiredState(seeded);

  it('deploys a chart through an Application in the project AppProject, pinned to the published version and digest, values inline', () => {
    const [app] = documents(renderedText(files, `${envFolder('c-dev', 'dev')}/service-docs.yaml`));
    expect(app).toMatchObject({
      kind: 'Application',
      metadata: { name: 'demo-dev-docs', namespace: 'argocd', annotations: { 'dso.pi/chart-digest': `sha256:${'ab'.repeat(32)}` } },
      spec: {
        project: 'demo',
        destination: { namespace: 'demo-dev' },
        source: { repoURL: 'https://dso.example.gouv.fr/catalogue/charts', chart: 'static-site', targetRevision: '1.2.0', helm: { releaseName: 'docs', valuesObject: { replicaCount: 2 } } },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    });
  });

  it('lets a person start the sync of a service in production', () => {
    const [app] = documents(renderedText(files, `${envFolder('c-prod', 'prod')}/service-docs.yaml`));
    expect((app!.spec as { syncPolicy: object }).syncPolicy).not.toHaveProperty('automated');
  });

  it('writes the custom resources of an operator-managed service in the environment namespace, whatever they ask', () => {
    const project = withSampleServices(sampleProject('demo', 1));
    const staging = project.environments.find((e) => e.name === 'staging')!;
    const operator = staging.services![0]!;
    if (operator.kind !== 'operator') throw new Error('expected an operator service');
    (operator.resources[0]!.metadata as Record<string, unknown>).namespace = 'kube-system';
    const rendered = renderProject(samplePlatform, project);
    const text = rendered.folders.get('clusters/z-sensitive/c-dev/projects/demo')!.get('staging/service-db.yaml') as string;
    expect(documents(text).map((o) => [o.kind, (o.metadata as { namespace: string }).namespace])).toEqual([
      ['Cluster', 'demo-staging'],
      ['ScheduledBackup', 'demo-staging'],
    ]);
  });

  it('refuses a version range, a missing digest and a platform-owned kind, keeping the environment as it was', () => {
    const project = withSampleServices(sampleProject('demo', 1));
    const dev = project.environments.find((e) => e.name === 'dev')!;
    dev.services = [
      { kind: 'chart', name: 'docs', item: 'static-site', version: '^1.2.0', digest: 'latest', chartRepositoryUrl: 'https://dso.example.gouv.fr/catalogue/charts', values: {} },
      { kind: 'operator', name: 'sneaky', item: 'postgresql', version: '16.4.0', resources: [{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-all' } }] },
    ];
    const { failures, folders } = renderProject(samplePlatform, project);
    expect(failures.map((f) => [f.environment, f.errors.map((e) => e.code).sort()])).toEqual([['dev', ['service.digest-invalid', 'service.resource-forbidden', 'service.version-not-exact']]]);
    expect(folders.get('clusters/z-sensitive/c-dev/projects/demo')!.get('dev')).toBe(keepPrevious);
  });
});
