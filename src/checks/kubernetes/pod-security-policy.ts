// Which Pod Security Standards apply: a level (baseline, or restricted which includes baseline) and a version, as
// Pod Security Admission takes them (`pod-security.kubernetes.io/enforce-version: v1.xx | latest`). Each control
// changed at known Kubernetes versions; pinning a version gives that version's definition, `latest` the newest
// one known here. Source: the pod-security-admission policy checks of kubernetes/kubernetes (their
// `MinimumVersion`s), release notes of v1.27, v1.29, v1.32, v1.34, v1.35 and v1.37. Pure data, no I/O.

export type PodSecurityLevel = 'baseline' | 'restricted';

export interface PodSecurityPolicy {
  level: PodSecurityLevel;
  /** Minor version of Kubernetes 1.x whose definition applies (latest resolved, newer ones clamped). */
  minor: number;
  /** As written (`latest`, `v1.30`), for messages. */
  label: string;
}

/** The newest definition known here: policy v1.37 added two TCP sysctls (the newest change of any control). */
export const latestMinor = 37;

export const defaultPodSecurityPolicy: PodSecurityPolicy = { level: 'restricted', minor: latestMinor, label: 'latest' };

/**
 * Reads a version as Pod Security Admission accepts it: `latest` or `v1.<minor>`. Versions newer than the newest
 * definition known here resolve to it (as Pod Security Admission clamps to its own newest). Undefined when invalid.
 */
export function parsePodSecurityVersion(text: string): { minor: number; label: string } | undefined {
  if (text === 'latest') return { minor: latestMinor, label: 'latest' };
  const match = /^v1\.(0|[1-9]\d{0,2})$/.exec(text);
  if (!match) return undefined;
  return { minor: Math.min(Number(match[1]), latestMinor), label: text };
}

/** Sysctls a pod may set, with the policy version that made each safe. */
export const safeSysctls: readonly { name: string; since: number }[] = [
  { name: 'kernel.shm_rmid_forced', since: 0 },
  { name: 'net.ipv4.ip_local_port_range', since: 0 },
  { name: 'net.ipv4.ip_unprivileged_port_start', since: 0 },
  { name: 'net.ipv4.tcp_syncookies', since: 0 },
  { name: 'net.ipv4.ping_group_range', since: 0 },
  { name: 'net.ipv4.ip_local_reserved_ports', since: 27 },
  { name: 'net.ipv4.tcp_keepalive_time', since: 29 },
  { name: 'net.ipv4.tcp_fin_timeout', since: 29 },
  { name: 'net.ipv4.tcp_keepalive_intvl', since: 29 },
  { name: 'net.ipv4.tcp_keepalive_probes', since: 29 },
  { name: 'net.ipv4.tcp_rmem', since: 32 },
  { name: 'net.ipv4.tcp_wmem', since: 32 },
  { name: 'net.ipv4.tcp_slow_start_after_idle', since: 37 },
  { name: 'net.ipv4.tcp_notsent_lowat', since: 37 },
];

/** SELinux types a pod or container may ask for (`""` means unset). */
export const seLinuxTypes: readonly { name: string; since: number }[] = [
  { name: '', since: 0 },
  { name: 'container_t', since: 0 },
  { name: 'container_init_t', since: 0 },
  { name: 'container_kvm_t', since: 0 },
  { name: 'container_engine_t', since: 31 },
];

/** Capabilities the baseline level lets a container add (the container runtime's default set, minus NET_RAW). */
export const baselineCapabilities: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** Volume types the restricted level allows (`image` was added to the check without a new version, in 1.33). */
export const restrictedVolumeTypes: ReadonlySet<string> = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret',
]);

/** Policy versions at which each control appeared or changed, for the controls that did. */
export const since = {
  /** Restricted: allowPrivilegeEscalation must be false. */
  allowPrivilegeEscalation: 8,
  /** The seccomp field replaces the alpha annotations; restricted requires RuntimeDefault or Localhost. */
  seccompField: 19,
  /** Restricted: drop ALL, add only NET_BIND_SERVICE (before, the baseline list applied). */
  restrictedCapabilities: 22,
  /** Restricted: runAsUser must not be 0. */
  runAsUser: 23,
  /** Restricted: pods with spec.os.name windows are exempt from the Linux-only controls. */
  windowsExemption: 25,
  /** Baseline: no `host` in probes and lifecycle handlers. */
  probeHost: 34,
  /** Pods in a user namespace (hostUsers: false) are exempt from runAsNonRoot, runAsUser and, at baseline,
   * procMount. */
  userNamespaceRelaxation: 35,
} as const;

export const allowedAt = <T extends { name: string; since: number }>(list: readonly T[], minor: number): Set<string> =>
  new Set(list.filter((entry) => entry.since <= minor).map((entry) => entry.name));
