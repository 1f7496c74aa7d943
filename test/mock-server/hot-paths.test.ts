/**
 * The mock's per-request hot paths keep their meaning while they do less: the router's
 * synchronous answers and its MSW resolver info (cookies, requestId, finalize), a long poll that
 * makes its AbortController only when it waits (and still ends when its client leaves), faults
 * that decide nothing when none is set, the body shape check naming nested fields, and the
 * agent's READ of the customer posted once per new customer message.
 */
import { http, HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import { PlainRequest } from '../../mock-server/handlers/plain.js';
import { readJson } from '../../mock-server/handlers/http-util.js';
import { createRouter } from '../../mock-server/http/router.js';
import { Clock, Waiters } from '../../mock-server/runtime/clock.js';
import { ContactCenter } from '../../mock-server/runtime/contact-center.js';
import { Faults } from '../../mock-server/runtime/faults.js';

const T0 = Date.parse('2026-11-25T02:00:00Z'); // a Wednesday, 10:00 in Shanghai: work hours
const get = (path: string, headers: Record<string, string> = {}) => new PlainRequest(`http://127.0.0.1${path}`, 'GET', headers, undefined);

describe('the router', () => {
  it('answers a synchronous resolver without a promise turn and falls through a synchronous undefined', async () => {
    const seen: string[] = [];
    const route = createRouter([
      http.all(/.*/, () => {
        seen.push('all');
        return undefined;
      }),
      http.get('*/a', () => HttpResponse.json({ a: 1 })),
    ]);
    const res = (await route(get('/a'))) as Response;
    expect(seen).toEqual(['all']);
    expect(await res.json()).toEqual({ a: 1 });
  });

  it('gives resolvers cookies, a requestId and a finalize that works destructured; cleanups run (latest first) before the answer', async () => {
    const order: string[] = [];
    let info: { cookies: Record<string, string>; requestId: string } | undefined;
    const route = createRouter([
      http.get('*/sync', ({ cookies, requestId, finalize }) => {
        info = { cookies, requestId };
        finalize(() => void order.push('first'));
        finalize(() => void order.push('second'));
        return HttpResponse.json({ ok: true });
      }),
      http.get('*/async', async ({ finalize }) => {
        finalize(async () => void order.push('async cleanup'));
        await Promise.resolve();
        order.push('async answer');
        return HttpResponse.json({ ok: true });
      }),
    ]);
    const res = (await route(get('/sync', { cookie: 'a=1; b=two' }))) as Response;
    expect(res.status).toBe(200);
    expect(order).toEqual(['second', 'first']);
    expect(info?.cookies).toEqual({ a: '1', b: 'two' });
    expect(info?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    order.length = 0;
    await route(get('/async'));
    expect(order).toEqual(['async answer', 'async cleanup']);
  });

  it('answers with a Response thrown synchronously or asynchronously, and rejects anything else thrown (after the cleanups)', async () => {
    const cleaned = vi.fn();
    const route = createRouter([
      http.get('*/throw-sync', () => {
        throw HttpResponse.json({ thrown: 'sync' }, { status: 418 });
      }),
      http.get('*/throw-async', async () => {
        await Promise.resolve();
        throw HttpResponse.json({ thrown: 'async' }, { status: 418 });
      }),
      http.get('*/fail', ({ finalize }) => {
        finalize(cleaned);
        throw new Error('boom');
      }),
      http.get('*/not-a-response', () => 42 as unknown as Response),
    ]);
    expect(((await route(get('/throw-sync'))) as Response).status).toBe(418);
    expect(await ((await route(get('/throw-async'))) as Response).json()).toEqual({ thrown: 'async' });
    await expect(route(get('/fail'))).rejects.toThrow('boom');
    expect(cleaned).toHaveBeenCalledOnce();
    await expect(route(get('/not-a-response'))).rejects.toThrow(/something other than a Response/);
  });
});

describe('long polls and their abort signal', () => {
  it('a plain request watches its client only once its signal is read, and at most once', () => {
    const watch = vi.fn();
    const r = new PlainRequest('http://x/', 'GET', {}, undefined, watch);
    expect(watch).not.toHaveBeenCalled();
    const signal = r.signal;
    expect(watch).toHaveBeenCalledOnce();
    expect(r.signal).toBe(signal);
    expect(r.clone().signal).toBe(signal);
    expect(watch).toHaveBeenCalledOnce();
    // The server calls the abort it was handed when the client leaves (or has left already).
    watch.mock.calls[0]![0]();
    expect(signal.aborted).toBe(true);
  });

  it('a client already gone when the signal is first read aborts it at once', () => {
    const r = new PlainRequest('http://x/', 'GET', {}, undefined, (abort) => abort());
    expect(r.signal.aborted).toBe(true);
  });

  it('a wait reads a lazy signal only when it really waits, and ends when it aborts', async () => {
    const clock = new Clock('manual', T0);
    const waiters = new Waiters(clock);
    const lazy = vi.fn(() => controller.signal);
    const controller = new AbortController();
    await waiters.wait(0, lazy);
    expect(lazy).not.toHaveBeenCalled();
    const waiting = waiters.wait(25_000, lazy);
    expect(lazy).toHaveBeenCalledOnce();
    expect(clock.pendingTimers()).toBe(1);
    controller.abort();
    await waiting;
    expect(clock.pendingTimers()).toBe(0);
  });

  it('a poll with news answers without reading the signal; one without news waits and is released by it', async () => {
    const cc = new ContactCenter({ clock: new Clock('manual', T0) });
    const { token } = await cc.applyToken({ channelId: 'demo', userId: 'u1' }, null);
    const id = cc.authenticate(token);
    cc.send(id, { channel: 'WEB', controlType: 'CONNECT', mediaType: 'TEXT', content: '', from: 'u1', to: 'demo', senderNickname: '', sourceType: 'CUSTOMER', timestamp: T0, clientMessageId: 'c1' });
    const unread = vi.fn(() => undefined);
    const first = await cc.poll(id, 'u1', 0, 25, unread);
    expect(first.downlinkMessages.length).toBeGreaterThan(0);
    expect(unread).not.toHaveBeenCalled();
    const controller = new AbortController();
    const pending = cc.poll(id, 'u1', first.cursor, 25, () => controller.signal);
    controller.abort();
    expect((await pending).downlinkMessages).toEqual([]);
    cc.clock.clear();
  });
});

describe('faults', () => {
  it('with nothing set decide draws no random number; once set, they apply', () => {
    const random = vi.fn(() => 0);
    const faults = new Faults(random);
    expect(faults.decide('send')).toEqual({ delayMs: 0, drop: 'none', error: false });
    expect(random).not.toHaveBeenCalled();
    faults.set({ errorRate: 1 }, 'send');
    expect(faults.decide('send').error).toBe(true);
    expect(faults.decide('poll').error).toBe(false);
    faults.reset();
    faults.set({ latencyMs: 5 });
    expect(faults.decide('poll').delayMs).toBe(5);
  });
});

describe('the body shape check', () => {
  const body = (text: string) => readJson(new PlainRequest('http://x/', 'POST', {}, new TextEncoder().encode(text)));

  it('names a forbidden key with its whole path, in objects within lists', async () => {
    await expect(body('{"a":"x","b":[{"c":1},{"constructor":2}]}')).rejects.toMatchObject({ field: 'b[1].constructor', errorCode: 'request.forbiddenKey' });
    await expect(body('{"a":{"b":{"__proto__":{}}}}')).rejects.toMatchObject({ field: 'a.b.__proto__' });
  });

  it('refuses nesting past the limit and accepts a flat body of strings', async () => {
    await expect(body(`{"a":${'['.repeat(40)}${']'.repeat(40)}}`)).rejects.toMatchObject({ errorCode: 'request.tooDeep' });
    expect(await body('{"a":"x","b":"constructor","c":null}')).toEqual({ a: 'x', b: 'constructor', c: null });
  });
});

describe("the agent's READ of the customer", () => {
  it('is posted once per new customer message, whatever the agent reads in between', async () => {
    const cc = new ContactCenter({ clock: new Clock('manual', T0) });
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const { token } = await cc.applyToken({ channelId: 'demo', userId: 'u1' }, null);
    const id = cc.authenticate(token);
    let n = 0;
    const send = (controlType: 'CONNECT' | 'CHAT', content = '') =>
      cc.send(id, { channel: 'WEB', controlType, mediaType: 'TEXT', content, from: 'u1', to: 'demo', senderNickname: '', sourceType: 'CUSTOMER', timestamp: T0, clientMessageId: `c${++n}` });
    send('CONNECT');
    send('CHAT', 'agent');
    cc.desk.accept('alice');
    const reads = () =>
      cc
        .findStream('demo', 'u1')!
        .messages.filter((m) => m.sourceType === 'AGENT' && m.controlType === 'READ')
        .map((m) => m.data?.readSeq);
    send('CHAT', 'one');
    const one = cc.findStream('demo', 'u1')!.lastSeq;
    cc.desk.snapshot('alice', { markRead: true });
    cc.desk.snapshot('alice', { markRead: true });
    cc.desk.send('alice', 'hello');
    expect(reads()).toEqual([one]);
    send('CHAT', 'two');
    const two = cc.findStream('demo', 'u1')!.lastSeq;
    cc.desk.send('alice', 'hi again');
    cc.desk.snapshot('alice', { markRead: true });
    expect(reads()).toEqual([one, two]);
    cc.clock.clear();
  });
});
