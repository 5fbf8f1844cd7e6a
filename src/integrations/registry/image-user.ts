// The checks' image inspector (CheckOptions.inspectImage) over the OCI distribution client: the default user of a
// base image, read from its registry when the Dockerfile's final stage sets no USER. Anonymous pull; one short
// time limit; http only for a registry on this machine (localhost, 127.0.0.1, [::1]).
import { parseImageReference } from '../../checks/containers/image-reference.ts';
import type { ImageInspector } from '../../checks/model.ts';
import { RegistryClient } from './distribution-client.ts';

export interface ImageUserInspectorOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function imageUserInspector(options: ImageUserInspectorOptions = {}): ImageInspector {
  const clients = new Map<string, RegistryClient>();
  return async (image) => {
    const reference = parseImageReference(image);
    if (!reference) return { error: 'not an image reference' };
    const host = (reference.registry ?? 'docker.io').toLowerCase();
    const dockerHub = host === 'docker.io' || host === 'index.docker.io' || host === 'registry-1.docker.io';
    const local = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::\d+)?$/.test(host);
    const baseUrl = dockerHub ? 'https://registry-1.docker.io' : `${local ? 'http' : 'https'}://${host}`;
    const repository = dockerHub && !reference.repository.includes('/') ? `library/${reference.repository}` : reference.repository;
    let client = clients.get(baseUrl);
    if (!client) {
      client = new RegistryClient({
        baseUrl,
        timeoutMs: options.timeoutMs ?? 5000,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      });
      clients.set(baseUrl, client);
    }
    try {
      return { user: await client.imageUser(repository, reference.digest ?? reference.tag ?? 'latest') };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  };
}
