import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registrySkipReason, startRegistry, type TestRegistry } from '../../../test/support/registry.ts';
import { RegistryClient } from './distribution-client.ts';
import { OCI_MANIFEST, RegistryError, sha256Digest } from './image.ts';
import { OciLayoutStore } from './oci-layout.ts';
import { smallImage } from './test-image.ts';

const skip = registrySkipReason();

describe.skipIf(skip)('publishing to a real OCI registry', () => {
  let registry: TestRegistry;
  let proxy: Server;
  let proxyUrl: string;
  const requests: string[] = [];
  const counting: typeof fetch = (input, init) => {
    requests.push(`${init?.method ?? 'GET'} ${String(input)}`);
    return fetch(input, init);
  };

  beforeAll(async () => {
    registry = await startRegistry();
    // A token-protected front door, as Harbor or GitLab put before their registries.
    proxy = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/token') {
        const ok = req.headers.authorization === `Basic ${Buffer.from('robot:s3cret').toString('base64')}`;
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(ok ? JSON.stringify({ token: `tok-${url.searchParams.get('scope')}` }) : '{}');
        return;
      }
      if (!String(req.headers.authorization ?? '').startsWith('Bearer tok-repository:')) {
        res.writeHead(401, {
          'www-authenticate': `Bearer realm="${proxyUrl}/token",service="test-registry",scope="repository:team/app:pull,push"`,
        });
        res.end();
        req.resume();
        return;
      }
      const upstream = httpRequest(`${registry.url}${req.url}`, { method: req.method, headers: { ...req.headers, host: registry.host } }, (up) => {
        const headers = { ...up.headers };
        if (headers.location?.startsWith(registry.url))
          headers.location = headers.location.replace(registry.url, proxyUrl);
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => proxy?.close(r));
    await registry?.stop();
  });

  it('publishes an image and returns the digest the registry serves', async () => {
    const client = new RegistryClient({ baseUrl: registry.url });
    await client.ping();
    const image = smallImage({ hello: 'bonjour\n' });
    const result = await client.publish(image, { repository: 'team/app', tag: 'sha-1' });
    expect(result).toMatchObject({ uploadedBlobs: 2, skippedBlobs: 0 });
    const res = await fetch(`${registry.url}/v2/team/app/manifests/sha-1`, { headers: { accept: OCI_MANIFEST } });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(sha256Digest(bytes)).toBe(result.digest);
    expect(res.headers.get('docker-content-digest')).toBe(result.digest);
    expect(await client.resolve({ repository: 'team/app', tag: 'sha-1' })).toBe(result.digest);
  });

  it('uploads no blob when the same image is published again', async () => {
    const image = smallImage({ hello: 'idempotent\n' });
    const client = new RegistryClient({ baseUrl: registry.url, fetch: counting });
    const first = await client.publish(image, { repository: 'team/idem', tag: 'v1' });
    requests.length = 0;
    const second = await client.publish(image, { repository: 'team/idem', tag: 'v1' });
    expect(second).toEqual({ digest: first.digest, uploadedBlobs: 0, skippedBlobs: 2 });
    expect(requests.filter((r) => r.startsWith('POST') || r.startsWith('PATCH'))).toEqual([]);
  });

  it('sends large layers in chunks', async () => {
    const big = Buffer.alloc(200 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) % 251;
    const image = smallImage({ data: big });
    requests.length = 0;
    const client = new RegistryClient({ baseUrl: registry.url, chunkSize: 64 * 1024, fetch: counting });
    await client.publish(image, { repository: 'team/chunked', tag: 'v1' });
    expect(requests.filter((r) => r.startsWith('PATCH')).length).toBeGreaterThanOrEqual(3);
    const layer = image.layers[0]!;
    const back = await fetch(`${registry.url}/v2/team/chunked/blobs/${sha256Digest(layer.data)}`);
    expect(sha256Digest(Buffer.from(await back.arrayBuffer()))).toBe(sha256Digest(layer.data));
  });

  it('obtains a bearer token with its credentials, and reports refused credentials clearly', async () => {
    const client = new RegistryClient({ baseUrl: proxyUrl, credentials: { username: 'robot', password: 's3cret' } });
    const r = await client.publish(smallImage({ hello: 'token\n' }), { repository: 'team/app', tag: 'via-token' });
    expect(r.digest).toMatch(/^sha256:/);
    const wrong = new RegistryClient({ baseUrl: proxyUrl, credentials: { username: 'robot', password: 'nope' } });
    await expect(wrong.publish(smallImage({ hello: 'x' }), { repository: 'team/app', tag: 'x' })).rejects.toMatchObject({
      kind: 'unauthorized',
    });
  });

  it('answers a Basic challenge with its credentials', async () => {
    const expected = `Basic ${Buffer.from('ci:pw').toString('base64')}`;
    const basic = createServer((req, res) => {
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="registry"' });
        res.end();
        req.resume();
        return;
      }
      const upstream = httpRequest(`${registry.url}${req.url}`, { method: req.method, headers: { ...req.headers, host: registry.host } }, (up) => {
        const headers = { ...up.headers };
        if (headers.location?.startsWith(registry.url))
          headers.location = headers.location.replace(registry.url, basicUrl);
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((r) => basic.listen(0, '127.0.0.1', r));
    const basicUrl = `http://127.0.0.1:${(basic.address() as AddressInfo).port}`;
    try {
      const client = new RegistryClient({ baseUrl: basicUrl, credentials: { username: 'ci', password: 'pw' } });
      expect((await client.publish(smallImage({ hello: 'basic\n' }), { repository: 'team/basic', tag: 'v1' })).uploadedBlobs).toBe(2);
      const anonymous = new RegistryClient({ baseUrl: basicUrl });
      await expect(anonymous.ping()).rejects.toMatchObject({ kind: 'unauthorized', status: 401 });
    } finally {
      await new Promise((r) => basic.close(r));
    }
  });

  it('refuses invalid references before any request', async () => {
    const client = new RegistryClient({ baseUrl: registry.url, fetch: counting });
    requests.length = 0;
    await expect(client.publish(smallImage({ a: 'a' }), { repository: '../etc', tag: 'x' })).rejects.toBeInstanceOf(RegistryError);
    expect(requests).toEqual([]);
  });

  it('says when the registry cannot be reached', async () => {
    const { freePort } = await import('../../../test/support/registry.ts');
    const client = new RegistryClient({ baseUrl: `http://127.0.0.1:${await freePort()}` });
    await expect(client.ping()).rejects.toMatchObject({ kind: 'unreachable' });
  });
});

describe('embedded OCI image layout', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'dso-oci-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stores a standard layout and republishes without writing blobs', async () => {
    const store = new OciLayoutStore(root);
    const image = smallImage({ hello: 'embedded\n' });
    const first = await store.publish(image, { repository: 'team/app', tag: 'sha-1' });
    expect(first.uploadedBlobs).toBe(2);
    const dir = store.layoutDir('team/app');
    expect(JSON.parse(readFileSync(path.join(dir, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8'));
    expect(index.manifests).toEqual([
      expect.objectContaining({ digest: first.digest, annotations: { 'org.opencontainers.image.ref.name': 'sha-1' } }),
    ]);
    const manifestBytes = readFileSync(path.join(dir, 'blobs/sha256', first.digest.slice(7)));
    expect(sha256Digest(manifestBytes)).toBe(first.digest);
    for (const layer of JSON.parse(manifestBytes.toString()).layers) {
      expect(existsSync(path.join(dir, 'blobs/sha256', layer.digest.slice(7)))).toBe(true);
    }
    const again = await store.publish(image, { repository: 'team/app', tag: 'sha-1' });
    expect(again).toEqual({ digest: first.digest, uploadedBlobs: 0, skippedBlobs: 2 });
    expect(await store.resolve({ repository: 'team/app', tag: 'sha-1' })).toBe(first.digest);
    expect(JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')).manifests).toHaveLength(1);
    expect(() => store.layoutDir('../../etc')).toThrow(RegistryError);
  });

  it('keeps every tag when publishes run concurrently', async () => {
    const store = new OciLayoutStore(root);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.publish(smallImage({ hello: `n${i}` }), { repository: 'team/concurrent', tag: `t${i}` })),
    );
    const index = JSON.parse(readFileSync(path.join(store.layoutDir('team/concurrent'), 'index.json'), 'utf8'));
    expect(index.manifests).toHaveLength(8);
  });
});
