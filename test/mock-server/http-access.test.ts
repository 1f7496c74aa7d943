/**
 * The plain HTTP server's doors (issue 13 cases 4 and 8): CORS for the page's own origin,
 * localhost and configured origins only; the /mock control APIs only for those and only on a
 * loopback or configured Host (DNS rebinding); secretKeys only when asked; a 20 MB body gets a
 * 413 with the error envelope and a clean close. A real server on 127.0.0.1, port 0.
 */
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { DEMO_SECRET_KEY } from '../../mock-server/config/seed.js';
import { HIDDEN_SECRET_KEY } from '../../mock-server/handlers/secret-keys.js';
import { exposureWarning } from '../../mock-server/http/access.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { usePlainMockServer } from './plain-server.js';

const { cc, port, base } = usePlainMockServer({ clock: new Clock('manual', Date.parse('2026-11-25T03:00:00Z')), allowedOrigins: ['https://shop.example.com'], allowedHosts: ['qa.internal:8787'] });

/** A raw request, so Host and Origin can be anything (fetch forbids setting them). */
function raw(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string; closedCleanly: boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: port(),
        method,
        path,
        headers: { host: `127.0.0.1:${port()}`, ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        const done = (closedCleanly: boolean) => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString(), closedCleanly });
        // With "connection: close" wait for the socket to close, and tell whether it closed without an error.
        const ended = new Promise<void>((r) => res.on('end', () => r()));
        const closed = res.headers.connection === 'close' ? new Promise<boolean>((r) => res.socket.once('close', (hadError: boolean) => r(!hadError))) : Promise.resolve(true);
        void Promise.all([ended, closed]).then(([, clean]) => done(clean));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

describe('case 4: CORS of the channel API', () => {
  const config = '/apiaccess/ccmessaging/queryChannelConfig?channelId=demo';

  it('allows the page\'s own origin, localhost ones and configured ones; never "*"', async () => {
    for (const origin of [`http://127.0.0.1:${port()}`, 'http://localhost:5173', 'http://[::1]:8080', 'https://shop.example.com']) {
      const r = await raw('GET', config, { origin });
      expect(r.status).toBe(200);
      expect(r.headers['access-control-allow-origin']).toBe(origin);
      expect(r.headers.vary).toContain('Origin');
    }
    const pre = await raw('OPTIONS', '/apiaccess/ccmessaging/send', { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-headers']).toContain('ccmessaging-token');
  });

  it('gives other origins no CORS headers, and refuses their preflights', async () => {
    const r = await raw('GET', config, { origin: 'https://evil.example' });
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await raw('OPTIONS', '/apiaccess/ccmessaging/send', { origin: 'https://evil.example', 'access-control-request-method': 'POST' });
    expect(pre.status).toBe(403);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('case 4: the /mock control APIs', () => {
  it('refuse another origin, also for a simple POST that would reset the tenant', async () => {
    for (const [method, path] of [
      ['GET', '/mock/admin/channels/signed'],
      ['POST', '/mock/reset'],
      ['POST', '/mock/sign'],
      ['PUT', '/mock/faults'],
    ] as const) {
      const r = await raw(method, path, { origin: 'https://evil.example', 'content-type': 'text/plain' }, method === 'GET' ? undefined : '{}');
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(JSON.parse(r.body)).toMatchObject({ errorCode: 'mock.forbidden' });
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('refuse a foreign Host header (DNS rebinding), answer loopback and configured hosts', async () => {
    const rebound = await raw('GET', '/mock/clock', { host: `attacker.example:${port()}`, origin: `http://attacker.example:${port()}` });
    expect(rebound.status).toBe(403);
    expect((await raw('GET', '/mock/clock', { host: `evil.example:${port()}` })).status).toBe(403);
    expect((await raw('GET', '/mock/clock', { host: `localhost:${port()}` })).status).toBe(200);
    expect((await raw('GET', '/mock/clock', { host: 'qa.internal:8787' })).status).toBe(200);
    expect((await raw('GET', '/mock/clock', { origin: 'http://localhost:5173' })).status).toBe(200);
  });

  it('never return a secretKey unless asked with ?include=secretKey; an echoed hidden key is kept', async () => {
    const one = JSON.parse((await raw('GET', '/mock/admin/channels/signed')).body);
    expect(one.item.secretKey).toBe(HIDDEN_SECRET_KEY);
    const tenant = (await raw('GET', '/mock/admin/tenant')).body;
    expect(tenant).not.toContain(DEMO_SECRET_KEY);
    const list = (await raw('GET', '/mock/admin/channels')).body;
    expect(list).not.toContain(DEMO_SECRET_KEY);
    expect(JSON.parse(list).items.find((c: { id: string }) => c.id === 'demo').secretKey).toBeNull();
    const asked = JSON.parse((await raw('GET', '/mock/admin/channels/signed?include=secretKey')).body);
    expect(asked.item.secretKey).toBe(DEMO_SECRET_KEY);
    // A form that loaded the channel and saves it back keeps the key; so does a whole-tenant PUT.
    const patched = await raw('PATCH', '/mock/admin/channels/signed', {}, JSON.stringify({ ...one.item, transferKeywords: ['agent', 'human'] }));
    expect(patched.status).toBe(200);
    expect(JSON.parse(patched.body).item.secretKey).toBe(HIDDEN_SECRET_KEY);
    expect(cc.store.current.channels.find((c) => c.id === 'signed')!.secretKey).toBe(DEMO_SECRET_KEY);
    const put = await raw('PUT', '/mock/admin/tenant', {}, JSON.stringify(JSON.parse(tenant).item));
    expect(put.status).toBe(200);
    expect(cc.store.current.channels.find((c) => c.id === 'signed')!.secretKey).toBe(DEMO_SECRET_KEY);
  });

  it('--host 0.0.0.0 prints a warning; a loopback host does not', () => {
    expect(exposureWarning('0.0.0.0')).toMatch(/^WARNING: --host 0\.0\.0\.0 makes the mock reachable from other machines/);
    expect(exposureWarning('127.0.0.1')).toBeNull();
    expect(exposureWarning('localhost')).toBeNull();
  });
});

describe('case 8: a 20 MB body', () => {
  it('gets 413 with the error envelope, and the connection closes cleanly', async () => {
    const big = JSON.stringify({ content: 'x'.repeat(20 * 1024 * 1024) });
    const r = await raw('POST', '/apiaccess/ccmessaging/send', {}, big);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ errorCode: 'request.tooLarge', exceptionInfo: expect.stringContaining('16 MiB') });
    expect(r.headers.connection).toBe('close');
    expect(r.closedCleanly).toBe(true);
  });

  it('through fetch as well: a readable 413, then the server still answers', async () => {
    const res = await fetch(`${base()}/mock/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'y'.repeat(20 * 1024 * 1024) }) });
    expect(res.status).toBe(413);
    expect((await res.json()).errorCode).toBe('request.tooLarge');
    expect((await fetch(`${base()}/mock/clock`)).status).toBe(200);
  });
});
