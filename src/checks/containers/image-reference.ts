// Parsing of OCI image references ("registry/namespace/name:tag@digest"), shared by the
// Dockerfile and Kubernetes checkers so both judge tags and digests the same way.

export interface ImageReference {
  /** Registry host when the reference names one (contains a dot or a port, or is localhost). */
  registry?: string;
  /** Repository path without registry, e.g. `library/debian` is reported as `debian`. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** Parses a reference; returns undefined for an empty or obviously malformed string. */
export function parseImageReference(raw: string): ImageReference | undefined {
  const text = raw.trim();
  if (text === '' || /\s/.test(text) || text.length > 512) return undefined;
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (digest === '') return undefined;
  }
  let registry: string | undefined;
  const firstSlash = rest.indexOf('/');
  if (firstSlash > 0) {
    const head = rest.slice(0, firstSlash);
    if (head.includes('.') || head.includes(':') || head === 'localhost') {
      registry = head;
      rest = rest.slice(firstSlash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (tag === '') return undefined;
  }
  if (rest === '') return undefined;
  let repository = rest.toLowerCase();
  if (repository.startsWith('library/') && (registry === undefined || registry === 'docker.io')) repository = repository.slice('library/'.length);
  const reference: ImageReference = { repository };
  if (registry !== undefined) reference.registry = registry;
  if (tag !== undefined) reference.tag = tag;
  if (digest !== undefined) reference.digest = digest;
  return reference;
}

/** How a reference pins its content: by digest, by a fixed tag, or not at all (`latest`/no tag). */
export function pinningOf(reference: ImageReference): 'digest' | 'tag' | 'floating' {
  if (reference.digest) return 'digest';
  if (reference.tag === undefined || reference.tag.toLowerCase() === 'latest') return 'floating';
  return 'tag';
}
