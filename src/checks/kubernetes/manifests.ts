// Evaluation of Kubernetes objects already parsed: the entry point shared by the manifest checker
// and by the GitOps renderer, which validates its own output before writing it.
import { findingOf, type CataloguedMessage, type Finding, type Location, type Rule } from '../model.ts';
import { about, say } from './messages.ts';
import { parseImageReference, pinningOf } from '../containers/image-reference.ts';
import { kubernetesRules as rules } from './rules.ts';
import { checkPodSecurity } from './pod-security.ts';
import type { PodSecurityPolicy } from './pod-security-policy.ts';
import { schemaProblemsOf, unknownFieldsOf } from './schema.ts';
import { containersOf, isObject, podTemplateOf, type Json, type Path } from './workloads.ts';

/**
 * Line of a path inside object number `index` of the list, or the place in another file it comes from (a Helm
 * template, a Kustomize patch); omit it for objects built in memory.
 */
export type Locator = (index: number, path: Path) => number | Location | undefined;

/** True when a parsed value looks like a Kubernetes object (string apiVersion and kind). */
export function isKubernetesObject(value: unknown): value is Json {
  return isObject(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string';
}

/** Expands `kind: List` and `*List` wrappers into their items. */
function flatten(objects: readonly unknown[]): { object: Json; index: number; prefix: Path }[] {
  const out: { object: Json; index: number; prefix: Path }[] = [];
  objects.forEach((value, index) => {
    if (!isKubernetesObject(value)) return;
    if (/List$/.test(String(value.kind)) && Array.isArray(value.items)) {
      value.items.forEach((item, i) => { if (isKubernetesObject(item)) out.push({ object: item, index, prefix: ['items', i] }); });
    } else {
      out.push({ object: value, index, prefix: [] });
    }
  });
  return out;
}

/**
 * Checks Kubernetes objects (workloads against the Pod Security Standards, restricted/latest unless told otherwise,
 * ports, resources, probes, image tags, schema). Values that are not Kubernetes objects are ignored.
 */
export function checkManifests(
  objects: readonly unknown[],
  file: string,
  locate?: Locator,
  options: { podSecurity?: PodSecurityPolicy } = {},
): Finding[] {
  const findings: Finding[] = [];
  for (const { object, index, prefix } of flatten(objects)) {
    const kind = object.kind as string;
    const name = isObject(object.metadata) && typeof object.metadata.name === 'string' ? object.metadata.name : '';
    const namespace =
      isObject(object.metadata) && typeof object.metadata.namespace === 'string' ? `${object.metadata.namespace}/` : '';
    const label = `${kind} ${namespace}${name}`.trim();
    const report = (rule: Rule, path: Path, message: CataloguedMessage, key: string): void => {
      const place = locate?.(index, [...prefix, ...path]);
      const location: Location =
        place === undefined ? { file } : typeof place === 'number' ? { file, line: place } : place;
      findings.push(findingOf(rule, location, about(label, message), `${kind}/${namespace}${name}/${key}`));
    };

    const schemaProblems = schemaProblemsOf(object);
    for (const problem of schemaProblems ?? [])
      report(
        rules.schemaInvalid,
        problem.path,
        say['kubernetes.schema-invalid'].schema({ problem: problem.message.slice(0, 300) }),
        `schema:${problem.message}`,
      );

    const template = podTemplateOf(object);
    for (const path of unknownFieldsOf(object, template?.specPath)) {
      report(
        rules.unknownField,
        path,
        say['kubernetes.unknown-field'].unknown({ field: path.join('.').slice(0, 200) }),
        `unknown:${path.join('.')}`,
      );
    }

    if (kind === 'Service' && isObject(object.spec) && Array.isArray(object.spec.ports)) {
      object.spec.ports.forEach((port, i) => {
        if (!isObject(port)) return;
        const target = port.targetPort ?? port.port;
        if (typeof target === 'number' && target <= 1024) {
          report(
            rules.servicePort,
            ['spec', 'ports', i, port.targetPort === undefined ? 'port' : 'targetPort'],
            say['kubernetes.service-port-above-1024'].low({ port: target }),
            `service-port:${target}`,
          );
        }
      });
    }

    if (!template) continue;
    for (const violation of checkPodSecurity(template, options.podSecurity))
      report(violation.rule, violation.path, violation.message, violation.key);

    for (const entry of containersOf(template)) {
      const who = { group: entry.group, container: entry.name.slice(0, 100) };
      const key = `${entry.group}:${entry.name}`;
      const { container, path } = entry;
      if (typeof container.image === 'string') {
        const reference = parseImageReference(container.image);
        if (reference && pinningOf(reference) === 'floating') {
          report(
            rules.imageFloatingTag,
            [...path, 'image'],
            say['kubernetes.image-floating-tag'].floating({ ...who, image: container.image.slice(0, 200) }),
            `${key}:image`,
          );
        }
      }
      if (entry.group === 'ephemeralContainers') continue; // debugging sessions: no ports, resources or probes
      if (Array.isArray(container.ports)) {
        container.ports.forEach((port, i) => {
          if (isObject(port) && typeof port.containerPort === 'number' && port.containerPort <= 1024) {
            report(
              rules.containerPort,
              [...path, 'ports', i, 'containerPort'],
              say['kubernetes.container-port-above-1024'].low({ ...who, port: port.containerPort }),
              `${key}:port:${port.containerPort}`,
            );
          }
        });
      }
      const resources = isObject(container.resources) ? container.resources : {};
      const requests = isObject(resources.requests) ? resources.requests : {};
      const limits = isObject(resources.limits) ? resources.limits : {};
      const missingRequests = ['cpu', 'memory'].filter((r) => requests[r] === undefined);
      if (missingRequests.length > 0) {
        report(
          rules.resourceRequests,
          [...path, 'resources', 'requests'],
          say['kubernetes.resource-requests'].missing({ ...who, resources: missingRequests.join(',') }),
          `${key}:requests`,
        );
      }
      if (limits.memory === undefined)
        report(
          rules.resourceLimits,
          [...path, 'resources', 'limits'],
          say['kubernetes.resource-limits'].memory(who),
          `${key}:limits`,
        );
      // Sidecars are init containers with restartPolicy Always: they run as long as the pod.
      const runsAlongside =
        entry.group === 'containers' || (entry.group === 'initContainers' && container.restartPolicy === 'Always');
      if (template.longRunning && runsAlongside) {
        if (container.livenessProbe === undefined)
          report(rules.livenessProbe, path, say['kubernetes.liveness-probe'].missing(who), `${key}:liveness`);
        if (container.readinessProbe === undefined)
          report(rules.readinessProbe, path, say['kubernetes.readiness-probe'].missing(who), `${key}:readiness`);
      }
    }
  }
  return findings;
}
