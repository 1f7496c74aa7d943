/**
 * The README's "In your own server" examples, run as written: the connector mounted in Express
 * (a route, through @hono/node-server's request listener) and on node:http (serveFetch), each
 * serving one applyToken to a real HTTP client on a free port.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { getRequestListener } from '@hono/node-server';
import { afterAll, describe, expect, it } from 'vitest';
import { createConnector, parseConfig, serveFetch } from '../../../widget/server/index.js';

const config = parseConfig({ upstream: { baseUrl: 'http://127.0.0.1:9/cec' }, channels: [{ channelId: 'demo' }] });
const connector = createConnector(config, { env: { CEC_APP_KEY: 'key', CEC_APP_SECRET: 'secret' }, log: () => {}, sweepMs: 0 });
const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const close of closers) await close();
  await connector.close();
});

const applyToken = (base: string) =>
  fetch(`${base}/apiaccess/ccmessaging/applyToken`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channelId: 'demo', userId: 'u1', userName: 'Wang', locale: 'en' }),
    signal: AbortSignal.timeout(10_000),
  });

describe('the README mounts', () => {
  it('Express: app.all on the API path with getRequestListener serves applyToken', async () => {
    const app = express();
    // As the README shows (Express 5 names its wildcard; Express 4 wrote '/apiaccess/ccmessaging/*').
    app.all('/apiaccess/ccmessaging/*path', getRequestListener(connector));
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    closers.push(() => new Promise((r) => server.close(r)));
    const res = await applyToken(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ resultCode: '0' });
    expect(typeof body.token).toBe('string');
    expect(typeof body.resumeKey).toBe('string');
  });

  it('node:http: serveFetch serves applyToken', async () => {
    const served = await serveFetch(connector, { port: 0 });
    closers.push(() => served.close());
    const res = await applyToken(served.url);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ resultCode: '0' });
  });
});
