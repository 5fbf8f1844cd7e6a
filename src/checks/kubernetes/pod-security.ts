// The Pod Security Standards "restricted" profile (baseline controls included) over one pod
// template. Each violation names the field to change, so a user can fix it without the spec.
import type { Rule } from '../model.ts';
import { podSecurityRules as rules } from './rules.ts';
import { containersOf, getIn, isObject, type Json, type Path, type PodTemplate } from './workloads.ts';

export interface Violation {
  rule: Rule;
  path: Path;
  message: string;
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
  const add = (rule: Rule, path: Path, message: string, key: string): void => { violations.push({ rule, path, message, key }); };
  const { spec, specPath } = template;
  const podContext = isObject(spec.securityContext) ? spec.securityContext : {};
  const podContextPath = [...specPath, 'securityContext'];
  // Windows pods are exempt from the Linux-only controls (escalation, seccomp, capabilities).
  const windows = getIn(spec, ['os', 'name']) === 'windows';
  const containers = containersOf(template);

  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[field] === true) add(rules.hostNamespaces, [...specPath, field], `${field} is true; remove it so the pod keeps its own namespace.`, field);
  }
  if (getIn(podContext, ['windowsOptions', 'hostProcess']) === true) {
    add(rules.hostProcess, [...podContextPath, 'windowsOptions', 'hostProcess'], 'The pod asks for Windows HostProcess; remove securityContext.windowsOptions.hostProcess.', 'pod');
  }

  if (Array.isArray(spec.volumes)) {
    spec.volumes.forEach((volume, index) => {
      if (!isObject(volume)) return;
      const name = typeof volume.name === 'string' ? volume.name : `#${index}`;
      for (const type of Object.keys(volume)) {
        if (type === 'name') continue;
        if (type === 'hostPath') {
          add(rules.hostPath, [...specPath, 'volumes', index, type], `Volume "${name}" mounts a path of the node (hostPath); use a persistentVolumeClaim or emptyDir.`, name);
        } else if (!allowedVolumeTypes.has(type)) {
          add(rules.volumeTypes, [...specPath, 'volumes', index, type], `Volume "${name}" has type ${type}, not allowed by the restricted profile; use a persistentVolumeClaim, csi or projected volume.`, `${name}:${type}`);
        }
      }
    });
  }

  const sysctls = podContext.sysctls;
  if (Array.isArray(sysctls)) {
    sysctls.forEach((sysctl, index) => {
      const name = isObject(sysctl) && typeof sysctl.name === 'string' ? sysctl.name : '';
      if (!safeSysctls.has(name)) add(rules.sysctls, [...podContextPath, 'sysctls', index], `Sysctl "${name.slice(0, 100)}" is not in the safe set; remove it.`, name);
    });
  }

  const annotations = isObject(template.metadata.annotations) ? template.metadata.annotations : {};
  for (const [annotation, value] of Object.entries(annotations)) {
    if (!annotation.startsWith(appArmorAnnotationPrefix)) continue;
    if (value !== 'runtime/default' && !(typeof value === 'string' && value.startsWith('localhost/'))) {
      add(rules.appArmor, [...template.metadataPath, 'annotations', annotation], `Annotation ${annotation}=${String(value).slice(0, 60)} disables AppArmor; use runtime/default or localhost/<profile>.`, annotation);
    }
  }
  checkAppArmorProfile(podContext, podContextPath, 'the pod');
  checkSeLinux(podContext, podContextPath, 'the pod');

  const podSeccomp = getIn(podContext, ['seccompProfile', 'type']);
  if (!windows && podSeccomp !== undefined && podSeccomp !== 'RuntimeDefault' && podSeccomp !== 'Localhost') {
    add(rules.seccomp, [...podContextPath, 'seccompProfile', 'type'], `The pod seccomp profile is ${String(podSeccomp)}; use RuntimeDefault.`, 'pod');
  }
  const podRunAsNonRoot = podContext.runAsNonRoot;
  if (podContext.runAsUser === 0) add(rules.runAsUser, [...podContextPath, 'runAsUser'], 'The pod sets runAsUser: 0 (root); use an unprivileged UID such as 10001.', 'pod');

  for (const entry of containers) {
    const context = isObject(entry.container.securityContext) ? entry.container.securityContext : {};
    const contextPath = [...entry.path, 'securityContext'];
    const who = `${entry.group === 'containers' ? 'Container' : entry.group === 'initContainers' ? 'Init container' : 'Ephemeral container'} "${entry.name}"`;
    const key = `${entry.group}:${entry.name}`;

    if (context.privileged === true) add(rules.privileged, [...contextPath, 'privileged'], `${who} runs privileged; remove securityContext.privileged.`, key);
    if (getIn(context, ['windowsOptions', 'hostProcess']) === true) {
      add(rules.hostProcess, [...contextPath, 'windowsOptions', 'hostProcess'], `${who} asks for Windows HostProcess; remove it.`, key);
    }
    if (Array.isArray(entry.container.ports)) {
      entry.container.ports.forEach((port, index) => {
        if (isObject(port) && typeof port.hostPort === 'number' && port.hostPort !== 0) {
          add(rules.hostPorts, [...entry.path, 'ports', index, 'hostPort'], `${who} binds host port ${port.hostPort}; expose it through a Service instead.`, `${key}:${port.hostPort}`);
        }
      });
    }
    const procMount = context.procMount;
    if (procMount !== undefined && procMount !== 'Default') add(rules.procMount, [...contextPath, 'procMount'], `${who} sets procMount ${String(procMount)}; remove it.`, key);
    checkAppArmorProfile(context, contextPath, who, key);
    checkSeLinux(context, contextPath, who, key);

    if (!windows) {
      if (context.allowPrivilegeEscalation !== false) {
        add(rules.allowPrivilegeEscalation, [...contextPath, 'allowPrivilegeEscalation'], `${who} must set securityContext.allowPrivilegeEscalation: false.`, key);
      }
      const drop = getIn(context, ['capabilities', 'drop']);
      if (!Array.isArray(drop) || !drop.some((c) => typeof c === 'string' && c.toUpperCase() === 'ALL')) {
        add(rules.capabilitiesDropAll, [...contextPath, 'capabilities', 'drop'], `${who} must drop all capabilities (securityContext.capabilities.drop: [ALL]).`, key);
      }
      const added = getIn(context, ['capabilities', 'add']);
      if (Array.isArray(added)) {
        for (const capability of added) {
          if (capability !== 'NET_BIND_SERVICE') {
            add(rules.capabilitiesAdd, [...contextPath, 'capabilities', 'add'], `${who} adds capability ${String(capability).slice(0, 40)}; only NET_BIND_SERVICE is allowed.`, `${key}:${String(capability)}`);
          }
        }
      }
      const seccomp = getIn(context, ['seccompProfile', 'type']);
      if (seccomp !== undefined && seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
        add(rules.seccomp, [...contextPath, 'seccompProfile', 'type'], `${who} uses seccomp profile ${String(seccomp)}; use RuntimeDefault.`, key);
      } else if (seccomp === undefined && podSeccomp === undefined) {
        add(rules.seccomp, [...contextPath, 'seccompProfile'], `${who} has no seccomp profile; set securityContext.seccompProfile.type: RuntimeDefault on the pod or the container.`, key);
      }
    }
    if (context.runAsNonRoot === false) {
      add(rules.runAsNonRoot, [...contextPath, 'runAsNonRoot'], `${who} sets runAsNonRoot: false; set it to true.`, key);
    } else if (context.runAsNonRoot !== true && podRunAsNonRoot !== true) {
      add(rules.runAsNonRoot, [...contextPath, 'runAsNonRoot'], `${who} may run as root: set runAsNonRoot: true on the pod or the container securityContext.`, key);
    }
    if (context.runAsUser === 0) add(rules.runAsUser, [...contextPath, 'runAsUser'], `${who} sets runAsUser: 0 (root); use an unprivileged UID such as 10001.`, key);
  }
  return violations;

  function checkAppArmorProfile(context: Json, contextPath: Path, who: string, key = 'pod'): void {
    const type = getIn(context, ['appArmorProfile', 'type']);
    if (type !== undefined && type !== 'RuntimeDefault' && type !== 'Localhost') {
      add(rules.appArmor, [...contextPath, 'appArmorProfile', 'type'], `${who} sets AppArmor profile ${String(type)}; use RuntimeDefault or Localhost.`, key);
    }
  }

  function checkSeLinux(context: Json, contextPath: Path, who: string, key = 'pod'): void {
    const options = context.seLinuxOptions;
    if (!isObject(options)) return;
    const type = options.type;
    if (type !== undefined && !(typeof type === 'string' && allowedSeLinuxTypes.has(type))) {
      add(rules.seLinux, [...contextPath, 'seLinuxOptions', 'type'], `${who} sets SELinux type ${String(type).slice(0, 60)}; only container_t, container_init_t, container_kvm_t or container_engine_t are allowed.`, `${key}:type`);
    }
    for (const field of ['user', 'role'] as const) {
      if (options[field] !== undefined && options[field] !== '') {
        add(rules.seLinux, [...contextPath, 'seLinuxOptions', field], `${who} sets SELinux ${field}; remove it.`, `${key}:${field}`);
      }
    }
  }
}
