// /api/v1/projects/{projectId}/dossier: the homologation dossier, always current — a printable HTML document
// (print stylesheet: the browser's "print to PDF" gives the PDF), OSCAL 1.1 assessment results, or the OSCAL
// plan of action and milestones for derogations. Built from the same facts and evaluator as the conformity.
import { z } from 'zod';
import { currentCatalogue } from '../../catalogue/catalogue.ts';
import { evaluateConformity } from '../../catalogue/conformity.ts';
import { renderDossierHtml } from '../../catalogue/dossier-html.ts';
import { assessmentResults, planOfActionAndMilestones } from '../../catalogue/oscal.ts';
import { gatherProjectFacts } from '../../homologation/facts.ts';
import { requestLanguage } from '../../homologation/language.ts';
import { authorizeProjectRead } from '../authorize.ts';
import { bilingual, Problem } from '../../errors.ts';
import { projectParams } from '../schemas/conformity.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';
import { instantParameter } from './conformity.ts';

const tags = ['homologation'];

const query = z.strictObject({
  format: z.enum(['html', 'oscal', 'oscal-poam']).default('html'),
  lang: z.enum(['fr', 'en']).optional(),
  at: z.string().max(60).optional().describe('Produce the dossier as of this instant (ISO 8601 with offset)'),
});

export default async function dossierRoutes(app: App, services: Services): Promise<void> {
  app.get(
    '/projects/:projectId/dossier',
    { schema: { tags, summary: 'Homologation dossier: ?format=html (printable), oscal (assessment results) or oscal-poam (derogations)', params: projectParams, querystring: query } },
    async (request, reply) => {
      const { projectId } = request.params;
      const access = await authorizeProjectRead(services, request, projectId, 'conformity.read');
      const generatedAt = instantParameter(request.query.at) ?? services.now();
      const facts = await gatherProjectFacts(services.db, projectId, { policy: services.config.conformity });
      if (!facts) throw new Problem('notFound', bilingual('Projet introuvable, ou vous n’y avez pas accès.', 'No such project, or you cannot see it.'));
      const conformity = evaluateConformity(currentCatalogue, facts, generatedAt);
      const base = `${services.config.publicUrl.replace(/\/+$/, '')}/api/v1`;
      const stamp = generatedAt.toISOString().slice(0, 10);
      const format = request.query.format;
      if (format === 'html') {
        const lang = requestLanguage(request, request.query.lang);
        const html = renderDossierHtml({
          catalogue: currentCatalogue,
          facts,
          conformity,
          generatedAt,
          lang,
          links: {
            oscalAssessmentResultsUrl: `${base}/projects/${projectId}/dossier?format=oscal`,
            oscalPoamUrl: `${base}/projects/${projectId}/dossier?format=oscal-poam`,
            catalogueUrl: `${base}/requirements?version=${encodeURIComponent(currentCatalogue.version)}`,
          },
        });
        return reply
          .type('text/html; charset=utf-8')
          .header('content-disposition', `inline; filename="dossier-${access.project.slug}-${stamp}.html"`)
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
          .send(html);
      }
      const input = { catalogue: currentCatalogue, facts, conformity, generatedAt, catalogueUrl: `${base}/requirements?version=${encodeURIComponent(currentCatalogue.version)}` };
      const document = format === 'oscal' ? assessmentResults(input) : planOfActionAndMilestones(input);
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `inline; filename="${format === 'oscal' ? 'assessment-results' : 'poam'}-${access.project.slug}-${stamp}.json"`)
        .send(JSON.stringify(document, null, 2));
    },
  );
}
