// Reads the image buildah wrote as an OCI layout folder back into memory, so the publish step can push it to
// whichever store is configured (remote registry or embedded layout) through one interface.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Image } from '../integrations/registry/image.ts';

const digestPattern = /^sha256:[0-9a-f]{64}$/;
/** Images larger than this are refused (the built tree was already bounded by the checkout limits). */
const maxImageBytes = 2 * 1024 ** 3;

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

async function blob(dir: string, digest: string): Promise<Buffer> {
  if (!digestPattern.test(digest)) throw new Error(`invalid digest in the built image: ${digest.slice(0, 80)}`);
  return readFile(path.join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length)));
}

export async function readOciDirImage(dir: string): Promise<Image> {
  const index = JSON.parse(await readFile(path.join(dir, 'index.json'), 'utf8')) as { manifests?: Descriptor[] };
  const entry = index.manifests?.at(-1);
  if (!entry) throw new Error('the built image folder holds no manifest');
  const manifest = JSON.parse((await blob(dir, entry.digest)).toString('utf8')) as { config: Descriptor; layers: Descriptor[] };
  let total = 0;
  const load = async (d: Descriptor) => {
    total += d.size;
    if (total > maxImageBytes) throw new Error('the built image is larger than 2 GiB');
    return { mediaType: d.mediaType, data: await blob(dir, d.digest) };
  };
  const config = await load(manifest.config);
  const layers = [];
  for (const layer of manifest.layers) layers.push(await load(layer));
  return { config, layers };
}
