// A scripted browser for end-to-end tests: fetch with a cookie jar and manual redirects, enough to go through
// the OIDC login (console → built-in provider → login form → callback → session cookie).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';

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
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
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
