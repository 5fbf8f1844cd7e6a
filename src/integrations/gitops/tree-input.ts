// What the renderer hands to the writer: file contents by path, plus folders to keep as they are in the previous
// commit (an environment whose new render is invalid keeps running its last valid state).

/** Marks a folder whose previous content must be kept unchanged (absent before = stays absent). */
export const keepPrevious: unique symbol = Symbol('keep-previous');
export type KeepPrevious = typeof keepPrevious;

export type TreeEntry = string | Uint8Array | KeepPrevious;

/** Path (POSIX, relative, no `.`/`..`) → content or keepPrevious. */
export type TreeFiles = Map<string, TreeEntry>;
