/**
 * What the demo's end-to-end tests share: the demo server on a free port (its mock and its
 * connector, whose contact center is `cc`), Debian's Chromium
 * through playwright-core, and a page opened on the demo once it says it is ready.
 */
import { existsSync } from 'node:fs';
import { expect } from 'vitest';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createDemoServer } from '../../demo/server.js';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs';

export interface Harness {
  browser: Browser;
  base: string;
  /** The demo server's contact center (the HTTP mock that `?mock=http` and `?mock=connector` use). */
  cc: ReturnType<typeof createDemoServer>['cc'];
  close(): Promise<void>;
}

export type DemoPage = Page & { errors: string[] };

/** Starts the demo server on 127.0.0.1:0 and launches Chromium (fake camera and microphone). */
export async function startHarness(): Promise<Harness> {
  if (!existsSync('dist/cec-chat.js') || !existsSync('dist/demo/demo.js') || !existsSync('dist/demo/embed.js')) {
    throw new Error('Build first: npm run build (npm test does it for you).');
  }
  const demo = createDemoServer();
  const { server } = demo;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium: run node scripts/ensure-chromium.mjs');
  const browser = await chromium.launch({
    executablePath,
    args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required'],
  });
  return {
    browser,
    base,
    cc: demo.cc,
    async close() {
      await browser.close();
      await demo.close();
    },
  };
}

/**
 * Opens the demo (`query` e.g. `?mock=http`) in a fresh context and waits until it is ready.
 * Every write to `/mock/admin` is recorded in `window.adminWrites` ({method, path, body}).
 */
export async function openDemo(h: Harness, opts: { query?: string; width?: number; height?: number; context?: BrowserContext } = {}): Promise<DemoPage> {
  const context = opts.context ?? (await h.browser.newContext({ viewport: { width: opts.width ?? 1400, height: opts.height ?? 900 } }));
  const page = (await context.newPage()) as DemoPage;
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(m.text());
  });
  await page.addInitScript(() => {
    const writes: Array<{ method: string; path: string; body: unknown }> = [];
    (window as unknown as { adminWrites: typeof writes }).adminWrites = writes;
    const original = window.fetch.bind(window);
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url, location.href);
      const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
      if (url.pathname.startsWith('/mock/') && method !== 'GET') {
        writes.push({ method, path: url.pathname, body: typeof init?.body === 'string' ? JSON.parse(init.body) : null });
      }
      return original(input, init);
    };
  });
  await page.goto(`${h.base}${opts.query ?? ''}`);
  await page.locator('body[data-ready="true"]').waitFor({ timeout: 20_000 });
  return page;
}

/**
 * Creates a web channel through the demo's Administrator panel, as QA would: "New", the id, its
 * access code `web_<id>`, the chatbot's greeting, "Create web channel". Opens the demo (the
 * server's mock, `?mock=http`, shared by every page) in a 1400×900 context allowed to use the
 * clipboard. Resolves once the channel's "Integration instructions" are shown.
 */
export async function createChannelInAdmin(h: Harness, opts: { idPrefix: string; greeting: string }) {
  const context = await h.browser.newContext({ viewport: { width: 1400, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.base.replace(/\/$/, '') });
  const page = await openDemo(h, { query: '?mock=http', context });
  const admin = page.getByRole('region', { name: 'Administrator' });
  const id = `${opts.idPrefix}_${Date.now().toString(36)}`;
  await admin.getByRole('button', { name: 'New' }).click();
  const form = admin.getByRole('form', { name: 'Web channel settings' });
  await form.getByLabel('Id', { exact: true }).fill(id);
  await form.getByLabel('Channel Access Code').fill(`web_${id}`);
  await form
    .getByRole('group', { name: /^Chatbot/ })
    .getByLabel('Greeting')
    .fill(opts.greeting);
  await form.getByRole('button', { name: 'Create web channel' }).click();
  const guide = admin.getByRole('region', { name: 'Integration instructions' });
  await guide.waitFor({ timeout: 30_000 });
  return { context, page, admin, form, id, guide };
}

/** The writes the page made to the mock since the test started (see openDemo). */
export const writes = (page: Page) => page.evaluate(() => (window as unknown as { adminWrites: Array<{ method: string; path: string; body: Record<string, unknown> | null }> }).adminWrites);

/** GET a mock API from inside the page (the mock may live in the page's service worker). */
export const getJson = <T = Record<string, unknown>>(page: Page, path: string) => page.evaluate(async (p) => (await fetch(p)).json(), path) as Promise<T>;

/** POST/PATCH a mock API from inside the page. */
export const sendJson = <T = Record<string, unknown>>(page: Page, method: string, path: string, body: unknown) =>
  page.evaluate(async ([m, p, b]) => (await fetch(p as string, { method: m as string, headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) })).json(), [
    method,
    path,
    body,
  ] as const) as Promise<T>;

/**
 * `expect.poll` with a timeout meant for a busy machine (vitest's default is one second):
 * waits on the condition, never on a fixed delay.
 */
export const poll = <T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) => expect.poll(fn, { timeout: opts.timeout ?? 20_000, interval: 50 });
