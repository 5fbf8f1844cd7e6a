// The component catalogue page in a real browser (Debian Chromium) against `dso start` with the shipped catalogue:
// a developer and a platform administrator, in French and in English, see a card per chart or managed service with
// its conformity badge, open an item and read its versions, findings and README; the administrator also sees an
// unpublished version refused by the checks (its blocking findings) and the published version an imported advisory
// hits, and declares (then removes) the operator version installed on a cluster. Every screen is scanned by axe-core
// (no serious or critical violation).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importAdvisories } from '../src/checks/advisories/import.ts';
import { chromiumSkipReason, seriousAccessibilityViolations, signIn, startConsoleInChromium, waitForCatalogue, type ConsoleInChromium } from './support/browser.ts';
import { chartArchive } from './support/charts.ts';

const missing = chromiumSkipReason();

const words = {
  fr: { redisOperator: 'Redis (opérateur)', staticSite: 'Site statique', title: 'Catalogue de composants', pass: 'Conforme', fail: 'Non conforme', managed: 'Service géré', none: 'Aucun', readme: 'Présentation', findings: 'Constats bloquants', advisories: 'Versions publiées touchées par un avis de vulnérabilité', privileged: /privilégi/i },
  en: { redisOperator: 'Redis (operator)', staticSite: 'Static site', title: 'Component catalogue', pass: 'Pass', fail: 'Fail', managed: 'Managed service', none: 'None', readme: 'About', findings: 'Blocking findings', advisories: 'Published versions hit by a vulnerability advisory', privileged: /privileged/i },
} as const;

describe.skipIf(Boolean(missing))('component catalogue page in Chromium', () => {
  let ui: ConsoleInChromium;

  beforeAll(async () => {
    ui = await startConsoleInChromium('ui-catalogue');
    const { dataDir } = ui;
    // The shipped catalogue is seeded by the worker after start.
    await waitForCatalogue(ui, (items) => items.filter((it) => it.latestPublished).length >= 5, 60_000);
    // A chart the checks refuse (privileged), imported but not published.
    const archive = await chartArchive(path.join(dataDir, 'agent'), { name: 'node-agent', version: '0.1.0', privileged: true });
    expect((await ui.adminApi('POST', '/catalogue', new Uint8Array(archive), 'application/gzip')).status).toBe(201);
    // An advisory on the image of the shipped Redis chart, filed under the OCI convention.
    const folder = path.join(dataDir, 'osv');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'CERT-2026-042.json'), JSON.stringify({
      schema_version: '1.6.0', id: 'CERT-2026-042', modified: '2026-11-30T00:00:00Z', summary: 'Redis: Lua script escape', database_specific: { severity: 'HIGH' },
      affected: [{ package: { ecosystem: 'OCI', name: 'docker.io/library/redis' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '7.4.3' }] }] }],
    }));
    await importAdvisories(folder, { dataDir, merge: true });
  }, 180_000);

  afterAll(async () => {
    await ui?.stop();
  });

  /** Signed in (support/browser.ts), then on the Catalogue page through the main menu (the phone's menu below 992 px). */
  async function openCatalogue(lang: 'fr' | 'en', user: string, width = 1366, options: { acceptPolicy?: boolean } = {}): Promise<Page> {
    const page = await signIn(ui, { lang, user, width, ...options });
    if (width >= 992) await page.getByRole('navigation', { name: /Menu principal|Main menu/ }).getByRole('link', { name: 'Catalogue', exact: true }).click();
    else {
      await page.getByRole('button', { name: 'Menu', exact: true }).click();
      await page.getByRole('dialog').getByRole('link', { name: 'Catalogue', exact: true }).click();
    }
    await page.getByRole('heading', { level: 1, name: words[lang].title }).waitFor();
    await page.locator('.fr-card').first().waitFor();
    return page;
  }

  const cards = (page: Page) =>
    page.locator('.fr-card').evaluateAll((nodes) =>
      nodes.map((n) => ({
        title: n.querySelector('.fr-card__title')?.textContent?.trim() ?? '',
        titleLang: n.querySelector('.fr-card__title button')?.closest('[lang]')?.getAttribute('lang') ?? '',
        badges: Array.from(n.querySelectorAll('.fr-badge'), (b) => b.textContent?.trim() ?? ''),
        description: n.querySelector('.fr-card__desc')?.textContent?.trim() ?? '',
        descriptionLang: n.querySelector('.fr-card__desc')?.closest('[lang]')?.getAttribute('lang') ?? '',
      })),
    );

  for (const lang of ['fr', 'en'] as const) {
    for (const user of ['dev', 'admin'] as const) {
      it(`shows the cards, a version's findings and README, ${user === 'dev' ? 'as a developer' : 'as an administrator'}, in ${lang === 'fr' ? 'French' : 'English'}`, async () => {
        const w = words[lang];
        const page = await openCatalogue(lang, user);
        try {
          const shown = await cards(page);
          const byTitle = new Map(shown.map((c) => [c.title, c.badges]));
          for (const title of ['PostgreSQL (CloudNativePG)', 'Redis', w.redisOperator]) expect(byTitle.get(title), `${title} in ${JSON.stringify(shown)}`).toContain(w.pass);
          expect(byTitle.get('PostgreSQL (CloudNativePG)')).toContain(w.managed);
          expect(byTitle.get('Redis')).toContain('1.0.1');
          // Descriptions in the reader's language; a chart that gives none in French keeps its own, marked English.
          const postgresCard = shown.find((c) => c.title === 'PostgreSQL (CloudNativePG)')!;
          expect(postgresCard).toMatchObject(lang === 'fr' ? { description: expect.stringContaining('sauvegardes planifiées'), descriptionLang: 'fr' } : { description: expect.stringContaining('scheduled backups'), descriptionLang: 'en' });
          // Titles too: the shipped charts give theirs in both languages.
          expect(shown.find((c) => c.title === w.staticSite), JSON.stringify(shown)).toMatchObject({ titleLang: lang });
          expect(shown.map((c) => c.title)).not.toContain(lang === 'fr' ? words.en.staticSite : words.fr.staticSite);
          if (user === 'admin') expect(shown.find((c) => c.title === 'node-agent')).toMatchObject({ description: 'Test chart node-agent', descriptionLang: 'en' });
          // Unpublished versions are for administrators only.
          if (user === 'admin') expect(byTitle.get('node-agent')).toContain(w.fail);
          else expect(byTitle.has('node-agent')).toBe(false);
          expect(await seriousAccessibilityViolations(page)).toEqual([]);

          // One item: its version, verdict, findings and README.
          await page.getByRole('button', { name: 'Redis', exact: true }).click();
          const section = page.locator('section[aria-live]');
          await section.getByRole('heading', { level: 2, name: /Redis/ }).waitFor();
          const row = section.getByRole('row').filter({ hasText: '1.0.1' });
          await expect.poll(() => row.textContent()).toContain('docker.io/library/redis:7.4.2-alpine');
          // textContent: the badges are upper-cased by CSS only.
          expect(await row.textContent()).toContain(w.pass);
          expect((await row.getByRole('cell').nth(2).textContent())?.trim()).toBe(w.none);
          await section.getByRole('heading', { level: 3, name: w.readme }).waitFor();
          expect(await section.innerText()).toMatch(/Redis/);
          expect(await section.innerText()).not.toContain('<');
          expect(await seriousAccessibilityViolations(page)).toEqual([]);

          if (user === 'admin') {
            // The refused version: its blocking findings, and a publish button.
            await page.getByRole('button', { name: 'node-agent', exact: true }).click();
            await section.getByRole('heading', { level: 2, name: /node-agent/ }).waitFor();
            const refused = section.getByRole('row').filter({ hasText: '0.1.0' });
            await expect.poll(async () => (await refused.textContent()) ?? '').toMatch(w.privileged);
            expect(await refused.textContent()).toContain(w.fail);
            expect(await section.getByRole('columnheader', { name: w.findings }).count()).toBe(1);
            // The published version an advisory hits.
            const advisories = page.locator('section', { has: page.getByRole('heading', { name: w.advisories }) });
            await expect.poll(() => advisories.innerText()).toContain('CERT-2026-042');
            expect(await advisories.innerText()).toContain('docker.io/library/redis:7.4.2-alpine');
            expect(await seriousAccessibilityViolations(page)).toEqual([]);
          } else {
            expect(await page.getByRole('heading', { name: w.advisories }).count()).toBe(0);
          }
        } catch (error) {
          const text = await page.evaluate(() => document.getElementById('contenu')?.innerText ?? document.body.innerText).catch(() => '');
          throw new Error(`${(error as Error).message}\nscreen text:\n${text.slice(0, 2500)}\nserver:\n${ui.serverTail()}`);
        } finally {
          await page.context().close();
        }
      }, 120_000);
    }
  }

  const installWords = {
    fr: { title: 'Versions installées par cluster', notInstalled: 'Non installé', version: /Version de l’opérateur/, submit: 'Déclarer', invalid: /sans espace/, declared: 'Version 1.25.1 déclarée installée sur', remove: /Retirer la version installée sur/, removed: 'Plus aucune version déclarée sur' },
    en: { title: 'Versions installed per cluster', notInstalled: 'Not installed', version: /Operator version/, submit: 'Declare', invalid: /no space/, declared: 'Version 1.25.1 declared installed on', remove: /Remove the version installed on/, removed: 'No version declared on' },
  } as const;
  for (const [lang, width] of [['fr', 1366], ['en', 390]] as const) {
    it(`lets an administrator declare and remove the operator version installed per cluster, in ${lang === 'fr' ? 'French' : 'English'} at ${width} px`, async () => {
      const w = installWords[lang];
      const page = await openCatalogue(lang, 'admin', width, { acceptPolicy: true });
      try {
        await page.getByRole('button', { name: 'PostgreSQL (CloudNativePG)', exact: true }).click();
        const installs = page.getByRole('region', { name: w.title });
        const table = installs.getByRole('table');
        await table.waitFor();
        const rows = table.locator('tbody tr');
        await expect.poll(() => rows.count()).toBeGreaterThan(0);
        const cluster = (await rows.first().getAttribute('data-cluster'))!;
        const row = table.locator(`tr[data-cluster="${cluster}"]`);
        expect(await row.textContent()).toContain(w.notInstalled);

        // A version with a space is refused by the API; the error sits next to the version field.
        const version = installs.getByLabel(w.version);
        await version.fill('1.25 rc');
        await installs.getByRole('button', { name: w.submit, exact: true }).click();
        await expect.poll(() => version.getAttribute('aria-invalid')).toBe('true');
        expect(await installs.locator('.fr-error-text').innerText()).toMatch(w.invalid);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        await version.fill('1.25.1');
        await installs.getByRole('button', { name: w.submit, exact: true }).click();
        await expect.poll(() => installs.getByRole('status').textContent()).toContain(`${w.declared} ${cluster}`);
        expect(await row.textContent()).toContain('1.25.1');
        expect(await version.getAttribute('aria-invalid')).toBeNull();
        // Teams read it too: the API now lists the install for the item.
        const item = (await ui.adminApi('GET', '/catalogue/postgresql')).body as { installs: { cluster: string; operatorVersion: string }[] };
        expect(item.installs).toEqual([expect.objectContaining({ cluster, operatorVersion: '1.25.1' })]);
        if (width < 992)
          expect(
            await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
          ).toBeLessThanOrEqual(1);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);

        await row.getByRole('button', { name: w.remove }).click();
        await expect.poll(() => installs.getByRole('status').textContent()).toContain(`${w.removed} ${cluster}`);
        expect(await row.textContent()).toContain(w.notInstalled);
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
      } catch (error) {
        const text = await page.evaluate(() => document.getElementById('contenu')?.innerText ?? document.body.innerText).catch(() => '');
        throw new Error(`${(error as Error).message}\nscreen text:\n${text.slice(0, 2500)}\nserver:\n${ui.serverTail()}`);
      } finally {
        await page.context().close();
      }
    }, 120_000);
  }

  it('fits a phone (390 px): cards and the versions table without sideways scrolling, axe-clean', async () => {
    const page = await openCatalogue('fr', 'dev', 390);
    try {
      await page.getByRole('button', { name: 'Redis', exact: true }).click();
      await page.locator('section[aria-live]').getByRole('heading', { level: 3, name: words.fr.readme }).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        1,
      );
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
    } finally {
      await page.context().close();
    }
  }, 120_000);
});
