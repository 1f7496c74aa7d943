/**
 * The plain HTTP server's direct router answers as MSW does: one table of requests — every
 * route family of both faces (`/apiaccess`, `/cec`), the `/mock` controls, fall-through
 * handlers, bad input, unknown routes and wrong methods — runs through MSW's own resolution
 * (`getResponse`, what msw/node and the browser worker run) and through the plain Node server
 * over a real socket, each against a contact center of its own on the same manual clock; the
 * statuses, content types and bodies must be equal (random tokens and keys aside).
 */
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse, type HttpHandler } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_CEC_APP_KEY, SEED_CEC_APP_SECRET } from '../../mock-server/config/seed.js';
import { createHandlers } from '../../mock-server/handlers/index.js';
import { createMockHttpServer } from '../../mock-server/http/server.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { ContactCenter } from '../../mock-server/runtime/contact-center.js';

const T0 = Date.parse('2026-11-25T02:00:00Z'); // a Wednesday, 10:00 in Shanghai: work hours

interface Answer {
  status: number | 'no route';
  type: string | null;
  /** A JSON answer's content-length (the plain server writes the handlers' own), and whether a refreshed session token came in the header. */
  headers: { length: string | null; token: boolean };
  /** Normalized: what the two sides must agree on. */
  body: unknown;
}
/** An answer, with the body as parsed (its tokens are needed for the next requests of the same side). */
type Reply = Answer & { raw: unknown };
type Send = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Reply>;

/** Strings that differ between two runs by design (tokens, keys, nonces, generated ids) become '<random>'. */
function normalize(v: unknown): unknown {
  if (typeof v === 'string') return /^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9_.+/=-]{16,}$/.test(v) || /^[0-9a-f]{8}-[0-9a-f]{4}-/.test(v) ? '<random>' : v;
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, /token|resumeKey|nonce/i.test(k) && typeof x === 'string' ? '<random>' : normalize(x)]));
  return v;
}

async function answerOf(res: Response | undefined): Promise<Reply> {
  if (!res) return { status: 'no route', type: null, headers: { length: null, token: false }, body: null, raw: null };
  const text = await res.text();
  const type = res.headers.get('content-type');
  const raw: unknown = type?.includes('json') && text ? JSON.parse(text) : text;
  const headers = { length: type?.includes('json') ? res.headers.get('content-length') : null, token: res.headers.has('ccmessaging-token') };
  return { status: res.status, type, headers, body: normalize(raw), raw };
}

function init(method: string, body: unknown, headers: Record<string, string>): RequestInit {
  const raw = typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body);
  return { method, headers: raw === undefined ? headers : { 'content-type': 'application/json', ...headers }, body: raw };
}

/**
 * The table: one conversation on each face, every control family, and the requests that must
 * fail the same way. Each side threads its own tokens through.
 */
async function script(send: Send): Promise<Array<[string, Answer]>> {
  const out: Array<[string, Answer]> = [];
  const at = async (label: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const { raw, ...a } = await send(method, path, body, headers);
    out.push([`${label}: ${method} ${path.replace(/[0-9a-f]{32}/g, '<random>')}`, a]);
    return raw as Record<string, unknown> | null;
  };
  const API = '/apiaccess/ccmessaging';

  // The channel API (the mock's own face).
  await at('channel config', 'GET', `${API}/queryChannelConfig?channelId=demo`);
  await at('channel config, no id', 'GET', `${API}/queryChannelConfig`);
  const applied = await at('applyToken', 'POST', `${API}/applyToken`, { channelId: 'demo', userId: 'r-1', userName: 'Router One', locale: 'en' });
  await at('applyToken, bad field', 'POST', `${API}/applyToken`, { channelId: 'demo', userId: 42 });
  await at('applyToken, not JSON', 'POST', `${API}/applyToken`, '{nope');
  await at('applyToken, __proto__', 'POST', `${API}/applyToken`, '{"channelId":"demo","__proto__":{"x":1}}');
  // The tokens differ between the sides: each side reads its own from its own answer.
  const h = { 'ccmessaging-token': String(applied?.token) };
  const msg = (controlType: string, content = '', n = 0) => ({
    channel: 'WEB',
    controlType,
    mediaType: 'TEXT',
    content,
    from: 'r-1',
    to: 'demo',
    senderNickname: 'Router One',
    sourceType: 'CUSTOMER',
    timestamp: T0,
    clientMessageId: `r-1-${controlType}-${n}`,
  });
  await at('send without token', 'POST', `${API}/send`, msg('CONNECT'));
  await at('send CONNECT', 'POST', `${API}/send`, msg('CONNECT'), h);
  await at('send CHAT', 'POST', `${API}/send`, msg('CHAT', 'What are your opening hours?', 1), h);
  await at('send, bad controlType', 'POST', `${API}/send`, msg('SHOUT'), h);
  await at('poll', 'GET', `${API}/poll?receiverId=r-1&channel=WEB&cursor=0&wait=0`, undefined, h);
  await at('poll, bad cursor', 'GET', `${API}/poll?receiverId=r-1&channel=WEB&cursor=-1`, undefined, h);
  await at('poll, wrong method', 'POST', `${API}/poll`, {}, h);
  await at('send, wrong method', 'PUT', `${API}/send`, msg('CHAT', 'x', 2), h);
  await at('history', 'POST', `${API}/queryHistoryChatMessage`, { channel: 'WEB' }, h);
  await at('history, a page', 'POST', `${API}/queryHistoryChatMessage`, { limit: 1 }, h);
  await at('history, the page before', 'POST', `${API}/queryHistoryChatMessage`, { limit: 1, beforeSeq: 2 }, h);
  await at('history, bad limit', 'POST', `${API}/queryHistoryChatMessage`, { limit: 500 }, h);
  await at('unknown channel call', 'POST', `${API}/nope`, {}, h);
  await at('send CHAT agent', 'POST', `${API}/send`, msg('CHAT', 'agent', 3), h);
  // Bodies as bytes: non-ASCII text, a UTF-8 byte-order mark (Fetch's text() drops it), an upload and its file.
  await at('send CHAT, non-ASCII', 'POST', `${API}/send`, msg('CHAT', 'Grüße ✓ 你好 🙂', 4), h);
  await at('send CHAT, with a byte-order mark', 'POST', `${API}/send`, `\uFEFF${JSON.stringify(msg('CHAT', 'bom', 5))}`, h);
  await at('send, empty body', 'POST', `${API}/send`, '', h);
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]).toString('base64');
  const uploaded = await at('upload', 'POST', `${API}/uploadFileStream`, { fileType: 'image/png', fileName: 'receipt.png', fileStream: png, channel: 'WEB' }, h);
  await at('the uploaded file', 'GET', `${API}/file/${String(uploaded?.objectKey)}`);
  // Faults: an injected error, then off again.
  await at('fault on', 'PUT', '/mock/faults', { route: 'queryQueueInfo', errorRate: 1 });
  await at('queue info, injected error', 'POST', `${API}/queryQueueInfo`, {}, h);
  await at('fault off', 'PUT', '/mock/faults', { route: 'queryQueueInfo', errorRate: 0 });
  await at('queue info', 'POST', `${API}/queryQueueInfo`, {}, h);
  // Near the token's expiry: the answer carries the refreshed token in its header.
  await at('clock advance near token expiry', 'POST', '/mock/clock/advance', { ms: 55 * 60_000 });
  await at('poll with a token about to expire', 'GET', `${API}/poll?receiverId=r-1&channel=WEB&cursor=0&wait=0`, undefined, h);

  // The real CEC face under /cec.
  const gwToken = await at('tokenByAkSk', 'POST', '/cec/apigovernance/api/oauth/tokenByAkSk', { app_key: SEED_CEC_APP_KEY, app_secret: SEED_CEC_APP_SECRET });
  await at('tokenByAkSk, wrong secret', 'POST', '/cec/apigovernance/api/oauth/tokenByAkSk', { app_key: SEED_CEC_APP_KEY, app_secret: 'wrong' });
  const gw = { 'x-app-key': SEED_CEC_APP_KEY, authorization: `Bearer ${String(gwToken?.AccessToken)}` };
  await at('cec applyToken, no gateway token', 'POST', '/cec/apiaccess/ccmessaging/applyToken', { userId: 'c-1', userName: 'Cec One', channelId: 'demo', locale: 'en' });
  const cecApplied = await at('cec applyToken', 'POST', '/cec/apiaccess/ccmessaging/applyToken', { userId: 'c-1', userName: 'Cec One', channelId: 'demo', locale: 'en' }, gw);
  const ch = { ...gw, 'ccmessaging-token': String(cecApplied?.token) };
  await at(
    'cec send CONNECT',
    'POST',
    '/cec/apiaccess/ccmessaging/send',
    { channel: 'WEB', controlType: 'CONNECT', mediaType: 'TEXT', content: '', from: 'c-1', to: 'demo', sourceType: 'CUSTOMER' },
    ch,
  );
  await at('cec poll', 'GET', '/cec/apiaccess/ccmessaging/poll?receiverId=c-1&channel=WEB', undefined, ch);
  await at('cec unknown call', 'POST', '/cec/apiaccess/ccmessaging/nope', {}, ch);
  await at('cec poll, wrong method', 'DELETE', '/cec/apiaccess/ccmessaging/poll', undefined, ch);

  // The /mock controls: clock, faults, admin (secretKeys hidden), agents, sessions, reset.
  await at('clock', 'GET', '/mock/clock');
  await at('clock, upper case', 'GET', '/MOCK/Clock');
  await at('clock, trailing slash', 'GET', '/mock/clock/');
  await at('clock, two trailing slashes', 'GET', '/mock/clock//');
  await at('clock, percent-encoded letter', 'GET', '/mock/clo%63k');
  await at('clock, longer path', 'GET', '/mock/clockwork');
  await at('channel config, other case and a trailing slash', 'GET', `/APIACCESS/CCMessaging/queryChannelConfig/?channelId=demo`);
  await at('clock, wrong method', 'DELETE', '/mock/clock');
  await at('faults', 'GET', '/mock/faults');
  await at('faults, __proto__ route', 'PUT', '/mock/faults', { route: '__proto__' });
  await at('channels', 'GET', '/mock/admin/channels');
  await at('signed channel', 'GET', '/mock/admin/channels/signed');
  await at('signed channel with its secretKey', 'GET', '/mock/admin/channels/signed?include=secretKey');
  // A form that saves the hidden key back: the channel keeps its own (the plain server hands this one on to MSW).
  await at('signed channel saved with the hidden key', 'PATCH', '/mock/admin/channels/signed', { secretKey: '(hidden)', defaultLocale: 'fr' });
  await at('signed channel, key kept', 'GET', '/mock/admin/channels/signed?include=secretKey');
  await at('admin write, not JSON', 'PATCH', '/mock/admin/channels/signed', '{nope');
  await at('unknown channel', 'GET', '/mock/admin/channels/nope');
  await at('channel, percent-encoded key', 'GET', '/mock/admin/channels/sign%65d');
  await at('agent, key in capitals', 'GET', '/mock/agents/ALICE');
  await at('queues', 'GET', '/mock/admin/skill-queues');
  await at('agent sign-in', 'POST', '/mock/agents/alice/sign-in');
  await at('agent ready', 'POST', '/mock/agents/alice/ready');
  await at('agent accept', 'POST', '/mock/agents/alice/accept', {});
  await at('agent send', 'POST', '/mock/agents/alice/send', { content: 'Hello from Alice' });
  await at('agent send, empty', 'POST', '/mock/agents/alice/send', { content: '' });
  await at('agent view', 'GET', '/mock/agents/alice');
  await at('unknown agent', 'POST', '/mock/agents/nobody/sign-in');
  await at('agent call state', 'GET', '/mock/agents/alice/call');
  await at('sessions', 'GET', '/mock/sessions');
  await at('left messages', 'GET', '/mock/left-messages');
  await at('cec config', 'GET', '/mock/cec/config');
  await at('undecodable path', 'GET', '/mock/agents/%E0%A4%A');
  await at('unknown control', 'GET', '/mock/nope');
  await at('root', 'GET', '/');
  await at('reset (falls through the face to the control handler)', 'POST', '/mock/reset');
  await at('clock after reset', 'GET', '/mock/clock');
  return out;
}

describe('the direct router of the plain HTTP server', () => {
  const { server, cc: httpCc } = createMockHttpServer({ clock: new Clock('manual', T0) });
  const mswCc = new ContactCenter({ clock: new Clock('manual', T0) });
  mswCc.desk.startAutoAgents();
  let handlers: HttpHandler[];
  let base = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    handlers = createHandlers(mswCc, { servedBy: 'node' });
  });
  afterAll(async () => {
    httpCc.clock.clear();
    mswCc.clock.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const viaMsw: Send = async (method, path, body, headers = {}) => answerOf(await getResponse(handlers, new Request(base + path, init(method, body, headers))));
  const viaHttp: Send = async (method, path, body, headers = {}) => {
    const res = await fetch(base + path, { ...init(method, body, headers), signal: AbortSignal.timeout(10_000) });
    const a = await answerOf(res);
    // The server's own answer when no handler matched.
    return a.status === 404 && (a.body as { errorCode?: string } | null)?.errorCode === 'mock.notFound'
      ? { status: 'no route', type: null, headers: { length: null, token: false }, body: null, raw: null }
      : a;
  };

  it('answers every request of the table as MSW does', async () => {
    const expected = await script(viaMsw);
    const actual = await script(viaHttp);
    expect(actual.map(([label]) => label)).toEqual(expected.map(([label]) => label));
    for (let i = 0; i < expected.length; i++) expect({ request: actual[i]![0], ...actual[i]![1] }).toEqual({ request: expected[i]![0], ...expected[i]![1] });
    // The table is not vacuous: it has successes, refusals and unknown routes.
    const statuses = new Set(expected.map(([, a]) => a.status));
    for (const s of [200, 400, 401, 'no route'] as const) expect(statuses).toContain(s);
    // And the rows that exercise the plain server's own request and answer objects do what they say.
    const row = (label: string) => expected.find(([l]) => l.startsWith(`${label}:`))![1];
    expect(row('poll with a token about to expire').headers.token).toBe(true);
    expect(row('queue info, injected error').status).toBe(503);
    expect(row('the uploaded file')).toMatchObject({ status: 200, type: 'image/png' });
    expect(row('send CHAT, with a byte-order mark').status).toBe(200);
    expect(row('signed channel saved with the hidden key').status).toBe(200);
    expect(row('send CHAT, non-ASCII').headers.length).toMatch(/^\d+$/);
  });

  it('serves a `*` handler path only at that path: a prefixed alias is no route (MSW would match it)', async () => {
    expect((await viaHttp('GET', '/x/mock/clock')).status).toBe('no route');
    expect((await viaHttp('GET', '/cec/mock/clock')).status).toBe('no route');
    expect((await viaMsw('GET', '/x/mock/clock')).status).toBe(200);
  });

  it('answers while another library has replaced the global Response class (as @hono/node-server does)', async () => {
    const original = globalThis.Response;
    globalThis.Response = class Replaced extends original {} as typeof Response;
    try {
      const res = await viaHttp('GET', '/mock/clock');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ resultCode: '0', mode: 'manual' });
    } finally {
      globalThis.Response = original;
    }
  });

  it('applies the control APIs’ Host rule whatever the case of the path', async () => {
    // A DNS-rebinding page's requests carry its own host name (fetch may not set Host: node:http does).
    const get = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(base + path, { headers: { host: 'evil.example' }, timeout: 10_000 }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
        req.on('error', reject);
        req.end();
      });
    for (const path of ['/mock/admin/channels/signed', '/MOCK/admin/channels/signed', '/Mock/clock']) {
      const res = await get(path);
      expect(res.status, path).toBe(403);
      expect(JSON.parse(res.body).errorCode).toBe('mock.forbidden');
    }
  });
});
