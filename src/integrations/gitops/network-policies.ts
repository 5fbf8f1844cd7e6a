// Network isolation of an environment: nothing in or out by default, then the few flows every application
// needs, then the flows the project declared (EX43). Kubernetes unions allow rules, so order does not matter.
import type { Cluster, Environment, NetworkFlow, Project, Zone } from './model.ts';
import type { KubeObject } from './kube-object.ts';
import { environmentLabels } from './namespace-guardrails.ts';
import { namespaceOf } from './layout.ts';

const namespaceNameLabel = 'kubernetes.io/metadata.name';
export const defaultIngressControllerNamespace = 'ingress-nginx';

export function networkPolicyManifests(
  project: Project,
  environment: Environment,
  cluster: Cluster,
  zone: Zone,
): KubeObject[] {
  const namespace = namespaceOf(project.slug, environment.name);
  const labels = environmentLabels(project, environment, zone);
  const policy = (name: string, spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels },
    spec: { podSelector: {}, ...spec },
  });
  const ingressNamespace = cluster.ingressControllerNamespace ?? defaultIngressControllerNamespace;
  return [
    policy('default-deny-all', { policyTypes: ['Ingress', 'Egress'] }),
    policy('allow-same-namespace', {
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    }),
    policy('allow-dns', {
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { [namespaceNameLabel]: 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    }),
    policy('allow-from-ingress-controller', {
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { [namespaceNameLabel]: ingressNamespace } } }] }],
    }),
    ...[...project.flows]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((flow) => policy(`flow-${flow.name}`, declaredFlowSpec(flow))),
  ];
}

function declaredFlowSpec(flow: NetworkFlow): Record<string, unknown> {
  const peer =
    flow.peer.kind === 'namespace'
      ? { namespaceSelector: { matchLabels: { ...flow.peer.namespaceLabels } } }
      : {
          ipBlock: flow.peer.except?.length
            ? { cidr: flow.peer.cidr, except: [...flow.peer.except] }
            : { cidr: flow.peer.cidr },
        };
  const ports = flow.ports.map((p) => ({ protocol: p.protocol, port: p.port }));
  return flow.direction === 'ingress'
    ? { policyTypes: ['Ingress'], ingress: [{ from: [peer], ports }] }
    : { policyTypes: ['Egress'], egress: [{ to: [peer], ports }] };
}
