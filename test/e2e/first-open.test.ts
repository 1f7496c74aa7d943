/**
 * Issue 18 with the built script tag in Chromium: when the panel's code cannot load (its request
 * fails), the customer reads why in their language and can try again; what they sent meanwhile
 * is sent once the panel has loaded.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoServer } from '../../demo/server.js';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs';

let browser: Browser;
let server: Server;
let base: string;

beforeAll(async () => {
  if (!existsSync('dist/cec-chat.js')) throw new Error('Build first: npm run build (npm test does it for you).');
  ({ server } = createDemoServer());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: findChromium()!, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
});

describe('the panel chunk fails to load', () => {
  it('the early panel says so in German and offers to try again; a message sent meanwhile goes once it loads', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    let failing = true;
    let panelRequests = 0;
    await page.route('**/dist/chunks/panel-*.js', (route) => {
      panelRequests++;
      return failing ? route.abort('internetdisconnected') : route.continue();
    });
    // The integrator's page, on the demo server's origin (its channel API answers there).
    await page.route(`${base}/shop`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="de"><body><h1>Shop</h1><script src="${base}/dist/cec-chat.js" data-channel-id="demo" data-locale="de" async></script></body></html>`,
      }),
    );
    await page.goto(`${base}/shop`);
    const widget = page.locator('cec-chat');
    await page.waitForFunction(() => (document.querySelector('cec-chat') as unknown as { hasUpdated?: boolean })?.hasUpdated);
    await widget.getByRole('button', { name: 'Chat öffnen' }).click();
    const alert = widget.getByRole('alert');
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toBe('Der Chat konnte nicht geladen werden.');
    expect(errors.some((e) => e.startsWith('CecChat: the chat panel could not load.'))).toBe(true);
    // The box still takes a message; it waits for the panel.
    const box = widget.locator('textarea[name="message"]');
    await box.fill('Hallo trotzdem');
    await box.press('Enter');
    expect(await box.inputValue()).toBe('');

    failing = false;
    await widget.getByRole('button', { name: 'Erneut versuchen' }).click();
    await widget.locator('section.panel:not(.early)').waitFor({ timeout: 10_000 });
    expect(await widget.getByRole('alert').count()).toBe(0);
    await widget.locator('.transcript').getByText('Hallo trotzdem').waitFor({ timeout: 10_000 });
    expect(panelRequests).toBeGreaterThanOrEqual(2);
    await page.close();
  }, 60_000);
});
