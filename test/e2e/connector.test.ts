/**
 * End to end in Chromium (playwright-core): the widget embedded by its script tag on a shop page,
 * talking to the connector (its own origin, CORS), which talks the real CEC wire to the mock's
 * real-CEC face (the plain HTTP server, on a manual clock). Bot keyword answer, keyword transfer,
 * queue and reminder, agent chat both ways, evaluation, end by the agent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_CEC_APP_KEY, SEED_CEC_APP_SECRET } from '../../mock-server/config/seed.js';
import { cecFaceOf } from '../../mock-server/handlers/cec/index.js';
import { createMockHttpServer } from '../../mock-server/http/server.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { createConnector, type ConnectorHandler } from '../../widget/server/connector/connector.js';
import { serveFetch, type Served } from '../../widget/server/connector/serve.js';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs';
import { seedConnectorConfig, T0 } from '../server/connector/helpers.js';

const listen = (server: Server) =>
  new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

let browser: Browser;
const clock = new Clock('manual', T0);
const mock = createMockHttpServer({ clock });
let mockUrl: string;
let connector: ConnectorHandler;
let served: Served;
let pageServer: Server;
let pageUrl: string;

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html; charset=utf-8' };

beforeAll(async () => {
  if (!existsSync('dist/cec-chat.js')) throw new Error('Build first: npm run build (npm test does it for you).');
  mockUrl = await listen(mock.server);
  // The shop page: its own origin, the widget's files from dist/, the script tag pointing at the connector.
  pageServer = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/') {
      res.writeHead(200, { 'content-type': TYPES['.html']! });
      res.end(`<!doctype html><html lang="en"><head><title>Shop</title></head><body><h1>Shop</h1>
<script src="/cec-chat.js" data-channel-id="demo" data-base-url="${served.url}" data-user-id="e2e-${Date.now()}" data-user-name="Li Lei" data-locale="en" async></script></body></html>`);
      return;
    }
    const file = normalize(join('dist', path));
    if (!file.startsWith('dist') || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  pageUrl = await listen(pageServer);
  const config = seedConnectorConfig({ baseUrl: `${mockUrl}/cec`, pollTimeoutMs: 30_000 });
  config.allowedOrigins = [pageUrl];
  connector = createConnector(config, { env: { CEC_APP_KEY: SEED_CEC_APP_KEY, CEC_APP_SECRET: SEED_CEC_APP_SECRET }, log: (r) => process.env.E2E_DEBUG && console.log(JSON.stringify(r)) });
  served = await serveFetch(connector, { port: 0 });
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium: run node scripts/ensure-chromium.mjs');
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await connector?.close();
  await served?.close();
  mock.server.closeAllConnections();
  await new Promise((r) => mock.server.close(r));
  await new Promise((r) => pageServer?.close(r));
});

async function openShop(): Promise<Page & { errors: string[] }> {
  const page = (await browser.newPage({ viewport: { width: 1200, height: 900 } })) as Page & { errors: string[] };
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => process.env.E2E_DEBUG && console.log('console', m.type(), m.text()));
  page.on('requestfailed', (r) => process.env.E2E_DEBUG && console.log('failed', r.url(), r.failure()?.errorText));
  page.on('response', (r) => process.env.E2E_DEBUG && console.log('resp', r.status(), r.url()));
  await page.goto(pageUrl);
  return page;
}

describe('widget by script tag → connector → real-CEC face (Chromium)', () => {
  it('bot keyword answer, keyword transfer, queue and reminder, agent chat both ways, evaluation, end', { timeout: 90_000 }, async () => {
    const cc = mock.cc;
    const face = cecFaceOf(cc);
    cc.desk.signIn('alice');
    const page = await openShop();
    await page.getByRole('button', { name: 'Open chat' }).click();
    const log = page.getByRole('log', { name: 'Conversation' });
    await expect.poll(() => log.textContent(), { timeout: 15_000 }).toContain("Hi, I'm Ava");
    const message = page.getByRole('textbox', { name: 'Message' });
    await message.fill('When are you open?');
    await message.press('Enter');
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toContain('Monday to Friday');

    await message.fill('I want a human please');
    await message.press('Enter');
    await expect.poll(() => page.getByText('You are next in line.').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    clock.advance(10_000);
    await expect.poll(() => page.getByText('Thanks for waiting, an agent will be with you shortly.').count(), { timeout: 10_000 }).toBeGreaterThan(0);

    cc.desk.setReady('alice', true);
    const waiting = cc.desk.snapshot('alice').waiting.find((w) => w.customerName === 'Li Lei');
    if (waiting) cc.desk.accept('alice', waiting.sessionId);
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toContain('joined the chat');
    cc.desk.send('alice', 'Hello Li Lei, I am Alice. How can I help?');
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toContain('How can I help?');
    await message.fill('My parcel has not arrived.');
    await message.press('Enter');
    await expect.poll(() => cc.desk.snapshot('alice').session?.messages.some((m) => m.content === 'My parcel has not arrived.'), { timeout: 10_000 }).toBe(true);

    cc.desk.end('alice');
    await expect.poll(() => log.textContent(), { timeout: 10_000 }).toContain('The agent ended the chat.');
    const rating = page.getByRole('radiogroup', { name: 'Rating' });
    await rating.getByText('★').nth(4).click({ timeout: 10_000 }); // the fifth star (its radio is visually hidden)
    expect(await rating.getByRole('radio', { name: '5 – Very satisfied' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Submit rating' }).click();
    await expect.poll(() => face.ratings.length, { timeout: 10_000 }).toBe(1);
    expect(face.ratings[0]).toMatchObject({ evaluation: '5' });
    await expect.poll(() => page.getByText('Thank you for your feedback!').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(page.errors).toEqual([]);
  });
});
