// The README's « Premier projet » section, word for word, in a real browser (Debian Chromium) against `dso start`
// on a fresh data folder, at 1,366 px (a laptop) and at 390 px (a phone, where the header folds into « Menu »):
// sign in from http://127.0.0.1 without DSO_PUBLIC_URL, accept the usage policy, create the project, add the hosted
// repository, `dso login` (confirmed in the browser) and `dso repos push` of examples/premier-projet with the real
// CLI, watch the run end « Certifiée », create the environment, deploy from « Déployer cette révision », read the
// conformity and open the dossier. Every screen is scanned by axe-core (no serious or critical violation) and the
// page never scrolls sideways. If the README changes, this test must change with it (it quotes the labels).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDso } from './support/cli.ts';
import { chromiumSkipReason, seriousAccessibilityViolations, settled, startConsoleInChromium, type AxeViolation, type ConsoleInChromium } from './support/browser.ts';
import { repoRoot } from './support/process.ts';

const missing = chromiumSkipReason();

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const premierProjet = readme.slice(readme.indexOf('## Premier projet'), readme.indexOf('\n## ', readme.indexOf('## Premier projet') + 5));

/** `dso` (as `npx dso` runs it) with its own config folder and nothing else from this environment but PATH. */
const dso = (args: string[], env: Record<string, string>, onStderr?: (soFar: string) => void) =>
  runDso(args, { env: { PATH: process.env.PATH ?? '', ...env }, ...(onStderr ? { onStderr } : {}) });

for (const viewport of [{ name: 'laptop', width: 1366, height: 768 }, { name: 'phone', width: 390, height: 844 }]) {
  describe.skipIf(Boolean(missing))(`README « Premier projet » in Chromium at ${viewport.width} px`, () => {
    let ui: ConsoleInChromium;
    let configHome: string;
    let page: Page;
    let base: string;
    const violations: { screen: string; violations: AxeViolation[] }[] = [];
    const overflowing: string[] = [];
    const phone = viewport.width < 992;
    /** Script and loading errors in the page, shown with a failure (the 401 of /me before signing in is expected). */
    const pageErrors: string[] = [];

    beforeAll(async () => {
      configHome = mkdtempSync(path.join(tmpdir(), 'dso-premier-cli-'));
      // As the README says: `npm start`, nothing configured (no DSO_PUBLIC_URL, no allow-list, no administrator token).
      ui = await startConsoleInChromium('premier', { DSO_PUBLIC_URL: undefined, DSO_ADMIN_TOKEN: undefined });
      base = ui.base;
      const context = await ui.browser.newContext({ locale: 'fr-FR', viewport: { width: viewport.width, height: viewport.height } });
      page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(message.text());
      });
    }, 120_000);

    afterAll(async () => {
      await ui?.stop();
      if (configHome) rmSync(configHome, { recursive: true, force: true });
    });

    /** axe-core on the screen as it is, and no sideways scrolling. */
    async function check(screen: string): Promise<void> {
      const found = await seriousAccessibilityViolations(page);
      if (found.length) violations.push({ screen, violations: found });
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (wide > 1) overflowing.push(`${screen} (+${wide} px)`);
    }
    async function evidence<T>(work: () => Promise<T>): Promise<T> {
      try {
        return await work();
      } catch (error) {
        await page.screenshot({ path: path.join(repoRoot, 'test-output', 'screenshots', `premier-projet-${viewport.width}-failure.png`), fullPage: true }).catch(() => {});
        const text = await page.evaluate(() => document.getElementById('contenu')?.innerText ?? document.body.innerText).catch(() => '');
        throw new Error(`${(error as Error).message}\nat ${page.url()}\nscreen text:\n${text.slice(0, 1500)}\npage errors:\n${pageErrors.join('\n')}\nserver:\n${ui.started.stderr().slice(-2000)}`);
      }
    }
    /** « Mes projets » and the other header entries: in the header on a laptop, behind « Menu » on a phone. */
    async function navigate(entry: string): Promise<void> {
      if (phone) {
        await page.getByRole('button', { name: 'Menu', exact: true }).click();
        await page.getByRole('dialog').getByRole('link', { name: entry }).click();
      } else await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: entry }).click();
      await settled(page);
    }
    async function tab(name: string): Promise<void> {
      await page.getByRole('tab', { name }).click();
      await settled(page);
    }

    it('takes the sample from sign-in to a deployed, certified revision, as the README says', async () => {
      const t0 = performance.now();
      await evidence(async () => {
        // 1. Start: the terminal printed the demo accounts.
        expect(premierProjet).toContain('note the\n   password of `owner`');
        const password = ui.passwords.owner!;
        expect(password).toBeTruthy();

        // 2. Sign in at http://127.0.0.1:PORT, « Se connecter », owner, accept the usage policy.
        expect(premierProjet).toContain('« Se connecter »');
        await page.goto(`${base}/`);
        await page.waitForURL(/\/login/);
        await settled(page);
        await check('login');
        await page.getByRole('link', { name: 'Se connecter' }).or(page.getByRole('button', { name: 'Se connecter' })).first().click();
        await page.locator('input#username').fill('owner');
        await page.locator('input[type="password"]').fill(password);
        await page.keyboard.press('Enter');
        await page.waitForURL((u) => u.origin === base && u.pathname === '/usage-policy');
        await settled(page);
        await check('usage-policy');
        expect(premierProjet).toContain('« J’accepte les conditions d’utilisation »');
        await page.getByRole('button', { name: 'J’accepte les conditions d’utilisation' }).click();
        await page.waitForURL((u) => u.pathname === '/');
        await settled(page);
        await check('projects-empty');

        // 3. « Mes projets » → « Nouveau projet »: « Nom », « Identifiant », « Créer ».
        expect(premierProjet).toContain('« Mes projets » → « Nouveau projet »: « Nom » `Premier projet`, « Identifiant »\n   `premier-projet`, then « Créer »');
        await navigate('Mes projets');
        await page.getByRole('link', { name: 'Nouveau projet' }).click();
        await settled(page);
        await check('project-create');
        await page.getByLabel(/^Nom/).fill('Premier projet');
        await page.getByLabel(/^Identifiant/).fill('premier-projet');
        await page.getByRole('button', { name: 'Créer', exact: true }).click();
        await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
        const projectPath = new URL(page.url()).pathname;
        await settled(page);
        await check('project-overview');

        // 4. « Dépôts » → « Ajouter un dépôt »: bonjour, hosted, infrastructure, deploy path `deploy`.
        expect(premierProjet).toContain('Tab « Dépôts » → « Ajouter un dépôt »: name `bonjour`, « Origine du code »\n   « Hébergé par la plateforme », « Nature » « Infrastructure », « Chemin de déploiement » `deploy`, then\n   « Ajouter le dépôt »');
        await tab('Dépôts');
        await page.getByRole('heading', { name: 'Ajouter un dépôt' }).waitFor();
        await page.getByLabel(/^Nom/).fill('bonjour');
        // The README quotes the start of each option's label (the screen adds a short explanation in brackets).
        const choose = async (field: RegExp, option: string) => {
          const select = page.getByLabel(field);
          await select.selectOption((await select.locator('option', { hasText: option }).first().getAttribute('value'))!);
        };
        await choose(/^Origine du code/, 'Hébergé par la plateforme');
        await choose(/^Nature/, 'Infrastructure');
        await page.getByLabel(/^Chemin de déploiement/).fill('deploy');
        await page.getByRole('button', { name: 'Ajouter le dépôt' }).click();
        const row = page.locator('tr', { hasText: 'bonjour' });
        await row.getByText('Prêt').waitFor({ timeout: 30_000 });
        await check('project-repositories');

        // 5. dso login (confirmed in the browser), then dso repos push of the sample.
        expect(premierProjet).toContain('npx dso login --url http://127.0.0.1:8080');
        expect(premierProjet).toContain('npx dso repos push --project premier-projet --name bonjour --dir examples/premier-projet');
        const cliEnv = { HOME: configHome, XDG_CONFIG_HOME: configHome, DSO_LANG: 'fr' };
        let loginUrl = '';
        const login = dso(['login', '--url', base, '--no-browser'], cliEnv, (err) => {
          loginUrl ||= /(http:\/\/127\.0\.0\.1:\d+\/auth\/cli\?\S+)/.exec(err)?.[1] ?? '';
        });
        await expect.poll(() => loginUrl, { timeout: 15_000 }).not.toBe('');
        await page.goto(loginUrl);
        await page.getByRole('button', { name: 'Autoriser / Allow' }).click();
        const loggedIn = await login;
        expect(loggedIn.code, loggedIn.err).toBe(0);
        const pushed = await dso(['repos', 'push', '--project', 'premier-projet', '--name', 'bonjour', '--dir', 'examples/premier-projet'], cliEnv);
        expect(pushed.code, pushed.err).toBe(0);
        expect(pushed.out).toMatch(/Poussé sur .*\/git\/premier-projet\/bonjour\.git/);

        // 6. « Dépôts » → « Exécutions » → the run: it ends « Certifiée ».
        expect(premierProjet).toContain('Tab « Dépôts » → « Exécutions » → the run');
        await page.goto(`${base}${projectPath}`);
        await settled(page);
        await tab('Dépôts');
        await page.locator('tr', { hasText: 'bonjour' }).getByRole('button', { name: /^Exécutions/ }).click();
        const runLink = page.locator('table', { hasText: 'Déclencheur' }).locator('tbody tr a').first();
        await runLink.waitFor({ timeout: 20_000 });
        await runLink.click();
        await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
        const runPath = new URL(page.url()).pathname;
        await page.locator('[data-testid="run-status"] .fr-badge', { hasText: /Certifiée|Refusée|En échec|Annulée/ }).waitFor({ timeout: 120_000 });
        expect(await page.locator('[data-testid="run-status"] .fr-badge').innerText()).toMatch(/Certifiée/i);
        const certifiedAfterMs = performance.now() - t0;
        await check('run-certified');

        // 7. « Environnements »: « Nom » dev, « Créer un environnement », it becomes « Prêt ».
        expect(premierProjet).toContain('Tab « Environnements »: « Nom » `dev` (the other fields keep their defaults), then\n   « Créer un environnement »; it becomes « Prêt »');
        await page.goto(`${base}${projectPath}`);
        await settled(page);
        await tab('Environnements');
        await page.getByLabel(/^Nom/).fill('dev');
        await page.getByRole('button', { name: 'Créer un environnement' }).click();
        await page.locator('tr', { hasText: 'dev' }).getByText('Prêt').waitFor({ timeout: 60_000 });
        await check('project-environments');

        // 8. On the certified run, « Déployer cette révision », then « Déployer »; « Ce qui tourne » shows it.
        expect(premierProjet).toContain('« Déployer cette révision » opens the environments with that revision chosen\n   in « Révision certifiée à déployer »; click « Déployer »');
        await page.goto(`${base}${runPath}`);
        await settled(page);
        const commit = ((await page.evaluate(async (id) => (await fetch(`/api/v1/runs/${id}`)).json(), runPath.split('/').pop()!)) as { commitSha: string }).commitSha;
        await page.getByRole('link', { name: 'Déployer cette révision' }).click();
        await page.waitForURL(/\/environments\?deploy=/);
        const revision = page.getByLabel(/^Révision certifiée à déployer/);
        await expect.poll(() => revision.inputValue(), { timeout: 20_000 }).toBe(commit);
        await page.getByRole('button', { name: 'Déployer', exact: true }).click();
        await page.getByText('Déploiement demandé').waitFor();
        await expect.poll(async () => page.locator('p', { hasText: 'Ce qui tourne' }).innerText(), { timeout: 60_000 }).toContain(commit.slice(0, 12));
        await check('project-deployed');

        // 9. « Conformité »: the score, and the dossier.
        expect(premierProjet).toContain('Tab « Conformité »');
        await page.goto(`${base}${projectPath}`);
        await settled(page);
        await tab('Conformité');
        await page.locator('[data-testid="score-P"]').waitFor();
        expect(await page.locator('[data-testid="score-P"]').innerText()).toMatch(/\d+ %/);
        await check('project-conformity');
        const dossierLink = page.getByRole('link', { name: 'Ouvrir le dossier d’homologation (version imprimable)' });
        const dossier = await page.request.get(new URL((await dossierLink.getAttribute('href'))!, base).href);
        expect(dossier.status()).toBe(200);
        expect(await dossier.text()).toMatch(/<dd>premier-projet<\/dd>/);
        console.log(`${viewport.name} (${viewport.width} px): first certified revision ${(certifiedAfterMs / 1000).toFixed(1)} s after the console was ready, whole README path ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      });
    }, 300_000);

    it('keeps the language switch, sign-out and the footer links reachable at this width', async () => {
      await evidence(async () => {
        await page.goto(`${base}/`);
        await settled(page);
        if (phone) {
          // Folded into the DSFR menu: the header's buttons are hidden until « Menu » opens the dialog.
          expect(await page.locator('.fr-header__tools-links').isVisible()).toBe(false);
          const menu = page.getByRole('button', { name: 'Menu', exact: true });
          await menu.click();
          const dialog = page.getByRole('dialog');
          await dialog.getByRole('button', { name: 'Se déconnecter' }).waitFor();
          expect(await dialog.getByRole('button', { name: 'English' }).isVisible()).toBe(true);
          await check('menu-open');
          await page.keyboard.press('Escape');
          await dialog.waitFor({ state: 'detached' });
          expect(await page.evaluate(() => document.activeElement?.id)).toBe('dso-menu-button');
        } else {
          expect(await page.getByRole('button', { name: 'Menu', exact: true }).isVisible()).toBe(false);
          expect(await page.locator('.fr-header__tools-links').getByRole('button', { name: 'Se déconnecter' }).isVisible()).toBe(true);
        }
        for (const [link, title] of [['Accessibilité : non conforme', 'Déclaration d’accessibilité'], ['Mentions légales', 'Mentions légales'], ['Données personnelles', 'Données personnelles']] as const) {
          await page.getByRole('contentinfo').getByRole('link', { name: link }).click();
          await page.getByRole('heading', { level: 1, name: title }).waitFor();
          await check(`footer-${title}`);
        }
      });
    }, 60_000);

    it('had no serious or critical axe violation, and no screen scrolled sideways', () => {
      expect(violations).toEqual([]);
      expect(overflowing).toEqual([]);
    });
  });
}
