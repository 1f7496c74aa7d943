/**
 * What customers hit on real networks and clocks (issue 12, cases 1–4), against the mock
 * contact center served by msw/node. The runner's clock is a manual one where waits are long:
 * nothing here sleeps for real seconds.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionRunner, type RunnerOptions } from '../../widget/client/runner.js';
import { parseRetryAfter } from '../../widget/client/errors.js';
import { fastClock, fastRunner, manualClock, memoryStorage } from './helpers.js';
import { useNodeMock } from '../node-mock.js';

const { cc, clock: mockClock } = useNodeMock({ at: Date.parse('2026-11-25T07:00:00Z') });
const runners: SessionRunner[] = [];
afterEach(() => {
  for (const r of runners.splice(0)) r.destroy();
  cc.faults.reset();
  if (cc.desk.snapshot('alice').session) {
    cc.desk.end('alice');
    mockClock.advance(10_000); // wrap-up
  }
});

const urlOf = (input: RequestInfo | URL) => String(input instanceof Request ? input.url : input);

function runner(userId: string, opts: Partial<RunnerOptions> = {}) {
  const r = new SessionRunner({ baseUrl: 'http://mock.test', channelId: 'demo', userId, userName: userId, pollWaitSeconds: 25, random: () => 0, ...opts });
  runners.push(r);
  return r;
}

/** A fetch whose next /poll never answers (a half-open connection after sleep) until aborted. */
function hangingFetch() {
  const state = { hangNextPoll: false, hung: 0, polls: 0 };
  const fn: typeof fetch = (input, init) => {
    if (urlOf(input).includes('/poll')) {
      state.polls++;
      if (state.hangNextPoll) {
        state.hangNextPoll = false;
        state.hung++;
        return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
      }
    }
    return fetch(input, init);
  };
  return { fn, state };
}

async function chatWithAgent(r: SessionRunner, userId: string, tick = () => {}) {
  cc.desk.signIn('alice');
  cc.desk.setReady('alice', true);
  r.start();
  await vi.waitFor(() => (tick(), expect(r.state.phase).toBe('bot')));
  r.dispatch({ type: 'transfer.request' });
  await vi.waitFor(() => (tick(), expect(cc.desk.snapshot('alice').waiting.some((w) => w.customerName === userId)).toBe(true)));
  cc.desk.accept('alice', cc.desk.snapshot('alice').waiting.find((w) => w.customerName === userId)!.sessionId);
  await vi.waitFor(() => (tick(), expect(r.state.phase).toBe('agent')));
}

const agentSaid = (r: SessionRunner, text: string) => r.state.transcript.some((m) => m.author === 'agent' && m.text === text);

describe('issue 12 case 1: no request hangs forever', () => {
  it('a wake-up aborts a poll hung on a dead connection and re-syncs: the agent’s message shows', async () => {
    const clock = manualClock();
    const net = hangingFetch();
    const r = runner('wake-1', { clock, fetch: net.fn });
    await chatWithAgent(r, 'wake-1', () => clock.advance(0));
    net.state.hangNextPoll = true;
    cc.desk.send('alice', 'before sleep');
    await vi.waitFor(() => expect(net.state.hung).toBe(1));
    cc.desk.send('alice', 'after sleep');
    expect(agentSaid(r, 'after sleep')).toBe(false);
    r.poke(); // what the controller does on `online`, `visibilitychange` and `pageshow`
    await vi.waitFor(() => expect(agentSaid(r, 'after sleep')).toBe(true));
    expect(r.state.connection).toBe('online');
  });

  it('without any wake-up, the hung poll is cut off by its time limit (wait + 20 s) and polling goes on', async () => {
    const clock = manualClock();
    const net = hangingFetch();
    const r = runner('timeout-1', { clock, fetch: net.fn });
    await chatWithAgent(r, 'timeout-1', () => clock.advance(0));
    net.state.hangNextPoll = true;
    cc.desk.send('alice', 'ping');
    await vi.waitFor(() => expect(net.state.hung).toBe(1));
    cc.desk.send('alice', 'lost in the dead connection');
    expect(clock.pending()).toContain(45_000); // the hung poll's limit: 25 s of long poll + 20 s
    clock.advance(45_000);
    await vi.waitFor(() => (clock.advance(0), expect(agentSaid(r, 'lost in the dead connection')).toBe(true)));
  });
});

describe('issue 12 case 2: Retry-After is honoured', () => {
  for (const [label, header] of [
    ['seconds', (_t0: number) => ({ 'retry-after': '10' })],
    ['an HTTP-date', (t0: number) => ({ 'retry-after': new Date(t0 + 10_000).toUTCString(), date: new Date(t0).toUTCString() })],
  ] as const) {
    it(`429 with Retry-After (${label}) on /send for 10 s: one wait of 10 s, then delivered by itself`, async () => {
      const clock = manualClock();
      const t0 = clock.now();
      const attempts: number[] = [];
      const r = runner(`retry-after-${label.length}`, {
        clock,
        fetch: (input, init) => {
          if (urlOf(input).includes('/send') && String(init?.body).includes('"CHAT"')) {
            attempts.push(clock.now() - t0);
            if (clock.now() < t0 + 10_000) {
              return Promise.resolve(new Response(JSON.stringify({ errorCode: 'rate.limited', exceptionInfo: 'Too many requests' }), { status: 429, headers: header(t0) }));
            }
          }
          return fetch(input, init);
        },
      });
      r.start();
      await vi.waitFor(() => (clock.advance(0), expect(r.state.phase).toBe('bot')));
      r.dispatch({ type: 'message.submit', id: 'ra-1', text: 'hello', now: clock.now(), name: 'c' });
      await vi.waitFor(() => expect(attempts).toHaveLength(1));
      await vi.waitFor(() => expect(clock.pending()).toContain(10_000));
      expect(r.state.transcript.find((m) => m.id === 'ra-1')?.status).toBe('sending');
      clock.advance(10_000);
      await vi.waitFor(() => expect(r.state.transcript.find((m) => m.id === 'ra-1')?.status).toBe('sent'));
      expect(attempts).toEqual([0, 10_000]);
    });
  }

  it('reads delay-seconds and HTTP-dates (against the server’s Date), capped at 5 minutes', () => {
    const now = Date.parse('2026-11-25T07:00:00Z');
    expect(parseRetryAfter('10', null, now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 07:00:30 GMT', 'Wed, 25 Nov 2026 07:00:00 GMT', now + 600_000)).toBe(30_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 07:00:30 GMT', null, now)).toBe(30_000);
    expect(parseRetryAfter('86400', null, now)).toBe(300_000);
    expect(parseRetryAfter('soon', null, now)).toBe(null);
    expect(parseRetryAfter(null, null, now)).toBe(null);
  });
});

describe('issue 12 case 3: a client clock 10 minutes ahead', () => {
  it('once acknowledged a message shows the server’s time, and a reload shows the same', async () => {
    const storage = memoryStorage();
    const ahead = { ...fastClock, now: () => mockClock.now() + 600_000 };
    const r = runner('skew-1', { ...fastRunner, clock: ahead, storage });
    r.start();
    await vi.waitFor(() => expect(r.state.phase).toBe('bot'));
    r.dispatch({ type: 'message.submit', id: 'sk-1', text: 'refund', now: ahead.now(), name: 'c' });
    const server = () => cc.findStream('demo', 'skew-1')!.messages.find((m) => m.clientMessageId === 'sk-1')!;
    await vi.waitFor(() => expect(r.state.transcript.find((m) => m.id === 'sk-1')?.at).toBe(server().timestamp));
    const live = r.state.transcript.map((m) => [m.id, m.at]);
    r.destroy();
    const after = runner('skew-1', { ...fastRunner, clock: ahead, storage });
    after.start();
    await vi.waitFor(() => expect(after.state.transcript.length).toBe(live.length));
    expect(after.state.transcript.map((m) => [m.id, m.at])).toEqual(live);
  });
});

describe('issue 12 case 4: a reload restores the state as it was', () => {
  it('an answered idle warning stays answered after a reload', async () => {
    const storage = memoryStorage();
    const r = runner('idle-answered', { ...fastRunner, clock: { ...fastClock, now: () => mockClock.now() }, storage });
    r.start();
    await vi.waitFor(() => expect(r.state.phase).toBe('bot'));
    mockClock.advance(19 * 60_000);
    await vi.waitFor(() => expect(r.state.idleDeadline).not.toBe(null));
    r.dispatch({ type: 'idle.stillHere', id: 'still-1', text: "I'm still here", now: mockClock.now(), name: 'c' });
    await vi.waitFor(() => expect(r.state.transcript.find((m) => m.id === 'still-1')?.seq).not.toBe(null));
    expect(r.state.idleDeadline).toBe(null);
    r.destroy();
    const after = runner('idle-answered', { ...fastRunner, clock: { ...fastClock, now: () => mockClock.now() }, storage });
    after.start();
    await vi.waitFor(() => expect(after.state.transcript.some((m) => m.id === 'still-1')).toBe(true));
    expect(after.state.idleDeadline).toBe(null);
    expect(after.state.phase).toBe('bot');
  });

  it('an unanswered warning counts on from where it was, on the local clock of its arrival', async () => {
    const storage = memoryStorage();
    let local = mockClock.now() + 3_600_000; // the customer's clock is an hour off
    const clock = { ...fastClock, now: () => local };
    const r = runner('idle-open', { ...fastRunner, clock, storage });
    r.start();
    await vi.waitFor(() => expect(r.state.phase).toBe('bot'));
    mockClock.advance(19 * 60_000);
    await vi.waitFor(() => expect(r.state.idleDeadline).not.toBe(null));
    const deadline = r.state.idleDeadline!;
    expect(deadline - local).toBe(120_000); // two minutes left from its arrival, counted on the local clock
    r.destroy();
    local += 20_000; // the reload takes 20 s
    const after = runner('idle-open', { ...fastRunner, clock, storage });
    after.start();
    await vi.waitFor(() => expect(after.state.idleDeadline).not.toBe(null));
    await vi.waitFor(() => expect(after.state.idleDeadline).toBe(deadline));
  });
});
