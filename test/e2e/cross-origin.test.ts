/**
 * The script tag with the widget's files on another origin (a CDN), in Chromium: a host that
 * sends no CORS headers leaves the visitor a launcher that says the chat is unavailable and the
 * developer a console line naming the URL and the cause; the demo server sends the headers a
 * CDN must send, and the widget loads from it.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoServer } from '../../demo/server.js';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs';

let browser: Browser;
const servers: Server[] = [];
const dist = join(process.cwd(), 'dist');

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A file host that sends no CORS headers (what a misconfigured CDN does). */
const bareHost = () =>
  createServer((req, res) => {
    const file = normalize(join(dist, new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(dist) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/javascript' });
    createReadStream(file).pipe(res);
  });

/** The integrator's page, on its own origin, with the README's script tag pointing at `src`. */
const pageHost = (src: string) =>
  createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html lang="en"><body><h1>Shop</h1>
      <script src="${src}" data-channel-id="demo" async></script></body></html>`);
  });

async function open(pageUrl: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(pageUrl);
  return { page, errors };
}

beforeAll(async () => {
  if (!existsSync('dist/cec-chat.js')) throw new Error('Build first: npm run build (npm test does it for you).');
  browser = await chromium.launch({ executablePath: findChromium()!, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

describe('the widget hosted on another origin', () => {
  it('without CORS headers: the launcher says the chat is unavailable; the console names the URL and the cause', async () => {
    const cdn = await listen(bareHost());
    const { page, errors } = await open(await listen(pageHost(`${cdn}/cec-chat.js`)));
    const launcher = page.locator('cec-chat').getByRole('button', { name: 'The chat is unavailable right now. Please try again later.' });
    await launcher.waitFor({ timeout: 10_000 });
    const line = errors.find((e) => e.startsWith('CecChat:'));
    expect(line).toContain(`${cdn}/cec-chat.esm.js`);
    expect(line).toContain('no CORS header (Access-Control-Allow-Origin)');
    await launcher.click();
    await expect(page.locator('cec-chat').getByRole('status').textContent()).resolves.toBe('The chat is unavailable right now. Please try again later.');
    expect(await page.evaluate(() => customElements.get('cec-chat'))).toBeUndefined();
    await page.close();
  }, 30_000);

  it('from the demo server, which sends the headers a CDN must send: the widget loads', async () => {
    const { server } = createDemoServer();
    const demo = await listen(server);
    const res = await fetch(`${demo}/dist/cec-chat.esm.js`, { headers: { origin: 'https://shop.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const { page, errors } = await open(await listen(pageHost(`${demo}/dist/cec-chat.js`)));
    await page.waitForFunction(() => customElements.get('cec-chat') !== undefined && !!document.querySelector('cec-chat')?.shadowRoot?.querySelector('.root'));
    await expect(page.locator('cec-chat').getByRole('button', { name: 'Open chat' }).count()).resolves.toBe(1);
    expect(errors.filter((e) => e.includes('CecChat'))).toEqual([]);
    await page.close();
  }, 30_000);
});
