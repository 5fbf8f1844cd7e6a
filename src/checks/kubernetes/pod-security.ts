// The Pod Security Standards "restricted" profile (baseline controls included) over one pod
// template. Each violation names the field to change, so a user can fix it without the spec.
import type { CataloguedMessage, Rule } from '../model.ts';
import { say } from './messages.ts';
import { podSecurityRules as rules } from './rules.ts';
import { containersOf, getIn, isObject, type Json, type Path, type PodTemplate } from './workloads.ts';

export interface Violation {
  rule: Rule;
  path: Path;
  message: CataloguedMessage;
  /** Part of the fingerprint: what is wrong, independent of line numbers. */
  key: string;
}

const allowedVolumeTypes = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const allowedSeLinuxTypes = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const safeSysctls = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
]);
const appArmorAnnotationPrefix = 'container.apparmor.security.beta.kubernetes.io/';

export function checkPodSecurity(template: PodTemplate): Violation[] {
  const violations: Violation[] = [];
  const add = (rule: Rule, path: Path, message: CataloguedMessage, key: string): void => { violations.push({ rule, path, message, key }); };
  const { spec, specPath } = template;
  const podContext = isObject(spec.securityContext) ? spec.securityContext : {};
  const podContextPath = [...specPath, 'securityContext'];
  // Windows pods are exempt from the Linux-only controls (escalation, seccomp, capabilities).
  const windows = getIn(spec, ['os', 'name']) === 'windows';
  const containers = containersOf(template);
  const podWho = { group: 'pod', container: '' };

  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[field] === true) add(rules.hostNamespaces, [...specPath, field], say['kubernetes.pod-security.host-namespaces'].shared({ field }), field);
  }
  if (getIn(podContext, ['windowsOptions', 'hostProcess']) === true) {
    add(rules.hostProcess, [...podContextPath, 'windowsOptions', 'hostProcess'], say['kubernetes.pod-security.host-process'].pod({}), 'pod');
  }

  if (Array.isArray(spec.volumes)) {
    spec.volumes.forEach((volume, index) => {
      if (!isObject(volume)) return;
      const name = typeof volume.name === 'string' ? volume.name : `#${index}`;
      for (const type of Object.keys(volume)) {
        if (type === 'name') continue;
        if (type === 'hostPath') {
          add(rules.hostPath, [...specPath, 'volumes', index, type], say['kubernetes.pod-security.host-path'].hostPath({ volume: name.slice(0, 100) }), name);
        } else if (!allowedVolumeTypes.has(type)) {
          add(rules.volumeTypes, [...specPath, 'volumes', index, type], say['kubernetes.pod-security.volume-types'].type({ volume: name.slice(0, 100), type: type.slice(0, 60) }), `${name}:${type}`);
        }
      }
    });
  }

  const sysctls = podContext.sysctls;
  if (Array.isArray(sysctls)) {
    sysctls.forEach((sysctl, index) => {
      const name = isObject(sysctl) && typeof sysctl.name === 'string' ? sysctl.name : '';
      if (!safeSysctls.has(name)) add(rules.sysctls, [...podContextPath, 'sysctls', index], say['kubernetes.pod-security.sysctls'].unsafe({ sysctl: name.slice(0, 100) }), name);
    });
  }

  const annotations = isObject(template.metadata.annotations) ? template.metadata.annotations : {};
  for (const [annotation, value] of Object.entries(annotations)) {
    if (!annotation.startsWith(appArmorAnnotationPrefix)) continue;
    if (value !== 'runtime/default' && !(typeof value === 'string' && value.startsWith('localhost/'))) {
      add(rules.appArmor, [...template.metadataPath, 'annotations', annotation], say['kubernetes.pod-security.apparmor'].annotation({ annotation: annotation.slice(0, 200), value: String(value).slice(0, 60) }), annotation);
    }
  }
  checkAppArmorProfile(podContext, podContextPath, podWho);
  checkSeLinux(podContext, podContextPath, podWho);

  const podSeccomp = getIn(podContext, ['seccompProfile', 'type']);
  if (!windows && podSeccomp !== undefined && podSeccomp !== 'RuntimeDefault' && podSeccomp !== 'Localhost') {
    add(rules.seccomp, [...podContextPath, 'seccompProfile', 'type'], say['kubernetes.pod-security.seccomp'].pod({ profile: String(podSeccomp).slice(0, 60) }), 'pod');
  }
  const podRunAsNonRoot = podContext.runAsNonRoot;
  if (podContext.runAsUser === 0) add(rules.runAsUser, [...podContextPath, 'runAsUser'], say['kubernetes.pod-security.run-as-user'].root(podWho), 'pod');

  for (const entry of containers) {
    const context = isObject(entry.container.securityContext) ? entry.container.securityContext : {};
    const contextPath = [...entry.path, 'securityContext'];
    const who = { group: entry.group, container: entry.name.slice(0, 100) };
    const key = `${entry.group}:${entry.name}`;

    if (context.privileged === true) add(rules.privileged, [...contextPath, 'privileged'], say['kubernetes.pod-security.privileged'].privileged(who), key);
    if (getIn(context, ['windowsOptions', 'hostProcess']) === true) {
      add(rules.hostProcess, [...contextPath, 'windowsOptions', 'hostProcess'], say['kubernetes.pod-security.host-process'].container(who), key);
    }
    if (Array.isArray(entry.container.ports)) {
      entry.container.ports.forEach((port, index) => {
        if (isObject(port) && typeof port.hostPort === 'number' && port.hostPort !== 0) {
          add(rules.hostPorts, [...entry.path, 'ports', index, 'hostPort'], say['kubernetes.pod-security.host-ports'].hostPort({ ...who, port: port.hostPort }), `${key}:${port.hostPort}`);
        }
      });
    }
    const procMount = context.procMount;
    if (procMount !== undefined && procMount !== 'Default') add(rules.procMount, [...contextPath, 'procMount'], say['kubernetes.pod-security.proc-mount'].procMount({ ...who, value: String(procMount).slice(0, 60) }), key);
    checkAppArmorProfile(context, contextPath, who, key);
    checkSeLinux(context, contextPath, who, key);

    if (!windows) {
      if (context.allowPrivilegeEscalation !== false) {
        add(rules.allowPrivilegeEscalation, [...contextPath, 'allowPrivilegeEscalation'], say['kubernetes.pod-security.allow-privilege-escalation'].escalation(who), key);
      }
      const drop = getIn(context, ['capabilities', 'drop']);
      if (!Array.isArray(drop) || !drop.some((c) => typeof c === 'string' && c.toUpperCase() === 'ALL')) {
        add(rules.capabilitiesDropAll, [...contextPath, 'capabilities', 'drop'], say['kubernetes.pod-security.capabilities-drop-all'].notDropped(who), key);
      }
      const added = getIn(context, ['capabilities', 'add']);
      if (Array.isArray(added)) {
        for (const capability of added) {
          if (capability !== 'NET_BIND_SERVICE') {
            add(rules.capabilitiesAdd, [...contextPath, 'capabilities', 'add'], say['kubernetes.pod-security.capabilities-add'].added({ ...who, capability: String(capability).slice(0, 40) }), `${key}:${String(capability)}`);
          }
        }
      }
      const seccomp = getIn(context, ['seccompProfile', 'type']);
      if (seccomp !== undefined && seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
        add(rules.seccomp, [...contextPath, 'seccompProfile', 'type'], say['kubernetes.pod-security.seccomp'].container({ ...who, profile: String(seccomp).slice(0, 60) }), key);
      } else if (seccomp === undefined && podSeccomp === undefined) {
        add(rules.seccomp, [...contextPath, 'seccompProfile'], say['kubernetes.pod-security.seccomp'].missing(who), key);
      }
    }
    if (context.runAsNonRoot === false) {
      add(rules.runAsNonRoot, [...contextPath, 'runAsNonRoot'], say['kubernetes.pod-security.run-as-non-root'].false(who), key);
    } else if (context.runAsNonRoot !== true && podRunAsNonRoot !== true) {
      add(rules.runAsNonRoot, [...contextPath, 'runAsNonRoot'], say['kubernetes.pod-security.run-as-non-root'].missing(who), key);
    }
    if (context.runAsUser === 0) add(rules.runAsUser, [...contextPath, 'runAsUser'], say['kubernetes.pod-security.run-as-user'].root(who), key);
  }
  return violations;

  function checkAppArmorProfile(context: Json, contextPath: Path, who: { group: string; container: string }, key = 'pod'): void {
    const type = getIn(context, ['appArmorProfile', 'type']);
    if (type !== undefined && type !== 'RuntimeDefault' && type !== 'Localhost') {
      add(rules.appArmor, [...contextPath, 'appArmorProfile', 'type'], say['kubernetes.pod-security.apparmor'].profile({ ...who, type: String(type).slice(0, 60) }), key);
    }
  }

  function checkSeLinux(context: Json, contextPath: Path, who: { group: string; container: string }, key = 'pod'): void {
    const options = context.seLinuxOptions;
    if (!isObject(options)) return;
    const type = options.type;
    if (type !== undefined && !(typeof type === 'string' && allowedSeLinuxTypes.has(type))) {
      add(rules.seLinux, [...contextPath, 'seLinuxOptions', 'type'], say['kubernetes.pod-security.selinux'].type({ ...who, type: String(type).slice(0, 60) }), `${key}:type`);
    }
    for (const field of ['user', 'role'] as const) {
      if (options[field] !== undefined && options[field] !== '') {
        add(rules.seLinux, [...contextPath, 'seLinuxOptions', field], say['kubernetes.pod-security.selinux'].field({ ...who, field }), `${key}:${field}`);
      }
    }
  }
}
