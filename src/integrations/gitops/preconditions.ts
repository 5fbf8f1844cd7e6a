// Checks on the desired state itself, before anything is rendered: each problem is a value with a message the
// project team or the platform administrator can act on.
import { isIP } from 'node:net';
import { sensitivityAccepted } from '../../domain/permissions.ts';
import type { Cluster, Environment, Platform, Project, RenderError, Zone } from './model.ts';
import { namespaceOf } from './layout.ts';

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Slugs become folder names and Kubernetes names: only these are ever turned into a path. */
export function isSlug(value: string): boolean {
  return value.length <= 63 && dnsLabel.test(value);
}
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const commitSha = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/** A ref name ArgoCD can follow outside production; conservative subset of git's rules. */
const refName = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]{1,200}(?<![/.])$/;
const secretKey = /^[-._a-zA-Z0-9]{1,253}$/;
const oidcGroup = /^[^\s\0]{1,256}$/;
/** Bound on untrusted lists, so one project cannot make a reconcile arbitrarily slow. */
const maxItems = 100;

function error(code: string, fr: string, en: string, object?: string): RenderError {
  return object ? { code, object, message: { fr, en } } : { code, message: { fr, en } };
}

/** An IPv4 or IPv6 address and a prefix length it allows; the API validates declared flows with it too. */
export function isCidr(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length || address === undefined || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
  const family = isIP(address);
  return family !== 0 && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** A URL ArgoCD can pull from, without credentials in it (those live in ArgoCD's repository secrets). */
export function isRepositoryUrl(value: string): boolean {
  if (value.length > 2000) return false;
  try {
    const url = new URL(value);
    return ['https:', 'http:', 'ssh:', 'file:'].includes(url.protocol) && !url.username && !url.password;
  } catch {
    return false;
  }
}

export function platformErrors(
  platform: Platform,
  environment: Environment,
): { errors: RenderError[]; cluster?: Cluster; zone?: Zone } {
  const cluster = platform.clusters.find((c) => c.slug === environment.cluster);
  if (!cluster) {
    return {
      errors: [
        error(
          'cluster.unknown',
          `Le cluster « ${environment.cluster} » n'existe pas.`,
          `Cluster "${environment.cluster}" does not exist.`,
        ),
      ],
    };
  }
  const zone = platform.zones.find((z) => z.slug === cluster.zone);
  if (!zone) {
    return {
      errors: [
        error(
          'zone.unknown',
          `La zone « ${cluster.zone} » du cluster « ${cluster.slug} » n'existe pas.`,
          `Zone "${cluster.zone}" of cluster "${cluster.slug}" does not exist.`,
        ),
      ],
    };
  }
  return { errors: [], cluster, zone };
}

export function environmentErrors(project: Project, environment: Environment, zone: Zone): RenderError[] {
  const errors: RenderError[] = [];
  const push = (code: string, fr: string, en: string, object?: string) => errors.push(error(code, fr, en, object));

  if (!dnsLabel.test(project.slug)) push('project.slug-invalid', `Identifiant de projet invalide : « ${project.slug.slice(0, 80)} ».`, `Invalid project slug: "${project.slug.slice(0, 80)}".`);
  if (!dnsLabel.test(environment.name)) push('environment.name-invalid', `Nom d'environnement invalide : « ${environment.name.slice(0, 80)} » (minuscules, chiffres, tirets).`, `Invalid environment name: "${environment.name.slice(0, 80)}" (lower-case letters, digits, dashes).`);
  const namespace = namespaceOf(project.slug, environment.name);
  if (namespace.length > 63) push('namespace.too-long', `Le namespace « ${namespace.slice(0, 80)}… » dépasse 63 caractères : raccourcissez le nom du projet ou de l'environnement.`, `Namespace "${namespace.slice(0, 80)}…" is longer than 63 characters: shorten the project or environment name.`);
  if (!sensitivityAccepted(zone.maxSensitivity, project.dataSensitivity)) {
    push('zone.sensitivity', `La zone « ${zone.slug} » n'accepte pas des données « ${project.dataSensitivity} » : choisissez un cluster d'une zone adaptée.`, `Zone "${zone.slug}" does not accept "${project.dataSensitivity}" data: choose a cluster in a suitable zone.`);
  }

  for (const [field, value] of Object.entries(environment.quotas)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      push('quota.negative', `Le quota ${field} doit être un entier positif ou nul (reçu ${value}).`, `Quota ${field} must be a non-negative integer (got ${value}).`, 'ResourceQuota/environment-quota');
    }
  }

  const { revision, repositoryUrl, path } = environment.deployment;
  if (revision !== null) {
    if (environment.stage.production && !commitSha.test(revision)) {
      push('revision.branch-in-production', `En production, seule une révision certifiée (identifiant complet de commit) peut être déployée, pas « ${revision.slice(0, 80)} ».`, `Production only runs a certified revision (a full commit id), not "${revision.slice(0, 80)}".`, 'Application');
    } else if (!commitSha.test(revision) && !refName.test(revision)) {
      push('revision.invalid', `Révision invalide : « ${revision.slice(0, 80)} ».`, `Invalid revision: "${revision.slice(0, 80)}".`, 'Application');
    }
    if (!isRepositoryUrl(repositoryUrl)) {
      push('repository.url-invalid', `URL de dépôt d'infrastructure invalide (sans identifiants) : « ${repositoryUrl.slice(0, 120)} ».`, `Invalid infrastructure repository URL (no credentials allowed): "${repositoryUrl.slice(0, 120)}".`, 'Application');
    }
    if (path.startsWith('/') || path.split('/').includes('..') || path.length > 500) {
      push('repository.path-invalid', `Chemin invalide dans le dépôt d'infrastructure : « ${path.slice(0, 120)} ».`, `Invalid path in the infrastructure repository: "${path.slice(0, 120)}".`, 'Application');
    }
  }

  if (project.flows.length > maxItems) push('flows.too-many', `Trop de flux déclarés (${project.flows.length}, maximum ${maxItems}).`, `Too many declared flows (${project.flows.length}, at most ${maxItems}).`);
  const flowNames = new Set<string>();
  for (const flow of project.flows.slice(0, maxItems)) {
    const object = `NetworkPolicy/flow-${flow.name}`;
    if (!dnsLabel.test(flow.name) || flow.name.length > 50) push('flow.name-invalid', `Nom de flux invalide : « ${flow.name.slice(0, 80)} ».`, `Invalid flow name: "${flow.name.slice(0, 80)}".`, object);
    if (flowNames.has(flow.name)) push('flow.duplicate', `Flux « ${flow.name} » déclaré deux fois.`, `Flow "${flow.name}" is declared twice.`, object);
    flowNames.add(flow.name);
    if (flow.peer.kind === 'cidr') {
      for (const cidr of [flow.peer.cidr, ...(flow.peer.except ?? [])]) {
        if (!isCidr(cidr)) push('flow.cidr-invalid', `Plage d'adresses invalide pour le flux « ${flow.name} » : « ${cidr.slice(0, 60)} ».`, `Invalid address range for flow "${flow.name}": "${cidr.slice(0, 60)}".`, object);
      }
    } else if (Object.keys(flow.peer.namespaceLabels).length === 0) {
      push('flow.peer-empty', `Le flux « ${flow.name} » doit désigner des namespaces précis (sélecteur vide = tous).`, `Flow "${flow.name}" must select specific namespaces (an empty selector means all of them).`, object);
    }
    if (flow.ports.length === 0 || flow.ports.length > maxItems) push('flow.ports-invalid', `Le flux « ${flow.name} » doit lister entre 1 et ${maxItems} ports.`, `Flow "${flow.name}" must list between 1 and ${maxItems} ports.`, object);
    for (const port of flow.ports) {
      if (!Number.isInteger(port.port) || port.port < 1 || port.port > 65535) push('flow.port-invalid', `Port invalide pour le flux « ${flow.name} » : ${port.port}.`, `Invalid port for flow "${flow.name}": ${port.port}.`, object);
    }
  }

  for (const role of project.roles) {
    if (!dnsLabel.test(role.role)) push('role.name-invalid', `Nom de rôle invalide : « ${role.role.slice(0, 80)} ».`, `Invalid role name: "${role.role.slice(0, 80)}".`);
    if (!oidcGroup.test(role.oidcGroup)) push('role.group-invalid', `Groupe OIDC invalide pour le rôle « ${role.role.slice(0, 80)} ».`, `Invalid OIDC group for role "${role.role.slice(0, 80)}".`);
  }

  if (project.secrets.length > maxItems) push('secrets.too-many', `Trop de secrets référencés (${project.secrets.length}, maximum ${maxItems}).`, `Too many secret references (${project.secrets.length}, at most ${maxItems}).`);
  for (const secret of project.secrets.slice(0, maxItems)) {
    const object = `ExternalSecret/${secret.name.slice(0, 80)}`;
    if (!dnsSubdomain.test(secret.name) || secret.name.length > 253) push('secret.name-invalid', `Nom de secret invalide : « ${secret.name.slice(0, 80)} ».`, `Invalid secret name: "${secret.name.slice(0, 80)}".`, object);
    if (secret.keys.length === 0 || secret.keys.length > maxItems) push('secret.keys-invalid', `Le secret « ${secret.name.slice(0, 80)} » doit référencer entre 1 et ${maxItems} clés.`, `Secret "${secret.name.slice(0, 80)}" must reference between 1 and ${maxItems} keys.`, object);
    for (const key of secret.keys) {
      if (!secretKey.test(key)) push('secret.key-invalid', `Clé invalide dans le secret « ${secret.name.slice(0, 80)} » : « ${key.slice(0, 80)} ».`, `Invalid key in secret "${secret.name.slice(0, 80)}": "${key.slice(0, 80)}".`, object);
    }
  }
  return errors;
}
