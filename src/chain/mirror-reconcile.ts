// Reconcile step: every repository of a project has its internal bare mirror (served at
// /git/{projectSlug}/{repositoryName}.git), and its URL passes the SSRF guard. Level-triggered and idempotent:
// an existing mirror is left as is; the first sync happens in the first run.
import { createMirror } from '../integrations/git/mirror.ts';
import { checkRemoteUrl } from '../integrations/git/remote-url.ts';
import type { ReconcileStep } from '../reconcile/steps.ts';
import { conditionMessage, ReconcileFailure } from '../reconcile/condition-messages.ts';
import { mirrorPath } from './paths.ts';
import { currentRepositoryUrlPolicy } from './url-allow-list.ts';

export const reconcileMirrors: ReconcileStep = async ({ services, project, repositories }) => {
  const refused: { fr: string; en: string }[] = [];
  for (const repository of repositories) {
    if (repository.source === 'hosted' || repository.externalUrl === null) {
      await createMirror(mirrorPath(services.config.dataDir, project.slug, repository.name));
      continue;
    }
    const check = await checkRemoteUrl(repository.externalUrl, await currentRepositoryUrlPolicy(services));
    if (!check.ok) {
      refused.push({ fr: `${repository.name} : ${check.message.fr}`, en: `${repository.name}: ${check.message.en}` });
      continue;
    }
    await createMirror(mirrorPath(services.config.dataDir, project.slug, repository.name));
  }
  if (refused.length > 0) {
    throw new ReconcileFailure(conditionMessage('repository.url-refused', { fr: refused.map((r) => r.fr).join(' ; '), en: refused.map((r) => r.en).join('; ') }));
  }
};
