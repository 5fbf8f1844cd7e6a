import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryAvailable, startRegistry, type TestRegistry } from '../../../test/support/registry.ts';
import { RegistryClient } from '../registry/distribution-client.ts';
import { OciLayoutStore, readOciImage } from '../registry/oci-layout.ts';
import { builderAvailable, buildImage } from './buildah.ts';

function skipReason(): string | null {
  if (builderAvailable()) return null;
  const reason = 'buildah is not installed: image build tests skipped (apt-get install -y buildah)';
  if (process.env.CI === 'true') throw new Error(reason);
  console.log(`SKIP ${reason}`);
  return reason;
}
const skip = skipReason();

describe('image builder', () => {
  it('says "skipped: no image builder" when buildah is absent', async () => {
    const r = await buildImage({ root: tmpdir(), destination: { kind: 'oci-dir', path: '/nonexistent', tag: 'x' }, buildahPath: '/nonexistent/buildah' });
    expect(r).toEqual({ skipped: true, reason: 'no image builder' });
  });
});

describe.skipIf(skip)('building with buildah', () => {
  let tmp: string;
  let repo: string;
  let registry: TestRegistry | undefined;
  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'dso-buildah-'));
    repo = path.join(tmp, 'repo');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.join(repo, 'app'), { recursive: true });
    writeFileSync(path.join(repo, 'app', 'hello.txt'), 'bonjour\n');
    writeFileSync(path.join(repo, 'Dockerfile'), 'FROM scratch\nCOPY app/hello.txt /hello.txt\n');
    writeFileSync(path.join(repo, 'Broken.Dockerfile'), 'FROM scratch\nCOPY missing.txt /x\n');
    symlinkSync('/etc/passwd', path.join(repo, 'Evil.Dockerfile'));
    if (registryAvailable()) registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('builds FROM scratch into an OCI layout and returns the manifest digest', async () => {
    const out = path.join(tmp, 'oci');
    const r = await buildImage({ root: repo, destination: { kind: 'oci-dir', path: out, tag: 'sha-1' } });
    expect(r).toMatchObject({ ok: true });
    if (!('ok' in r) || !r.ok) return;
    const index = JSON.parse(readFileSync(path.join(out, 'index.json'), 'utf8'));
    expect(index.manifests[0].digest).toBe(r.digest);
  });

  it.skipIf(!registryAvailable())('pushes to a registry on 127.0.0.1', async () => {
    const r = await buildImage({ root: repo, destination: { kind: 'registry', reference: `${registry!.host}/team/app:sha-1` } });
    expect(r).toMatchObject({ ok: true });
    if (!('ok' in r) || !r.ok) return;
    const res = await fetch(`${registry!.url}/v2/team/app/manifests/sha-1`, {
      method: 'HEAD',
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
    });
    expect(res.headers.get('docker-content-digest')).toBe(r.digest);
  });

  it('hands the built image to any image store under the digest the builder reported', async () => {
    const out = path.join(tmp, 'handoff');
    const built = await buildImage({ root: repo, destination: { kind: 'oci-dir', path: out, tag: 'sha-2' } });
    if (!('ok' in built) || !built.ok) throw new Error('build failed');
    const image = await readOciImage(out, 'sha-2');
    const store = new OciLayoutStore(path.join(tmp, 'store'));
    const first = await store.publish(image, { repository: 'team/app', tag: 'sha-2' });
    expect(first.digest).toBe(built.digest);
    expect((await store.publish(image, { repository: 'team/app', tag: 'sha-2' })).uploadedBlobs).toBe(0);
    if (registry) {
      const pushed = await new RegistryClient({ baseUrl: registry.url }).publish(image, { repository: 'team/handoff', tag: 'sha-2' });
      expect(pushed.digest).toBe(built.digest);
    }
  });

  it('reports a failing build with its log, and refuses a build file outside the repository', async () => {
    const broken = await buildImage({ root: repo, file: 'Broken.Dockerfile', destination: { kind: 'oci-dir', path: path.join(tmp, 'b'), tag: 'x' } });
    expect(broken).toMatchObject({ ok: false });
    if ('ok' in broken && !broken.ok) expect(broken.log).toMatch(/missing\.txt/);
    const evil = await buildImage({ root: repo, file: 'Evil.Dockerfile', destination: { kind: 'oci-dir', path: path.join(tmp, 'e'), tag: 'x' } });
    expect(evil).toMatchObject({ ok: false, message: { en: expect.stringMatching(/outside the repository/) } });
    const parent = await buildImage({ root: repo, context: '..', destination: { kind: 'oci-dir', path: path.join(tmp, 'p'), tag: 'x' } });
    expect(parent).toMatchObject({ ok: false });
  });
});
