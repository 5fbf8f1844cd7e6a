// Rules of the Kubernetes manifest checker. Ids under `kubernetes.pod-security.` implement the Pod Security
// Standards, one rule per control (restricted by default, which includes baseline; see pod-security-policy.ts).
import { withDescriptions } from '../localise.ts';
import type { Rule } from '../model.ts';
import { kubernetesCatalogue } from './messages.ts';

const rule = (id: string, kind: Rule['kind'], severity: Rule['severity'], requirements: string[], description: string): Rule => ({
  id, kind, severity, requirements, description,
});

const pss = (name: string, description: string, requirements: string[] = ['EX32']): Rule =>
  rule(`kubernetes.pod-security.${name}`, 'policy', 'high', requirements, description);

export const podSecurityRules = {
  hostProcess: pss('host-process', 'Windows HostProcess containers get host-level access and are forbidden.'),
  hostNamespaces: pss('host-namespaces', 'Pods must not share the host network, PID or IPC namespace.'),
  privileged: pss('privileged', 'Containers must not run privileged.'),
  capabilitiesAdd: pss('capabilities-add', 'Containers may add only NET_BIND_SERVICE (restricted), or only capabilities of the runtime default set (baseline).'),
  capabilitiesDropAll: pss('capabilities-drop-all', 'Containers must drop ALL Linux capabilities.'),
  hostPath: pss('host-path', 'Pods must not mount hostPath volumes.', ['EX32', 'EX49']),
  volumeTypes: pss('volume-types', 'Only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes are allowed.', ['EX32', 'EX49']),
  hostPorts: pss('host-ports', 'Containers must not bind host ports.'),
  appArmor: pss('apparmor', 'AppArmor must not be disabled: only the runtime default or a localhost profile is allowed.'),
  seLinux: pss('selinux', 'SELinux options may set only an allowed container type, and never a user or role.'),
  procMount: pss('proc-mount', 'The /proc mount type must stay Default (masked).'),
  seccomp: pss('seccomp', 'A seccomp profile RuntimeDefault or Localhost must be set for the pod or every container, never Unconfined.'),
  sysctls: pss('sysctls', 'Only the namespaced, safe sysctls may be set.'),
  allowPrivilegeEscalation: pss('allow-privilege-escalation', 'Containers must set allowPrivilegeEscalation: false.'),
  runAsNonRoot: pss('run-as-non-root', 'Pods or all their containers must set runAsNonRoot: true.'),
  runAsUser: pss('run-as-user', 'runAsUser must not be 0 (root).'),
  hostProbes: pss('host-probes', 'Probes and lifecycle handlers must not set a host: they would reach another machine from the node.'),
} as const;

// Descriptions are replaced by the catalogue's (messages.ts), French and English.
export const kubernetesRules = withDescriptions({
  unparsable: rule('kubernetes.unparsable', 'parse', 'medium', ['EX15', 'EX32'],
    'A Kubernetes manifest could not be parsed as YAML, so it was not evaluated.'),
  schemaInvalid: rule('kubernetes.schema-invalid', 'policy', 'high', ['EX15'],
    'A Kubernetes object does not match the API schema of its kind and would be rejected by the cluster.'),
  unknownField: rule('kubernetes.unknown-field', 'quality', 'low', ['EX15'],
    'A workload has a field the Kubernetes API does not know (often a typo or wrong indentation); it would be ignored or rejected.'),
  containerPort: rule('kubernetes.container-port-above-1024', 'policy', 'medium', ['EX32'],
    'A container declares a port at or below 1024, which needs privileges to bind.'),
  servicePort: rule('kubernetes.service-port-above-1024', 'policy', 'medium', ['EX32'],
    'A Service targets a container port at or below 1024.'),
  resourceRequests: rule('kubernetes.resource-requests', 'quality', 'medium', ['EX26'],
    'Containers must request CPU and memory so the scheduler can place them.'),
  resourceLimits: rule('kubernetes.resource-limits', 'quality', 'medium', ['EX26'],
    'Containers must set a memory limit (and may set a CPU limit) so one pod cannot starve the node.'),
  livenessProbe: rule('kubernetes.liveness-probe', 'policy', 'medium', ['EX25', 'EX28'],
    'Long-running containers must declare a liveness probe.'),
  readinessProbe: rule('kubernetes.readiness-probe', 'policy', 'medium', ['EX25', 'EX28'],
    'Long-running containers must declare a readiness probe.'),
  imageFloatingTag: rule('kubernetes.image-floating-tag', 'policy', 'medium', ['EX14'],
    'A container image has no tag or uses `latest`, so what runs is not defined by the versioned manifests.'),
  ...podSecurityRules,
} as const, kubernetesCatalogue);

export const kubernetesRuleList: readonly Rule[] = Object.values(kubernetesRules);
