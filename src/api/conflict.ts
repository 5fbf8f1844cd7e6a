// Unique-constraint violations become a 409 problem a user can act on ("this slug is taken"), on PostgreSQL and PGlite
// alike (drizzle wraps the driver error; the SQLSTATE is on it or on its cause).
import { bilingual, Problem, type LocalisedText } from '../errors.ts';

export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/** Runs `work`; a unique violation becomes 409 with `detail`. */
export async function conflictAs<T>(detail: LocalisedText, field: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw new Problem('conflict', detail, [{ field, message: bilingual('déjà utilisé', 'already taken') }]);
    throw error;
  }
}

/** Escapes LIKE wildcards so a search for "50%_off" matches those characters literally. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
