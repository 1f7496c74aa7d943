/**
 * The chain the connector's Chromium tests drive (not a test file itself): a shop page of its own
 * origin that embeds the widget by its script tag (dist/), the connector (`serveFetch`, CORS for
 * the shop) and the mock's plain HTTP server, whose real-CEC face the connector talks to, on a
 * manual mock clock. The agent side is reached through the mock's `/mock` HTTP API.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SEED_CEC_APP_KEY, SEED_CEC_APP_SECRET } from '../../mock-server/config/seed.js';
import { createMockHttpServer } from '../../mock-server/http/server.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import type { ContactCenter } from '../../mock-server/runtime/contact-center.js';
import type { ConnectorConfigInput } from '../../widget/server/connector/config.js';
import { createConnector, type ConnectorHandler, type ConnectorOptions } from '../../widget/server/connector/connector.js';
import { serveFetch, type Served } from '../../widget/server/connector/serve.js';
import { CHROMIUM_ARGS, findChromium } from '../../scripts/chromium.mjs';
import { seedConnectorConfig, T0 } from '../server/connector/helpers.js';

const listen = (server: Server) => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.html': 'text/html; charset=utf-8' };

export type ShopPage = Page & { errors: string[]; userId: string };

export interface ConnectorE2E {
  clock: Clock;
  cc: ContactCenter;
  mockUrl: string;
  connector: ConnectorHandler;
  browser: Browser;
  /** Opens the shop page as a new customer (a fresh user id unless one is given). */
  openShop(opts?: { userId?: string; userName?: string }): Promise<ShopPage>;
  /** A call to the mock's `/mock` API (the agent's workbench, QA helpers): its JSON answer. */
  mockApi(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, any>>;
  close(): Promise<void>;
}

let customers = 0;

/**
 * Starts the chain. `start` is the mock clock's first instant (default T0, a Wednesday 10:00 in
 * Shanghai); `configure` edits the connector's config (the channel as set in the CEC console);
 * `connector` adds connector options. Chromium is launched with a fake microphone and camera.
 */
export async function startConnectorE2E(opts: { start?: number; configure?: (cfg: ConnectorConfigInput) => void; connector?: Partial<ConnectorOptions> } = {}): Promise<ConnectorE2E> {
  if (!existsSync('dist/cec-chat.js')) throw new Error('Build first: npm run build (npm test does it for you).');
  const clock = new Clock('manual', opts.start ?? T0);
  const mock = createMockHttpServer({ clock });
  const mockUrl = await listen(mock.server);
  let served: Served | undefined;
  // The shop page: its own origin, the widget's files from dist/, the script tag pointing at the connector.
  const pageServer = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://shop');
    if (url.pathname === '/') {
      const userId = url.searchParams.get('user') ?? 'e2e';
      const userName = url.searchParams.get('name') ?? 'Li Lei';
      res.writeHead(200, { 'content-type': TYPES['.html']! });
      res.end(`<!doctype html><html lang="en"><head><title>Shop</title></head><body><h1>Shop</h1>
<script src="/cec-chat.js" data-channel-id="demo" data-base-url="${served!.url}" data-user-id="${userId}" data-user-name="${userName}" data-locale="en" async></script></body></html>`);
      return;
    }
    const file = normalize(join('dist', url.pathname));
    if (!file.startsWith('dist') || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  const pageUrl = await listen(pageServer);
  const config = seedConnectorConfig({ baseUrl: `${mockUrl}/cec`, pollTimeoutMs: 30_000 });
  config.allowedOrigins = [pageUrl];
  opts.configure?.(config);
  const connector = createConnector(config, {
    env: { CEC_APP_KEY: SEED_CEC_APP_KEY, CEC_APP_SECRET: SEED_CEC_APP_SECRET },
    log: (r) => process.env.E2E_DEBUG && console.log(JSON.stringify(r)),
    ...opts.connector,
  });
  served = await serveFetch(connector, { port: 0 });
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium: run node scripts/ensure-chromium.mjs');
  const browser = await chromium.launch({
    executablePath,
    args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
  });

  async function openShop(o: { userId?: string; userName?: string } = {}): Promise<ShopPage> {
    const page = (await browser.newPage({ viewport: { width: 1200, height: 900 } })) as ShopPage;
    page.errors = [];
    page.on('pageerror', (e) => page.errors.push(e.message));
    page.on('console', (m) => process.env.E2E_DEBUG && console.log('console', m.type(), m.text()));
    page.on('requestfailed', (r) => process.env.E2E_DEBUG && console.log('failed', r.url(), r.failure()?.errorText));
    page.on('response', (r) => process.env.E2E_DEBUG && console.log('resp', r.status(), r.url()));
    const user = o.userId ?? `e2e-${process.pid}-${++customers}-${Date.now()}`;
    page.userId = user;
    await page.goto(`${pageUrl}/?user=${encodeURIComponent(user)}&name=${encodeURIComponent(o.userName ?? 'Li Lei')}`);
    return page;
  }

  async function mockApi(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, any>> {
    const res = await fetch(`${mockUrl}/mock${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const json = (await res.json()) as Record<string, any>;
    if (!res.ok) throw new Error(`${method} /mock${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  return {
    clock,
    cc: mock.cc,
    mockUrl,
    connector,
    browser,
    openShop,
    mockApi,
    async close() {
      await browser.close();
      await connector.close();
      await served?.close();
      mock.server.closeAllConnections();
      await new Promise((r) => mock.server.close(r));
      pageServer.closeAllConnections();
      await new Promise((r) => pageServer.close(r));
    },
  };
}
