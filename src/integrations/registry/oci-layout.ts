import { randomUUID } from 'node:crypto';
import { access, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  assertValidRef,
  describe as describeBlob,
  imageManifest,
  OCI_INDEX,
  RegistryError,
  sha256Digest,
  type Image,
  type ImageRef,
  type ImageStore,
  type PublishResult,
} from './image.ts';

/**
 * The embedded registry: one OCI image layout per repository under a root folder
 * (`<root>/<repository>/{oci-layout,index.json,blobs/sha256/…}`), readable by skopeo,
 * buildah, crane or any tool that understands `oci:` paths. Writes are atomic (temp file
 * + rename); index updates are serialised within the process.
 */
const REF_NAME = 'org.opencontainers.image.ref.name';
const MAX_INDEX_BYTES = 16 * 1024 * 1024;

interface IndexFile {
  schemaVersion: 2;
  mediaType: string;
  manifests: Array<{ mediaType: string; digest: string; size: number; annotations?: Record<string, string> }>;
}

export class OciLayoutStore implements ImageStore {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly root: string) {}

  /** Folder of the layout for a repository (validated name, so never outside root). */
  layoutDir(repository: string): string {
    assertValidRef({ repository, tag: 'x' });
    return path.join(path.resolve(this.root), ...repository.split('/'));
  }

  async publish(image: Image, ref: ImageRef): Promise<PublishResult> {
    assertValidRef(ref);
    const dir = this.layoutDir(ref.repository);
    await mkdir(path.join(dir, 'blobs', 'sha256'), { recursive: true });
    await writeIfMissing(path.join(dir, 'oci-layout'), Buffer.from(JSON.stringify({ imageLayoutVersion: '1.0.0' })));
    let uploadedBlobs = 0;
    let skippedBlobs = 0;
    const seen = new Set<string>();
    for (const blob of [image.config, ...image.layers]) {
      const { digest } = describeBlob(blob);
      if (seen.has(digest)) continue;
      seen.add(digest);
      if (await writeIfMissing(this.blobPath(dir, digest), blob.data)) uploadedBlobs += 1;
      else skippedBlobs += 1;
    }
    const manifest = imageManifest(image);
    await writeIfMissing(this.blobPath(dir, manifest.digest), manifest.bytes);
    await this.withLock(dir, async () => {
      const index = await readIndex(dir);
      index.manifests = index.manifests.filter((m) => m.annotations?.[REF_NAME] !== ref.tag);
      index.manifests.push({
        mediaType: manifest.mediaType,
        digest: manifest.digest,
        size: manifest.bytes.byteLength,
        annotations: { [REF_NAME]: ref.tag },
      });
      await atomicWrite(path.join(dir, 'index.json'), Buffer.from(JSON.stringify(index, null, 2)));
    });
    return { digest: manifest.digest, uploadedBlobs, skippedBlobs };
  }

  async resolve(ref: ImageRef): Promise<string | null> {
    assertValidRef(ref);
    const index = await readIndex(this.layoutDir(ref.repository));
    return index.manifests.find((m) => m.annotations?.[REF_NAME] === ref.tag)?.digest ?? null;
  }

  private blobPath(dir: string, digest: string): string {
    const hex = /^sha256:([0-9a-f]{64})$/.exec(digest)?.[1];
    if (!hex) throw new Error(`unsupported digest ${digest}`);
    return path.join(dir, 'blobs', 'sha256', hex);
  }

  private async withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(fn);
    this.locks.set(key, next);
    try {
      return await next;
    } finally {
      if (this.locks.get(key) === next) this.locks.delete(key);
    }
  }
}

async function readIndex(dir: string): Promise<IndexFile> {
  try {
    const raw = await readFile(path.join(dir, 'index.json'));
    if (raw.byteLength > MAX_INDEX_BYTES) throw new Error('index.json too large');
    return JSON.parse(raw.toString('utf8')) as IndexFile;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] };
    throw e;
  }
}

/** Returns true when the file was written, false when it already existed (content-addressed). */
async function writeIfMissing(file: string, data: Uint8Array): Promise<boolean> {
  try {
    await access(file);
    return false;
  } catch {
    await atomicWrite(file, data);
    return true;
  }
}

async function atomicWrite(file: string, data: Uint8Array): Promise<void> {
  const tmp = `${file}.${randomUUID()}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

/**
 * Reads one tagged image of an OCI image layout (as buildah writes with `push oci:dir:tag`)
 * so it can be published to any ImageStore with the builder's own manifest and digest.
 * Blobs are held in memory: `maxBytes` bounds the image size.
 */
export async function readOciImage(dir: string, tag: string, maxBytes = 2 * 1024 ** 3): Promise<Image> {
  const index = await readIndex(dir);
  const entry =
    index.manifests.find((m) => m.annotations?.[REF_NAME] === tag) ??
    (index.manifests.length === 1 ? index.manifests[0] : undefined);
  if (!entry) throw new RegistryError('invalid-reference', `no image tagged ${tag} in ${dir}`);
  let total = 0;
  const blob = async (digest: string, size?: number): Promise<Uint8Array> => {
    const hex = /^sha256:([0-9a-f]{64})$/.exec(digest)?.[1];
    if (!hex) throw new RegistryError('protocol', `unsupported digest ${digest}`);
    total += size ?? 0;
    if (total > maxBytes) throw new RegistryError('too-large', `image larger than ${maxBytes} bytes`);
    const data = await readFile(path.join(dir, 'blobs', 'sha256', hex));
    if (sha256Digest(data) !== digest) throw new RegistryError('protocol', `blob ${digest} is corrupt`);
    return data;
  };
  const manifestBytes = await blob(entry.digest, entry.size);
  const manifest = JSON.parse(Buffer.from(manifestBytes).toString('utf8')) as {
    mediaType?: string;
    config: { mediaType: string; digest: string; size: number };
    layers: Array<{ mediaType: string; digest: string; size: number }>;
  };
  return {
    config: { mediaType: manifest.config.mediaType, data: await blob(manifest.config.digest, manifest.config.size) },
    layers: await Promise.all(
      manifest.layers.map(async (l) => ({ mediaType: l.mediaType, data: await blob(l.digest, l.size) })),
    ),
    manifest: { mediaType: manifest.mediaType ?? entry.mediaType, bytes: manifestBytes },
  };
}
