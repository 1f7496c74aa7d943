/**
 * Paged history in the runner (issue 18), against the mock: a reload of a long chat asks for the
 * newest page only and resumes the chat from it; earlier pages come on request until none is
 * left, every message once; a page request has a time limit, is retried, can fail (told to the
 * reader) and is aborted when the widget is destroyed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionRunner, type RunnerOptions } from '../../widget/client/runner.js';
import { HISTORY_PAGE } from '../../widget/core/session.js';
import { seededRandom } from '../../mock-server/runtime/faults.js';
import { fastRunner, manualClock, memoryStorage } from './helpers.js';
import { useNodeMock } from '../node-mock.js';
import { until } from '../wait.js';

const { cc, clock: mockClock } = useNodeMock({ at: Date.parse('2026-11-25T05:00:00Z'), autoAgents: false });
const runners: SessionRunner[] = [];
afterEach(() => {
  for (const r of runners.splice(0)) r.destroy();
  if (cc.desk.snapshot('alice').session) {
    cc.desk.end('alice');
    mockClock.advance(600_000); // wrap-up
  }
});

const AGENT_MESSAGES = 400;
const urlOf = (input: RequestInfo | URL) => String(input instanceof Request ? input.url : input);

function runner(userId: string, storage: ReturnType<typeof memoryStorage>, extra: Partial<RunnerOptions> = {}) {
  const r = new SessionRunner({ baseUrl: 'http://mock.test', channelId: 'demo', userId, userName: userId, storage, ...fastRunner, random: seededRandom(3), pollWaitSeconds: 1, ...extra });
  runners.push(r);
  return r;
}

/** A chat with alice of AGENT_MESSAGES of hers, then a "reload": the storage a new runner resumes from. */
async function longChat(userId: string) {
  const storage = memoryStorage();
  cc.desk.signIn('alice');
  cc.desk.setReady('alice', true);
  const first = runner(userId, storage);
  first.start();
  await until('bot', () => first.state.phase === 'bot');
  first.dispatch({ type: 'transfer.request' });
  await until('queued', () => cc.desk.snapshot('alice').waiting.length > 0);
  cc.desk.accept('alice');
  await until('agent', () => first.state.phase === 'agent');
  first.dispatch({ type: 'message.submit', id: `${userId}-hi`, text: 'hi', now: mockClock.now(), name: userId });
  await until('acknowledged', () => first.state.transcript.some((m) => m.id === `${userId}-hi` && m.status === 'sent'));
  for (let i = 0; i < AGENT_MESSAGES; i++) cc.desk.send('alice', `Message ${i}`);
  first.destroy();
  return storage;
}

/** The fetch of the mock, recording the bodies of history requests. */
function recording() {
  const bodies: Array<Record<string, unknown>> = [];
  const fn: typeof fetch = (input, init) => {
    if (urlOf(input).includes('queryHistoryChatMessage')) bodies.push(JSON.parse(String(init?.body)));
    return fetch(input, init);
  };
  return { bodies, fn };
}

const agentTexts = (r: SessionRunner) => r.state.transcript.filter((m) => m.author === 'agent' && m.text.startsWith('Message ')).map((m) => m.text);

describe('a reload of a long chat', () => {
  it('asks for the newest page, resumes with the agent, and reads the rest back page by page, every message once', async () => {
    const storage = await longChat('pages-resume');
    const net = recording();
    const r = runner('pages-resume', storage, { fetch: net.fn });
    r.start();
    await until('resumed', () => r.state.phase === 'agent' && r.state.transcript.length > 0);
    expect(net.bodies[0]).toMatchObject({ limit: HISTORY_PAGE });
    expect(net.bodies[0]!.beforeSeq).toBeUndefined();
    expect(r.state.agent?.name).toBeTruthy();
    expect(r.state.transcript).toHaveLength(HISTORY_PAGE);
    expect(r.state.earlier).toMatchObject({ hasMore: true, status: 'idle' });
    const total = HISTORY_PAGE + r.state.earlier.count!;

    // A message arrives while the page is on its way.
    r.dispatch({ type: 'history.earlier' });
    cc.desk.send('alice', 'live while paging');
    await until('the live message', () => r.state.transcript.some((m) => m.text === 'live while paging'));
    while (r.state.earlier.hasMore) {
      if (r.state.earlier.status !== 'loading') r.dispatch({ type: 'history.earlier' });
      await until('a page', () => r.state.earlier.status !== 'loading');
    }
    expect(net.bodies.slice(1).every((b) => b.limit === HISTORY_PAGE && typeof b.beforeSeq === 'number')).toBe(true);
    expect(agentTexts(r)).toEqual(Array.from({ length: AGENT_MESSAGES }, (_, i) => `Message ${i}`));
    expect(r.state.transcript).toHaveLength(total + 1);
    const seqs = r.state.transcript.map((m) => m.seq!);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(r.state.transcript.filter((m) => m.text === 'hi')).toHaveLength(1);
  });
});

describe('a page request', () => {
  it('is retried after a server error', async () => {
    const storage = await longChat('pages-retry');
    let failures = 0;
    const r = runner('pages-retry', storage, {
      fetch: (input, init) => {
        if (urlOf(input).includes('queryHistoryChatMessage') && String(init?.body).includes('beforeSeq') && failures++ === 0) {
          return Promise.resolve(new Response(JSON.stringify({ errorCode: 'server.busy', exceptionInfo: 'busy' }), { status: 500 }));
        }
        return fetch(input, init);
      },
    });
    r.start();
    await until('resumed', () => r.state.phase === 'agent' && r.state.transcript.length > 0);
    r.dispatch({ type: 'history.earlier' });
    await until('the page', () => r.state.earlier.status !== 'loading');
    expect(failures).toBe(2);
    expect(r.state.earlier.status).toBe('idle');
    expect(r.state.transcript).toHaveLength(2 * HISTORY_PAGE);
  });

  it('that never answers runs out of time, is tried 3 times, then fails (and may be asked again)', async () => {
    const storage = await longChat('pages-timeout');
    const clock = manualClock();
    const hung: AbortSignal[] = [];
    const r = runner('pages-timeout', storage, {
      clock,
      requestTimeoutMs: 20_000,
      fetch: (input, init) => {
        if (urlOf(input).includes('queryHistoryChatMessage') && String(init?.body).includes('beforeSeq')) {
          const signal = init!.signal!;
          hung.push(signal);
          return new Promise((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
        }
        return fetch(input, init);
      },
    });
    r.start();
    await vi.waitFor(() => (clock.advance(0), expect(r.state.phase).toBe('agent')));
    r.dispatch({ type: 'history.earlier' });
    // Each try is stopped by its time limit; the backoff between tries runs on the same clock.
    await vi.waitFor(() => {
      clock.advance(5_000);
      expect(r.state.earlier.status).toBe('failed');
    });
    expect(hung).toHaveLength(3);
    expect(hung.every((s) => s.aborted)).toBe(true);
    r.dispatch({ type: 'history.earlier' });
    expect(r.state.earlier.status).toBe('loading');
  });

  it('is aborted when the widget is destroyed, and nothing is applied after', async () => {
    const storage = await longChat('pages-abort');
    const hung: AbortSignal[] = [];
    const r = runner('pages-abort', storage, {
      fetch: (input, init) => {
        if (urlOf(input).includes('queryHistoryChatMessage') && String(init?.body).includes('beforeSeq')) {
          hung.push(init!.signal!);
          return new Promise((_, reject) => init!.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
        }
        return fetch(input, init);
      },
    });
    r.start();
    await until('resumed', () => r.state.phase === 'agent' && r.state.transcript.length > 0);
    r.dispatch({ type: 'history.earlier' });
    await until('the page request', () => hung.length === 1);
    const before = r.state;
    r.destroy();
    expect(hung[0]!.aborted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(r.state).toBe(before);
  });
});
