// Lifecycle rules of a project that do not need I/O: slugs, and which changes a locked or archived project accepts.

/** `[a-z0-9-]`, 1–40 characters, not starting or ending with '-'. */
export const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
export const slugMaxLength = 40;

export function isValidSlug(value: string): boolean {
  return slugPattern.test(value);
}

/** Why a project refuses changes; the API maps each to its problem type. */
export type ProjectChangeRefusal = 'archived' | 'locked';

export interface ProjectState {
  locked: boolean;
  archived: boolean;
}

/**
 * Why a change to a project (or anything inside it) is refused, or undefined when allowed.
 * `unlockOrRestore`: the change only lifts the lock or the archive flag — the one way out of those states,
 * reserved to callers the API has already authorised for it.
 */
export function projectChangeRefusal(
  project: ProjectState,
  change: { unlockOrRestore?: boolean } = {},
): ProjectChangeRefusal | undefined {
  if (change.unlockOrRestore) return undefined;
  if (project.archived) return 'archived';
  if (project.locked) return 'locked';
  return undefined;
}
