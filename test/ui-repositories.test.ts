// The « Dépôts » tab follows the repositories without a reload, in a real browser (Debian Chromium) against
// `dso start`: an application repository added with the form becomes at once the one « Démarrer un dépôt
// d'infrastructure » offers; the hosted infrastructure repository created from the generated skeleton shows in the
// list at once, with its nature and deploy path; and one added elsewhere (as `dso repos add` does in a terminal)
// shows when the person comes back to the tab. A marker set in the page proves it was never reloaded.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason, seriousAccessibilityViolations, signIn, startConsoleInChromium, type ConsoleInChromium } from './support/browser.ts';

const missing = chromiumSkipReason();

describe.skipIf(Boolean(missing))('the repositories tab without reloads, in Chromium', () => {
  let ui: ConsoleInChromium;
  let base: string;

  beforeAll(async () => {
    ui = await startConsoleInChromium('ui-repositories');
    base = ui.base;
  }, 120_000);

  afterAll(async () => {
    await ui?.stop();
  });

  const notReloaded = (page: Page) =>
    page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

  it('shows the repository the skeleton creates, and the ones added elsewhere, without a reload', async () => {
    const page = await signIn(ui, { lang: 'fr', user: 'owner' });
    try {
      await page.goto(`${base}/projects/new`);
      await page.getByLabel(/^Nom/).fill('Téléservice');
      await page.getByLabel(/^Identifiant/).fill('teleservice');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
      const projectId = new URL(page.url()).pathname.split('/').pop()!;
      await page.goto(`${base}/projects/${projectId}/repositories`);
      const skeleton = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Démarrer un dépôt d’infrastructure' }) });
      await skeleton.getByText('Ajoutez d’abord un dépôt d’application').waitFor();
      await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

      // An application repository added with the form: the skeleton offers it at once.
      const addForm = page.locator('form', { has: page.getByRole('button', { name: 'Ajouter le dépôt' }) });
      await addForm.locator('input[name="name"]').fill('web');
      await addForm.getByRole('button', { name: 'Ajouter le dépôt' }).click();
      const table = page.locator('table', { has: page.locator('caption', { hasText: 'Dépôts' }) });
      await table.locator('tr', { hasText: 'web' }).waitFor();
      await expect.poll(() => skeleton.getByLabel('Dépôt d’application à déployer').inputValue()).toBe('web');

      // The skeleton's files, then its hosted infrastructure repository, created from the console.
      await skeleton.getByRole('button', { name: 'Générer les fichiers' }).click();
      await skeleton.locator('[data-testid="skeleton"]').waitFor();
      expect(await skeleton.getByLabel(/^Nom du dépôt d’infrastructure/).inputValue()).toBe('infrastructure');
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await skeleton.getByRole('button', { name: 'Créer le dépôt hébergé « infrastructure »' }).click();
      await skeleton.getByText('Dépôt d’infrastructure « infrastructure » créé').waitFor();
      const infrastructure = table.locator('tr', { has: page.locator('td', { hasText: /^infrastructure$/ }) });
      await infrastructure.waitFor();
      expect(await infrastructure.innerText()).toMatch(/Infrastructure[\s\S]*deploy/);
      expect(await skeleton.locator('pre').last().innerText()).toContain('npx dso repos push --project teleservice --name infrastructure');
      expect(await notReloaded(page)).toBe(true);

      // Added elsewhere (a terminal's `dso repos add`, another tab): shown when the person comes back to this tab.
      const elsewhere = await page.request.post(`${base}/api/v1/repositories`, { data: { projectId, name: 'infra-cli', source: 'hosted', kind: 'infrastructure', deployPath: 'k8s' } });
      expect(elsewhere.status()).toBe(201);
      await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
      await table.locator('tr', { hasText: 'infra-cli' }).waitFor();
      expect(await notReloaded(page)).toBe(true);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
    } catch (error) {
      const text = await page.evaluate(() => document.getElementById('contenu')?.innerText ?? document.body.innerText).catch(() => '');
      throw new Error(`${(error as Error).message}\nat ${page.url()}\nscreen text:\n${text.slice(0, 3000)}\nserver:\n${ui.started.stderr().slice(-2000)}`);
    } finally {
      await page.context().close();
    }
  }, 120_000);
});
