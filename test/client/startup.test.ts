/**
 * Start-up requests in parallel (issue 18): the channel's configuration, the token, the history
 * and CONNECT go out without waiting on one another where the contract allows, and the first
 * poll still asks only for what came after the history.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionRunner } from '../../widget/client/runner.js';
import { useNodeMock } from '../node-mock.js';
import { runnerFor } from './helpers.js';

useNodeMock({ at: Date.parse('2026-11-25T07:00:00Z') });
const runners: SessionRunner[] = [];
afterEach(() => {
  for (const r of runners.splice(0)) r.destroy();
});

/** A fetch that logs `start NAME` and `end NAME` for every request (NAME: the last path part, or CONNECT). */
function loggingFetch() {
  const log: string[] = [];
  const fn: typeof fetch = async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    let name = url.pathname.split('/').pop()!;
    if (name === 'send' && typeof init?.body === 'string' && init.body.includes('"CONNECT"')) name = 'CONNECT';
    log.push(`start ${name}`);
    try {
      return await fetch(input, init);
    } finally {
      log.push(`end ${name}`);
    }
  };
  return { fn, log };
}

describe('start-up requests', () => {
  it('asks for the config with the token, and sends CONNECT with the history; the first poll starts after the history', async () => {
    const userId = `startup-${Date.now()}`;
    const { fn, log } = loggingFetch();
    const r = runnerFor(userId, { pollWaitSeconds: 25, fetch: fn });
    runners.push(r);
    r.start();
    await vi.waitFor(() => expect(r.state.phase).toBe('bot'));
    const at = (entry: string) => {
      const i = log.indexOf(entry);
      expect(i, entry).toBeGreaterThanOrEqual(0);
      return i;
    };
    // Config and token together: each starts before the other ends.
    expect(at('start queryChannelConfig')).toBeLessThan(at('end applyToken'));
    expect(at('start applyToken')).toBeLessThan(at('end queryChannelConfig'));
    // History and CONNECT together, once the token is there.
    expect(at('start queryHistoryChatMessage')).toBeLessThan(at('end CONNECT'));
    expect(at('start CONNECT')).toBeLessThan(at('end queryHistoryChatMessage'));
    // The first poll waits for the history (and the config), so nothing is asked for twice.
    expect(at('start poll')).toBeGreaterThan(at('end queryHistoryChatMessage'));
    expect(at('start poll')).toBeGreaterThan(at('end queryChannelConfig'));
    // The greeting shows once, though CONNECT may have made it before the history was read.
    await vi.waitFor(() => expect(r.state.transcript.filter((m) => m.event === 'bot.greeting')).toHaveLength(1));
  });

  it('a history that fails while the config is still on its way is no unhandled rejection; the start then fails with a sentence', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      let releaseConfig!: () => void;
      const configHeld = new Promise<void>((resolve) => (releaseConfig = resolve));
      let historyCalls = 0;
      const fn: typeof fetch = async (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        if (url.includes('/queryHistoryChatMessage')) {
          historyCalls++;
          return Response.json({ errorCode: 'history.bad', exceptionInfo: 'refused', field: 'cursor' }, { status: 400 });
        }
        if (url.includes('/queryChannelConfig')) await configHeld;
        return fetch(input, init);
      };
      const r = runnerFor(`hist-fail-${Date.now()}`, { userName: 'x', fetch: fn });
      runners.push(r);
      r.start();
      await vi.waitFor(() => expect(historyCalls).toBe(1));
      // Node reports an unhandled rejection once the microtasks have run: two turns of the loop.
      for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      releaseConfig();
      await vi.waitFor(() => expect(r.state.phase).toBe('failed'));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a start whose config fails does not poll, and trying again works', async () => {
    const userId = `startup-fail-${Date.now()}`;
    let failConfig = true;
    const { fn, log } = loggingFetch();
    const failing: typeof fetch = (input, init) =>
      failConfig && String(input instanceof Request ? input.url : input).includes('queryChannelConfig')
        ? Promise.resolve(new Response(JSON.stringify({ errorCode: 'bad', errorMsg: 'no' }), { status: 400, headers: { 'content-type': 'application/json' } }))
        : fn(input, init);
    const r = runnerFor(userId, { pollWaitSeconds: 25, fetch: failing });
    runners.push(r);
    r.start();
    await vi.waitFor(() => expect(r.state.phase).toBe('failed'));
    // CONNECT went out with the config; once it is answered, a poll would start at once if it could.
    await vi.waitFor(() => expect(log).toContain('end CONNECT'));
    await new Promise((done) => setTimeout(done, 0));
    expect(log).not.toContain('start poll');
    failConfig = false;
    r.start();
    await vi.waitFor(() => expect(r.state.phase).toBe('bot'));
  });
});
