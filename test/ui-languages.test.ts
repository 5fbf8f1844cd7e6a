// Every console screen a newcomer meets, read in Chromium in French and then in English: the French screens must
// hold no English word from a list of words that give an untranslated text away (and the reverse), and no screen
// may show a message key (`runs.trigger.manual`) instead of its text. The data behind the screens is made through
// the API (a project, a hosted repository whose run fails at its first step, an environment), so that enumerations,
// step names, step notes and problem details are on screen too; a catalogue service in that environment has its
// ArgoCD sync and health read back (from a stand-in for ArgoCD's REST API: ArgoCD itself cannot run here), so that
// ArgoCD's words are checked as well. Text the team typed or that is code (commit ids, logs, identifiers in <code>,
// a tooltip holding one raw value such as ArgoCD's `OutOfSync`) is not language and is left out.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason, settled, startConsoleInChromium, type ConsoleInChromium } from './support/browser.ts';
import { chartArchive } from './support/charts.ts';

const missing = chromiumSkipReason();

/** Words that give an English text away on a French screen (none of them is French; "git push" is a command, not a
 * word). */
const englishWords = [
  'the', 'and', 'with', 'without', 'not', 'yet', 'your', 'this', 'that', 'there', 'is', 'are', 'has', 'have', 'been', 'no', 'of', 'to', 'from',
  'invalid', 'expected', 'received', 'required', 'unknown', 'committed', 'enforce', 'manual', 'internal', 'external', 'dedicated',
  'pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled', 'queued', 'certified', 'rejected', 'ready',
  'loading', 'save', 'create', 'delete', 'cancel', 'name', 'status', 'repository', 'repositories', 'environment', 'environments',
  'members', 'step', 'steps', 'sync', 'checkout', 'checks', 'notify', 'publish', 'gate', 'certify', 'build', 'tests passed', 'run', 'runs',
  'hosted', 'branch', 'allowed', 'blocked', 'error', 'settings', 'projects', 'project', 'owner', 'security', 'sign', 'log in', 'log out',
  'synced', 'outofsync', 'out of sync', 'healthy', 'degraded', 'progressing', 'suspended', 'missing',
];
/** Words that give a French text away on an English screen. */
const frenchWords = [
  'le', 'la', 'les', 'des', 'du', 'une', 'est', 'sont', 'pas', 'avec', 'pour', 'dans', 'sur', 'aucun', 'aucune', 'créer', 'enregistrer',
  'supprimer', 'annuler', 'chargement', 'dépôt', 'dépôts', 'étape', 'étapes', 'exécution', 'réussie', 'échec', 'sautée', 'annulée', 'prêt',
  'interne', 'externe', 'dédié', 'bloquante', 'manuel', 'envoi', 'synchronisation', 'projet', 'projets', 'membres', 'environnement',
  'environnements', 'secrets', 'accueil', 'déconnecter', 'connecter', 'erreur', 'requête', 'invalide', 'attendu', 'reçu', 'vérifier',
  'synchronisé', 'désynchronisé', 'sain', 'dégradé', 'suspendu', 'inconnu',
];
// "secrets" is English as well: only the French list uses it as a give-away when it is clearly French context.
frenchWords.splice(frenchWords.indexOf('secrets'), 1);

/** A message key shown as such (an unknown key shows itself): prefix.word[.word…] */
const messageKey = /\b(?:app|nav|common|status|cond|login|policy|projects?|repos|runs|step|findings|envs|deploy|admin|audit|secrets|members|sensitivity|gateMode|clusterKind|conformity|security|webhooks|tokens|sa)\.[a-z][\w-]*(?:\.[\w-]+)*\b/g;

function wordsFound(text: string, words: string[]): string[] {
  const found = new Set<string>();
  for (const word of words) {
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}_.'’/-])${word.replace(/ /g, '\\s+')}(?![\\p{L}\\p{N}_'’/-])`, 'iu');
    if (pattern.test(text)) found.add(word);
  }
  return [...found];
}

/**
 * The visible text of the page and the accessible names a screen reader says, without code, logs and typed data
 * (an attribute holding one identifier, such as an action code in a tooltip, is code too).
 */
async function screenText(page: Page, typed: string[]): Promise<string> {
  const text = await page.evaluate(() => {
    const lang = document.documentElement.lang;
    // Text marked as another language on purpose (the language switch names the other language in it) is left out.
    const otherLanguage = (el: Element) => Boolean(el.closest(`[lang]:not([lang="${lang}"])`)) && el.closest('[lang]') !== document.documentElement;
    const clone = document.body.cloneNode(true) as HTMLElement;
    Array.from(clone.querySelectorAll(`[lang]:not([lang="${lang}"])`)).forEach((el) => el.remove());
    Array.from(clone.querySelectorAll('code, pre, kbd, samp, script, style, [translate="no"], .fr-logo, option[value=""]')).forEach((el) => el.remove());
    const attributes = Array.from(document.querySelectorAll('[aria-label], [title], [placeholder]')).filter((el) => !otherLanguage(el)).map((el) => [el.getAttribute('aria-label'), el.getAttribute('title'), el.getAttribute('placeholder')].filter((v) => v && !/^[\w.-]+$/.test(v)).join(' '));
    // innerText of a detached clone is its textContent; keep block boundaries readable.
    return `${clone.innerText || clone.textContent || ''}\n${attributes.join('\n')}`;
  });
  let cleaned = text;
  for (const value of typed) cleaned = cleaned.split(value).join(' ');
  return cleaned;
}

/** Names the platform seeds (an administrator renames them): data, in French, not text of the console. */
const seededNames = ['Cluster interne', 'Zone par défaut', 'Pré-production', 'Développement'];

describe.skipIf(Boolean(missing))('the console in French and in English', () => {
  let ui: ConsoleInChromium;
  let argocd: Server;

  beforeAll(async () => {
    // ArgoCD's answer for every Application: out of sync and degraded, words the console must translate.
    argocd = createServer((request, response) => {
      response.writeHead(request.url?.startsWith('/api/v1/applications/') ? 200 : 404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: { sync: { status: 'OutOfSync', revision: 'abc' }, health: { status: 'Degraded' } } }));
    });
    await new Promise<void>((resolve) => argocd.listen(0, '127.0.0.1', resolve));
    ui = await startConsoleInChromium('ui-languages', {
      DSO_ARGOCD_URL: `http://127.0.0.1:${(argocd.address() as AddressInfo).port}`,
      DSO_ARGOCD_TOKEN: 'ui-languages-argocd-token',
    });
  }, 120_000);

  afterAll(async () => {
    await ui?.stop();
    argocd?.close();
  });

  async function login(user: string): Promise<Page> {
    // Not signIn (support/browser.ts): it pins the language the page starts in, and this file switches it.
    const context = await ui.browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${ui.base}/`);
    await page.waitForURL(/\/login/);
    await page.getByRole('button', { name: 'Se connecter' }).or(page.getByRole('link', { name: 'Se connecter' })).first().click();
    await page.waitForSelector('input#username');
    await page.fill('input#username', user);
    await page.fill('input#password', ui.passwords[user]!);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.origin === ui.base && !u.pathname.startsWith('/auth') && !u.pathname.startsWith('/oidc'));
    // The usage policy is accepted through the API: the screen itself is walked below.
    await page.evaluate(async () => {
      const policy = await (await fetch('/api/v1/me/usage-policy')).json();
      if (policy?.policy?.version && !policy.accepted) await fetch('/api/v1/me/usage-policy', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ version: policy.policy.version }) });
    });
    return page;
  }

  /** API call from the page (its session cookie), as the console makes it. */
  async function api<T>(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
    return page.evaluate(
      async ([m, u, b]) => {
        const response = await fetch(`/api/v1${u}`, { method: m as string, headers: { 'content-type': 'application/json', accept: 'application/json' }, ...(b === undefined ? {} : { body: JSON.stringify(b) }) });
        return { status: response.status, body: response.status === 204 ? null : await response.json() };
      },
      [method, url, body] as const,
    ) as Promise<{ status: number; body: T }>;
  }

  /** Reads each screen in both languages; returns what gave an untranslated text away, per screen and language. */
  async function walk(
    page: Page,
    screens: { name: string; path: string; act?: (page: Page) => Promise<void> }[],
    typed: string[],
  ) {
    const faults: string[] = [];
    for (const locale of ['fr', 'en'] as const) {
      await page.evaluate((l) => localStorage.setItem('dso.locale', l), locale);
      for (const screen of screens) {
        await page.goto(`${ui.base}${screen.path}`);
        await settled(page);
        await screen.act?.(page);
        expect(await page.evaluate(() => document.documentElement.lang), `${screen.name} (${locale})`).toBe(locale);
        const text = await screenText(page, typed);
        const words = wordsFound(text, locale === 'fr' ? englishWords : frenchWords);
        const keys = [...new Set(text.match(messageKey) ?? [])];
        if (words.length)
          faults.push(
            `${screen.name} (${locale}): ${locale === 'fr' ? 'English' : 'French'} words ${words.map((w) => `"${w}"`).join(', ')}`,
          );
        if (keys.length) faults.push(`${screen.name} (${locale}): message keys ${keys.join(', ')}`);
      }
    }
    return faults;
  }

  it('finds the give-aways it looks for (the check itself works)', () => {
    expect(wordsFound('Trop grand : expected string', englishWords)).toEqual(['expected']);
    expect(wordsFound('Mode : enforce', englishWords)).toEqual(['enforce']);
    expect(wordsFound('Étape sync — committed at 1234', englishWords)).toEqual(['committed', 'sync']);
    expect(wordsFound('Step: Synchronisation du miroir', frenchWords)).toEqual(['du', 'synchronisation']);
    expect(wordsFound('Dépôts hébergés', englishWords)).toEqual([]);
    expect(wordsFound('ArgoCD : OutOfSync / Degraded', englishWords)).toEqual(['outofsync', 'degraded']);
    expect(wordsFound('ArgoCD: Désynchronisé / Dégradé', frenchWords)).toEqual(['désynchronisé', 'dégradé']);
    expect('runs.trigger.manual, common.save'.match(messageKey)).toEqual(['runs.trigger.manual', 'common.save']);
  });

  it('shows a team every screen in French and in English, with no text of the other language and no message key', async () => {
    const page = await login('owner');
    const project = await api<{ id: string }>(page, 'POST', '/projects', { name: 'Teleservice', slug: 'teleservice' });
    expect(project.status, JSON.stringify(project.body)).toBe(201);
    const projectId = project.body.id;
    const repository = await api<{ id: string }>(page, 'POST', '/repositories', { projectId, name: 'application', source: 'hosted' });
    expect(repository.status, JSON.stringify(repository.body)).toBe(201);
    // A hosted repository nobody pushed to: its run fails at the first step, with a step note and skipped steps.
    const run = await api<{ id: string }>(page, 'POST', `/projects/${projectId}/repositories/${repository.body.id}/runs`, {});
    expect(run.status, JSON.stringify(run.body)).toBe(202);
    await page.waitForFunction(async (url) => ['failed', 'rejected', 'certified'].includes((await (await fetch(url)).json()).status), `/api/v1/runs/${run.body.id}`, { timeout: 60_000, polling: 250 });
    const stages = await api<{ items: { id: string }[] }>(page, 'GET', '/admin/stages?limit=200');
    const clusters = await api<{ items: { id: string }[] }>(page, 'GET', `/admin/clusters?projectId=${projectId}&limit=200`);
    const environment = await api<{ id: string }>(page, 'POST', '/environments', { projectId, name: 'dev', stageId: stages.body.items[0]!.id, clusterId: clusters.body.items[0]!.id, cpuMillicores: 100, memoryMiB: 128 });
    expect(environment.status, JSON.stringify(environment.body)).toBe(201);
    // A chart from the catalogue runs in it: once committed, its ArgoCD Application's sync and health are read back.
    const imported = await ui.adminApi('POST', '/catalogue', new Uint8Array(await chartArchive(path.join(ui.dataDir, 'charts'), { name: 'vitrine', version: '1.0.0' })), 'application/gzip');
    expect(imported.status, JSON.stringify(imported.body)).toBeLessThan(300);
    const published = await ui.adminApi('POST', '/catalogue/vitrine/versions/1.0.0/publish', {});
    expect(published.status, JSON.stringify(published.body)).toBe(200);
    const servicesPath = `/projects/${projectId}/environments/${environment.body.id}/services`;
    const added = await api(page, 'POST', servicesPath, { item: 'vitrine', version: '1.0.0', name: 'vitrine' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    await page.waitForFunction(async (url) => (await (await fetch(url)).json()).items?.[0]?.argocd?.sync === 'OutOfSync', `/api/v1${servicesPath}`, { timeout: 60_000, polling: 250 });

    const typed = ['Teleservice', 'teleservice', 'application', 'vitrine', 'Test chart vitrine', ...seededNames];
    const tabs = ['overview', 'members', 'conformity', 'environments', 'repositories', 'secrets', 'service-accounts', 'webhooks'];
    const faults = await walk(
      page,
      [
        { name: 'projects', path: '/' },
        { name: 'project-create', path: '/projects/new' },
        // The server's refusal, in the screen's language: "Invalid body" and zod's "Too small…" must not show in
        // French.
        {
          name: 'project-create-refused',
          path: '/projects/new',
          act: async (p) => {
            await p.locator('input[name="name"]').fill('Teleservice');
            await p.locator('input[name="slug"]').fill('Mauvais Identifiant');
            await p.locator('#contenu form button[type="submit"]').first().click();
            await p.locator('input[name="slug"][aria-invalid="true"]').waitFor();
          },
        },
        ...tabs.map((tab) => ({ name: `project-${tab}`, path: `/projects/${projectId}/${tab}` })),
        // The environment's deployments and services, with ArgoCD's words in the screen's language.
        {
          name: 'environment-deployments-and-services',
          path: `/projects/${projectId}/environments`,
          act: async (p) => {
            await p.locator('#contenu table button[aria-pressed]').first().click();
            await p.locator('[data-service="vitrine"] [data-testid="argocd-status"]').waitFor();
          },
        },
        { name: 'run', path: `/projects/${projectId}/runs/${run.body.id}`, act: async (p) => void (await p.locator('[data-testid="run-status"] .fr-badge').waitFor()) },
        { name: 'usage-policy', path: '/usage-policy' },
        { name: 'not-found', path: '/nulle-part' },
      ],
      typed,
    );
    expect(faults).toEqual([]);
    // ArgoCD's own values stay at hand, as each translated word's tooltip.
    await page.evaluate(() => localStorage.setItem('dso.locale', 'fr'));
    await page.goto(`${ui.base}/projects/${projectId}/environments`);
    await settled(page);
    await page.locator('#contenu table button[aria-pressed]').first().click();
    const argocdStatus = page.locator('[data-service="vitrine"] [data-testid="argocd-status"]');
    await expect.poll(() => argocdStatus.innerText()).toBe('Désynchronisé / Dégradé');
    expect(await argocdStatus.locator('[title]').evaluateAll((els) => els.map((el) => el.getAttribute('title')))).toEqual(['OutOfSync', 'Degraded']);
    await page.context().close();
  }, 300_000);

  it('shows the administrator every administration screen in French and in English', async () => {
    const page = await login('admin');
    const sections = ['zones', 'clusters', 'stages', 'users', 'usage-policies', 'url-allow-list', 'audit', 'health'];
    const faults = await walk(page, [{ name: 'security', path: '/security' }, ...sections.map((s) => ({ name: `admin-${s}`, path: `/admin/${s}` }))], seededNames);
    expect(faults).toEqual([]);
    await page.context().close();
  }, 180_000);
});
