// The Pod Security Standards over one pod template, control by control, at the level and version asked for
// (restricted and latest by default; see pod-security-policy.ts). Each violation names the field to change, so a
// user can fix it without the specification at hand.
import type { CataloguedMessage, Rule } from '../model.ts';
import { say } from './messages.ts';
import {
  allowedAt, baselineCapabilities, defaultPodSecurityPolicy, restrictedVolumeTypes, safeSysctls, seLinuxTypes, since,
  type PodSecurityPolicy,
} from './pod-security-policy.ts';
import { podSecurityRules as rules } from './rules.ts';
import { containersOf, getIn, isObject, type Json, type Path, type PodTemplate } from './workloads.ts';

export interface Violation {
  rule: Rule;
  path: Path;
  message: CataloguedMessage;
  /** Part of the fingerprint: what is wrong, independent of line numbers. */
  key: string;
}

const appArmorAnnotationPrefix = 'container.apparmor.security.beta.kubernetes.io/';
const seccompPodAnnotation = 'seccomp.security.alpha.kubernetes.io/pod';
const seccompContainerAnnotationPrefix = 'container.seccomp.security.alpha.kubernetes.io/';
/** Whom a message is about: a container (its group and name) or the pod itself. */
type Who = { group: string; container: string };
const podWho: Who = { group: 'pod', container: '' };
const probes = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const lifecycleHandlers = ['postStart', 'preStop'] as const;

export function checkPodSecurity(
  template: PodTemplate,
  policy: PodSecurityPolicy = defaultPodSecurityPolicy,
): Violation[] {
  const violations: Violation[] = [];
  const add = (rule: Rule, path: Path, message: CataloguedMessage, key: string): void => {
    violations.push({ rule, path, message, key });
  };
  const { spec, specPath } = template;
  const restricted = policy.level === 'restricted';
  const at = (minor: number): boolean => policy.minor >= minor;
  const podContext = isObject(spec.securityContext) ? spec.securityContext : {};
  const podContextPath = [...specPath, 'securityContext'];
  // Windows pods are exempt from the Linux-only restricted controls (escalation, seccomp, capabilities).
  const windowsExempt = at(since.windowsExemption) && getIn(spec, ['os', 'name']) === 'windows';
  // Pods in their own user namespace: root inside is not root on the node.
  const userNamespace = at(since.userNamespaceRelaxation) && spec.hostUsers === false;
  const containers = containersOf(template);
  const annotations = isObject(template.metadata.annotations) ? template.metadata.annotations : {};
  const annotationPath = (name: string): Path => [...template.metadataPath, 'annotations', name];

  // Baseline: host namespaces.
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (spec[field] === true)
      add(
        rules.hostNamespaces,
        [...specPath, field],
        say['kubernetes.pod-security.host-namespaces'].shared({ field }),
        field,
      );
  }
  // Baseline: Windows HostProcess.
  if (getIn(podContext, ['windowsOptions', 'hostProcess']) === true) {
    add(
      rules.hostProcess,
      [...podContextPath, 'windowsOptions', 'hostProcess'],
      say['kubernetes.pod-security.host-process'].pod({}),
      'pod',
    );
  }

  // Baseline: hostPath volumes; restricted: only the allowed volume types.
  if (Array.isArray(spec.volumes)) {
    spec.volumes.forEach((volume, index) => {
      if (!isObject(volume)) return;
      const name = typeof volume.name === 'string' ? volume.name : `#${index}`;
      for (const type of Object.keys(volume)) {
        if (type === 'name') continue;
        if (type === 'hostPath') {
          add(
            rules.hostPath,
            [...specPath, 'volumes', index, type],
            say['kubernetes.pod-security.host-path'].hostPath({ volume: name.slice(0, 100) }),
            name,
          );
        } else if (restricted && !restrictedVolumeTypes.has(type)) {
          add(
            rules.volumeTypes,
            [...specPath, 'volumes', index, type],
            say['kubernetes.pod-security.volume-types'].type({ volume: name.slice(0, 100), type: type.slice(0, 60) }),
            `${name}:${type}`,
          );
        }
      }
    });
  }

  // Baseline: sysctls (pod level only: the API has no container-level sysctls).
  if (Array.isArray(podContext.sysctls)) {
    const safe = allowedAt(safeSysctls, policy.minor);
    podContext.sysctls.forEach((sysctl, index) => {
      const name = isObject(sysctl) && typeof sysctl.name === 'string' ? sysctl.name : '';
      if (!safe.has(name))
        add(
          rules.sysctls,
          [...podContextPath, 'sysctls', index, 'name'],
          say['kubernetes.pod-security.sysctls'].unsafe({ sysctl: name.slice(0, 100), version: policy.label }),
          name,
        );
    });
  }

  // Baseline: AppArmor, through the (deprecated but still honoured) annotation and the field.
  for (const [annotation, value] of Object.entries(annotations)) {
    if (!annotation.startsWith(appArmorAnnotationPrefix)) continue;
    if (value !== '' && value !== 'runtime/default' && !(typeof value === 'string' && value.startsWith('localhost/'))) {
      add(
        rules.appArmor,
        annotationPath(annotation),
        say['kubernetes.pod-security.apparmor'].annotation({
          annotation: annotation.slice(0, 200),
          value: String(value).slice(0, 60),
        }),
        annotation,
      );
    }
  }
  checkAppArmorProfile(podContext, podContextPath, podWho);
  checkSeLinux(podContext, podContextPath, podWho);

  // Seccomp: the alpha annotations before the field existed, the field after.
  if (!at(since.seccompField)) {
    for (const [annotation, value] of Object.entries(annotations)) {
      if (
        (annotation === seccompPodAnnotation || annotation.startsWith(seccompContainerAnnotationPrefix)) &&
        value === 'unconfined'
      ) {
        add(
          rules.seccomp,
          annotationPath(annotation),
          say['kubernetes.pod-security.seccomp'].annotation({ annotation: annotation.slice(0, 200) }),
          annotation,
        );
      }
    }
  }
  const podSeccomp = getIn(podContext, ['seccompProfile', 'type']);
  const seccompAllowed = (type: unknown): boolean => type === 'RuntimeDefault' || type === 'Localhost';
  // From the field's version on, restricted replaces the baseline seccomp control (and exempts Windows pods).
  const restrictedSeccomp = restricted && at(since.seccompField) && !windowsExempt;
  const baselineSeccomp = !restricted && at(since.seccompField);
  if (
    podSeccomp !== undefined &&
    (restrictedSeccomp ? !seccompAllowed(podSeccomp) : baselineSeccomp && podSeccomp === 'Unconfined')
  ) {
    add(
      rules.seccomp,
      [...podContextPath, 'seccompProfile', 'type'],
      say['kubernetes.pod-security.seccomp'].pod({ profile: String(podSeccomp).slice(0, 40) }),
      'pod',
    );
  }

  // Restricted: runAsNonRoot and runAsUser (not for pods in their own user namespace).
  const podRunAsNonRoot = podContext.runAsNonRoot;
  const checkRoot = restricted && !userNamespace;
  if (checkRoot && podRunAsNonRoot === false)
    add(
      rules.runAsNonRoot,
      [...podContextPath, 'runAsNonRoot'],
      say['kubernetes.pod-security.run-as-non-root'].false(podWho),
      'pod:false',
    );
  if (checkRoot && at(since.runAsUser) && podContext.runAsUser === 0) {
    add(
      rules.runAsUser,
      [...podContextPath, 'runAsUser'],
      say['kubernetes.pod-security.run-as-user'].root(podWho),
      'pod',
    );
  }

  const restrictedCapabilities = restricted && at(since.restrictedCapabilities);
  for (const entry of containers) {
    const context = isObject(entry.container.securityContext) ? entry.container.securityContext : {};
    const contextPath = [...entry.path, 'securityContext'];
    const who = { group: entry.group, container: entry.name.slice(0, 100) };
    const key = `${entry.group}:${entry.name}`;

    // Baseline.
    if (context.privileged === true)
      add(
        rules.privileged,
        [...contextPath, 'privileged'],
        say['kubernetes.pod-security.privileged'].privileged(who),
        key,
      );
    if (getIn(context, ['windowsOptions', 'hostProcess']) === true) {
      add(
        rules.hostProcess,
        [...contextPath, 'windowsOptions', 'hostProcess'],
        say['kubernetes.pod-security.host-process'].container(who),
        key,
      );
    }
    if (Array.isArray(entry.container.ports)) {
      entry.container.ports.forEach((port, index) => {
        if (isObject(port) && port.hostPort !== undefined && port.hostPort !== 0) {
          add(
            rules.hostPorts,
            [...entry.path, 'ports', index, 'hostPort'],
            say['kubernetes.pod-security.host-ports'].hostPort({
              ...who,
              port: typeof port.hostPort === 'number' ? port.hostPort : String(port.hostPort).slice(0, 10),
            }),
            `${key}:${String(port.hostPort)}`,
          );
        }
      });
    }
    const procMount = context.procMount;
    const procMountRelaxed = !restricted && userNamespace;
    if (!procMountRelaxed && procMount !== undefined && procMount !== 'Default') {
      add(
        rules.procMount,
        [...contextPath, 'procMount'],
        say['kubernetes.pod-security.proc-mount'].procMount({ ...who, value: String(procMount).slice(0, 40) }),
        key,
      );
    }
    checkAppArmorProfile(context, contextPath, who, key);
    checkSeLinux(context, contextPath, who, key);
    if (at(since.probeHost)) checkProbeHosts(entry.container, entry.path, who, key);
    const seccomp = getIn(context, ['seccompProfile', 'type']);
    if (baselineSeccomp && seccomp === 'Unconfined') {
      add(
        rules.seccomp,
        [...contextPath, 'seccompProfile', 'type'],
        say['kubernetes.pod-security.seccomp'].container({ ...who, profile: 'Unconfined' }),
        key,
      );
    }
    const added = getIn(context, ['capabilities', 'add']);
    // Restricted replaces the baseline capabilities control from its own version on.
    if (!restrictedCapabilities && Array.isArray(added)) {
      for (const capability of added) {
        if (!(typeof capability === 'string' && baselineCapabilities.has(capability))) {
          add(
            rules.capabilitiesAdd,
            [...contextPath, 'capabilities', 'add'],
            say['kubernetes.pod-security.capabilities-add'].beyondDefault({
              ...who,
              capability: String(capability).slice(0, 40),
            }),
            `${key}:${String(capability)}`,
          );
        }
      }
    }

    // Restricted.
    if (!restricted) continue;
    if (at(since.allowPrivilegeEscalation) && !windowsExempt && context.allowPrivilegeEscalation !== false) {
      add(
        rules.allowPrivilegeEscalation,
        [...contextPath, 'allowPrivilegeEscalation'],
        say['kubernetes.pod-security.allow-privilege-escalation'].escalation(who),
        key,
      );
    }
    if (restrictedCapabilities && !windowsExempt) {
      const drop = getIn(context, ['capabilities', 'drop']);
      if (!Array.isArray(drop) || !drop.includes('ALL')) {
        add(
          rules.capabilitiesDropAll,
          [...contextPath, 'capabilities', 'drop'],
          say['kubernetes.pod-security.capabilities-drop-all'].notDropped(who),
          key,
        );
      }
      if (Array.isArray(added)) {
        for (const capability of added) {
          if (capability !== 'NET_BIND_SERVICE') {
            add(
              rules.capabilitiesAdd,
              [...contextPath, 'capabilities', 'add'],
              say['kubernetes.pod-security.capabilities-add'].added({
                ...who,
                capability: String(capability).slice(0, 40),
              }),
              `${key}:${String(capability)}`,
            );
          }
        }
      }
    }
    if (restrictedSeccomp) {
      if (seccomp !== undefined && !seccompAllowed(seccomp)) {
        add(
          rules.seccomp,
          [...contextPath, 'seccompProfile', 'type'],
          say['kubernetes.pod-security.seccomp'].container({ ...who, profile: String(seccomp).slice(0, 40) }),
          key,
        );
      } else if (seccomp === undefined && !seccompAllowed(podSeccomp)) {
        add(
          rules.seccomp,
          [...contextPath, 'seccompProfile'],
          say['kubernetes.pod-security.seccomp'].missing(who),
          key,
        );
      }
    }
    if (checkRoot) {
      if (context.runAsNonRoot === false) {
        add(
          rules.runAsNonRoot,
          [...contextPath, 'runAsNonRoot'],
          say['kubernetes.pod-security.run-as-non-root'].false(who),
          key,
        );
      } else if (context.runAsNonRoot !== true && podRunAsNonRoot !== true) {
        add(
          rules.runAsNonRoot,
          [...contextPath, 'runAsNonRoot'],
          say['kubernetes.pod-security.run-as-non-root'].missing(who),
          key,
        );
      }
      if (at(since.runAsUser) && context.runAsUser === 0) {
        add(rules.runAsUser, [...contextPath, 'runAsUser'], say['kubernetes.pod-security.run-as-user'].root(who), key);
      }
    }
  }
  return violations;

  function checkAppArmorProfile(context: Json, contextPath: Path, who: Who, key = 'pod'): void {
    const type = getIn(context, ['appArmorProfile', 'type']);
    if (type !== undefined && type !== 'RuntimeDefault' && type !== 'Localhost') {
      add(
        rules.appArmor,
        [...contextPath, 'appArmorProfile', 'type'],
        say['kubernetes.pod-security.apparmor'].profile({ ...who, type: String(type).slice(0, 40) }),
        key,
      );
    }
  }

  function checkSeLinux(context: Json, contextPath: Path, who: Who, key = 'pod'): void {
    const options = context.seLinuxOptions;
    if (!isObject(options)) return;
    const type = options.type;
    const allowed = allowedAt(seLinuxTypes, policy.minor);
    if (type !== undefined && !(typeof type === 'string' && allowed.has(type))) {
      add(
        rules.seLinux,
        [...contextPath, 'seLinuxOptions', 'type'],
        say['kubernetes.pod-security.selinux'].type({
          ...who,
          type: String(type).slice(0, 60),
          allowed: [...allowed].filter(Boolean).join(', '),
        }),
        `${key}:type`,
      );
    }
    for (const field of ['user', 'role'] as const) {
      if (options[field] !== undefined && options[field] !== '') {
        add(
          rules.seLinux,
          [...contextPath, 'seLinuxOptions', field],
          say['kubernetes.pod-security.selinux'].field({ ...who, field }),
          `${key}:${field}`,
        );
      }
    }
  }

  function checkProbeHosts(container: Json, containerPath: Path, who: Who, key: string): void {
    const handlers: { path: Path; handler: unknown }[] = [
      ...probes.map((probe) => ({ path: [probe], handler: container[probe] })),
      ...lifecycleHandlers.map((hook) => ({
        path: ['lifecycle', hook],
        handler: getIn(container, ['lifecycle', hook]),
      })),
    ];
    for (const { path, handler } of handlers) {
      if (!isObject(handler)) continue;
      for (const action of ['httpGet', 'tcpSocket'] as const) {
        const host = getIn(handler, [action, 'host']);
        if (host !== undefined && host !== '') {
          add(
            rules.hostProbes,
            [...containerPath, ...path, action, 'host'],
            say['kubernetes.pod-security.host-probes'].host({
              ...who,
              handler: path.join('.'),
              action,
              host: String(host).slice(0, 60),
            }),
            `${key}:${path.join('.')}`,
          );
        }
      }
    }
  }
}
