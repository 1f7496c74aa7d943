/**
 * `registerWaiter`, the one registration both stores' waits (long polls, lease waits) go
 * through: however a wait ends, it ends once and leaves nothing behind (its set entry, its key,
 * its timer, its abort listener). Timers are a manual test clock.
 */
import { describe, expect, it } from 'vitest';
import { registerWaiter, type StoreTimers, type Waiter } from '../../../widget/server/connector/store.js';

/** A manual clock: `advance(ms)` runs what falls due; `pending` counts the timers still set. */
function manualTimers() {
  let now = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  let next = 0;
  const timers: StoreTimers = {
    setTimeout: (fn, ms) => {
      due.set(++next, { at: now + ms, fn });
      return next;
    },
    clearTimeout: (h) => void due.delete(h as number),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [h, t] of [...due].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at > now) break;
      due.delete(h);
      t.fn();
    }
  };
  return { timers, advance, pending: () => due.size };
}

interface LogWaiter extends Waiter {
  readonly afterSeq: number;
}

/** An AbortSignal that counts its listeners. */
function countedSignal() {
  const ac = new AbortController();
  let listeners = 0;
  const add = ac.signal.addEventListener.bind(ac.signal);
  const remove = ac.signal.removeEventListener.bind(ac.signal);
  ac.signal.addEventListener = ((...a: Parameters<typeof add>) => (listeners++, add(...a))) as typeof add;
  ac.signal.removeEventListener = ((...a: Parameters<typeof remove>) => (listeners--, remove(...a))) as typeof remove;
  return { ac, listeners: () => listeners };
}

describe('registerWaiter', () => {
  it('the first done wins; the waiter, its key, its timer and its abort listener are gone after it, and onEnd ran once', async () => {
    const { timers, pending } = manualTimers();
    const waiters = new Map<string, Set<LogWaiter>>();
    const { ac, listeners } = countedSignal();
    let ends = 0;
    let w: LogWaiter | undefined;
    const other = registerWaiter(waiters, 'log', { afterSeq: 7 }, { timeoutMs: 60_000, timers });
    const result = registerWaiter(waiters, 'log', { afterSeq: 3 }, { timeoutMs: 60_000, timers, signal: ac.signal, start: (x) => (w = x), onEnd: () => ends++ });
    expect([...waiters.get('log')!].map((x) => x.afterSeq)).toEqual([7, 3]);
    expect([w!.ended, pending(), listeners()]).toEqual([false, 2, 1]);
    w!.done(true);
    w!.done(false);
    ac.abort();
    expect(await result).toBe(true);
    expect([w!.ended, ends, pending(), listeners()]).toEqual([true, 1, 1, 0]);
    expect([...waiters.get('log')!].map((x) => x.afterSeq)).toEqual([7]);
    for (const x of [...waiters.get('log')!]) x.done(false);
    expect(await other).toBe(false);
    expect([waiters.size, pending()]).toEqual([0, 0]);
  });

  it('ends false after timeoutMs on its timers, or at once when its signal has aborted already', async () => {
    const { timers, advance, pending } = manualTimers();
    const waiters = new Map<string, Set<LogWaiter>>();
    let settled = false;
    const timed = registerWaiter(waiters, 'log', { afterSeq: 0 }, { timeoutMs: 20 * 60_000, timers }).finally(() => (settled = true));
    advance(20 * 60_000 - 1);
    await Promise.resolve();
    expect(settled).toBe(false);
    advance(1);
    expect(await timed).toBe(false);
    const ac = new AbortController();
    ac.abort();
    let started = false;
    expect(await registerWaiter(waiters, 'log', { afterSeq: 0 }, { timeoutMs: 60_000, timers, signal: ac.signal, start: () => (started = true) })).toBe(false);
    expect([started, waiters.size, pending()]).toEqual([false, 0, 0]);
  });

  it("start's fail rejects the wait with its error and cleans up as done does; a done after it changes nothing", async () => {
    const { timers, pending } = manualTimers();
    const waiters = new Map<string, Set<Waiter>>();
    let w: Waiter | undefined;
    const failed = registerWaiter(waiters, 'lease', {}, { timeoutMs: 60_000, timers, start: (x, fail) => ((w = x), fail(new Error('unreachable'))) });
    await expect(failed).rejects.toThrow('unreachable');
    w!.done(true);
    expect([w!.ended, waiters.size, pending()]).toEqual([true, 0, 0]);
  });
});
