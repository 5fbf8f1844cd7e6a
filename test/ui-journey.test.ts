// The console in a real browser (Debian Chromium via playwright-core) against the real server (`dso start` as a
// child process on an empty data folder): a team's journey done with the keyboard only — log in through the
// built-in OIDC provider, accept the usage policy, create a project, add an external repository, run the chain
// on it and read the findings — then every screen of teams and administrators: axe-core finds no serious or
// critical violation, each screen is interactive within 1.5 s, screenshots are kept in test-output/screenshots/.
// Kept fast (one server, one browser, one session per person for the whole file; each screen scanned once; waits
// on conditions, never on fixed delays; the slow server-side work — the infrastructure repository's chain run,
// an environment's provisioning — started early so it proceeds while the browser does other screens).
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
import { chromiumSkipReason, seriousAccessibilityViolations, settled, startConsoleInChromium, tabTo, type AxeViolation, type ConsoleInChromium } from './support/browser.ts';
import { repoRoot } from './support/process.ts';

const missing = chromiumSkipReason();

const screenshotDir = path.join(repoRoot, 'test-output', 'screenshots');
const distDir = path.join(repoRoot, 'web', 'dist');
const interactiveBudgetMs = 1500;
const initialJsBudgetBytes = 300 * 1024;

/** The JavaScript a first visit downloads: the entry script and the chunks index.html preloads. */
function initialJavaScriptGzipped(): { files: string[]; bytes: number } {
  const html = readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/?([^"]+\.js)"/g)].map((m) => m[1]!);
  const bytes = files.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(distDir, f)), { level: 9 }).length, 0);
  return { files, bytes };
}

/** A small but real PDF (one page of text, with its cross-reference table), as an attestation's evidence. */
function tinyPdf(text: string): Buffer {
  const content = `BT /F1 14 Tf 72 770 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

const dayFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

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
  let ui: ConsoleInChromium;
  let started: ConsoleInChromium['started'];
  let forge: Awaited<ReturnType<typeof startForge>>;
  let browser: Browser;
  let passwords: Record<string, string>;
  const timings: { screen: string; ms: number }[] = [];
  const violations: { screen: string; violations: AxeViolation[] }[] = [];
  let projectPath = '';
  let runPath = '';
  let infraRunPath = '';
  let deployAnswer = '';
  /** One logged-in session per person for the whole file: logging in again proves nothing new. */
  let ownerContext: BrowserContext | undefined;
  let ownerPage: Page | undefined;
  /** Screens already scanned by axe and photographed: each screen is checked once. */
  const scanned = new Set<string>();
  /** Where the file's time goes (printed with the budgets). */
  const spent: Record<string, { ms: number; count: number }> = {};
  async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      const entry = (spent[what] ??= { ms: 0, count: 0 });
      entry.ms += performance.now() - t0;
      entry.count++;
    }
  }

  beforeAll(async () => {
    if (!existsSync(path.join(distDir, 'index.html'))) execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: repoRoot, stdio: 'inherit' });
    mkdirSync(screenshotDir, { recursive: true });
    for (const f of readdirSync(screenshotDir)) if (f.endsWith('.png')) rmSync(path.join(screenshotDir, f));
    const t0 = performance.now();
    // The server, the forge and the browser start together.
    [forge, ui] = await Promise.all([startForge(), startConsoleInChromium('ui-journey', { DSO_GIT_ALLOWED_HOSTS: '127.0.0.1' })]);
    spent['start (server, forge, browser)'] = { ms: performance.now() - t0, count: 1 };
    ({ started, browser, passwords } = ui);
  }, 120_000);

  afterAll(async () => {
    await ownerContext?.close();
    await ui?.stop();
    await forge?.stop();
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
    await timed('screenshots', () => page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true }));
  }

  /** Opens a screen by its address (a fresh page load), measures time to interactive, scans it, keeps a screenshot. */
  async function visit(page: Page, name: string, url: string, screen = name): Promise<void> {
    const t0 = performance.now();
    await page.goto(url);
    await settled(page);
    timings.push({ screen: name, ms: Math.round(performance.now() - t0) });
    await check(page, name, screen);
  }

  /** axe scan and screenshot of a screen (`screen`: the same screen reached another way is not scanned twice). */
  async function check(page: Page, name: string, screen = name): Promise<void> {
    if (scanned.has(screen)) return;
    scanned.add(screen);
    const found = await timed('axe scans', () => seriousAccessibilityViolations(page));
    if (found.length) violations.push({ screen: name, violations: found });
    await shot(page, name);
  }

  async function login(context: BrowserContext, user: string): Promise<Page> {
    return timed('logins', () => loginOnce(context, user));
  }
  async function loginOnce(context: BrowserContext, user: string): Promise<Page> {
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
    ownerContext = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });
    const page = await login(ownerContext, 'owner');
    ownerPage = page;
    await evidence(page, 'team-journey', async () => {
      // The usage policy comes first.
      await page.waitForURL(/\/usage-policy/);
      await settled(page);
      await check(page, '01-usage-policy', 'usage-policy');
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
      await check(page, '04-project-overview', 'project-overview');

      // Tabs are operable with the arrow keys; Dépôts (repositories) is the fifth.
      await tabTo(page, 'Vue d’ensemble');
      for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
      await page.waitForURL(/\/repositories$/);
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Dépôts');
      await tabTo(page, /^Nom/);
      await page.keyboard.type('application');
      // A repository hosted by the platform is the default; this one is mirrored from the team's forge.
      await page.getByLabel(/^Origine du code/).selectOption('external');
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
      await check(page, '05-repositories', 'project-repositories');

      // Sync and check: the chain runs, the page follows it live, then shows the findings.
      await tabTo(page, 'Synchroniser et vérifier');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
      runPath = new URL(page.url()).pathname;
      await page.locator('[data-testid="run-status"] .fr-badge').waitFor();
      await shot(page, '06-run-live');
      await timed('waiting for chain runs', () => page.locator('[data-testid="run-status"] .fr-badge', { hasText: /Certifiée|Refusée|En échec|Annulée/ }).waitFor({ timeout: 40_000 }));
      const findings = page.locator('[data-testid="findings"] tbody tr');
      await findings.first().waitFor();
      await check(page, '07-run-findings', 'run');
      await page.waitForFunction(() => /Synchronisation|sync/.test(document.querySelector('pre.dso-log')?.textContent ?? ''));
      await tabTo(page, 'Gravité');
      await page.keyboard.press('Escape');
      // Findings are paged and filtered by the server: the count says what matches.
      const count = page.locator('[data-testid="findings-count"]');
      const everything = await count.innerText();
      expect(everything).toMatch(/^\d+ constat\(s\) correspondant\(s\) — page 1 sur 1$/);
      await page.selectOption('#finding-severity', 'critical');
      await page.waitForFunction((before) => document.querySelector('[data-testid="findings-count"]')?.textContent !== before, everything);
      expect(await count.innerText()).toMatch(/constat\(s\) correspondant\(s\)/);
      expect(await page.locator('[data-testid="findings"] tbody tr').count()).toBeGreaterThan(0);
      await shot(page, '08-run-findings-critical');

      // Started now, finished later: the infrastructure repository's chain run and the staging environment's
      // provisioning go on in the background while the team deals with conformity (next test).
      await page.goto(`${started.baseUrl}${projectPath}/repositories`);
      await settled(page);
      await page.getByLabel(/^Nom/).fill('deploiement');
      await page.getByLabel(/^Origine du code/).selectOption('external');
      await page.getByLabel(/^URL du dépôt externe/).fill(forge.infraUrl);
      await page.getByLabel(/^Nature/).selectOption('infrastructure');
      await page.getByRole('button', { name: 'Ajouter le dépôt' }).click();
      const infraRow = page.locator('tr', { hasText: forge.infraUrl });
      await infraRow.getByText('Prêt').waitFor({ timeout: 30_000 });
      await infraRow.getByRole('button', { name: /Synchroniser et vérifier/ }).click();
      await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
      infraRunPath = new URL(page.url()).pathname;
      await page.goto(`${started.baseUrl}${projectPath}/environments`);
      await settled(page);
      await page.getByLabel(/^Nom/).fill('staging');
      await page.getByLabel(/^Type d’environnement/).selectOption({ label: 'Pré-production' });
      await page.getByRole('button', { name: 'Créer un environnement' }).click();
      await page.locator('tr', { hasText: 'staging' }).waitFor();
    });
  }, 180_000);

  it('lets the team request a derogation, the security officer approve it, and the team deploy to staging', async () => {
    const owner = ownerPage!;
    await evidence(owner, 'derogation-request', async () => {
      await visit(owner, 'project-conformity', `${started.baseUrl}${projectPath}/conformity`);
      expect(await owner.locator('[data-testid="score-P"]').textContent()).toMatch(/\d+ %/);
      expect(await owner.locator('[data-testid="requirements"] tbody tr').count()).toBeGreaterThan(40);
      const dossier = await owner.request.get(await owner.locator('a', { hasText: 'dossier d’homologation' }).getAttribute('href').then((h) => `${started.baseUrl}${h}`));
      expect(dossier.status()).toBe(200);
      expect(dossier.headers()['content-type']).toMatch(/text\/html/);
      // Attest EX1 (an attested requirement) with a document: the server's refusals sit on their fields, the
      // upload shows its status, and the requirement's state changes once the attestation is saved.
      const ex1 = owner.locator('[data-testid="requirements"] tbody tr').filter({ has: owner.locator('td:first-child', { hasText: /^EX1$/ }) });
      expect(await ex1.textContent()).toContain('Attestation attendue');
      await ex1.getByRole('button', { name: 'Attester l’exigence EX1' }).click();
      const form = owner.locator('[data-testid="attestation-form"]');
      const fileInput = form.getByLabel(/^Fichier de preuve/);
      await fileInput.waitFor();
      expect(await form.innerText()).toMatch(/Formats acceptés : PDF, PNG, JPEG.*Taille maximale : 10 Mo/s);
      // The form takes the focus (its title), so a keyboard or screen reader user lands in it.
      await owner.waitForFunction(() => /^Attester l’exigence EX1/.test(document.activeElement?.textContent ?? ''));
      await form.getByLabel(/^Déclaration/).fill('Déclaration d’accessibilité publiée après l’audit RGAA de novembre.');
      await fileInput.setInputFiles({ name: 'preuve.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0x00, 0x01, 0x02, 0x03, 0xfe, 0xff]) });
      await form.getByRole('button', { name: 'Enregistrer l’attestation' }).click();
      await form.locator('.fr-upload-group--error .fr-error-text', { hasText: /PDF, PNG, JPEG/ }).waitFor();
      expect(await form.locator('input[type="file"][aria-invalid="true"]').count()).toBe(1);
      await fileInput.setInputFiles({ name: 'declaration-accessibilite.pdf', mimeType: 'application/pdf', buffer: tinyPdf('Declaration d accessibilite - audit RGAA') });
      await form.getByLabel(/^Valable jusqu’au/).fill(dayFromNow(400));
      await form.getByRole('button', { name: 'Enregistrer l’attestation' }).click();
      await form.locator('input[name="validUntil"][aria-invalid="true"]').waitFor();
      expect(await form.locator('.fr-input-group--error .fr-error-text').innerText()).toMatch(/au plus 365 jours/);
      expect(await form.locator('[data-testid="upload-status"]').innerText()).toMatch(/Fichier reçu et vérifié/);
      expect(await form.locator('[data-testid="upload-status"] progress').getAttribute('value')).toBe('100');
      await check(owner, 'project-attestation-form');
      await form.getByLabel(/^Valable jusqu’au/).fill(dayFromNow(180));
      await form.getByRole('button', { name: 'Enregistrer l’attestation' }).click();
      const result = owner.locator('[data-testid="attestation-result"]');
      await result.waitFor();
      expect(await result.innerText()).toContain('l’exigence EX1 passe de « Attestation attendue » à « Satisfaite »');
      expect(await ex1.textContent()).toContain('Satisfaite');
      await owner.locator('tr', { hasText: 'declaration-accessibilite.pdf' }).or(owner.locator('tr', { hasText: 'Déclaration d’accessibilité publiée' })).first().waitFor();
      await shot(owner, '09a-attestation-saved');

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
      // The queue says which project each request comes from, by its identifier.
      await rssi.locator('tbody tr', { hasText: 'teleprocedures' }).first().waitFor();
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
      // The infrastructure repository (added in the first test), checked and certified by the chain, then deployed
      // to the staging environment created there.
      await owner.goto(`${started.baseUrl}${infraRunPath}`);
      const infraRunId = infraRunPath.split('/').pop()!;
      await timed('waiting for chain runs', () => owner.locator('[data-testid="run-status"] .fr-badge', { hasText: /Certifiée|Refusée|En échec|Annulée/ }).waitFor({ timeout: 60_000 }));
      const infraRun = (await owner.evaluate(async (id) => (await fetch(`/api/v1/runs/${id}`)).json(), infraRunId)) as { status: string; commitSha: string | null; verdict: unknown };
      expect(infraRun.status, JSON.stringify(infraRun.verdict)).toBe('certified');
      await owner.goto(`${started.baseUrl}${projectPath}/environments`);
      await settled(owner);
      const stagingRow = owner.locator('tr', { hasText: 'staging' });
      await timed('waiting for provisioning', () => stagingRow.getByText('Prêt').waitFor({ timeout: 30_000 }));
      await stagingRow.getByRole('button', { name: /Déploiements/ }).click();
      // The certified revisions of the infrastructure repository are offered, newest first.
      await owner.getByLabel(/^Révision certifiée à déployer/).selectOption(infraRun.commitSha!);
      await owner.getByRole('button', { name: 'Déployer', exact: true }).click();
      const answer = owner.locator('section [role="status"], section [role="alert"]').first();
      await answer.waitFor();
      deployAnswer = (await answer.innerText()).replace(/\s+/g, ' ');
      expect(deployAnswer).toContain('Déploiement demandé');
      await owner.locator('section tr', { hasText: infraRun.commitSha!.slice(0, 12) }).waitFor();
      await shot(owner, '11-deploy-staging');
    });
  }, 150_000);

  it('shows every team screen accessibly and fast, in French and English', async () => {
    const page = ownerPage!;
    await evidence(page, 'team-screens', async () => {
      await visit(page, 'projects', `${started.baseUrl}/`);
      const projectRow = page.locator('tbody tr', { hasText: 'Téléprocédures' });
      await projectRow.waitFor();
      // The conformity summary comes with the list (no request per row): scores and what is left to do.
      expect(await projectRow.locator('[data-testid="conformity-summary"]').innerText()).toMatch(/^P \d+ % · I \d+ %[\s\S]*non satisfaite/);
      for (const tab of ['overview', 'members', 'conformity', 'environments', 'repositories', 'secrets', 'service-accounts', 'webhooks']) await visit(page, `project-${tab}`, `${started.baseUrl}${projectPath}/${tab}`);
      await visit(page, 'run', `${started.baseUrl}${runPath}`);
      await visit(page, 'usage-policy', `${started.baseUrl}/usage-policy`);
      await visit(page, 'not-found', `${started.baseUrl}/nulle-part`);

      // Starting an infrastructure repository for the application: each file with its purpose, the image not yet
      // certified (its run was refused) said plainly, a zip to download.
      await page.goto(`${started.baseUrl}${projectPath}/repositories`);
      await settled(page);
      await page.getByLabel(/^Dépôt d’application à déployer/).selectOption('application');
      await page.getByRole('button', { name: 'Générer les fichiers' }).click();
      const skeleton = page.locator('[data-testid="skeleton"]');
      await skeleton.waitFor();
      expect(await skeleton.locator('summary').allInnerTexts()).toEqual([
        expect.stringMatching(/^README\.md — .*chemin de déploiement/),
        expect.stringMatching(/^deploy\/deployment\.yaml — /),
        expect.stringMatching(/^deploy\/service\.yaml — /),
        expect.stringMatching(/^deploy\/networkpolicy\.yaml — /),
      ]);
      expect(await skeleton.innerText()).toMatch(/pas encore de révision certifiée/);
      const zip = await page.request.get(new URL((await skeleton.getByRole('link', { name: 'Télécharger les fichiers (zip)' }).getAttribute('href'))!, started.baseUrl).href);
      expect(zip.headers()['content-type']).toBe('application/zip');
      await check(page, 'project-infrastructure-skeleton');

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
      await page.getByRole('status').filter({ hasText: 'Enregistré.' }).waitFor();
      expect(await page.getByLabel(/^Valeur 1/).inputValue()).toBe('');
      await page.reload();
      await settled(page);
      expect(await page.content()).not.toContain('valeur-secrete-ui-42');

      // Members: an unknown address is refused next to the field; the security officer (logged in once) is added,
      // given another role, then removed after a confirmation, each step said on the screen.
      await page.goto(`${started.baseUrl}${projectPath}/members`);
      await settled(page);
      const email = page.getByLabel(/^Adresse électronique/);
      await email.fill('personne@nulle-part.example');
      await page.getByRole('button', { name: 'Ajouter un membre' }).click();
      await page.locator('.fr-error-text', { hasText: 'personne inconnue' }).waitFor();
      await email.fill('rssi@dso.localhost');
      await page.getByRole('button', { name: 'Ajouter un membre' }).click();
      const member = page.locator('tbody tr', { hasText: 'rssi@dso.localhost' });
      await member.waitFor();
      expect(await email.inputValue()).toBe('');
      expect(await page.locator('.fr-error-text').count()).toBe(0);
      await member.getByRole('combobox').selectOption('security');
      await member.getByRole('button', { name: /^Changer le rôle/ }).click();
      await page.getByRole('status').filter({ hasText: 'Rôle de Responsable Sécurité changé.' }).waitFor();
      page.once('dialog', (dialog) => void dialog.accept());
      await member.getByRole('button', { name: /^Retirer/ }).click();
      await page.getByRole('status').filter({ hasText: 'Responsable Sécurité ne fait plus partie du projet.' }).waitFor();
      await member.waitFor({ state: 'detached' });

      // A repository's settings edited from its row: the branch the chain follows, saved and said.
      await page.goto(`${started.baseUrl}${projectPath}/repositories`);
      await settled(page);
      await page.getByRole('button', { name: 'Modifier — application' }).click();
      const editing = page.getByRole('region', { name: 'Modifier le dépôt application' });
      await editing.getByLabel(/^Branche suivie/).fill('main');
      await editing.getByRole('button', { name: 'Enregistrer' }).click();
      await page.getByRole('status').filter({ hasText: 'Dépôt modifié' }).waitFor();
      await editing.waitFor({ state: 'detached' });

      // English, then back to French.
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { level: 1, name: /^Service accounts|Téléprocédures/ }).waitFor();
      await page.getByRole('tab', { name: 'Repositories' }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      await check(page, 'english-project-secrets');
      await page.getByRole('button', { name: 'Français' }).click();
    });
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
    // The audit log names people, actions and projects, links to them, and filters by action and by person.
    await page.goto(`${started.baseUrl}/admin/audit`);
    await settled(page);
    await page.getByLabel(/^Action/).selectOption('project.create');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    const created = page.locator('tbody tr', { hasText: 'Création du projet' }).first();
    await created.waitFor();
    expect(await created.getByRole('link', { name: 'teleprocedures' }).first().getAttribute('href')).toBe(projectPath);
    expect(await created.innerText()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    await page.getByLabel(/^Action/).selectOption('session.*');
    await page.getByLabel(/^Personne/).fill('Propriétaire');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.locator('tbody tr', { hasText: 'Connexion' }).first().waitFor();
    expect(await page.locator('tbody tr').count()).toBeGreaterThanOrEqual(1);
    for (const row of await page.locator('tbody tr').allInnerTexts()) expect(row).toContain('Propriétaire');
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
    // Administration roles: given to a person, shown in the reloaded table once the form closes, then taken back.
    await page.goto(`${started.baseUrl}/admin/users`);
    await settled(page);
    const ownerRow = page.locator('tbody tr', { hasText: 'owner@dso.localhost' });
    await ownerRow.getByRole('button', { name: /Rôles d’administration/ }).click();
    // DSFR draws the checkbox on its label (the input itself is invisible): the label is what a person clicks.
    const readOnly = page.locator('label[for="role-admin-read-only"]');
    await readOnly.click();
    expect(await page.getByLabel('Administration en lecture seule').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByRole('group', { name: /Modifier les rôles de Propriétaire Projet/ }).waitFor({ state: 'detached' });
    await expect.poll(() => ownerRow.innerText()).toContain('Administration en lecture seule');
    await ownerRow.getByRole('button', { name: /Rôles d’administration/ }).click();
    await readOnly.click();
    expect(await page.getByLabel('Administration en lecture seule').isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await expect.poll(() => ownerRow.innerText()).not.toContain('Administration en lecture seule');
    // The URL allow-list: saved (the notice shows), still there after a reload, then put back as it was.
    await page.goto(`${started.baseUrl}/admin/url-allow-list`);
    await settled(page);
    const allowList = page.getByRole('textbox', { name: 'Adresses autorisées' });
    const before = await allowList.inputValue();
    // An entry that is no address is refused: the server's problem shows, nothing is saved.
    await allowList.fill('pas une adresse');
    await page.getByRole('button', { name: 'Enregistrer la liste' }).click();
    await page.locator('.fr-alert--error').waitFor();
    expect(await page.getByRole('status').filter({ hasText: 'Enregistré.' }).count()).toBe(0);
    await allowList.fill(`${before}\nforge.example.test`.trim());
    await page.getByRole('button', { name: 'Enregistrer la liste' }).click();
    await page.getByRole('status').filter({ hasText: 'Enregistré.' }).waitFor();
    expect(await page.locator('.fr-alert--error').count()).toBe(0);
    await page.reload();
    await settled(page);
    expect(await allowList.inputValue()).toContain('forge.example.test');
    await allowList.fill(before);
    await page.getByRole('button', { name: 'Enregistrer la liste' }).click();
    await page.getByRole('status').filter({ hasText: 'Enregistré.' }).waitFor();
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
    console.log(`where the time went:\n${Object.entries(spent).map(([what, e]) => `  ${what.padEnd(32)} ${(e.ms / 1000).toFixed(1)} s (${e.count}×)`).join('\n')}`);
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
