import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { kubernetesChecker } from './checker.ts';
import { checkManifests } from './manifests.ts';
import { readYamlDocuments } from './yaml-documents.ts';
import { folderInput, memoryInput } from '../containers/fixture-input.ts';

const fixtures = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** A pod that passes every rule; each test breaks one thing. */
function compliantPod(): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', annotations: {} },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'web',
        image: 'registry.example.com/web:1.0.0',
        ports: [{ containerPort: 8080 }],
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } },
        livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
        readinessProbe: { httpGet: { path: '/readyz', port: 8080 } },
      }],
      volumes: [{ name: 'tmp', emptyDir: {} }],
    },
  };
}
const rulesOf = (objects: unknown[]) => [...new Set(checkManifests(objects, 'm.yaml').map((f) => f.ruleId))].sort();
const broken = (mutate: (pod: any) => void) => { const pod = compliantPod(); mutate(pod); return rulesOf([pod]); };

describe('Pod Security Standards, restricted profile', () => {
  it('accepts a compliant pod', () => {
    expect(rulesOf([compliantPod()])).toEqual([]);
  });

  const cases: [string, (pod: any) => void][] = [
    ['host-namespaces', (p) => { p.spec.hostPID = true; }],
    ['host-namespaces', (p) => { p.spec.hostIPC = true; }],
    ['host-process', (p) => { p.spec.securityContext.windowsOptions = { hostProcess: true }; }],
    ['privileged', (p) => { p.spec.containers[0].securityContext.privileged = true; }],
    ['capabilities-add', (p) => { p.spec.containers[0].securityContext.capabilities.add = ['SYS_ADMIN']; }],
    ['capabilities-drop-all', (p) => { p.spec.containers[0].securityContext.capabilities.drop = ['NET_RAW']; }],
    ['host-path', (p) => { p.spec.volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }); }],
    ['volume-types', (p) => { p.spec.volumes.push({ name: 'share', nfs: { server: 'nfs', path: '/' } }); }],
    ['host-ports', (p) => { p.spec.containers[0].ports[0].hostPort = 8080; }],
    ['apparmor', (p) => { p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/web'] = 'unconfined'; }],
    ['apparmor', (p) => { p.spec.containers[0].securityContext.appArmorProfile = { type: 'Unconfined' }; }],
    ['selinux', (p) => { p.spec.securityContext.seLinuxOptions = { type: 'spc_t' }; }],
    ['selinux', (p) => { p.spec.containers[0].securityContext.seLinuxOptions = { user: 'system_u' }; }],
    ['proc-mount', (p) => { p.spec.containers[0].securityContext.procMount = 'Unmasked'; }],
    ['seccomp', (p) => { delete p.spec.securityContext.seccompProfile; }],
    ['seccomp', (p) => { p.spec.containers[0].securityContext.seccompProfile = { type: 'Unconfined' }; }],
    ['sysctls', (p) => { p.spec.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }]; }],
    ['allow-privilege-escalation', (p) => { delete p.spec.containers[0].securityContext.allowPrivilegeEscalation; }],
    ['run-as-non-root', (p) => { delete p.spec.securityContext.runAsNonRoot; }],
    ['run-as-non-root', (p) => { p.spec.containers[0].securityContext.runAsNonRoot = false; }],
    ['run-as-user', (p) => { p.spec.containers[0].securityContext.runAsUser = 0; }],
  ];
  it.each(cases)('reports kubernetes.pod-security.%s', (rule, mutate) => {
    expect(broken(mutate)).toContain(`kubernetes.pod-security.${rule}`);
  });

  it('accepts the allowed variants', () => {
    expect(broken((p) => { p.spec.containers[0].securityContext.capabilities.add = ['NET_BIND_SERVICE']; })).toEqual([]);
    expect(broken((p) => { p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/web'] = 'localhost/custom'; })).toEqual([]);
    expect(broken((p) => { p.spec.securityContext.seLinuxOptions = { type: 'container_init_t', level: 's0:c1' }; })).toEqual([]);
    expect(broken((p) => { p.spec.securityContext.sysctls = [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]; })).toEqual([]);
    expect(broken((p) => { delete p.spec.securityContext.seccompProfile; p.spec.containers[0].securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'x.json' }; })).toEqual([]);
    expect(
      broken((p) => {
        delete p.spec.securityContext.runAsNonRoot;
        p.spec.containers[0].securityContext.runAsNonRoot = true;
      }),
    ).toEqual([]);
    expect(broken((p) => { p.spec.volumes.push({ name: 'data', persistentVolumeClaim: { claimName: 'd' } }, { name: 'p', projected: { sources: [] } }); })).toEqual([]);
  });

  it('checks init and ephemeral containers too', () => {
    expect(broken((p) => { p.spec.initContainers = [{ name: 'init', image: 'x:1', securityContext: { privileged: true } }]; }))
      .toEqual(expect.arrayContaining(['kubernetes.pod-security.privileged', 'kubernetes.pod-security.allow-privilege-escalation', 'kubernetes.pod-security.capabilities-drop-all']));
    const ephemeral = broken((p) => { p.spec.ephemeralContainers = [{ name: 'dbg', image: 'x:1', securityContext: { runAsUser: 0 } }]; });
    expect(ephemeral).toContain('kubernetes.pod-security.run-as-user');
    expect(ephemeral).not.toContain('kubernetes.resource-requests');
  });

  it('finds the pod template of every workload kind', () => {
    const bad = { containers: [{ name: 'c', image: 'x:1', securityContext: { privileged: true } }] };
    const wrap: Record<string, [string, object]> = {
      Deployment: ['apps/v1', { selector: {}, template: { spec: bad } }],
      StatefulSet: ['apps/v1', { selector: {}, serviceName: 's', template: { spec: bad } }],
      DaemonSet: ['apps/v1', { selector: {}, template: { spec: bad } }],
      ReplicaSet: ['apps/v1', { selector: {}, template: { spec: bad } }],
      ReplicationController: ['v1', { template: { spec: bad } }],
      Job: ['batch/v1', { template: { spec: bad } }],
      CronJob: ['batch/v1', { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: bad } } } }],
    };
    for (const [kind, [apiVersion, spec]] of Object.entries(wrap)) {
      expect(rulesOf([{ apiVersion, kind, metadata: { name: 'w' }, spec }]), kind).toContain('kubernetes.pod-security.privileged');
    }
  });
});

describe('platform rules on manifests', () => {
  it('reports ports, resources, probes and floating images', () => {
    expect(broken((p) => { p.spec.containers[0].ports[0].containerPort = 443; })).toEqual(['kubernetes.container-port-above-1024']);
    expect(broken((p) => { delete p.spec.containers[0].resources.requests.cpu; })).toEqual(['kubernetes.resource-requests']);
    expect(broken((p) => { delete p.spec.containers[0].resources.limits; })).toEqual(['kubernetes.resource-limits']);
    expect(broken((p) => { delete p.spec.containers[0].livenessProbe; })).toEqual(['kubernetes.liveness-probe']);
    expect(broken((p) => { delete p.spec.containers[0].readinessProbe; })).toEqual(['kubernetes.readiness-probe']);
    expect(broken((p) => { p.spec.containers[0].image = 'nginx'; })).toEqual(['kubernetes.image-floating-tag']);
    expect(broken((p) => { p.spec.containers[0].image = 'nginx:latest'; })).toEqual(['kubernetes.image-floating-tag']);
    const service = (targetPort: unknown) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort }] } });
    expect(rulesOf([service(8080)])).toEqual([]);
    expect(rulesOf([service('http')])).toEqual([]);
    expect(rulesOf([service(80)])).toEqual(['kubernetes.service-port-above-1024']);
  });

  it('validates the schema and catches unknown fields', () => {
    expect(broken((p) => { p.spec.containers[0].ports[0].containerPort = 'http'; })).toContain('kubernetes.schema-invalid');
    expect(broken((p) => { p.spec.restartPolicy = 'Sometimes'; })).toContain('kubernetes.schema-invalid');
    expect(broken((p) => { p.spec.hostnetwork = true; })).toEqual(['kubernetes.unknown-field']);
    expect(rulesOf([{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'a' }, spec: { anything: 1 } }])).toEqual([]);
    expect(rulesOf([{ apiVersion: '../../../etc', kind: 'passwd' }, 'text', null, 42])).toEqual([]);
  });

  it('gives stable fingerprints that do not depend on position in the file', () => {
    const pod = compliantPod();
    pod.spec.containers[0].securityContext.privileged = true;
    const first = checkManifests([pod], 'm.yaml')[0]!.fingerprint;
    const second = checkManifests([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }, pod], 'm.yaml')[0]!.fingerprint;
    expect(second).toBe(first);
  });
});

describe('kubernetes checker on files', () => {
  it('accepts compliant manifests and ignores non-Kubernetes YAML', async () => {
    const result = await kubernetesChecker.check(folderInput(fixtures('good')));
    expect(result.findings).toEqual([]);
  });

  it('reports problems with their line', async () => {
    const result = await kubernetesChecker.check(folderInput(fixtures('bad')));
    const at = (file: string) => result.findings.filter((f) => f.location.file === file).map((f) => `${f.ruleId}@${f.location.line}`);
    expect(at('pod.yaml')).toEqual(expect.arrayContaining([
      'kubernetes.pod-security.host-namespaces@6',
      'kubernetes.pod-security.privileged@14',
      'kubernetes.pod-security.run-as-user@15',
      'kubernetes.pod-security.host-ports@12',
      'kubernetes.pod-security.host-path@18',
      'kubernetes.container-port-above-1024@11',
      'kubernetes.image-floating-tag@9',
    ]));
    expect(at('broken.yaml')).toEqual(['kubernetes.unparsable@7']);
    expect(at('typo.yaml').sort()).toEqual(['kubernetes.schema-invalid@18', 'kubernetes.unknown-field@6']);
  });

  it('a plain manifest that does not parse (YAML or JSON) is in the unevaluated list, and a JSON manifest is checked like YAML', async () => {
    const result = await kubernetesChecker.check(memoryInput({
      'deploy/broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n spec: [\n',
      'deploy/broken.json': '{ "apiVersion": "v1", "kind": "Pod", "metadata": { "name": "p" ',
      'deploy/pod.json': JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { hostPID: true, containers: [] } }, null, 2),
      'deploy/templated.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n',
      'docs/openapi.json': JSON.stringify({ openapi: '3.1.0', components: { schemas: { Pod: { properties: { apiVersion: {}, kind: {} } } } } }),
      'package.json': '{ "name": "x" }',
    }));
    expect(result.unevaluated?.map((u) => `${u.item} ${u.kind} ${u.code}`).sort()).toEqual([
      'deploy/broken.json manifest manifest-unparsable',
      'deploy/broken.yaml manifest manifest-unparsable',
      'deploy/templated.yaml manifest manifest-unparsable',
    ]);
    expect(result.extent).toEqual({ policies: { checked: 1, total: 4, unit: 'manifests' } });
    expect(result.findings.filter((f) => f.location.file === 'deploy/pod.json').map((f) => f.ruleId)).toContain('kubernetes.pod-security.host-namespaces');
    expect(result.findings.some((f) => f.location.file.startsWith('docs/') || f.location.file === 'package.json')).toBe(false);
  });

  it('never checks the patch files a kustomization names alone, and says an overlay it cannot build was not evaluated', async () => {
    const result = await kubernetesChecker.check(memoryInput({
      'overlays/prod/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../../base]\npatches:\n  - path: replicas.yaml\npatchesStrategicMerge: [../../base/extra.yaml]\n',
      'overlays/prod/replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec: { replicas: 3 }\n',
      'base/extra.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec: { template: { spec: { hostNetwork: true } } }\n',
      'base/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec: { hostPID: true, containers: [] }\n',
    }));
    // In memory there is nothing for kustomize to build: the overlay is not evaluated (and blocks), its patches stay
    // unchecked alone.
    expect(result.findings.map((f) => `${f.location.file}:${f.ruleId}`)).toEqual(['base/pod.yaml:kubernetes.pod-security.host-namespaces']);
    expect(result.unevaluated?.map((u) => `${u.item}:${u.code}`)).toEqual(['overlays/prod:overlay-render-failed']);
  });

  it('bounds YAML alias bombs, deep nesting and huge document counts', async () => {
    const bomb = ['apiVersion: v1', 'kind: ConfigMap', 'a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 12; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`);
    const deep = `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(50_000)}`;
    const many = 'apiVersion: v1\nkind: ConfigMap\n---\n'.repeat(6_000);
    const started = Date.now();
    const result = await kubernetesChecker.check(memoryInput({ 'bomb.yaml': bomb.join('\n'), 'deep.yaml': deep, 'many.yaml': many }));
    // Unbounded expansion would not finish; the loose bound tolerates a loaded CI machine.
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.findings.map((f) => `${f.location.file}:${f.ruleId}`).sort()).toEqual([
      'bomb.yaml:kubernetes.unparsable', 'deep.yaml:kubernetes.unparsable', 'many.yaml:kubernetes.unparsable',
    ]);
    expect(readYamlDocuments('a: 1\n').error).toBeUndefined();
  });
});
