// The console in a real browser (Debian Chromium via playwright-core) against the real server (`dso start` as a
// child process on an empty data folder): a team's journey done with the keyboard only — log in through the
// built-in OIDC provider, accept the usage policy, create a project, add an external repository, run the chain
// on it and read the findings — then every screen of teams and administrators: axe-core finds no serious or
// critical violation, each screen is interactive within 1.5 s, screenshots are kept in test-output/screenshots/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHttpHandler } from '../src/integrations/git/http-backend.ts';
import { commitFiles, git, initWorkRepo } from '../src/integrations/git/test-repo.ts';
import { chromiumMissing, launchChromium, seriousAccessibilityViolations, tabTo, type AxeViolation } from './support/browser.ts';
import { demoPasswords, freePort, repoRoot, startConsole, waitForReady, type StartedConsole } from './support/process.ts';

const missing = chromiumMissing();
if (missing && process.env.CI === 'true') throw new Error(`${missing} — required when CI=true`);
if (missing) console.warn(missing);

const screenshotDir = path.join(repoRoot, 'test-output', 'screenshots');
const distDir = path.join(repoRoot, 'web', 'dist');
const interactiveBudgetMs = 1500;
const initialJsBudgetBytes = 300 * 1024;
const adminToken = 'ui-journey-admin-token-0123456789abcdef';

/** The JavaScript a first visit downloads: the entry script and the chunks index.html preloads. */
function initialJavaScriptGzipped(): { files: string[]; bytes: number } {
  const html = readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/?([^"]+\.js)"/g)].map((m) => m[1]!);
  const bytes = files.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(distDir, f)), { level: 9 }).length, 0);
  return { files, bytes };
}

/** A team's own forge: bare repositories served over HTTP by git http-backend — an application with two committed
 * secrets (the chain must refuse it) and a clean infrastructure repository (the chain certifies it). */
async function startForge(): Promise<{ url: string; infraUrl: string; stop(): Promise<void>; root: string }> {
  const root = mkdtempSync(path.join(tmpdir(), 'dso-ui-forge-'));
  const publish = (name: string, files: Record<string, string>) => {
    const bare = path.join(root, 'projects', 'team', `${name}.git`); // served at /git/team/<name>.git
    mkdirSync(path.dirname(bare), { recursive: true });
    execFileSync('git', ['init', '--quiet', '--bare', '-b', 'main', bare]);
    const work = path.join(root, 'work', name);
    mkdirSync(work, { recursive: true });
    initWorkRepo(work);
    git(work, 'remote', 'add', 'origin', bare);
    commitFiles(work, files, 'initial');
    git(work, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');
  };
  publish('app', {
    'README.md': '# Application de démonstration\n',
    'src/config.js': `export const databaseUrl = 'postgres://app:${'s3cr3t-P4ssw0rd-'}${'9f8e7d6c'}@db.interne:5432/app';\nexport const token = 'ghp_${'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'}';\n`,
  });
  publish('infra', {
    'README.md': '# Déploiement de l’application\n',
    'deploy/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: application\ndata:\n  LOG_LEVEL: info\n',
  });
  const handler = createGitHttpHandler({ root });
  const server: Server = createServer((req, res) => void handler(req, res, async () => ({ allowed: true, user: 'forge' })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}/git/team`;
  return { url: `${base}/app.git`, infraUrl: `${base}/infra.git`, root, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.skipIf(Boolean(missing))('the console in Chromium', () => {
  let started: StartedConsole;
  let dataDir: string;
  let forge: Awaited<ReturnType<typeof startForge>>;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let browser: Browser;
  let passwords: Record<string, string>;
  const timings: { screen: string; ms: number }[] = [];
  const violations: { screen: string; violations: AxeViolation[] }[] = [];
  let projectPath = '';
  let runPath = '';
  let deployAnswer = '';

  beforeAll(async () => {
    if (!existsSync(path.join(distDir, 'index.html'))) execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
    mkdirSync(screenshotDir, { recursive: true });
    for (const f of readdirSync(screenshotDir)) if (f.endsWith('.png')) rmSync(path.join(screenshotDir, f));
    dataDir = mkdtempSync(path.join(tmpdir(), 'dso-ui-'));
    const port = await freePort();
    [forge, chromium] = await Promise.all([startForge(), launchChromium()]);
    browser = chromium.browser;
    started = startConsole({
      PORT: String(port),
      DSO_DATA_DIR: dataDir,
      DSO_PUBLIC_URL: `http://127.0.0.1:${port}`,
      DSO_ADMIN_TOKEN: adminToken,
      DSO_LOG_LEVEL: 'warn',
      DSO_GIT_ALLOWED_HOSTS: '127.0.0.1',
    });
    await waitForReady(started, 60_000);
    passwords = demoPasswords(started.stderr());
  }, 90_000);

  afterAll(async () => {
    await chromium?.close();
    await forge?.stop();
    if (started && started.child.exitCode === null) {
      started.child.kill('SIGTERM');
      await started.exited;
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (forge) rmSync(forge.root, { recursive: true, force: true });
  });

  /** On failure: a screenshot and the text of the screen, so the report says what the user saw. */
  async function evidence<T>(page: Page, name: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      await shot(page, `failure-${name}`).catch(() => {});
      const text = await page.evaluate(() => document.getElementById('contenu')?.innerText ?? document.body.innerText).catch(() => '');
      const server = started.child.exitCode !== null ? `\nthe server exited (${started.child.exitCode}):\n${started.stderr().slice(-3000)}\n${started.stdout().slice(-3000)}` : '';
      throw new Error(`${(error as Error).message}\nat ${page.url()}\nscreen text:\n${text.slice(0, 1500)}${server}`);
    }
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
  }

  /** The screen is interactive: its title is shown and nothing is loading any more. */
  async function settled(page: Page): Promise<void> {
    await page.waitForFunction(() => {
      const main = document.getElementById('contenu');
      const h1 = main?.querySelector('h1');
      return Boolean(h1 && !/Chargement|Loading/.test(h1.textContent ?? '') && !main!.querySelector('[aria-busy="true"]') && !/^(Chargement…|Loading…)$/m.test(main!.innerText));
    }, undefined, { timeout: 30_000 });
  }

  /** Opens a screen by its address (a fresh page load), measures time to interactive, scans it, keeps a screenshot. */
  async function visit(page: Page, name: string, url: string): Promise<void> {
    const t0 = performance.now();
    await page.goto(url);
    await settled(page);
    timings.push({ screen: name, ms: Math.round(performance.now() - t0) });
    await check(page, name);
  }

  async function check(page: Page, name: string): Promise<void> {
    const found = await seriousAccessibilityViolations(page);
    if (found.length) violations.push({ screen: name, violations: found });
    await shot(page, name);
  }

  async function login(context: BrowserContext, user: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(started.baseUrl + '/');
    await page.waitForURL(/\/login/);
    await settled(page);
    // Keyboard only: reach the login button, then fill the provider's form.
    await tabTo(page, /^Se connecter$/);
    await page.keyboard.press('Enter');
    await page.waitForSelector('input#username');
    await page.keyboard.type(user);
    await page.keyboard.press('Tab');
    await page.keyboard.type(passwords[user]!);
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.origin === started.baseUrl && !u.pathname.startsWith('/auth') && !u.pathname.startsWith('/oidc'));
    await settled(page);
    return page;
  }

  async function acceptPolicyIfAsked(page: Page): Promise<void> {
    await page.goto(`${started.baseUrl}/usage-policy`);
    await settled(page);
    const accept = page.getByRole('button', { name: 'J’accepte les conditions d’utilisation' });
    if (await accept.count()) {
      await accept.click();
      await page.waitForURL((u) => u.pathname === '/');
      await settled(page);
    }
  }

  it('takes a team from login to findings of its first run, with the keyboard only', async () => {
    expect(passwords.owner).toBeTruthy();
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    const page = await login(context, 'owner');
    await evidence(page, 'team-journey', async () => {
      // The usage policy comes first.
      await page.waitForURL(/\/usage-policy/);
      await settled(page);
      await check(page, '01-usage-policy');
      await tabTo(page, 'J’accepte les conditions');
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.pathname === '/');
      await settled(page);
      await check(page, '02-projects-empty');

      // Create a project; a wrong identifier is refused by the server and the error sits on its field.
      await tabTo(page, 'Nouveau projet');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/projects\/new/);
      await settled(page);
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
      await tabTo(page, 'Nom');
      await page.keyboard.type('Téléprocédures');
      await tabTo(page, 'Identifiant');
      await page.keyboard.type('Mauvais Identifiant');
      await page.keyboard.press('Enter');
      const fieldError = page.locator('input[name="slug"][aria-invalid="true"]');
      await fieldError.waitFor();
      expect(await page.locator('.fr-input-group--error .fr-error-text').first().textContent()).toMatch(/lowercase|minuscule/);
      await check(page, '03-project-create-error');
      await page.keyboard.press('Shift+Tab');
      await tabTo(page, 'Identifiant');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('teleprocedures');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
      projectPath = new URL(page.url()).pathname;
      await settled(page);
      await page.getByText('Tout ce qui a été demandé est en place.').waitFor({ timeout: 20_000 });
      await check(page, '04-project-overview');

      // Tabs are operable with the arrow keys; Dépôts (repositories) is the fifth.
      await tabTo(page, 'Vue d’ensemble');
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
      await page.waitForURL(/\/repositories$/);
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Dépôts');
      await tabTo(page, /^Nom/);
      await page.keyboard.type('application');
      await tabTo(page, 'URL du dépôt externe');
      await page.keyboard.type(forge.url);
      await tabTo(page, 'Utilisateur');
      await page.keyboard.type('forge');
      await tabTo(page, 'Jeton d’accès');
      await page.keyboard.type('glpat-ui-journey-secret');
      await page.keyboard.press('Enter');
      await page.getByText('Dépôt ajouté').waitFor();
      const row = page.locator('tr', { hasText: forge.url });
      await row.getByText('Identifiants enregistrés').waitFor();
      await row.getByText('Prêt').waitFor({ timeout: 20_000 });
      await check(page, '05-repositories');

      // Sync and check: the chain runs, the page follows it live, then shows the findings.
      await tabTo(page, 'Synchroniser et vérifier');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
      runPath = new URL(page.url()).pathname;
      await page.locator('[data-testid="run-status"] .fr-badge').waitFor();
      await shot(page, '06-run-live');
      await page.locator('[data-testid="run-status"] .fr-badge', { hasText: /Certifiée|Refusée|En échec|Annulée/ }).waitFor({ timeout: 40_000 });
      const findings = page.locator('[data-testid="findings"] tbody tr');
      await findings.first().waitFor();
      await check(page, '07-run-findings');
      await page.waitForFunction(() => /Synchronisation|sync/.test(document.querySelector('pre.dso-log')?.textContent ?? ''));
      await tabTo(page, 'Gravité');
      await page.keyboard.press('Escape');
      await page.selectOption('#finding-severity', 'critical');
      await page.waitForTimeout(300);
      await shot(page, '08-run-findings-critical');
    });
    await context.close();
  }, 180_000);

  it('lets the team request a derogation, the security officer approve it, and the team deploy to staging', async () => {
    const ownerContext = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    const owner = await login(ownerContext, 'owner');
    await evidence(owner, 'derogation-request', async () => {
      await visit(owner, 'project-conformity', `${started.baseUrl}${projectPath}/conformity`);
      expect(await owner.locator('[data-testid="score-P"]').textContent()).toMatch(/\d+ %/);
      expect(await owner.locator('[data-testid="requirements"] tbody tr').count()).toBeGreaterThan(40);
      const dossier = await owner.request.get(await owner.locator('a', { hasText: 'dossier d’homologation' }).getAttribute('href').then((h) => `${started.baseUrl}${h}`));
      expect(dossier.status()).toBe(200);
      expect(dossier.headers()['content-type']).toMatch(/text\/html/);
      await owner.getByLabel(/^Justification/).fill('Le secret vient d’un jeu de données de démonstration ; il est révoqué et sera retiré au prochain sprint.');
      await owner.getByLabel(/^Mesures compensatoires/).fill('Jeton révoqué chez le fournisseur, analyse des journaux d’accès.');
      await owner.getByRole('button', { name: 'Demander une dérogation' }).click();
      await owner.getByText('Demande envoyée').waitFor();
      await owner.locator('tr', { hasText: 'Demandée' }).first().waitFor();
      await shot(owner, '09-derogation-requested');
    });

    const rssiContext = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    const rssi = await login(rssiContext, 'rssi');
    await evidence(rssi, 'derogation-decision', async () => {
      await acceptPolicyIfAsked(rssi);
      await visit(rssi, 'security', `${started.baseUrl}/security`);
      await rssi.getByRole('button', { name: /^Décider/ }).first().click();
      await rssi.getByLabel(/^Commentaire de décision/).fill('Accordée jusqu’au retrait du secret.');
      await rssi.getByRole('button', { name: 'Approuver' }).click();
      await rssi.getByText('Décision enregistrée.').waitFor();
      await shot(rssi, '10-derogation-approved');
    });
    await rssiContext.close();

    await evidence(owner, 'deploy-staging', async () => {
      await owner.reload();
      await settled(owner);
      await owner.locator('tr', { hasText: 'En vigueur' }).first().waitFor();
      // An infrastructure repository, checked and certified by the chain, then deployed to a staging environment.
      await owner.goto(`${started.baseUrl}${projectPath}/repositories`);
      await settled(owner);
      await owner.getByLabel(/^Nom/).fill('deploiement');
      await owner.getByLabel(/^URL du dépôt externe/).fill(forge.infraUrl);
      await owner.getByLabel(/^Nature/).selectOption('infrastructure');
      await owner.getByRole('button', { name: 'Ajouter un dépôt externe' }).click();
      const infraRow = owner.locator('tr', { hasText: forge.infraUrl });
      await infraRow.getByText('Prêt').waitFor({ timeout: 30_000 });
      await infraRow.getByRole('button', { name: /Synchroniser et vérifier/ }).click();
      await owner.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
      const infraRunId = owner.url().split('/').pop()!;
      await owner.locator('[data-testid="run-status"] .fr-badge', { hasText: /Certifiée|Refusée|En échec|Annulée/ }).waitFor({ timeout: 60_000 });
      const infraRun = (await owner.evaluate(async (id) => (await fetch(`/api/v1/runs/${id}`)).json(), infraRunId)) as { status: string; commitSha: string | null; verdict: unknown };
      expect(infraRun.status, JSON.stringify(infraRun.verdict)).toBe('certified');
      await owner.goto(`${started.baseUrl}${projectPath}/environments`);
      await settled(owner);
      await owner.getByLabel(/^Nom/).fill('staging');
      await owner.getByLabel(/^Type d’environnement/).selectOption({ label: 'Pré-production' });
      await owner.getByRole('button', { name: 'Créer un environnement' }).click();
      const stagingRow = owner.locator('tr', { hasText: 'staging' });
      await stagingRow.getByText('Prêt').waitFor({ timeout: 30_000 });
      await stagingRow.getByRole('button', { name: /Déploiements/ }).click();
      await owner.getByLabel(/^Révision certifiée à déployer/).fill(infraRun.commitSha!);
      await owner.getByRole('button', { name: 'Déployer', exact: true }).click();
      const answer = owner.locator('section [role="status"], section [role="alert"]').first();
      await answer.waitFor();
      deployAnswer = (await answer.innerText()).replace(/\s+/g, ' ');
      expect(deployAnswer).toContain('Déploiement demandé');
      await owner.locator('section tr', { hasText: infraRun.commitSha!.slice(0, 12) }).waitFor();
      await shot(owner, '11-deploy-staging');
    });
    await ownerContext.close();
  }, 150_000);

  it('shows every team screen accessibly and fast, in French and English', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    const page = await login(context, 'owner');
    await evidence(page, 'team-screens', async () => {
      await visit(page, 'projects', `${started.baseUrl}/`);
      await page.locator('tbody tr', { hasText: 'Téléprocédures' }).waitFor();
      for (const tab of ['overview', 'members', 'conformity', 'environments', 'repositories', 'secrets', 'service-accounts', 'webhooks']) await visit(page, `project-${tab}`, `${started.baseUrl}${projectPath}/${tab}`);
      await visit(page, 'run', `${started.baseUrl}${runPath}`);
      await visit(page, 'usage-policy', `${started.baseUrl}/usage-policy`);
      await visit(page, 'not-found', `${started.baseUrl}/nulle-part`);

      // Environment with the cluster picker (free capacity in the option), then a service account token shown once.
      await page.goto(`${started.baseUrl}${projectPath}/environments`);
      await settled(page);
      const clusterOption = await page.locator('select[name="clusterId"] option').first().textContent();
      expect(clusterOption).toMatch(/mCPU et .* Mio libres/);
      await page.getByLabel(/^Nom/).fill('dev');
      await page.getByRole('button', { name: 'Créer un environnement' }).click();
      await page.locator('tr', { hasText: 'Développement' }).waitFor();
      await page.goto(`${started.baseUrl}${projectPath}/service-accounts`);
      await settled(page);
      await page.getByLabel(/^Nom/).fill('ci-gitlab');
      await page.getByRole('button', { name: 'Créer', exact: true }).click();
      const token = await page.locator('[data-testid="created-token"]').textContent();
      expect(token?.length).toBeGreaterThan(20);
      await shot(page, 'service-account-token');
      await page.reload();
      await settled(page);
      expect(await page.content()).not.toContain(token!);

      // A secret: its value is written once and never shown again.
      await page.goto(`${started.baseUrl}${projectPath}/secrets`);
      await settled(page);
      await page.getByLabel(/^Nom/).fill('database');
      await page.getByLabel(/^Clé 1/).fill('PASSWORD');
      await page.getByLabel(/^Valeur 1/).fill('valeur-secrete-ui-42');
      await page.getByRole('button', { name: 'Enregistrer' }).click();
      await page.locator('tr', { hasText: 'PASSWORD' }).waitFor();
      await page.reload();
      await settled(page);
      expect(await page.content()).not.toContain('valeur-secrete-ui-42');

      // English, then back to French.
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: /^Service accounts|Téléprocédures/ }).waitFor();
      await page.getByRole('tab', { name: 'Repositories' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      await check(page, 'english-project-secrets');
      await page.getByRole('button', { name: 'Français' }).click();
    });
    await context.close();
  }, 150_000);

  it('shows the administration screens to the platform administrator', async () => {
    const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    const page = await login(context, 'admin');
    await acceptPolicyIfAsked(page);
    await visit(page, 'projects-as-admin', `${started.baseUrl}/`);
    for (const section of ['zones', 'clusters', 'stages', 'users', 'usage-policies', 'audit', 'health']) await visit(page, `admin-${section}`, `${started.baseUrl}/admin/${section}`);
    // Capacity as bars with the figures in words.
    await page.goto(`${started.baseUrl}/admin/clusters`);
    await settled(page);
    expect(await page.locator('.dso-capacity').first().textContent()).toMatch(/%.*mCPU/);
    // The audit log filters by action.
    await page.goto(`${started.baseUrl}/admin/audit`);
    await settled(page);
    await page.getByLabel(/^Action/).fill('project.create');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.locator('tbody tr', { hasText: 'project.create' }).first().waitFor();
    expect(await page.locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
    // Health shows both probes passing.
    await page.goto(`${started.baseUrl}/admin/health`);
    await page.getByText('Fonctionne').first().waitFor();
    // A zone with a wrong identifier: the server's message sits on the field.
    await page.goto(`${started.baseUrl}/admin/zones`);
    await settled(page);
    await page.getByLabel(/^Identifiant/).fill('Zone Sensible');
    await page.getByLabel(/^Nom/).fill('Zone sensible');
    await page.getByRole('button', { name: 'Créer', exact: true }).click();
    await page.locator('input[name="slug"][aria-invalid="true"]').waitFor();
    // Publishing a new usage-policy version (last: everyone must accept it again afterwards).
    await page.goto(`${started.baseUrl}/admin/usage-policies`);
    await settled(page);
    await page.getByLabel(/^Titre \(français\)/).fill('Conditions d’utilisation, version 2');
    await page.getByLabel(/^Titre \(anglais\)/).fill('Usage policy, version 2');
    await page.getByLabel(/^Texte \(français\)/).fill('1. Nouvelle règle : les jetons expirent après 90 jours.');
    await page.getByLabel(/^Texte \(anglais\)/).fill('1. New rule: tokens expire after 90 days.');
    await page.getByRole('button', { name: 'Publier une nouvelle version' }).click();
    await page.locator('tbody tr', { hasText: 'Conditions d’utilisation, version 2' }).waitFor();
    await shot(page, 'admin-usage-policy-published');
    await context.close();
  }, 120_000);

  it('meets its budgets: initial JavaScript ≤ 300 kB gzipped, each screen interactive within 1.5 s, no serious axe violation', () => {
    const initial = initialJavaScriptGzipped();
    console.log(`initial JS (gzipped): ${(initial.bytes / 1024).toFixed(1)} kB in ${initial.files.length} file(s): ${initial.files.join(', ')}`);
    console.log(`deploy to staging, as the screen answered: ${deployAnswer}`);
    console.log(`time to interactive (full page load, localhost):\n${timings.map((t) => `  ${t.screen.padEnd(28)} ${t.ms} ms`).join('\n')}`);
    expect(initial.bytes).toBeLessThanOrEqual(initialJsBudgetBytes);
    expect(timings.length).toBeGreaterThan(10);
    // Time budgets mean something only on a machine that is not saturated by other work: measured here, every
    // screen stays under 1.5 s up to ~5 runnable processes per core; beyond that, the figures are printed only.
    const loadPerCore = loadavg()[0]! / availableParallelism();
    if (loadPerCore <= 5) for (const t of timings) expect(t.ms, t.screen).toBeLessThanOrEqual(interactiveBudgetMs);
    else console.warn(`time-to-interactive budget not asserted: load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`);
    expect(violations).toEqual([]);
    expect(statSync(screenshotDir).isDirectory()).toBe(true);
  });
});
