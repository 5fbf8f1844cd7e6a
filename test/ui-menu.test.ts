// The header's « Menu » dialog on a phone (390 px), in a real browser (Debian Chromium) against `dso start`: a keyboard
// user who opens it can Tab and Shift+Tab round its controls without the focus ever landing behind it, Escape closes
// it and gives the focus back to « Menu », and the page behind is usable again (Tab leaves the button).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumSkipReason, seriousAccessibilityViolations, signIn, startConsoleInChromium, type ConsoleInChromium } from './support/browser.ts';

const missing = chromiumSkipReason();

describe.skipIf(Boolean(missing))('the « Menu » dialog at 390 px keeps the keyboard focus, in Chromium', () => {
  let ui: ConsoleInChromium;

  beforeAll(async () => {
    ui = await startConsoleInChromium('ui-menu');
  }, 120_000);

  afterAll(async () => {
    await ui?.stop();
  });

  /** Where the focus is: inside the dialog or not, and what it is (for the failure message). */
  const focus = (page: Page) =>
    page.evaluate(() => {
      const active = document.activeElement;
      return { inMenu: Boolean(active && document.getElementById('dso-menu')?.contains(active)), id: active?.id ?? '', what: `${active?.tagName ?? 'none'} ${(active?.textContent ?? '').trim().slice(0, 40)}` };
    });

  it('traps Tab and Shift+Tab inside the open menu, and Escape gives the focus back to « Menu »', async () => {
    const page = await signIn(ui, { lang: 'fr', user: 'owner', width: 390, height: 844 });
    try {
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
      throw new Error(`${(error as Error).message}\nat ${page.url()}\nscreen text:\n${text.slice(0, 2000)}\nserver:\n${ui.started.stderr().slice(-2000)}`);
    } finally {
      await page.context().close();
    }
  }, 120_000);
});
