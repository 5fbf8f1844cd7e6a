// A scripted browser for end-to-end tests: fetch with a cookie jar and manual redirects, enough to go through
// the OIDC login (console → built-in provider → login form → callback → session cookie).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { demoPasswords, freePort, startConsole, waitForReady, type StartedConsole } from './process.ts';

/** Cookies per host name, as a browser keeps them (a cookie set at 127.0.0.1 is not sent to localhost). */
export class CookieJar {
  private readonly hosts = new Map<string, Map<string, string>>();

  store(response: Response, url: string): void {
    const host = new URL(url).hostname;
    const cookies = this.hosts.get(host) ?? new Map<string, string>();
    this.hosts.set(host, cookies);
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()));
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
  }

  header(url: string): string {
    return [...(this.hosts.get(new URL(url).hostname) ?? [])].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** The cookie of that name on any host (tests talk to one host). */
  get(name: string): string | undefined {
    for (const cookies of this.hosts.values()) if (cookies.has(name)) return cookies.get(name);
    return undefined;
  }
}

export class ScriptedBrowser {
  readonly jar = new CookieJar();
  constructor(readonly baseUrl: string) {}

  /** One request, no redirect followed. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url, this.baseUrl);
    const headers = new Headers(init.headers);
    const cookie = this.jar.header(target.href);
    if (cookie) headers.set('cookie', cookie);
    if (!headers.has('accept')) headers.set('accept', 'text/html,application/json');
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    this.jar.store(response, target.href);
    return response;
  }

  /** Follows redirects (GET), like a browser; returns the final response and the URL it came from. */
  async navigate(url: string, init: RequestInit = {}, maxHops = 15): Promise<{ response: Response; url: string }> {
    let current = new URL(url, this.baseUrl).href;
    let response = await this.request(current, init);
    for (let hop = 0; hop < maxHops && response.status >= 300 && response.status < 400; hop++) {
      const location = response.headers.get('location');
      if (!location) break;
      current = new URL(location, current).href;
      await response.body?.cancel();
      response = await this.request(current);
    }
    return { response, url: current };
  }

  /** Logs in through GET /auth/login and the built-in provider's form; resolves with the page reached. */
  async loginWithBuiltinProvider(username: string, password: string, startPath = '/auth/login'): Promise<{ response: Response; url: string }> {
    const form = await this.navigate(startPath);
    if (form.response.status !== 200) throw new Error(`login page: HTTP ${form.response.status} at ${form.url}`);
    const html = await form.response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`no login form at ${form.url}`);
    const submitted = await this.request(new URL(action.replace(/&amp;/g, '&'), form.url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
    if (submitted.status === 401) throw new Error('the built-in provider refused the password');
    const location = submitted.headers.get('location');
    if (!location) throw new Error(`login form answered HTTP ${submitted.status} without redirect`);
    return this.navigate(new URL(location, form.url).href);
  }

  /** JSON API call with the session cookie. */
  async api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }> {
    const response = await this.request(path, {
      method,
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }
}

// ——— A real browser (Debian Chromium driven by playwright-core) for the console's UI tests. ———

export const chromiumPath = process.env.DSO_CHROMIUM ?? '/usr/bin/chromium';

/** Undefined when Chromium is installed; otherwise the one line to print (tests skip, or fail under CI=true). */
export function chromiumMissing(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  return `UI browser tests skipped: no Chromium at ${chromiumPath} (apt-get install chromium)`;
}

export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    // launch() gives every run a new temporary profile (user-data-dir) and deletes it on close.
  });
  return {
    browser,
    close: async () => {
      await browser.close();
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core (WCAG 2.1 A/AA rules) on the page; returns the serious and critical violations. */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: unknown,
            opts: unknown,
          ): Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
}

/**
 * Keyboard only: presses Tab until the focused element's text, label or aria-label contains `name`
 * (at most `maxTabs` presses), so a test proves the control is reachable without a mouse.
 */
export async function tabTo(page: Page, name: string | RegExp, maxTabs = 80): Promise<void> {
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    const described = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      // Only controls count: a focusable container (a tab panel, a log) holds the text of everything inside it.
      if (!el || !['A', 'BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'SUMMARY'].includes(el.tagName)) return '';
      const found = (el as HTMLInputElement).labels;
      const labels = found ? Array.from({ length: found.length }, (_, i) => found[i]?.textContent ?? '') : [];
      return [el.getAttribute('aria-label') ?? '', ...labels, el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA' ? '' : (el.textContent ?? '')].join(' ').replace(/\s+/g, ' ').trim();
    });
    if (typeof name === 'string' ? described.includes(name) : name.test(described)) return;
  }
  throw new Error(`"${String(name)}" not reached with ${maxTabs} Tab presses`);
}

// ——— A console started for browser tests, and signing in to it as one of its demo accounts. ———

/** Why the UI tests of a file are skipped (printed once), or undefined; under CI=true a missing Chromium fails. */
export function chromiumSkipReason(): string | undefined {
  const missing = chromiumMissing();
  if (missing && process.env.CI === 'true') throw new Error(`${missing} — required when CI=true`);
  if (missing) console.warn(missing);
  return missing;
}

export interface ConsoleInChromium {
  /** e.g. `http://127.0.0.1:41234` */
  base: string;
  dataDir: string;
  started: StartedConsole;
  browser: Browser;
  /** The demo accounts' passwords (admin, rssi, owner, dev), as `dso start` printed them. */
  passwords: Record<string, string>;
  adminToken: string;
  /** The API under /api/v1 as the bootstrap administrator: JSON bodies, or raw bytes with their content type. */
  adminApi(
    method: string,
    apiPath: string,
    body?: unknown,
    contentType?: string,
  ): Promise<{ status: number; body: any }>;
  /** What the server wrote last, to explain a failure. */
  serverTail(): string;
  stop(): Promise<void>;
}

/**
 * `dso start` on a free port with a throw-away data folder and a bootstrap administrator token, and Chromium, both
 * ready. `env` adds or overrides configuration (e.g. DSO_CATALOGUE_DEFAULT); a variable set to undefined is left
 * out (e.g. DSO_PUBLIC_URL, for a console started as the README's `npm start`, with nothing configured).
 */
export async function startConsoleInChromium(
  name: string,
  env: Record<string, string | undefined> = {},
): Promise<ConsoleInChromium> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `dso-${name}-`));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const adminToken = `${name}-admin-token-0123456789abcdef`;
  const configured = { PORT: String(port), DSO_DATA_DIR: dataDir, DSO_PUBLIC_URL: base, DSO_LOG_LEVEL: 'warn', DSO_ADMIN_TOKEN: adminToken, ...env };
  const started = startConsole(
    Object.fromEntries(Object.entries(configured).filter((entry): entry is [string, string] => entry[1] !== undefined)),
  );
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
  const stop = async () => {
    await chromium?.close();
    if (started.child.exitCode === null) {
      started.child.kill('SIGTERM');
      await started.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    [chromium] = await Promise.all([launchChromium(), waitForReady(started, 90_000)]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    base,
    dataDir,
    started,
    browser: chromium.browser,
    passwords: demoPasswords(started.stderr()),
    adminToken,
    async adminApi(method, apiPath, body, contentType = 'application/json') {
      const raw = body instanceof Uint8Array;
      const response = await fetch(`${base}/api/v1${apiPath}`, {
        method,
        headers: {
          authorization: `Bearer ${adminToken}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': contentType } : {}),
        },
        ...(body !== undefined ? { body: raw ? (body as unknown as BodyInit) : JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    serverTail: () => started.stderr().slice(-1500),
    stop,
  };
}

/** Waits until the shipped catalogue, seeded by the worker after start, satisfies `ready`; returns its items. */
export async function waitForCatalogue<T extends { slug: string; latestPublished: string | null }>(
  ui: ConsoleInChromium,
  ready: (items: T[]) => boolean,
  timeoutMs = 90_000,
): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const items = ((await ui.adminApi('GET', '/catalogue')).body?.items ?? []) as T[];
    if (ready(items)) return items;
    if (Date.now() > deadline)
      throw new Error(
        `the catalogue was not ready in ${timeoutMs / 1000} s: ${JSON.stringify(items.map((i) => [i.slug, i.latestPublished]))}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * The screen is shown: its title is there and nothing is loading any more (no « Chargement… », no busy region), so
 * what a test reads or scans next is what a person sees.
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const main = document.getElementById('contenu');
      const h1 = main?.querySelector('h1');
      return Boolean(h1 && !/Chargement|Loading/.test(h1.textContent ?? '') && !main!.querySelector('[aria-busy="true"]') && !/^(Chargement…|Loading…)$/m.test(main!.innerText));
    },
    undefined,
    { timeout: 30_000 },
  );
}

const signInWords = {
  fr: { login: 'Se connecter', accept: 'J’accepte les conditions d’utilisation', home: 'Mes projets' },
  en: { login: 'Log in', accept: 'I accept the usage policy', home: 'My projects' },
} as const;

/**
 * A new browser context in `lang` at `width` × `height` px, signed in as a demo account through the built-in identity
 * provider's form, the usage policy accepted when asked (or, with `acceptPolicy`, whenever it is not yet accepted:
 * changes need it); the page is on the home screen. Close it with `page.context().close()`.
 */
export async function signIn(ui: ConsoleInChromium, options: { lang: 'fr' | 'en'; user: string; width?: number; height?: number; acceptPolicy?: boolean }): Promise<Page> {
  const { base } = ui;
  const words = signInWords[options.lang];
  const context = await ui.browser.newContext({ locale: options.lang === 'fr' ? 'fr-FR' : 'en-GB', viewport: { width: options.width ?? 1366, height: options.height ?? 900 } });
  await context.addInitScript((l) => localStorage.setItem('dso.locale', l), options.lang);
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login/);
  await page.getByRole('link', { name: words.login }).or(page.getByRole('button', { name: words.login })).first().click();
  await page.locator('input#username').fill(options.user);
  await page.locator('input[type="password"]').fill(ui.passwords[options.user]!);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.origin === base && (u.pathname === '/' || u.pathname === '/usage-policy'));
  // The sign-in lands on « / » and the console then decides, once it has read GET /me, whether the policy must be
  // accepted first (it replaces the address with /usage-policy). Until a page title shows, that decision may be
  // pending: reading the address earlier would miss it, and a click made meanwhile (e.g. in the « Menu » dialog,
  // which rightly closes when the route changes) would be lost.
  await page.locator('#contenu h1').first().waitFor();
  if (new URL(page.url()).pathname === '/usage-policy') {
    await page.getByRole('button', { name: words.accept }).click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.getByRole('heading', { level: 1, name: words.home }).waitFor();
  }
  if (options.acceptPolicy) {
    // Signing in asks for the policy only when the session says so; changes need it accepted anyway.
    await page.goto(`${base}/usage-policy`);
    const accept = page.getByRole('button', { name: words.accept });
    await page.waitForLoadState('networkidle');
    if (await accept.count()) {
      await accept.click();
      await page.waitForURL((u) => u.pathname !== '/usage-policy');
    }
  }
  return page;
}
