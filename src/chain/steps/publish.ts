// publish: push the built image to the configured registry (distribution API) or the embedded OCI layout
// store, under the project's namespace, tagged with the commit. Publishing the same image again uploads nothing
// and yields the same digest, so a retried publish never duplicates.
import { stat } from 'node:fs/promises';
import { note } from '../step-notes.ts';
import { RegistryClient } from '../../integrations/registry/distribution-client.ts';
import { RegistryError, type ImageStore } from '../../integrations/registry/image.ts';
import { OciLayoutStore } from '../../integrations/registry/oci-layout.ts';
import type { Config } from '../../config.ts';
import { readOciDirImage } from '../oci-dir-image.ts';
import { embeddedRegistryRoot } from '../paths.ts';
import { buildStep, imageDir } from './build.ts';
import type { Step } from './context.ts';

export function imageStore(config: Config): ImageStore {
  const registry = config.chain.registry;
  if (!registry) return new OciLayoutStore(embeddedRegistryRoot(config.dataDir));
  return new RegistryClient({
    baseUrl: registry.url,
    ...(registry.username && registry.password
      ? { credentials: { username: registry.username, password: registry.password } }
      : {}),
    timeoutMs: 5 * 60 * 1000,
  });
}

export const publishStep: Step = async (ctx) => {
  if (ctx.results.build?.builtDigest === undefined) return { status: 'skipped', note: note('publish.no-image') };
  try {
    await stat(imageDir(ctx));
  } catch {
    // The built image was lost with a crashed process: build it again (same tree, same image).
    const rebuilt = await buildStep(ctx);
    if (rebuilt.status !== 'succeeded') return { status: 'failed', note: note('publish.rebuild-failed'), fatal: true, retryable: false };
  }
  const ref = { repository: `${ctx.project.slug}/${ctx.repository.name}`, tag: `sha-${ctx.run.commitSha ?? 'unknown'}` };
  try {
    const image = await readOciDirImage(imageDir(ctx));
    const published = await imageStore(ctx.services.config).publish(image, ref);
    await ctx.updateRun({ imageDigest: published.digest });
    ctx.log(`Image publiée ${ref.repository}:${ref.tag}@${published.digest} (${published.uploadedBlobs} blob(s) envoyé(s), ${published.skippedBlobs} déjà présent(s))`);
    return { status: 'succeeded', result: { digest: published.digest, repository: ref.repository, tag: ref.tag } };
  } catch (error) {
    const retryable = error instanceof RegistryError ? error.kind === 'unreachable' : true;
    return { status: 'failed', note: note('publish.failed', { error: (error as Error).message.slice(0, 300) }), fatal: true, retryable };
  }
};
