// /api/v1/rules/{ruleId}: a check rule's documentation page (docs/rules/<id>.md), for the console's rule page that
// findings, the conformity page and SARIF point to. The file is parsed into inert text blocks, never passed on as
// HTML. A French page (<id>.fr.md) is served to French readers when one exists; otherwise the English page.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { allRules } from '../../checks/registry.ts';
import { parseRulePage, type RulePage } from '../../checks/rule-page.ts';
import { requestLanguage, type Language } from '../../homologation/language.ts';
import { requireAuthenticated } from '../auth/resolve-actor.ts';
import { bilingual, Problem } from '../../errors.ts';
import { rulePage, ruleParams, ruleQuery } from '../schemas/rules.ts';
import type { App } from '../server.ts';
import type { Services } from '../../system/services.ts';

const tags = ['checks'];
const pagesDir = fileURLToPath(new URL('../../../docs/rules/', import.meta.url));

async function readPage(ruleId: string, lang: Language): Promise<{ markdown: string; language: Language } | undefined> {
  for (const language of lang === 'fr' ? (['fr', 'en'] as const) : (['en'] as const)) {
    const file = `${pagesDir}${ruleId}${language === 'fr' ? '.fr' : ''}.md`;
    try {
      return { markdown: await readFile(file, 'utf8'), language };
    } catch {
      // No page in this language: try the next one.
    }
  }
  return undefined;
}

export default async function ruleRoutes(app: App, _services: Services): Promise<void> {
  const rules = new Map(allRules().map((r) => [r.id, r]));
  // Pages do not change while the process runs: each is parsed once per language.
  const parsed = new Map<string, { page: RulePage; language: Language } | null>();

  app.get(
    '/rules/:ruleId',
    { schema: { tags, summary: 'A check rule: what it detects, why, how to fix it, and examples it reports and accepts', params: ruleParams, querystring: ruleQuery, response: { 200: rulePage } } },
    async (request) => {
      requireAuthenticated(request);
      const { ruleId } = request.params;
      const rule = rules.get(ruleId);
      const notFound = () => new Problem('notFound', bilingual(`Aucune règle de contrôle « ${ruleId} ». La liste des règles : dso check --rules.`, `No check rule "${ruleId}". The list of rules: dso check --rules.`));
      if (!rule) throw notFound();
      const lang = requestLanguage(request, request.query.lang);
      const key = `${lang}:${ruleId}`;
      if (!parsed.has(key)) {
        const file = await readPage(ruleId, lang);
        parsed.set(
          key,
          file ? { page: parseRulePage(file.markdown, (id) => rules.has(id)), language: file.language } : null,
        );
      }
      const found = parsed.get(key);
      const description = rule.text ?? { fr: rule.description, en: rule.description };
      if (!found) return { id: rule.id, kind: rule.kind, severity: rule.severity, requirements: rule.requirements, description, language: 'en' as const, sections: [], examples: [] };
      return {
        id: rule.id,
        kind: rule.kind,
        severity: rule.severity,
        requirements: rule.requirements,
        description,
        language: found.language,
        ...found.page,
      };
    },
  );
}
