/**
 * Never lose a message: retries with the same clientMessageId, lost responses, and a reload
 * (a new runner with the same storage) that resumes the transcript and resends what was unsent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SessionRunner } from '../../widget/client/runner.js';
import type { SessionState } from '../../widget/core/session.js';
import { seededRandom } from '../../mock-server/runtime/faults.js';
import { fastRunner, memoryStorage } from './helpers.js';
import { useNodeMock } from '../node-mock.js';
import { until as waitFor } from '../wait.js';

const { cc, clock } = useNodeMock({ at: Date.parse('2026-11-25T03:00:00Z') });
const runners: SessionRunner[] = [];
afterEach(() => {
  for (const r of runners.splice(0)) r.destroy();
  cc.faults.reset();
});

function runner(userId: string, storage: ReturnType<typeof memoryStorage> | null, extra: Partial<ConstructorParameters<typeof SessionRunner>[0]> = {}) {
  const r = new SessionRunner({ baseUrl: 'http://mock.test', channelId: 'demo', userId, userName: userId, storage, ...fastRunner, random: seededRandom(7), pollWaitSeconds: 1, ...extra });
  runners.push(r);
  return r;
}

/** Waits (vi.waitFor, at most 8 s of real time) until `r`'s state satisfies `pred`; returns that state. */
async function until(r: SessionRunner, pred: (s: SessionState) => boolean, what: string): Promise<SessionState> {
  await waitFor(
    what,
    () => pred(r.state),
    8_000,
    () => `phase ${r.state.phase}`,
  );
  return r.state;
}

const customerMessages = (userId: string) =>
  cc
    .findStream('demo', userId)!
    .messages.filter((m) => m.sourceType === 'CUSTOMER')
    .map((m) => m.content);

describe('delivery', () => {
  it('a send whose response was lost is retried and appears once', async () => {
    const r = runner('lost-response', null);
    r.start();
    await until(r, (s) => s.phase === 'bot', 'bot');
    cc.faults.seed(() => 0.1); // < dropRate, then < 0.5: the request is processed, the response lost
    cc.faults.set({ dropRate: 0.5 }, 'send');
    r.dispatch({ type: 'message.submit', id: 'once-1', text: 'hello once', now: clock.now(), name: 'c' });
    await until(r, (s) => s.phase === 'bot' && s.connection === 'reconnecting', 'a failed attempt');
    cc.faults.reset();
    await until(r, (s) => s.transcript.find((m) => m.id === 'once-1')?.status === 'sent', 'acknowledged');
    expect(customerMessages('lost-response')).toEqual(['hello once']);
  });

  it('server errors are retried with backoff until acknowledged; the UI shows failed after the attempts', async () => {
    const r = runner('errors', null, { maxSendAttempts: 3 });
    r.start();
    await until(r, (s) => s.phase === 'bot', 'bot');
    cc.faults.set({ errorRate: 1 }, 'send');
    r.dispatch({ type: 'message.submit', id: 'e-1', text: 'are you there', now: clock.now(), name: 'c' });
    await until(r, (s) => s.transcript.find((m) => m.id === 'e-1')?.status === 'failed', 'failed after 3 attempts');
    cc.faults.reset();
    r.dispatch({ type: 'message.retry', id: 'e-1' });
    await until(r, (s) => s.transcript.find((m) => m.id === 'e-1')?.status === 'sent', 'sent on retry');
    expect(customerMessages('errors')).toEqual(['are you there']);
  });
});

describe('start-up and shutdown', () => {
  it('a dropped config or history request on start is retried, not a failed chat', async () => {
    let failures = 2;
    const flaky: typeof fetch = (input, init) => {
      const url = String(input);
      if (failures > 0 && (url.includes('queryChannelConfig') || url.includes('queryHistoryChatMessage'))) {
        failures--;
        return Promise.reject(new TypeError('network down'));
      }
      return fetch(input, init);
    };
    const r = runner('flaky-start', null, { fetch: flaky });
    r.start();
    await until(r, (s) => s.phase === 'bot', 'bot after retries');
    expect(failures).toBe(0);
  });

  it('sends nothing after destroy(), even from a backoff in progress', async () => {
    const after: string[] = [];
    let destroyed = false;
    const r = runner('destroyed', null, {
      clock: { setTimeout: (fn: () => void) => setTimeout(fn, 20), clearTimeout: (h: unknown) => clearTimeout(h as number) },
      fetch: (input, init) => {
        if (destroyed) after.push(String(input));
        return fetch(input, init);
      },
    });
    r.start();
    await until(r, (s) => s.phase === 'bot', 'bot');
    cc.faults.set({ errorRate: 1 }, 'send');
    r.dispatch({ type: 'message.submit', id: 'd-1', text: 'never mind', now: clock.now(), name: 'c' });
    await new Promise((res) => setTimeout(res, 5));
    destroyed = true;
    r.destroy();
    await new Promise((res) => setTimeout(res, 100));
    expect(after.filter((u) => u.includes('/send'))).toEqual([]);
  });
});

describe('reload', () => {
  it('resumes the transcript and resends unsent messages exactly once; the token is never stored', async () => {
    const storage = memoryStorage();
    const a = runner('reloader', storage, { maxSendAttempts: 1 });
    a.start();
    await until(a, (s) => s.phase === 'bot', 'bot');
    a.dispatch({ type: 'message.submit', id: 'r-1', text: 'first', now: clock.now(), name: 'c' });
    await until(a, (s) => s.transcript.find((m) => m.id === 'r-1')?.status === 'sent', 'first sent');
    cc.faults.set({ errorRate: 1 }, 'send');
    a.dispatch({ type: 'message.submit', id: 'r-2', text: 'typed while offline', now: clock.now(), name: 'c' });
    await until(a, (s) => s.transcript.find((m) => m.id === 'r-2')?.status === 'failed', 'second failed');
    a.destroy();
    cc.faults.reset();

    const saved = [...storage.map.values()].join('\n');
    expect(saved).toContain('typed while offline');
    expect(saved).not.toMatch(/[0-9a-f]{48}/); // no session token

    const b = runner('reloader', storage);
    b.start();
    await until(b, (s) => s.transcript.find((m) => m.id === 'r-2')?.status === 'sent', 'resent after reload');
    const texts = b.state.transcript.map((m) => m.text);
    expect(texts.filter((t) => t === 'first')).toHaveLength(1);
    expect(texts.filter((t) => t === 'typed while offline')).toHaveLength(1);
    expect(texts[0]).toContain("I'm Ava");
    expect(customerMessages('reloader')).toEqual(['first', 'typed while offline']);
  });

  it('a READ goes out once for the agent message seen; a reload does not send it again; a failed READ is never an error', async () => {
    const storage = memoryStorage();
    const a = runner('read-reload', storage);
    a.start();
    await until(a, (s) => s.phase === 'bot', 'bot');
    const account = 'alice';
    cc.desk.signIn(account);
    cc.desk.setReady(account, true);
    a.dispatch({ type: 'transfer.request' });
    await waitFor('waiting for alice', () => cc.desk.snapshot(account).waiting.length > 0, 8_000);
    cc.desk.accept(account);
    await until(a, (s) => s.phase === 'agent', 'with an agent');
    const session = () => cc.activeSession(cc.findStream('demo', 'read-reload')!)!;
    cc.desk.send(account, 'Hello from the desk');
    const agentSeq = (r: SessionRunner, text: string) => r.state.transcript.find((m) => m.author === 'agent' && m.text === text)?.seq ?? 0;
    await until(a, () => agentSeq(a, 'Hello from the desk') > 0, 'agent message');
    const seq = agentSeq(a, 'Hello from the desk');
    a.dispatch({ type: 'messages.seen', upToSeq: seq });
    await waitFor('READ recorded', () => session().customerReadSeq === seq, 8_000);
    const reads = () => cc.findStream('demo', 'read-reload')!.messages.filter((m) => m.controlType === 'READ' && m.sourceType === 'CUSTOMER').length;
    expect(reads()).toBe(1);
    // Not in the transcript: a READ is no message.
    expect(a.state.transcript.some((m) => m.author === 'customer')).toBe(false);
    await waitFor('stored', () => [...storage.map.values()].some((v) => v.includes(`"read":${seq}`)), 8_000);
    a.destroy();

    // Every READ the reloaded page sends, settled (answered or failed).
    let readsSettled = 0;
    const spy: typeof fetch = (input, init) => {
      const res = fetch(input, init);
      if (typeof init?.body === 'string' && init.body.includes('"controlType":"READ"')) void res.finally(() => readsSettled++).catch(() => {});
      return res;
    };
    const b = runner('read-reload', storage, { fetch: spy });
    expect(b.state.seenSeq).toBe(seq);
    b.start();
    await until(b, (s) => s.phase === 'agent' && agentSeq(b, 'Hello from the desk') === seq, 'resumed with the agent');
    b.dispatch({ type: 'messages.seen', upToSeq: seq });
    expect(readsSettled).toBe(0);
    expect(reads()).toBe(1);

    cc.faults.set({ errorRate: 1 }, 'send');
    cc.desk.send(account, 'Anything else?');
    await until(b, () => agentSeq(b, 'Anything else?') > 0, 'second agent message');
    b.dispatch({ type: 'messages.seen', upToSeq: agentSeq(b, 'Anything else?') });
    await waitFor('the failed READ answered', () => readsSettled === 1, 8_000);
    expect(b.state.error).toBeNull();
    expect(b.state.transcript.some((m) => m.status === 'failed')).toBe(false);
    expect(reads()).toBe(1);
    cc.faults.reset();
    cc.desk.end(account);
  });

  it('nothing is written to storage before the visitor opens the chat', () => {
    const storage = memoryStorage();
    runner('not-opened', storage);
    expect(storage.map.size).toBe(0);
  });
});
