/**
 * The plain server's request object reads as a Fetch Request does for what the resolvers use
 * (checked against undici's own Request on the same input), and its signal aborts whether the
 * client leaves before or after a resolver first reads it. Over a real socket: a long poll whose
 * client goes away is released on the server (its waiter is gone).
 */
import { request as httpRequest } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import { PlainRequest } from '../../mock-server/handlers/plain.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { usePlainMockServer } from './plain-server.js';

const T0 = Date.parse('2026-11-25T02:00:00Z');
const enc = (s: string) => new TextEncoder().encode(s);

describe('PlainRequest', () => {
  it.each([
    ['plain JSON', enc('{"a":1}')],
    ['non-ASCII', enc('{"a":"Grüße ✓ 你好 🙂"}')],
    ['a byte-order mark', Uint8Array.from([0xef, 0xbb, 0xbf, ...enc('{"a":1}')])],
    ['invalid UTF-8', Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d])],
    ['empty', new Uint8Array(0)],
  ])('reads a body with %s as Request.text() does', async (_, bytes) => {
    const fetchText = await new Request('http://x/', { method: 'POST', body: bytes }).text();
    expect(await new PlainRequest('http://x/', 'POST', {}, bytes).text()).toBe(fetchText);
  });

  it('reads its body once, as Fetch does; a clone reads it again', async () => {
    const r = new PlainRequest('http://x/', 'POST', {}, enc('hi'));
    const copy = r.clone();
    expect(await r.text()).toBe('hi');
    expect(r.bodyUsed).toBe(true);
    await expect(r.text()).rejects.toThrow(TypeError);
    expect(() => r.clone()).toThrow(TypeError);
    expect(await copy.text()).toBe('hi');
    expect(await new PlainRequest('http://x/', 'GET', {}, undefined).text()).toBe('');
  });

  it('gets headers in any case, null when absent, lists joined as Headers does', () => {
    const r = new PlainRequest('http://x/', 'GET', { 'content-type': 'application/json', 'x-list': ['a', 'b'] }, undefined);
    expect(r.headers.get('Content-Type')).toBe('application/json');
    expect(r.headers.get('x-list')).toBe(
      new Headers([
        ['x-list', 'a'],
        ['x-list', 'b'],
      ]).get('x-list'),
    );
    expect(r.headers.get('ccmessaging-token')).toBeNull();
    expect(r.headers.has('CONTENT-TYPE')).toBe(true);
  });

  it('aborts its signal when the client leaves, before or after the signal was first read (clones too)', () => {
    const before = new PlainRequest('http://x/', 'GET', {}, undefined);
    before.abort();
    expect(before.signal.aborted).toBe(true);
    const after = new PlainRequest('http://x/', 'GET', {}, undefined);
    const copy = after.clone();
    const seen = vi.fn();
    after.signal.addEventListener('abort', seen);
    expect(after.signal.aborted).toBe(false);
    after.abort();
    expect(seen).toHaveBeenCalledOnce();
    expect(copy.signal.aborted).toBe(true);
  });

  it('becomes the same Fetch Request when a resolver hands it on to MSW', async () => {
    const r = new PlainRequest('http://x/mock/admin/channels/demo?include=secretKey', 'PATCH', { 'content-type': 'application/json' }, enc('{"a":1}'));
    const f = r.toRequest();
    expect([f.url, f.method, f.headers.get('content-type'), await f.text()]).toEqual([r.url, 'PATCH', 'application/json', '{"a":1}']);
  });
});

describe('the plain server and a client that goes away', () => {
  const { cc, port } = usePlainMockServer({ clock: new Clock('manual', T0) });

  it('releases a long poll on the mock clock when its client disconnects', async () => {
    const before = cc.clock.pendingTimers();
    // An agent's long poll: 25 s on the (manual) mock clock, so only the disconnect can end it.
    const req = httpRequest({ host: '127.0.0.1', port: port(), path: '/mock/agents/alice?version=999999&wait=25', timeout: 10_000 });
    req.on('error', () => {});
    req.end();
    await vi.waitFor(() => expect(cc.clock.pendingTimers()).toBe(before + 1), { timeout: 10_000 });
    req.destroy();
    await vi.waitFor(() => expect(cc.clock.pendingTimers()).toBe(before), { timeout: 10_000 });
  });
});
