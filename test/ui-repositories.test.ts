// The « Dépôts » tab follows the repositories without a reload, in a real browser (Debian Chromium) against
// `dso start`: an application repository added with the form becomes at once the one « Démarrer un dépôt
// d'infrastructure » offers; the hosted infrastructure repository created from the generated skeleton shows in the
// list at once, with its nature and deploy path; and one added elsewhere (as `dso repos add` does in a terminal)
// shows when the person comes back to the tab. A marker set in the page proves it was never reloaded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium, seriousAccessibilityViolations } from './support/browser.ts';
import { demoPasswords, freePort, startConsole, waitForReady, type StartedConsole } from './support/process.ts';

const missing = chromiumMissing();
if (missing && process.env.CI === 'true') throw new Error(`${missing} — required when CI=true`);
if (missing) console.warn(missing);

describe.skipIf(Boolean(missing))('the repositories tab without reloads, in Chromium', () => {
  let started: StartedConsole;
  let dataDir: string;
  let base: string;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'dso-ui-repositories-'));
    const port = await freePort();
    started = startConsole({ PORT: String(port), DSO_DATA_DIR: dataDir, DSO_PUBLIC_URL: `http://127.0.0.1:${port}`, DSO_LOG_LEVEL: 'warn' });
    base = `http://127.0.0.1:${port}`;
    [chromium] = await Promise.all([launchChromium(), waitForReady(started, 90_000)]);
  }, 120_000);

  afterAll(async () => {
    await chromium?.close();
    if (started && started.child.exitCode === null) {
      started.child.kill('SIGTERM');
      await started.exited;
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const notReloaded = (page: Page) =>
    page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded === true);

  it('shows the repository the skeleton creates, and the ones added elsewhere, without a reload', async () => {
    const context = await chromium.browser.newContext({ locale: 'fr-FR', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    try {
      await page.goto(`${base}/`);
      await page.waitForURL(/\/login/);
      await page.getByRole('link', { name: 'Se connecter' }).or(page.getByRole('button', { name: 'Se connecter' })).first().click();
      await page.locator('input#username').fill('owner');
      await page.locator('input[type="password"]').fill(demoPasswords(started.stderr()).owner!);
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'J’accepte les conditions d’utilisation' }).click();
      await page.waitForURL((u) => u.origin === base && u.pathname === '/');

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
      throw new Error(`${(error as Error).message}\nat ${page.url()}\nscreen text:\n${text.slice(0, 3000)}\nserver:\n${started.stderr().slice(-2000)}`);
    } finally {
      await context.close();
    }
  }, 120_000);
});
