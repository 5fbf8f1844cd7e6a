import {
  assertValidRef,
  describe as describeBlob,
  imageManifest,
  OCI_INDEX,
  OCI_MANIFEST,
  RegistryError,
  type Image,
  type ImageBlob,
  type ImageRef,
  type ImageStore,
  type PublishResult,
} from './image.ts';

/**
 * Client of the OCI distribution API (`/v2/…`), enough to publish images idempotently:
 * blobs already present are skipped (HEAD), uploads are monolithic or chunked, the
 * manifest is PUT last and its digest returned. Works with Basic and Bearer-token auth.
 */
export interface RegistryClientOptions {
  /** e.g. `https://registry.example` or `http://127.0.0.1:5000` */
  baseUrl: string;
  credentials?: { username: string; password: string };
  /** Blobs larger than this are sent in PATCH chunks of this size (default: monolithic up to 64 MiB). */
  chunkSize?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

type Challenge = { scheme: 'basic' } | { scheme: 'bearer'; realm: string; service?: string; scope?: string };

const MAX_ERROR_BODY = 4096;
const MAX_TOKEN_BODY = 64 * 1024;
const MAX_MANIFEST_BODY = 1024 * 1024;

export class RegistryClient implements ImageStore {
  private readonly base: string;
  private readonly chunkSize: number;
  private readonly doFetch: typeof fetch;
  /** Authorization header per scope, reused until the registry refuses it. */
  private readonly authorizations = new Map<string, string>();

  constructor(private readonly options: RegistryClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.chunkSize = options.chunkSize ?? 64 * 1024 * 1024;
    this.doFetch = options.fetch ?? fetch;
  }

  /** Checks the registry speaks the distribution API and our credentials are accepted. */
  async ping(): Promise<void> {
    const res = await this.request('GET', '/v2/', 'registry:catalog:*');
    await drain(res);
    if (res.status !== 200) throw await this.failure(res, 'GET /v2/');
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const res = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, pullScope(repository));
    await drain(res);
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    throw await this.failure(res, 'HEAD blob');
  }

  async uploadBlob(repository: string, blob: ImageBlob): Promise<void> {
    const { digest, size } = describeBlob(blob);
    const scope = pushScope(repository);
    const start = await this.request('POST', `/v2/${repository}/blobs/uploads/`, scope, { 'Content-Length': '0' });
    await drain(start);
    if (start.status !== 202) throw await this.failure(start, 'start upload');
    let location = this.location(start);

    if (size > this.chunkSize) {
      for (let offset = 0; offset < size; offset += this.chunkSize) {
        const chunk = blob.data.subarray(offset, Math.min(offset + this.chunkSize, size));
        const patch = await this.request('PATCH', location, scope, {
          'Content-Type': 'application/octet-stream',
          'Content-Range': `${offset}-${offset + chunk.byteLength - 1}`,
          'Content-Length': String(chunk.byteLength),
        }, chunk);
        await drain(patch);
        if (patch.status !== 202) throw await this.failure(patch, 'upload chunk');
        location = this.location(patch);
      }
      const done = await this.request('PUT', withDigest(location, digest), scope, { 'Content-Length': '0' });
      await drain(done);
      if (done.status !== 201) throw await this.failure(done, 'finish upload');
      return;
    }
    const put = await this.request('PUT', withDigest(location, digest), scope, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(size),
    }, blob.data);
    await drain(put);
    if (put.status !== 201) throw await this.failure(put, 'upload blob');
  }

  async publish(image: Image, ref: ImageRef): Promise<PublishResult> {
    assertValidRef(ref);
    let uploadedBlobs = 0;
    let skippedBlobs = 0;
    const seen = new Set<string>();
    for (const blob of [image.config, ...image.layers]) {
      const { digest } = describeBlob(blob);
      if (seen.has(digest)) continue;
      seen.add(digest);
      if (await this.hasBlob(ref.repository, digest)) {
        skippedBlobs += 1;
        continue;
      }
      await this.uploadBlob(ref.repository, blob);
      uploadedBlobs += 1;
    }
    const manifest = imageManifest(image);
    const res = await this.request('PUT', `/v2/${ref.repository}/manifests/${ref.tag}`, pushScope(ref.repository), {
      'Content-Type': manifest.mediaType,
      'Content-Length': String(manifest.bytes.byteLength),
    }, manifest.bytes);
    await drain(res);
    if (res.status !== 201) throw await this.failure(res, 'PUT manifest');
    const returned = res.headers.get('docker-content-digest');
    if (returned && returned !== manifest.digest) {
      throw new RegistryError('protocol', `registry stored the manifest under ${returned}, expected ${manifest.digest}`);
    }
    return { digest: manifest.digest, uploadedBlobs, skippedBlobs };
  }

  async resolve(ref: ImageRef): Promise<string | null> {
    assertValidRef(ref);
    const res = await this.request('HEAD', `/v2/${ref.repository}/manifests/${ref.tag}`, pullScope(ref.repository), {
      Accept: `${OCI_MANIFEST}, application/vnd.docker.distribution.manifest.v2+json`,
    });
    await drain(res);
    if (res.status === 404) return null;
    if (res.status !== 200) throw await this.failure(res, 'HEAD manifest');
    return res.headers.get('docker-content-digest');
  }

  /**
   * The `User` of an image's configuration ('' when unset, i.e. root): follows an index to its linux/amd64 manifest
   * (or the first one), then reads the config blob. Bodies are bounded; used to learn a base image's default user.
   */
  async imageUser(repository: string, reference: string): Promise<string> {
    if (!/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/.test(repository) || !/^[\w][\w.:-]{0,127}$/.test(reference)) {
      throw new RegistryError('protocol', 'invalid image reference');
    }
    const accept = [OCI_INDEX, OCI_MANIFEST, 'application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.docker.distribution.manifest.v2+json'].join(', ');
    const json = async (
      path: string,
      what: string,
      headers: Record<string, string> = {},
    ): Promise<Record<string, unknown>> => {
      const res = await this.request('GET', path, pullScope(repository), headers);
      if (res.status !== 200) throw await this.failure(res, what);
      const parsed = JSON.parse(await boundedText(res, MAX_MANIFEST_BODY)) as unknown;
      if (typeof parsed !== 'object' || parsed === null)
        throw new RegistryError('protocol', `${what}: not a JSON object`);
      return parsed as Record<string, unknown>;
    };
    let manifest = await json(`/v2/${repository}/manifests/${reference}`, 'GET manifest', { Accept: accept });
    if (Array.isArray(manifest.manifests)) {
      const entries = manifest.manifests as { digest?: string; platform?: { os?: string; architecture?: string } }[];
      const chosen = entries.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ?? entries[0];
      if (!chosen?.digest) throw new RegistryError('protocol', 'image index lists no manifest');
      manifest = await json(`/v2/${repository}/manifests/${chosen.digest}`, 'GET manifest', { Accept: accept });
    }
    const digest = (manifest.config as { digest?: unknown } | undefined)?.digest;
    if (typeof digest !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(digest)) throw new RegistryError('protocol', 'manifest names no configuration');
    const config = await json(`/v2/${repository}/blobs/${digest}`, 'GET config');
    const user = (config.config as { User?: unknown } | undefined)?.User;
    return typeof user === 'string' ? user : '';
  }

  private location(res: Response): string {
    const loc = res.headers.get('location');
    if (!loc) throw new RegistryError('protocol', 'registry gave no upload location');
    return new URL(loc, `${this.base}/`).toString();
  }

  private absolute(pathOrUrl: string): string {
    return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.base}${pathOrUrl}`;
  }

  /**
   * Tags of a repository (`GET /v2/<name>/tags/list`), at most 1,000: what the catalogue pulls chart versions from.
   * Undefined when the registry does not know the repository (404), so a mistyped path is told apart from no tags.
   */
  async listTags(repository: string): Promise<string[] | undefined> {
    const res = await this.request('GET', `/v2/${repository}/tags/list?n=1000`, pullScope(repository));
    if (res.status === 404) {
      await drain(res);
      return undefined;
    }
    if (res.status !== 200) throw await this.failure(res, 'list tags');
    const body = JSON.parse(await boundedText(res, MAX_MANIFEST_BODY)) as { tags?: unknown };
    return Array.isArray(body.tags) ? body.tags.filter((t): t is string => typeof t === 'string').slice(0, 1000) : [];
  }

  private async request(
    method: string,
    pathOrUrl: string,
    scope: string,
    headers: Record<string, string> = {},
    body?: Uint8Array,
  ): Promise<Response> {
    const url = this.absolute(pathOrUrl);
    if (new URL(url).origin !== new URL(this.base).origin) {
      throw new RegistryError('protocol', 'registry redirected an upload to another origin');
    }
    const send = async (authorization?: string) => {
      try {
        return await this.doFetch(url, {
          method,
          headers: { ...headers, ...(authorization ? { Authorization: authorization } : {}) },
          body: body as BodyInit | undefined,
          redirect: 'manual',
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 300_000),
        });
      } catch (e) {
        throw new RegistryError('unreachable', `registry unreachable at ${this.base}: ${(e as Error).message}`);
      }
    };
    const cached = this.authorizations.get(scope);
    let res = await send(cached);
    if (res.status !== 401) return res;
    const challenge = parseChallenge(res.headers.get('www-authenticate') ?? '');
    await drain(res);
    if (!challenge || !this.options.credentials && challenge.scheme === 'basic') return res;
    const authorization = await this.authorize(challenge, scope);
    this.authorizations.set(scope, authorization);
    res = await send(authorization);
    return res;
  }

  private async authorize(challenge: Challenge, scope: string): Promise<string> {
    const creds = this.options.credentials;
    const basic = creds ? `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` : undefined;
    if (challenge.scheme === 'basic') return basic!;
    const realm = new URL(challenge.realm);
    if (challenge.service) realm.searchParams.set('service', challenge.service);
    realm.searchParams.set('scope', challenge.scope ?? scope);
    let res: Response;
    try {
      res = await this.doFetch(realm, {
        headers: basic ? { Authorization: basic } : {},
        signal: AbortSignal.timeout(30_000),
      });
    } catch (e) {
      throw new RegistryError('unreachable', `token service unreachable: ${(e as Error).message}`);
    }
    const text = await boundedText(res, MAX_TOKEN_BODY);
    if (res.status !== 200) throw new RegistryError('unauthorized', `registry refused the credentials (token service answered ${res.status})`, res.status);
    let token: unknown;
    try {
      const parsed = JSON.parse(text) as { token?: unknown; access_token?: unknown };
      token = parsed.token ?? parsed.access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || !token) throw new RegistryError('protocol', 'token service gave no token');
    return `Bearer ${token}`;
  }

  private async failure(res: Response, what: string): Promise<RegistryError> {
    const text = await boundedText(res, MAX_ERROR_BODY).catch(() => '');
    let detail = '';
    try {
      const errors = (JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> }).errors ?? [];
      detail = errors.map((e) => `${e.code ?? ''} ${e.message ?? ''}`.trim()).join('; ');
    } catch {
      detail = text.slice(0, 200);
    }
    const kind = res.status === 401 ? 'unauthorized' : res.status === 403 ? 'denied' : res.status === 413 ? 'too-large' : 'protocol';
    return new RegistryError(kind, `${what}: registry answered ${res.status}${detail ? ` (${detail})` : ''}`, res.status);
  }
}

function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}
function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}

function withDigest(location: string, digest: string): string {
  const url = new URL(location);
  url.searchParams.set('digest', digest);
  return url.toString();
}

async function drain(res: Response): Promise<void> {
  if (res.bodyUsed || !res.body) return;
  await res.body.cancel().catch(() => {});
}

async function boundedText(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
    if (total >= max) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}

/** Parses `Bearer realm="…",service="…",scope="…"` or `Basic realm="…"`. */
export function parseChallenge(header: string): Challenge | null {
  const match = /^\s*(\w+)\s*(.*)$/.exec(header);
  if (!match) return null;
  const scheme = match[1]!.toLowerCase();
  if (scheme === 'basic') return { scheme: 'basic' };
  if (scheme !== 'bearer') return null;
  const params: Record<string, string> = {};
  for (const m of match[2]!.matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!.toLowerCase()] = m[2]!;
  if (!params.realm || !/^https?:\/\//.test(params.realm)) return null;
  return { scheme: 'bearer', realm: params.realm, service: params.service, scope: params.scope };
}
