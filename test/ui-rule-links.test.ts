// The conformity page says why a requirement is not met and links to what is behind it, in a real browser (Debian
// Chromium) against `dso start`: a revision certified without any coverage report leaves EX10 awaiting evidence;
// its row says so next to the title, links to the certified run and to the rule pages of its checks, and the rule
// page opens with its sections and examples (no markup from the page file), axe-clean.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chromiumSkipReason, seriousAccessibilityViolations, signIn, startConsoleInChromium, type ConsoleInChromium } from './support/browser.ts';
import { startExternalRepository, waitForRun, type ExternalRepository } from './support/chain.ts';

const missing = chromiumSkipReason();

describe.skipIf(Boolean(missing))('conformity page links to runs and rule pages, in Chromium', () => {
  let ui: ConsoleInChromium;
  let base: string;
  let external: ExternalRepository;
  let page: Page;
  let projectId: string;
  let runId: string;

  beforeAll(async () => {
    [ui, external] = await Promise.all([
      startConsoleInChromium('ui-rule-links', { DSO_GIT_ALLOWED_HOSTS: '127.0.0.1' }),
      startExternalRepository({ 'hello.txt': 'bonjour\n', '.dso.yml': 'version: 1\ntest:\n  command: test -f hello.txt\n' }),
    ]);
    base = ui.base;
    const call = (method: string, url: string, body?: object) => ui.adminApi(method, url, body);

    // The administrator signs in (which creates the person, the usage policy accepted on this first sign-in), then
    // owns a project whose revision is certified.
    page = await signIn(ui, { lang: 'fr', user: 'admin' });
    const users = (await call('GET', '/admin/users?q=admin')).body.items as { id: string; kind?: string }[];
    const project = await call('POST', '/projects', { slug: 'preuves-liees', name: 'Preuves liées', ownerId: users[0]!.id });
    expect(project.status, JSON.stringify(project.body)).toBe(201);
    projectId = project.body.id;
    const repo = await call('POST', '/repositories', { projectId, name: 'app', externalUrl: external.url });
    expect(repo.status, JSON.stringify(repo.body)).toBe(201);
    // Accepted once the repository's first mirror is ready.
    const run = await vi.waitFor(async () => {
      const answer = await call('POST', `/projects/${projectId}/repositories/${repo.body.id}/runs`, { ref: 'main' });
      expect(answer.status, JSON.stringify(answer.body)).toBe(202);
      return answer;
    }, { timeout: 30_000, interval: 500 });
    runId = run.body.id;
    expect((await waitForRun((url) => call('GET', url.slice('/api/v1'.length)), runId, 120_000)).status).toBe('certified');
  }, 240_000);

  afterAll(async () => {
    await ui?.stop();
    await external?.stop();
  });

  it('says why EX10 awaits evidence, links to the certified run and to the coverage rule page', async () => {
    await page.goto(`${base}/projects/${projectId}/conformity`);
    const why = page.getByTestId('why-EX10');
    await why.waitFor();
    expect(await why.innerText()).toMatch(/couverture/i);
    // The run behind the state.
    const runLink = page.getByTestId('why-run-EX10');
    expect(await runLink.getAttribute('href')).toBe(`/projects/${projectId}/runs/${runId}`);
    // The rule pages of the requirement's checks.
    const rules = page.getByTestId('rules-EX10');
    const coverage = rules.getByRole('link', { name: 'test-reports.back-end-coverage' });
    expect(await coverage.getAttribute('href')).toBe('/rules/test-reports.back-end-coverage');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await coverage.click();
    await page.waitForURL((u) => u.pathname === '/rules/test-reports.back-end-coverage');
    const article = page.getByTestId('rule-page');
    await article.getByRole('heading', { level: 1, name: 'test-reports.back-end-coverage' }).waitFor();
    await article.getByRole('heading', { level: 2, name: 'How to fix it' }).waitFor();
    // The page body is in English (no French page yet), said so and marked for screen readers.
    expect(await page.getByText('Cette page n’est rédigée qu’en anglais pour le moment.').count()).toBe(1);
    expect(await article.locator('[lang="en"]').count()).toBeGreaterThan(0);
    // Nothing from the page file became markup: no script, no link out of the console.
    expect(await article.locator('script, iframe, img').count()).toBe(0);
    const hrefs = await article.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.every((h) => h.startsWith('/rules/'))).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    // An unknown rule: the problem in a sentence, not a blank page.
    await page.goto(`${base}/rules/secrets.no-such-rule`);
    await page.getByText(/Aucune règle de contrôle « secrets\.no-such-rule »/).waitFor();
  }, 60_000);
});
