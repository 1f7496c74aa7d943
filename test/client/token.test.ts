/**
 * The token lifecycle of the channel client against the mock (msw/node): the integrator's
 * signature function is called for the first token, again before expiry and again after a 401;
 * a rotated token from the response header replaces the old one; the token never goes in a URL.
 */
import { describe, expect, it, vi } from 'vitest';
import { ChannelClient } from '../../widget/client/channel-client.js';
import { signChannelToken } from '../../widget/server/sign.js';
import { DEMO_SECRET_KEY } from '../../mock-server/config/seed.js';
import { useNodeMock } from '../node-mock.js';
import { manualClock } from './helpers.js';

const { clock } = useNodeMock({ at: Date.parse('2026-11-25T05:00:00Z') });

function client(userId: string) {
  const calls = { sign: 0 };
  const seen: Array<{ url: string; token: string | null }> = [];
  const c = new ChannelClient({
    baseUrl: 'http://mock.test',
    channelId: 'signed',
    userId,
    clock: { now: () => clock.now() },
    authorization: () => {
      calls.sign++;
      return signChannelToken({ secretKey: DEMO_SECRET_KEY, channelId: 'signed', userId, now: Date.now() }); // the integrator's server signs on real time
    },
    fetch: (input, init) => {
      seen.push({ url: String(input), token: new Headers(init?.headers).get('ccmessaging-token') });
      return fetch(input, init);
    },
  });
  return { c, calls, seen };
}

describe('token lifecycle', () => {
  it('asks the integrator for a signature once, and again shortly before the token expires', async () => {
    const { c, calls } = client('tok-1');
    await c.queueInfo();
    await c.queueInfo();
    expect(calls.sign).toBe(1);
    clock.advance(3560_000); // 40 s left: inside the refresh margin
    await c.queueInfo();
    expect(calls.sign).toBe(2);
  });

  it('after a 401 it gets a new token and repeats the call once', async () => {
    const { c, calls, seen } = client('tok-2');
    await c.queueInfo();
    const first = seen.at(-1)!.token;
    // biome-ignore lint/complexity/useLiteralKeys: the test sets a private field, which only brackets reach.
    c['expiresAt'] = Number.MAX_SAFE_INTEGER; // the client believes its token is good…
    clock.advance(3700_000); // …but the server says it expired
    const info = await c.queueInfo();
    expect(info.resultCode).toBe('5');
    expect(calls.sign).toBe(2);
    expect(seen.at(-1)!.token).not.toBe(first);
  });

  it('switches to a rotated token from the ccmessaging-token response header', async () => {
    const { c, seen } = client('tok-3');
    await c.queueInfo();
    const original = seen.at(-1)!.token;
    clock.advance(3100_000); // < 10 minutes left: the server rotates
    await c.queueInfo();
    await c.queueInfo();
    expect(seen.at(-1)!.token).not.toBe(original);
    expect(seen.every((s) => !s.url.includes(s.token ?? '\u0000'))).toBe(true);
  });
});

describe('the integrator’s signature function', () => {
  it('that never answers is given up after the request time limit (a timeout), and the next call asks it again', async () => {
    const timers = manualClock();
    let asked = 0;
    const c = new ChannelClient({
      baseUrl: 'http://mock.test',
      channelId: 'signed',
      userId: 'tok-hang',
      clock: timers,
      requestTimeoutMs: 20_000,
      authorization: () => {
        asked++;
        // The first request to the integrator's server hangs (a dead connection); the next one answers.
        if (asked === 1) return new Promise<string>(() => {});
        return signChannelToken({ secretKey: DEMO_SECRET_KEY, channelId: 'signed', userId: 'tok-hang', now: Date.now() });
      },
    });
    const first = c.queueInfo();
    const outcome = first.then(
      () => 'answered',
      (e: { name?: string; reason?: string }) => `${e.name}:${e.reason}`,
    );
    await vi.waitFor(() => expect(asked).toBe(1));
    expect(timers.pending()).toContain(20_000);
    timers.advance(20_000);
    expect(await outcome).toBe('NetworkError:timeout');
    expect((await c.queueInfo()).resultCode).toBe('5');
    expect(asked).toBe(2);
  });
});
