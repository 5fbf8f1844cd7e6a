// The header's « Menu » dialog on a phone (390 px), in a real browser (Debian Chromium) against `dso start`: a keyboard
// user who opens it can Tab and Shift+Tab round its controls without the focus ever landing behind it, Escape closes
// it and gives the focus back to « Menu », and the page behind is usable again (Tab leaves the button).
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

describe.skipIf(Boolean(missing))('the « Menu » dialog at 390 px keeps the keyboard focus, in Chromium', () => {
  let started: StartedConsole;
  let dataDir: string;
  let base: string;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'dso-ui-menu-'));
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

  /** Where the focus is: inside the dialog or not, and what it is (for the failure message). */
  const focus = (page: Page) =>
    page.evaluate(() => {
      const active = document.activeElement;
      return { inMenu: Boolean(active && document.getElementById('dso-menu')?.contains(active)), id: active?.id ?? '', what: `${active?.tagName ?? 'none'} ${(active?.textContent ?? '').trim().slice(0, 40)}` };
    });

  it('traps Tab and Shift+Tab inside the open menu, and Escape gives the focus back to « Menu »', async () => {
    const context = await chromium.browser.newContext({ locale: 'fr-FR', viewport: { width: 390, height: 844 } });
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

      // Opened from the keyboard, as a keyboard user does.
      const menu = page.getByRole('button', { name: 'Menu', exact: true });
      await menu.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Se déconnecter' }).waitFor();
      await expect.poll(async () => (await focus(page)).inMenu).toBe(true);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);

      // Its controls: close, language, sign-out and the main navigation's links.
      const controls = await dialog.evaluate((element) => Array.from(element.querySelectorAll('a[href], button')).filter((e) => e.getClientRects().length > 0).length);
      expect(controls).toBeGreaterThanOrEqual(5);
      const visited = new Set<string>();
      for (const key of ['Tab', 'Shift+Tab']) {
        for (let i = 0; i < controls * 2 + 1; i++) {
          await page.keyboard.press(key);
          const where = await focus(page);
          expect(where.inMenu, `${key} #${i + 1} moved the focus behind the menu, to ${where.what}`).toBe(true);
          visited.add(where.what);
        }
      }
      // Every control was reached (round and round, not stuck on one).
      expect(visited.size).toBe(controls);

      // The page behind is inert: a click there cannot move the focus out either.
      expect(await page.evaluate(() => (document.getElementById('contenu') as HTMLElement & { inert: boolean }).inert)).toBe(true);

      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(async () => (await focus(page)).id).toBe('dso-menu-button');
      // Closed, the page is usable again: Tab goes on from « Menu » to the page.
      expect(await page.evaluate(() => (document.getElementById('contenu') as HTMLElement & { inert: boolean }).inert)).toBe(false);
      await page.keyboard.press('Tab');
      expect((await focus(page)).id).not.toBe('dso-menu-button');
      expect((await focus(page)).what).not.toBe('BODY ');
    } catch (error) {
      const text = await page.evaluate(() => document.body.innerText).catch(() => '');
      throw new Error(`${(error as Error).message}\nat ${page.url()}\nscreen text:\n${text.slice(0, 2000)}\nserver:\n${started.stderr().slice(-2000)}`);
    } finally {
      await context.close();
    }
  }, 120_000);
});
