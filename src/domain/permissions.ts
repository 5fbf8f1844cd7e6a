// Named permissions (no bitmasks): a project role is a list of these names.
import type { Actor } from './actor.ts';

export const projectPermissions = [
  'project.read',
  'project.update',
  'project.delete',
  'members.read',
  'members.manage',
  'environments.read',
  'environments.manage',
  'repositories.read',
  'repositories.manage',
  'service-accounts.manage',
  'runs.read',
  'runs.start',
  'deployments.create',
  'deployments.production',
  'secrets.manage',
  'conformity.read',
  'attestations.create',
  'derogations.request',
  'webhooks.manage',
] as const;
export type ProjectPermission = (typeof projectPermissions)[number];

export interface RoleDefinition {
  name: string;
  label: { fr: string; en: string };
  permissions: readonly ProjectPermission[];
}

const read: ProjectPermission[] = ['project.read', 'members.read', 'environments.read', 'repositories.read', 'runs.read', 'conformity.read'];

/** Default roles every project has; projects may add their own. */
export const defaultProjectRoles: readonly RoleDefinition[] = [
  { name: 'owner', label: { fr: 'Propriétaire', en: 'Owner' }, permissions: [...projectPermissions] },
  {
    name: 'devops',
    label: { fr: 'DevOps', en: 'DevOps' },
    permissions: [...read, 'environments.manage', 'repositories.manage', 'service-accounts.manage', 'runs.start', 'deployments.create', 'deployments.production', 'secrets.manage', 'attestations.create', 'derogations.request', 'webhooks.manage'],
  },
  { name: 'developer', label: { fr: 'Développeur', en: 'Developer' }, permissions: [...read, 'runs.start', 'deployments.create', 'derogations.request'] },
  { name: 'security', label: { fr: 'Sécurité', en: 'Security' }, permissions: [...read, 'attestations.create', 'derogations.request'] },
  { name: 'read-only', label: { fr: 'Lecture seule', en: 'Read-only' }, permissions: [...read] },
];

export const adminRoles = ['platform-admin', 'security-officer', 'admin-read-only'] as const;
export type AdminRole = (typeof adminRoles)[number];

/** Data sensitivity levels, ordered: a zone accepts every level up to its maximum. */
export const sensitivityLevels = ['public', 'internal', 'sensitive', 'restricted'] as const;
export type SensitivityLevel = (typeof sensitivityLevels)[number];
export function sensitivityAccepted(zoneMax: SensitivityLevel, project: SensitivityLevel): boolean {
  return sensitivityLevels.indexOf(project) <= sensitivityLevels.indexOf(zoneMax);
}

/** Read permissions: what read-only administrators get on every project. */
export const readPermissions: readonly ProjectPermission[] = projectPermissions.filter((p) => p.endsWith('.read'));

export type AdminAccess = 'write' | 'read' | undefined;

/** Platform-wide rights: bootstrap token and platform-admin write; security officer and read-only admin read. */
export function adminAccess(actor: Actor): AdminAccess {
  if (actor.kind === 'bootstrap-admin') return 'write';
  if (actor.kind !== 'user') return undefined;
  if (actor.adminRoles.includes('platform-admin')) return 'write';
  if (actor.adminRoles.some((r) => r === 'security-officer' || r === 'admin-read-only')) return 'read';
  return undefined;
}
