// /api/v1/requirements: the CCT catalogue the platform evaluates projects against (every published version),
// and what changed between two versions.
import { catalogueVersion, catalogueVersions, currentCatalogue } from '../../catalogue/catalogue.ts';
import { diffCatalogues } from '../../catalogue/diff.ts';
import type { Requirement } from '../../catalogue/model.ts';
import { requireAuthenticated } from '../auth/resolve-actor.ts';
import { bilingual, Problem } from '../../errors.ts';
import { requirementCatalogue, requirementDiffQuery, requirementListQuery } from '../schemas/requirements.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['homologation'];

function catalogueOrProblem(version: string | undefined, field: string) {
  const catalogue = version === undefined ? currentCatalogue : catalogueVersion(version);
  if (!catalogue) {
    throw new Problem('validation', bilingual(`Aucune version « ${version} » du référentiel ; versions publiées : ${catalogueVersions.map((c) => c.version).join(', ')}.`, `No catalogue version "${version}"; published: ${catalogueVersions.map((c) => c.version).join(', ')}.`), [{ field, message: bilingual('version du référentiel inconnue', 'unknown catalogue version') }]);
  }
  return catalogue;
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

function matches(r: Requirement, q: string): boolean {
  const needle = fold(q.trim());
  if (needle === '') return true;
  return [r.id, r.title.fr, r.title.en, r.summary.fr, r.summary.en].some((text) => fold(text).includes(needle));
}

export default async function requirementRoutes(app: App, _services: Services): Promise<void> {
  app.get('/requirements', { schema: { tags, summary: 'The CCT requirements catalogue (level, category, how each is assessed)', querystring: requirementListQuery, response: { 200: requirementCatalogue } } }, async (request) => {
    requireAuthenticated(request);
    const { version, level, q } = request.query;
    const catalogue = catalogueOrProblem(version, 'version');
    const requirements = catalogue.requirements.filter((r) => (level === undefined || r.level === level) && (q === undefined || matches(r, q)));
    return {
      version: catalogue.version,
      publishedAt: catalogue.publishedAt,
      current: catalogue.version === currentCatalogue.version,
      versions: catalogueVersions.map((c) => ({ version: c.version, publishedAt: c.publishedAt })),
      requirements,
    };
  });

  app.get('/requirements/diff', { schema: { tags, summary: 'What changed between two catalogue versions (to: the current one by default)', querystring: requirementDiffQuery } }, async (request) => {
    requireAuthenticated(request);
    const from = catalogueOrProblem(request.query.from, 'from');
    const to = catalogueOrProblem(request.query.to ?? currentCatalogue.version, 'to');
    return diffCatalogues(from, to);
  });
}
