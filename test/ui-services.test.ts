// A team's journey with a catalogue service, in a real browser (Debian Chromium) against `dso start` with the shipped
// catalogue: the owner reads PostgreSQL on the Catalogue page, creates an integration environment, adds PostgreSQL to
// it from the environment's services form, sees it listed with its version, its checks and its status once the
// GitOps writer committed it (after values the chart's schema refuses are shown in French next to their fields),
// then sees on the conformity page the backup requirements the version covers satisfied
// by that service; when an administrator then publishes a newer PostgreSQL, the service shows « Mise à jour
// disponible »; a chart service (the shipped static site) whose sync ArgoCD reports failed shows ArgoCD's words in
// French and, below them, that the last sync failed with ArgoCD's reason (marked English). The operator's install on the cluster is declared by an administrator through the API (the catalogue
// page's form is tested in ui-catalogue.test.ts). Every screen is scanned by axe-core (no serious or critical
// violation).
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { inc as semverInc } from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalogueDir } from '../src/component-catalogue/default-catalogue.ts';
import { packChartFolder } from '../src/component-catalogue/pack.ts';
import { chromiumSkipReason, seriousAccessibilityViolations, signIn, startConsoleInChromium, waitForCatalogue, type ConsoleInChromium } from './support/browser.ts';

const missing = chromiumSkipReason();

describe.skipIf(Boolean(missing))('a catalogue service in an environment, in Chromium', () => {
  let ui: ConsoleInChromium;
  let base: string;
  let argocd: Server;
  /** ArgoCD's reason for the failed sync its stand-in reports (test/environment-services-argocd.test.ts checks such answers against ArgoCD's API definitions). */
  const syncFailure = 'one or more objects failed to apply, reason: Deployment.apps "vitrine" is invalid: spec.template.spec.containers[0].image: Required value';
  let postgresql: { version: string; covers: string[] };
  const call = (method: string, url: string, body?: unknown) => ui.adminApi(method, url, body);

  beforeAll(async () => {
    // ArgoCD cannot run here: a stand-in answers GET /api/v1/applications/{name} with a failed sync for every Application.
    argocd = createServer((request, response) => {
      if (!request.url?.startsWith('/api/v1/applications/')) return response.writeHead(404).end();
      const name = decodeURIComponent(request.url.slice('/api/v1/applications/'.length).split('?')[0]!);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        metadata: { name, namespace: 'argocd' },
        status: {
          sync: { status: 'OutOfSync', revision: '1.0.1' },
          health: { status: 'Degraded', message: 'Deployment "vitrine" exceeded its progress deadline' },
          operationState: { operation: { sync: { revision: '1.0.1' }, initiatedBy: { automated: true } }, phase: 'Failed', message: syncFailure, startedAt: '2026-12-06T10:05:00Z', finishedAt: '2026-12-06T10:06:12Z' },
        },
      }));
    });
    await new Promise<void>((resolve) => argocd.listen(0, '127.0.0.1', resolve));
    ui = await startConsoleInChromium('ui-services', { DSO_CATALOGUE_DEFAULT: 'true', DSO_ARGOCD_URL: `http://127.0.0.1:${(argocd.address() as AddressInfo).port}`, DSO_ARGOCD_TOKEN: 'ui-services-argocd-token' });
    base = ui.base;
    // The shipped catalogue is seeded (rendered, checked, published) by the worker after start.
    const seeded = await waitForCatalogue<{ id: string; slug: string; latestPublished: string | null }>(ui, (items) => Boolean(items.find((it) => it.slug === 'postgresql')?.latestPublished));
    const item = seeded.find((it) => it.slug === 'postgresql');
    const detail = (await call('GET', `/catalogue/${item!.id}`)).body;
    const published = detail.versions.find((v: { version: string }) => v.version === item!.latestPublished);
    postgresql = { version: published.version, covers: published.covers };
    expect(postgresql.covers).toEqual(expect.arrayContaining(['EX33']));
    // CloudNativePG runs on the platform's cluster: declared by an administrator (through the API here; the catalogue
    // page's form is tested in ui-catalogue.test.ts).
    const clusters = (await call('GET', '/admin/clusters?limit=200')).body.items as { id: string }[];
    expect(clusters.length).toBeGreaterThan(0);
    const installs = await call('PUT', `/catalogue/${item!.id}/installs`, { installs: clusters.map((c) => ({ clusterId: c.id, operatorVersion: '1.25.0' })) });
    expect(installs.status).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await ui?.stop();
    argocd?.close();
  });

  const text = (page: Page) => page.evaluate(() => document.getElementById('contenu')?.innerText ?? document.body.innerText);
  async function axe(page: Page, screen: string): Promise<void> {
    expect(await seriousAccessibilityViolations(page), screen).toEqual([]);
  }

  it('adds PostgreSQL to the integration environment, shows its version and status, and its backup requirements satisfied', async () => {
    // The team's owner, who accepts the usage policy (creating a project needs it).
    const page = await signIn(ui, { lang: 'fr', user: 'owner', acceptPolicy: true });
    try {

      // The catalogue: PostgreSQL is a managed service that passes its checks.
      await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Catalogue', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Catalogue de composants' }).waitFor();
      const card = page.locator('.fr-card', { has: page.locator('.fr-card__title', { hasText: 'PostgreSQL (CloudNativePG)' }) });
      await card.waitFor();
      expect(await card.textContent()).toContain('Service géré');
      expect(await card.textContent()).toContain('Conforme');
      await page.getByRole('button', { name: 'PostgreSQL (CloudNativePG)', exact: true }).click();
      const section = page.locator('section[aria-live]');
      await section.getByRole('heading', { level: 2, name: /PostgreSQL/ }).waitFor();
      await expect.poll(() => section.getByRole('row').filter({ hasText: postgresql.version }).count()).toBe(1);
      await axe(page, 'catalogue');

      // A project and its integration environment.
      await page.goto(`${base}/projects/new`);
      await page.getByLabel(/^Nom/).fill('Téléservice');
      await page.getByLabel(/^Identifiant/).fill('teleservice');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
      const projectPath = new URL(page.url()).pathname;
      await page.goto(`${base}${projectPath}/environments`);
      await page.getByRole('heading', { name: 'Ajouter un environnement' }).or(page.getByRole('button', { name: /environnement/ })).first().waitFor();
      await page.locator('select[name="clusterId"] option').first().waitFor({ state: 'attached' });
      await page.locator('input[name="name"]').fill('integration');
      await page.locator('input[name="cpuMillicores"]').fill('4000');
      await page.locator('input[name="memoryMiB"]').fill('4096');
      await page.locator('form').filter({ has: page.locator('input[name="cpuMillicores"]') }).locator('button[type="submit"]').click();
      const environmentRow = page.locator('tr', { hasText: 'integration' });
      await environmentRow.waitFor();

      // Add PostgreSQL from the environment's services form (its parameters come from values.schema.json).
      await environmentRow.getByRole('button', { name: /Déploiements/ }).click();
      const services = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Services du catalogue — integration' }) });
      await services.getByRole('heading', { name: 'Ajouter un service du catalogue' }).waitFor();
      await services.getByLabel(/^Composant/).selectOption({ label: 'PostgreSQL (CloudNativePG)' });
      await expect.poll(() => services.getByLabel(/^Version publiée/).inputValue()).toBe(postgresql.version);
      await services.getByLabel(/^Nom du service/).fill('base');
      // Values the chart's schema refuses are said in French next to their field, nested ones on the JSON box.
      await services.getByLabel(/^Instances/).fill('9');
      await services.getByLabel(/^Autres valeurs/).fill('{"storage": {"size": "10GB"}}');
      await services.getByRole('button', { name: 'Ajouter', exact: true }).click();
      const instancesError = services.locator('.fr-input-group--error', { has: page.getByLabel(/^Instances/) }).locator('.fr-error-text');
      await expect.poll(() => instancesError.textContent()).toBe('Doit être inférieur ou égal à 5');
      expect(await services.locator('.fr-input-group--error', { has: page.getByLabel(/^Autres valeurs/) }).locator('.fr-error-text').textContent()).toBe('storage/size : Doit respecter le motif ^[0-9]+(Mi|Gi|Ti)$');
      expect(await services.getByLabel(/^Instances/).getAttribute('aria-invalid')).toBe('true');
      await services.getByLabel(/^Autres valeurs/).fill('');
      await services.getByLabel(/^Instances/).fill('1');
      await axe(page, 'services form');
      await services.getByRole('button', { name: 'Ajouter', exact: true }).click();
      await services.getByText('Service « base » ajouté : déploiement en cours.').waitFor({ timeout: 60_000 });

      // Listed with its version, its checks, the requirements it covers, and its status once committed.
      const row = services.locator('tr[data-service="base"]');
      await row.waitFor();
      // textContent: the badges are upper-cased by CSS only.
      expect(await row.textContent()).toContain(`PostgreSQL (CloudNativePG) ${postgresql.version}`);
      expect(await row.textContent()).toContain('Réussis');
      expect(await row.textContent()).toContain(postgresql.covers.join(', '));
      // The worker commits it to the GitOps repository; the list follows the status without a reload.
      await row.getByText('Prêt').waitFor({ timeout: 60_000 });
      expect(await row.locator('code').innerText()).toMatch(/^[0-9a-f]{12}$/);
      await axe(page, 'services listed');

      // An administrator publishes a newer PostgreSQL: the team sees the proposal on its services, without asking.
      const newer = path.join(ui.dataDir, 'postgresql-newer');
      cpSync(path.join(defaultCatalogueDir, 'postgresql'), newer, { recursive: true });
      const newerVersion = semverInc(postgresql.version, 'patch')!;
      writeFileSync(path.join(newer, 'Chart.yaml'), readFileSync(path.join(newer, 'Chart.yaml'), 'utf8').replace(/^version: .*$/m, `version: ${newerVersion}`));
      const imported = await ui.adminApi('POST', '/catalogue', new Uint8Array(packChartFolder(newer, 'postgresql')), 'application/gzip');
      expect(imported.status).toBe(201);
      const item = imported.body as { item: { id: string } };
      expect((await call('POST', `/catalogue/${item.item.id}/versions/${newerVersion}/publish`, {})).status).toBe(200);
      await page.reload();
      await page.locator('tr', { hasText: 'integration' }).getByRole('button', { name: /Déploiements/ }).click();
      await expect.poll(() => services.locator('tr[data-service="base"]').textContent(), { timeout: 30_000 }).toContain(`Mise à jour disponible : ${newerVersion}`);
      expect(await services.locator('tr[data-service="base"]').getByRole('button', { name: `Mettre à jour en ${newerVersion}` }).count()).toBe(1);
      await axe(page, 'services with an upgrade proposal');

      // A chart service: ArgoCD's state of its Application, read back, in the team's words.
      // Added through the API with the owner's session (the form is exercised above with PostgreSQL).
      const projectId = projectPath.split('/').at(-1)!;
      const added = await page.evaluate(async ([project, body]) => {
        const environments = (await (await fetch(`/api/v1/environments?projectId=${project}`, { headers: { accept: 'application/json' } })).json()) as { items: { id: string; name: string }[] };
        const environment = environments.items.find((e) => e.name === 'integration')!;
        const response = await fetch(`/api/v1/projects/${project}/environments/${environment.id}/services`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body });
        return `${response.status} ${await response.text()}`;
      }, [projectId, JSON.stringify({ item: 'static-site', version: '1.0.1', name: 'vitrine' })] as const);
      expect(added).toMatch(/^201 /);
      await page.reload();
      await page.locator('tr', { hasText: 'integration' }).getByRole('button', { name: /Déploiements/ }).click();
      const site = services.locator('tr[data-service="vitrine"]');
      await expect.poll(() => site.locator('[data-testid="argocd-status"]').innerText(), { timeout: 60_000 }).toBe('Désynchronisé / Dégradé');
      const detail = site.locator('[data-testid="argocd-detail"]');
      expect(await detail.innerText()).toBe(`la dernière synchronisation a échoué : ${syncFailure}`);
      expect(await detail.locator('[lang="en"]').innerText()).toBe(syncFailure);
      // PostgreSQL is run by its operator: it has no Application of its own, so no ArgoCD state is claimed for it.
      expect(await services.locator('tr[data-service="base"] [data-testid="argocd-status"]').count()).toBe(0);
      await axe(page, 'services with ArgoCD status');

      // Conformity: each requirement the version covers is satisfied, with the service as evidence.
      await page.goto(`${base}${projectPath}/conformity`);
      const table = page.locator('[data-testid="requirements"]');
      await table.waitFor();
      for (const id of postgresql.covers) {
        const requirement = table.locator('tbody tr', { has: page.locator('td strong', { hasText: new RegExp(`^${id}$`) }) });
        await expect.poll(() => requirement.locator('td').nth(3).innerText(), { message: id }).toMatch(/Satisfaite/i);
        await requirement.locator(`[data-testid="proof-${id}"] summary`).click();
        expect(await requirement.locator(`[data-testid="proof-${id}"]`).innerText(), id).toContain(`Service base (postgresql ${postgresql.version}), contrôles réussis`);
      }
      await axe(page, 'conformity');
    } catch (error) {
      const screen = await text(page).catch(() => '');
      throw new Error(`${(error as Error).message}\nat ${page.url()}\nscreen text:\n${screen.slice(0, 3000)}\nserver:\n${ui.serverTail()}`);
    } finally {
      await page.context().close();
    }
  }, 240_000);
});
