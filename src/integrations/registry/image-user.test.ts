// A base image's own default user counts: read from a real registry (Debian's docker-registry on loopback), a
// Dockerfile without USER over an image that runs unprivileged is not flagged; over one that runs as root, it is.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registrySkipReason, startRegistry, type TestRegistry } from '../../../test/support/registry.ts';
import { containersChecker } from '../../checks/containers/checker.ts';
import { runChecks } from '../../checks/engine.ts';
import { RegistryClient } from './distribution-client.ts';
import { imageUserInspector } from './image-user.ts';
import { OCI_CONFIG } from './image.ts';
import { smallImage } from './test-image.ts';

const skip = registrySkipReason();

function imageRunningAs(user: string | undefined) {
  const image = smallImage({ hello: 'bonjour\n' });
  const config = JSON.parse(Buffer.from(image.config.data).toString('utf8')) as { config: Record<string, unknown> };
  if (user !== undefined) config.config.User = user;
  return { ...image, config: { mediaType: OCI_CONFIG, data: Buffer.from(JSON.stringify(config)) } };
}

describe.skipIf(skip)('the base image\'s default user, read from its registry', () => {
  let registry: TestRegistry;
  const made: string[] = [];

  beforeAll(async () => {
    registry = await startRegistry();
    const client = new RegistryClient({ baseUrl: registry.url });
    await client.publish(imageRunningAs('10001:10001'), { repository: 'base/unprivileged', tag: '1.0' });
    await client.publish(imageRunningAs(undefined), { repository: 'base/rooted', tag: '1.0' });
  });
  afterAll(async () => {
    await registry?.stop();
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });

  const tree = (dockerfile: string) => {
    const root = mkdtempSync(join(tmpdir(), 'dso-image-user-'));
    made.push(root);
    mkdirSync(join(root, 'app'));
    writeFileSync(join(root, 'app/Dockerfile'), dockerfile);
    return root;
  };

  it('reads the User of the image configuration', async () => {
    const inspect = imageUserInspector();
    expect(await inspect(`${registry.host}/base/unprivileged:1.0`)).toEqual({ user: '10001:10001' });
    expect(await inspect(`${registry.host}/base/rooted:1.0`)).toEqual({ user: '' });
    expect(await inspect(`${registry.host}/base/absent:1.0`)).toMatchObject({ error: expect.any(String) });
  });

  it('does not flag a final stage without USER over an unprivileged base image, and flags one over a root image', async () => {
    const options = { checkers: [containersChecker], workers: 0, inspectImage: imageUserInspector() };
    const unprivileged = await runChecks({ root: tree(`FROM ${registry.host}/base/unprivileged:1.0\nCOPY . /app\n`), options });
    expect(unprivileged.findings.filter((f) => f.ruleId === 'containers.non-root-user')).toEqual([]);
    expect(unprivileged.notes.map((n) => n.message).join('\n')).toContain('runs as 10001:10001 (read from its registry)');

    const rooted = await runChecks({ root: tree(`FROM ${registry.host}/base/rooted:1.0\nCOPY . /app\n`), options });
    expect(rooted.findings.filter((f) => f.ruleId === 'containers.non-root-user').map((f) => f.location.file)).toEqual(['app/Dockerfile']);

    const unreachable = await runChecks({ root: tree(`FROM ${registry.host}/base/absent:1.0\nCOPY . /app\n`), options });
    expect(unreachable.findings.filter((f) => f.ruleId === 'containers.non-root-user')).toHaveLength(1);
    expect(unreachable.notes.map((n) => n.message).join('\n')).toContain('could not be read from its registry');
  });
});
