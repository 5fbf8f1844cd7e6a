// One pagination style everywhere: keyset cursors. `?limit=` (1–200, default 50) and `?cursor=` (opaque, from the
// previous page's `nextCursor`); responses are `{ items, nextCursor }`, nextCursor null on the last page.
// Keyset (not offset) keeps deep pages as fast as the first one with 10,000 projects.
import { z } from 'zod';
import { bilingual, Problem } from '../errors.ts';

export const maxPageSize = 200;

export const pageQueryShape = {
  limit: z.coerce.number().int().min(1).max(maxPageSize).default(50),
  cursor: z.string().max(512).optional(),
};

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** The cursor carries the sort key of the last item seen. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === arity && key.every((k) => typeof k === 'string' || typeof k === 'number')) return key;
  } catch {
    // fall through to the validation problem
  }
  throw new Problem('validation', bilingual('Ce curseur n’a pas été produit par cette API.', 'The cursor is not one this API produced.'), [{ field: 'cursor', message: bilingual('curseur invalide', 'invalid cursor') }]);
}

/** Callers fetch limit + 1 rows; the extra one tells whether a next page exists. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => readonly (string | number)[],
  present: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(present),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
