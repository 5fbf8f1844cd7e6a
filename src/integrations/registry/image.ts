import { createHash } from 'node:crypto';

/**
 * What the chain publishes: an OCI image (config + layers) under a repository and tag.
 * Two stores implement it — a remote OCI distribution registry and the embedded OCI
 * image layout on disk — so the chain never knows which one is configured.
 */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_TAR = 'application/vnd.oci.image.layer.v1.tar';
export const OCI_LAYER_TAR_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';

export interface ImageBlob {
  mediaType: string;
  data: Uint8Array;
}

export interface Image {
  config: ImageBlob;
  layers: ImageBlob[];
  annotations?: Record<string, string>;
  /**
   * The manifest exactly as a builder wrote it, so the published digest is the digest the
   * builder reported. It must describe `config` and `layers`; when absent one is written.
   */
  manifest?: { mediaType: string; bytes: Uint8Array };
}

export interface ImageRef {
  /** e.g. `project-slug/api` */
  repository: string;
  /** e.g. `sha-3f2a…` or `1.4.0` */
  tag: string;
}

export interface PublishResult {
  /** Digest of the manifest: what deployments pin. */
  digest: string;
  /** Blobs actually transferred; 0 on a repeated publish. */
  uploadedBlobs: number;
  skippedBlobs: number;
}

export interface ImageStore {
  publish(image: Image, ref: ImageRef): Promise<PublishResult>;
  /** Digest the tag points at, or null. */
  resolve(ref: ImageRef): Promise<string | null>;
}

export class RegistryError extends Error {
  constructor(
    readonly kind: 'invalid-reference' | 'unauthorized' | 'denied' | 'unreachable' | 'protocol' | 'too-large',
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

export function assertValidRef(ref: ImageRef): void {
  if (ref.repository.length > 255 || !REPOSITORY.test(ref.repository)) {
    throw new RegistryError('invalid-reference', `invalid repository name: ${ref.repository.slice(0, 100)}`);
  }
  if (!TAG.test(ref.tag)) throw new RegistryError('invalid-reference', `invalid tag: ${ref.tag.slice(0, 100)}`);
}

export function sha256Digest(data: Uint8Array): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export function describe(blob: ImageBlob): Descriptor {
  return { mediaType: blob.mediaType, digest: sha256Digest(blob.data), size: blob.data.byteLength };
}

/** The OCI image manifest, serialised once so its digest is the digest of the stored bytes. */
export function imageManifest(image: Image): { bytes: Buffer; digest: string; mediaType: string } {
  if (image.manifest) {
    const bytes = Buffer.from(image.manifest.bytes);
    assertManifestDescribes(bytes, image);
    return { bytes, digest: sha256Digest(bytes), mediaType: image.manifest.mediaType };
  }
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: describe(image.config),
    layers: image.layers.map(describe),
    ...(image.annotations ? { annotations: image.annotations } : {}),
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return { bytes, digest: sha256Digest(bytes), mediaType: OCI_MANIFEST };
}

/** A given manifest must reference exactly the blobs we upload, or the registry would hold a broken image. */
function assertManifestDescribes(bytes: Buffer, image: Image): void {
  let parsed: { config?: { digest?: string }; layers?: Array<{ digest?: string }> };
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new RegistryError('protocol', 'image manifest is not JSON');
  }
  const expected = [image.config, ...image.layers].map((b) => sha256Digest(b.data));
  const actual = [parsed.config?.digest, ...(parsed.layers ?? []).map((l) => l.digest)];
  if (expected.join() !== actual.join()) throw new RegistryError('protocol', 'image manifest does not match its config and layers');
}
