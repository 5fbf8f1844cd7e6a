// The user a base image runs as when the Dockerfile sets no USER. Well-known images that run unprivileged by
// design are recognised by name and tag; for the others, `CheckOptions.inspectImage` (the OCI registry client,
// when the registry is reachable) reads the `User` of the image configuration. Pure: no I/O here.
import type { ImageReference } from './image-reference.ts';

/** Why a well-known image runs as non-root, or undefined when nothing is known from its name. */
export function knownNonRootImage(reference: ImageReference): string | undefined {
  const registry = (reference.registry ?? 'docker.io').toLowerCase();
  const repository = reference.repository.toLowerCase();
  const tag = (reference.tag ?? '').toLowerCase();
  const name = repository.slice(repository.lastIndexOf('/') + 1);
  // Distroless and others publish non-root variants as a tag: :nonroot, :debug-nonroot, :latest-nonroot, :11-nonroot.
  if (/(^|[-_.])nonroot($|[-_.])/.test(tag)) return 'its "nonroot" tag runs as an unprivileged user';
  if (/-unprivileged$|-rootless$|-nonroot$/.test(name)) return `${name} runs as an unprivileged user by design`;
  // Chainguard images run as nonroot (65532), except their -dev variants which may run as root.
  if (registry === 'cgr.dev' && !/(^|-)dev($|-)/.test(tag)) return 'Chainguard images run as nonroot (65532)';
  // Bitnami's images are non-root (1001) unless named otherwise.
  if (/^bitnami(legacy)?\//.test(repository) && !/(^|-)root/.test(tag)) return 'Bitnami images run as 1001';
  // Red Hat's language and web server images (S2I) run as 1001.
  if (/^(?:registry\.access\.redhat\.com|registry\.redhat\.io)$/.test(registry) && /^ubi\d+\/(?:nodejs|python|openjdk|go-toolset|php|ruby|perl|nginx|httpd|dotnet)/.test(repository)) {
    return 'Red Hat UBI language and web server images run as 1001';
  }
  // .NET chiseled images run as the `app` user (1654).
  if (registry === 'mcr.microsoft.com' && /chiseled/.test(tag)) return '.NET chiseled images run as app (1654)';
  // Images whose publishers set an unprivileged default user.
  const known: Record<string, string> = {
    'grafana/grafana': 'runs as grafana (472)',
    'prom/prometheus': 'runs as nobody',
    'prom/alertmanager': 'runs as nobody',
    'prom/node-exporter': 'runs as nobody',
    'quay.io/keycloak/keycloak': 'runs as 1000',
    'quay.io/prometheus/prometheus': 'runs as nobody',
    'docker.io/sonarqube': 'runs as sonarqube (1000)',
    'docker.io/jenkins/jenkins': 'runs as jenkins (1000)',
  };
  const full = `${registry}/${repository}`;
  const why = known[full] ?? known[repository];
  return why ? `${repository} ${why}` : undefined;
}

/** True when a configured `User` (from the image configuration) is root. Empty means root. */
export function isRootUser(user: string): boolean {
  const name = (user.split(':')[0] ?? '').trim().toLowerCase();
  return name === '' || name === 'root' || /^0+$/.test(name) || name === 'containeradministrator';
}
