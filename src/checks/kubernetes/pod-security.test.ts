// Every Pod Security Standards control, with the allowed and forbidden values of its definition
// (docs/rules/kubernetes.pod-security.md), at the levels and versions Pod Security Admission knows.
import { describe, expect, it } from 'vitest';
import { checkPodSecurity } from './pod-security.ts';
import { latestMinor, parsePodSecurityVersion, type PodSecurityLevel, type PodSecurityPolicy } from './pod-security-policy.ts';
import { podTemplateOf } from './workloads.ts';
import { kubernetesSettingsOf } from './settings.ts';

/** A pod that passes the restricted level; each case changes one field. */
function pod(): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', annotations: {} },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'web',
        image: 'registry.example.org/web:1.0.0',
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      }],
    },
  };
}

const policy = (level: PodSecurityLevel = 'restricted', version = 'latest'): PodSecurityPolicy => ({ level, ...parsePodSecurityVersion(version)! });
/** The pod-security rules (short names) a mutated pod breaks. */
function broken(mutate: (p: any) => void, level: PodSecurityLevel = 'restricted', version = 'latest'): string[] {
  const p = pod();
  mutate(p);
  const violations = checkPodSecurity(podTemplateOf(p)!, policy(level, version));
  return [...new Set(violations.map((v) => v.rule.id.replace('kubernetes.pod-security.', '')))].sort();
}
const container = (p: any) => p.spec.containers[0];
const context = (p: any) => p.spec.containers[0].securityContext;

/** [rule, allowed mutations, forbidden mutations, level]: each allowed one passes, each forbidden one breaks only that
 * rule. */
type Case = [string, [string, (p: any) => void][], [string, (p: any) => void][], PodSecurityLevel?];

const cases: Case[] = [
  ['host-process', [
    ['pod hostProcess false', (p) => { p.spec.securityContext.windowsOptions = { hostProcess: false }; }],
    ['container hostProcess undefined', (p) => { context(p).windowsOptions = {}; }],
  ], [
    ['pod hostProcess true', (p) => { p.spec.securityContext.windowsOptions = { hostProcess: true }; }],
    ['container hostProcess true', (p) => { context(p).windowsOptions = { hostProcess: true }; }],
    ['init container hostProcess true', (p) => { p.spec.initContainers = [{ name: 'i', image: 'x:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, windowsOptions: { hostProcess: true } } }]; }],
  ]],
  ['host-namespaces', [
    ['hostNetwork false', (p) => { p.spec.hostNetwork = false; }],
    ['hostPID false', (p) => { p.spec.hostPID = false; }],
    ['hostIPC false', (p) => { p.spec.hostIPC = false; }],
  ], [
    ['hostNetwork true', (p) => { p.spec.hostNetwork = true; }],
    ['hostPID true', (p) => { p.spec.hostPID = true; }],
    ['hostIPC true', (p) => { p.spec.hostIPC = true; }],
  ]],
  ['privileged', [
    ['false', (p) => { context(p).privileged = false; }],
  ], [
    ['container true', (p) => { context(p).privileged = true; }],
    ['ephemeral container true', (p) => { p.spec.ephemeralContainers = [{ name: 'dbg', image: 'x:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: true } }]; }],
  ]],
  ['capabilities-add', [
    ...['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']
      .map((c): [string, (p: any) => void] => [c, (p) => { context(p).capabilities = { add: [c] }; }]),
  ], [
    ['NET_RAW', (p) => { context(p).capabilities = { add: ['NET_RAW'] }; }],
    ['SYS_ADMIN', (p) => { context(p).capabilities = { add: ['SYS_ADMIN'] }; }],
  ], 'baseline'],
  ['capabilities-add', [
    ['NET_BIND_SERVICE', (p) => { context(p).capabilities.add = ['NET_BIND_SERVICE']; }],
    ['empty list', (p) => { context(p).capabilities.add = []; }],
  ], [
    ['CHOWN', (p) => { context(p).capabilities.add = ['CHOWN']; }],
    ['SYS_ADMIN', (p) => { context(p).capabilities.add = ['SYS_ADMIN']; }],
  ]],
  ['capabilities-drop-all', [
    ['ALL among others', (p) => { context(p).capabilities.drop = ['NET_RAW', 'ALL']; }],
  ], [
    ['no drop', (p) => { delete context(p).capabilities; }],
    ['NET_RAW only', (p) => { context(p).capabilities.drop = ['NET_RAW']; }],
  ]],
  ['host-path', [
    ['emptyDir', (p) => { p.spec.volumes = [{ name: 'tmp', emptyDir: {} }]; }],
  ], [
    ['hostPath', (p) => { p.spec.volumes = [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }]; }],
  ], 'baseline'],
  ['volume-types', [
    ...['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret']
      .map((t): [string, (p: any) => void] => [t, (p) => { p.spec.volumes = [{ name: 'v', [t]: {} }]; }]),
  ], [
    ...['gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'portworxVolume', 'photonPersistentDisk', 'scaleIO', 'storageos']
      .map((t): [string, (p: any) => void] => [t, (p) => { p.spec.volumes = [{ name: 'v', [t]: {} }]; }]),
  ]],
  ['host-ports', [
    ['0', (p) => { container(p).ports = [{ containerPort: 8080, hostPort: 0 }]; }],
    ['undefined', (p) => { container(p).ports = [{ containerPort: 8080 }]; }],
  ], [
    ['8080', (p) => { container(p).ports = [{ containerPort: 8080, hostPort: 8080 }]; }],
    ['on an init container', (p) => { p.spec.initContainers = [{ name: 'i', image: 'x:1', ports: [{ containerPort: 9000, hostPort: 9000 }], securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }]; }],
  ]],
  ['apparmor', [
    ['field RuntimeDefault', (p) => { p.spec.securityContext.appArmorProfile = { type: 'RuntimeDefault' }; }],
    ['field Localhost', (p) => { context(p).appArmorProfile = { type: 'Localhost', localhostProfile: 'k8s-web' }; }],
    ['annotation runtime/default', (p) => { p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/web'] = 'runtime/default'; }],
    ['annotation localhost/', (p) => { p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/web'] = 'localhost/k8s-web'; }],
    ['annotation empty', (p) => { p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/web'] = ''; }],
  ], [
    ['field Unconfined on the pod', (p) => { p.spec.securityContext.appArmorProfile = { type: 'Unconfined' }; }],
    ['field Unconfined on a container', (p) => { context(p).appArmorProfile = { type: 'Unconfined' }; }],
    ['annotation unconfined', (p) => { p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/web'] = 'unconfined'; }],
  ]],
  ['selinux', [
    ...['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']
      .map((t): [string, (p: any) => void] => [`type "${t}"`, (p) => { p.spec.securityContext.seLinuxOptions = { type: t }; }]),
    ['level', (p) => { context(p).seLinuxOptions = { level: 's0:c123,c456' }; }],
    ['empty user and role', (p) => { context(p).seLinuxOptions = { user: '', role: '' }; }],
  ], [
    ['type spc_t', (p) => { p.spec.securityContext.seLinuxOptions = { type: 'spc_t' }; }],
    ['user', (p) => { context(p).seLinuxOptions = { user: 'system_u' }; }],
    ['role', (p) => { context(p).seLinuxOptions = { role: 'system_r' }; }],
  ]],
  ['proc-mount', [
    ['Default', (p) => { context(p).procMount = 'Default'; }],
  ], [
    ['Unmasked', (p) => { context(p).procMount = 'Unmasked'; }],
    ['Unmasked in a user namespace (restricted has no exemption)', (p) => { p.spec.hostUsers = false; context(p).procMount = 'Unmasked'; }],
  ]],
  ['seccomp', [
    ['pod Localhost', (p) => { p.spec.securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'web.json' }; }],
    ['each container instead of the pod', (p) => { delete p.spec.securityContext.seccompProfile; context(p).seccompProfile = { type: 'RuntimeDefault' }; }],
  ], [
    ['none', (p) => { delete p.spec.securityContext.seccompProfile; }],
    ['pod Unconfined', (p) => { p.spec.securityContext.seccompProfile = { type: 'Unconfined' }; }],
    ['container Unconfined', (p) => { context(p).seccompProfile = { type: 'Unconfined' }; }],
  ]],
  ['seccomp', [
    ['none', (p) => { delete p.spec.securityContext.seccompProfile; }],
    ['RuntimeDefault', (p) => { context(p).seccompProfile = { type: 'RuntimeDefault' }; }],
  ], [
    ['pod Unconfined', (p) => { p.spec.securityContext.seccompProfile = { type: 'Unconfined' }; }],
    ['container Unconfined', (p) => { context(p).seccompProfile = { type: 'Unconfined' }; }],
  ], 'baseline'],
  ['sysctls', [
    ...['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
      'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
      'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem', 'net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']
      .map((name): [string, (p: any) => void] => [name, (p) => { p.spec.securityContext.sysctls = [{ name, value: '1' }]; }]),
  ], [
    ...['kernel.msgmax', 'net.core.somaxconn', 'vm.max_map_count', 'net.ipv4.tcp_max_syn_backlog']
      .map((name): [string, (p: any) => void] => [name, (p) => { p.spec.securityContext.sysctls = [{ name, value: '1' }]; }]),
  ]],
  ['host-probes', [
    ['httpGet without host', (p) => { container(p).livenessProbe = { httpGet: { path: '/healthz', port: 8080 } }; }],
    ['empty host', (p) => { container(p).readinessProbe = { tcpSocket: { host: '', port: 8080 } }; }],
  ], [
    ['liveness httpGet host', (p) => { container(p).livenessProbe = { httpGet: { host: '169.254.169.254', path: '/', port: 80 } }; }],
    ['readiness tcpSocket host', (p) => { container(p).readinessProbe = { tcpSocket: { host: 'db.internal', port: 5432 } }; }],
    ['startup httpGet host', (p) => { container(p).startupProbe = { httpGet: { host: '10.0.0.1', port: 80 } }; }],
    ['postStart httpGet host', (p) => { container(p).lifecycle = { postStart: { httpGet: { host: 'example.org', port: 80 } } }; }],
    ['preStop tcpSocket host', (p) => { container(p).lifecycle = { preStop: { tcpSocket: { host: 'example.org', port: 80 } } }; }],
  ]],
  ['allow-privilege-escalation', [
    ['false', (p) => { context(p).allowPrivilegeEscalation = false; }],
  ], [
    ['undefined', (p) => { delete context(p).allowPrivilegeEscalation; }],
    ['true', (p) => { context(p).allowPrivilegeEscalation = true; }],
  ]],
  ['run-as-non-root', [
    ['every container instead of the pod', (p) => { delete p.spec.securityContext.runAsNonRoot; context(p).runAsNonRoot = true; }],
  ], [
    ['undefined everywhere', (p) => { delete p.spec.securityContext.runAsNonRoot; }],
    ['pod false', (p) => { p.spec.securityContext.runAsNonRoot = false; context(p).runAsNonRoot = true; }],
    ['container false', (p) => { context(p).runAsNonRoot = false; }],
  ]],
  ['run-as-user', [
    ['non-zero', (p) => { context(p).runAsUser = 10001; }],
    ['undefined', (p) => { delete context(p).runAsUser; }],
  ], [
    ['pod 0', (p) => { p.spec.securityContext.runAsUser = 0; }],
    ['container 0', (p) => { context(p).runAsUser = 0; }],
  ]],
];

describe.each(cases)('Pod Security Standards control %s', (rule, allowed, forbidden, level = 'restricted') => {
  it.each(allowed)(`${level} allows %s`, (_name, mutate) => {
    expect(broken(mutate, level)).toEqual([]);
  });
  it.each(forbidden)(`${level} forbids %s`, (_name, mutate) => {
    expect(broken(mutate, level)).toEqual([rule]);
  });
});

describe('Pod Security Standards versions', () => {
  it('resolves versions as Pod Security Admission does', () => {
    expect(parsePodSecurityVersion('latest')).toEqual({ minor: latestMinor, label: 'latest' });
    expect(parsePodSecurityVersion('v1.29')).toEqual({ minor: 29, label: 'v1.29' });
    expect(parsePodSecurityVersion('v1.99')?.minor).toBe(latestMinor);
    for (const invalid of ['1.29', 'v2.0', 'v1.029', 'v1.x', 'v1.', '']) expect(parsePodSecurityVersion(invalid)).toBeUndefined();
  });

  it('allows each safe sysctl from the version that made it safe', () => {
    const sysctl = (name: string) => (p: any) => { p.spec.securityContext.sysctls = [{ name, value: '1' }]; };
    expect(broken(sysctl('net.ipv4.ip_local_reserved_ports'), 'restricted', 'v1.26')).toEqual(['sysctls']);
    expect(broken(sysctl('net.ipv4.ip_local_reserved_ports'), 'restricted', 'v1.27')).toEqual([]);
    expect(broken(sysctl('net.ipv4.tcp_keepalive_time'), 'restricted', 'v1.28')).toEqual(['sysctls']);
    expect(broken(sysctl('net.ipv4.tcp_keepalive_time'), 'restricted', 'v1.29')).toEqual([]);
    expect(broken(sysctl('net.ipv4.tcp_rmem'), 'restricted', 'v1.31')).toEqual(['sysctls']);
    expect(broken(sysctl('net.ipv4.tcp_rmem'), 'restricted', 'v1.32')).toEqual([]);
    expect(broken(sysctl('net.ipv4.tcp_notsent_lowat'), 'restricted', 'v1.36')).toEqual(['sysctls']);
    expect(broken(sysctl('net.ipv4.tcp_notsent_lowat'), 'restricted', 'v1.37')).toEqual([]);
  });

  it('checks probe hosts from v1.34, container_engine_t from v1.31', () => {
    const probeHost = (p: any) => { container(p).livenessProbe = { httpGet: { host: 'example.org', port: 80 } }; };
    expect(broken(probeHost, 'baseline', 'v1.33')).toEqual([]);
    expect(broken(probeHost, 'baseline', 'v1.34')).toEqual(['host-probes']);
    const engine = (p: any) => { p.spec.securityContext.seLinuxOptions = { type: 'container_engine_t' }; };
    expect(broken(engine, 'baseline', 'v1.30')).toEqual(['selinux']);
    expect(broken(engine, 'baseline', 'v1.31')).toEqual([]);
  });

  it('exempts pods in a user namespace from the root controls from v1.35, and from procMount at baseline only', () => {
    const root = (p: any) => {
      p.spec.hostUsers = false;
      delete p.spec.securityContext.runAsNonRoot;
      context(p).runAsUser = 0;
    };
    expect(broken(root, 'restricted', 'v1.34')).toEqual(['run-as-non-root', 'run-as-user']);
    expect(broken(root, 'restricted', 'v1.35')).toEqual([]);
    const unmasked = (p: any) => { p.spec.hostUsers = false; context(p).procMount = 'Unmasked'; };
    expect(broken(unmasked, 'baseline', 'v1.35')).toEqual([]);
    expect(broken(unmasked, 'baseline', 'v1.34')).toEqual(['proc-mount']);
    expect(broken(unmasked, 'restricted', 'v1.35')).toEqual(['proc-mount']);
  });

  it('exempts Windows pods from the Linux-only restricted controls from v1.25', () => {
    const windows = (p: any) => { p.spec.os = { name: 'windows' }; delete p.spec.securityContext.seccompProfile; context(p).securityContext = undefined; delete context(p).allowPrivilegeEscalation; delete context(p).capabilities; };
    expect(broken(windows, 'restricted', 'v1.25')).toEqual([]);
    expect(broken(windows, 'restricted', 'v1.24')).toEqual(['allow-privilege-escalation', 'capabilities-drop-all', 'seccomp']);
  });

  it('uses the baseline capabilities list before the restricted one existed (v1.22), and seccomp annotations before v1.19', () => {
    const chown = (p: any) => { context(p).capabilities = { add: ['CHOWN'] }; };
    expect(broken(chown, 'restricted', 'v1.21')).toEqual([]);
    expect(broken(chown, 'restricted', 'v1.22')).toEqual(['capabilities-add', 'capabilities-drop-all']);
    const annotation = (p: any) => { delete p.spec.securityContext.seccompProfile; p.metadata.annotations['seccomp.security.alpha.kubernetes.io/pod'] = 'unconfined'; };
    expect(broken(annotation, 'restricted', 'v1.18')).toEqual(['seccomp']);
    expect(broken((p) => { delete p.spec.securityContext.seccompProfile; }, 'restricted', 'v1.18')).toEqual([]);
  });

  it('leaves the restricted-only controls out at baseline', () => {
    const loose = (p: any) => { delete p.spec.securityContext; delete context(p).allowPrivilegeEscalation; delete context(p).capabilities; p.spec.volumes = [{ name: 'n', nfs: { server: 'nfs', path: '/' } }]; context(p).runAsUser = 0; };
    expect(broken(loose, 'baseline')).toEqual([]);
    expect(broken(loose, 'restricted')).toEqual(['allow-privilege-escalation', 'capabilities-drop-all', 'run-as-non-root', 'run-as-user', 'seccomp', 'volume-types']);
  });
});

describe('.dso.yml settings', () => {
  it('reads the level, the version and the chart deployments', () => {
    const settings = kubernetesSettingsOf('version: 1\npodSecurity: { level: baseline, version: v1.30 }\nhelm:\n  charts:\n    - path: deploy/chart\n      values: [deploy/prod.yaml, deploy/secrets.yaml]\n      namespace: shop\n');
    expect(settings.podSecurity).toEqual({ level: 'baseline', minor: 30, label: 'v1.30' });
    expect(settings.charts.get('deploy/chart')).toEqual([{ values: ['deploy/prod.yaml', 'deploy/secrets.yaml'], namespace: 'shop' }]);
    expect(settings.problems).toEqual([]);
  });

  it('keeps the defaults and says why, in French and English, when a value is wrong', () => {
    const settings = kubernetesSettingsOf('podSecurity: { level: strict, version: "1.30" }\nhelm: { charts: [{ path: ../outside, values: [a.yaml] }] }\n');
    expect(settings.podSecurity).toEqual({ level: 'restricted', minor: latestMinor, label: 'latest' });
    expect(settings.charts.size).toBe(0);
    expect(settings.problems.map((p) => p.fr)).toEqual([
      expect.stringContaining('podSecurity.level doit valoir baseline ou restricted'),
      expect.stringContaining('podSecurity.version doit valoir latest ou v1.<mineure>'),
      expect.stringContaining('helm.charts[0] : chemins relatifs au dépôt'),
    ]);
    expect(settings.problems[1]!.en).toContain('podSecurity.version must be latest or v1.<minor>');
  });
});
