/**
 * An upstream answer whose body breaks off (the connection dropped after the head) is no
 * answer: an 'unknown' UpstreamError, never a success with an empty body.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../widget/server/connector/config.js';
import { MemoryStore } from '../../../widget/server/connector/memory-store.js';
import { CecUpstream, type CustomerRef } from '../../../widget/server/connector/upstream.js';

const customer: CustomerRef = { customerId: 'demo:u1', channelId: 'demo', userId: 'u1', userName: 'Wang', locale: 'en' };

/** A CEC that answers tokens, and every other call with a 200 whose body fails on its first read. */
const fetch: typeof globalThis.fetch = (async (input: RequestInfo | URL) => {
  const path = new URL(String(input)).pathname;
  const json = (b: unknown) => new Response(JSON.stringify(b), { headers: { 'content-type': 'application/json' } });
  if (path.endsWith('/tokenByAkSk')) return json({ AccessToken: 'access-1', expiresIn: 3600 });
  if (path.endsWith('/applyToken')) return json({ resultCode: '0', token: 'cm-1' });
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(new TypeError('terminated'));
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
}) as typeof globalThis.fetch;

describe('upstream: an answer cut off after its head', () => {
  it('is an unknown failure logged as a network outcome, not an empty success', async () => {
    const logged: { upstream: string; outcome: string }[] = [];
    const cfg = parseConfig({ upstream: { baseUrl: 'http://cec.test', attempts: 1 }, channels: [{ channelId: 'demo' }] }).upstream;
    const u = new CecUpstream(cfg, { appKey: 'k', appSecret: 's' }, new MemoryStore(), {
      fetch,
      now: () => Date.now(),
      timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
      random: () => 0,
      log: (e) => void logged.push(e as { upstream: string; outcome: string }),
    });
    const call = u.call('poll', '/poll', { method: 'GET', query: { receiverId: 'u1', channel: 'WEB' }, customer, idempotent: true });
    await expect(call).rejects.toMatchObject({ kind: 'unknown', message: expect.stringContaining('cut off') });
    expect(logged.filter((e) => e.upstream === 'poll').map((e) => e.outcome)).toEqual(['network']);
  });
});
