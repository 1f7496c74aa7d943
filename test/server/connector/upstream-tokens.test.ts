/**
 * The upstream client's local copies of the shared tokens: a poll round does not read them from
 * the store again, and an instance whose copy another instance replaced recovers from the store
 * on the CEC's 401 without renewing the token a second time.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../widget/server/connector/config.js';
import { MemoryStore } from '../../../widget/server/connector/memory-store.js';
import { CecUpstream, type CustomerRef } from '../../../widget/server/connector/upstream.js';

const BASE = 'http://cec.test';
const customer: CustomerRef = { customerId: 'demo:u1', channelId: 'demo', userId: 'u1', userName: 'Wang', locale: 'en' };

/** A CEC whose applyToken gives a new ccmessaging token and invalidates the previous one. */
function cec() {
  let current = '';
  let issued = 0;
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = new URL(String(input)).pathname;
    calls.push(path.replace(/^.*\//, ''));
    const json = (b: unknown, status = 200) => new Response(JSON.stringify(b), { status, headers: { 'content-type': 'application/json' } });
    if (path.endsWith('/tokenByAkSk')) return json({ AccessToken: 'access-1', expiresIn: 3600 });
    if (path.endsWith('/applyToken')) return json({ resultCode: '0', token: (current = `cm-${++issued}`) });
    const token = new Headers(init?.headers).get('ccmessaging-token');
    return token === current ? json({ resultCode: '0', downlinkMessages: [] }) : json({ resultCode: '401' }, 401);
  }) as typeof globalThis.fetch;
  return { fetch, calls, applied: () => issued };
}

function upstream(store: MemoryStore, fetch: typeof globalThis.fetch) {
  const cfg = parseConfig({ upstream: { baseUrl: BASE, attempts: 1 }, channels: [{ channelId: 'demo' }] }).upstream;
  return new CecUpstream(cfg, { appKey: 'k', appSecret: 's' }, store, {
    fetch,
    now: () => Date.now(),
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
    random: () => 0,
    log: () => {},
  });
}

const poll = (u: CecUpstream) => u.call('poll', '/poll', { method: 'GET', query: { receiverId: 'u1', channel: 'WEB' }, customer, idempotent: true });

describe('upstream tokens: local copies', () => {
  it('repeated calls for a customer read neither token from the store again', async () => {
    const store = new MemoryStore();
    const reads: string[] = [];
    const getToken = store.getToken.bind(store);
    store.getToken = (name: string) => (reads.push(name), getToken(name));
    const c = cec();
    const u = upstream(store, c.fetch);
    await poll(u);
    const afterFirst = reads.length;
    for (let i = 0; i < 5; i++) await poll(u);
    expect(reads.length).toBe(afterFirst);
    expect(c.applied()).toBe(1);
  });

  it('a copy replaced by another instance: the 401 sends it to the store, and the token is not renewed twice', async () => {
    const store = new MemoryStore();
    const c = cec();
    const a = upstream(store, c.fetch);
    const b = upstream(store, c.fetch);
    await poll(a); // a applies for cm-1 and keeps a copy
    await b.customerToken(customer, true); // b renews it: cm-2 in the store, cm-1 refused from now on
    await expect(poll(a)).resolves.toMatchObject({ resultCode: '0' }); // a: 401 with cm-1, then cm-2 from the store
    await expect(poll(b)).resolves.toMatchObject({ resultCode: '0' });
    expect(c.applied()).toBe(2);
    expect(await store.getToken('cec:cm:demo:u1')).toBe('cm-2');
  });
});
