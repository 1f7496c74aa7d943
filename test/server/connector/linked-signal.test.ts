import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { linkedSignal } from '../../../widget/server/connector/linked-signal.js';

describe('linkedSignal', () => {
  it('aborts when any source aborts, with its reason, and then lets go of the others', () => {
    const closing = new AbortController();
    const browser = new AbortController();
    const linked = linkedSignal(browser.signal, closing.signal);
    expect(linked.signal.aborted).toBe(false);
    browser.abort(new Error('browser gone'));
    expect(linked.signal.aborted).toBe(true);
    expect((linked.signal.reason as Error).message).toBe('browser gone');
    expect(getEventListeners(closing.signal, 'abort')).toHaveLength(0);
  });

  it('is aborted at once when a source already is', () => {
    const done = new AbortController();
    done.abort('over');
    const live = new AbortController();
    const linked = linkedSignal(live.signal, done.signal);
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe('over');
    expect(getEventListeners(live.signal, 'abort')).toHaveLength(0);
  });

  it('leaves nothing on a long-lived source after 2,000 disposed waits', () => {
    const closing = new AbortController();
    for (let i = 0; i < 2_000; i++) {
      const request = new AbortController();
      const linked = linkedSignal(request.signal, closing.signal);
      linked.dispose();
    }
    expect(getEventListeners(closing.signal, 'abort')).toHaveLength(0);
    // Node's own dependants set (what AbortSignal.any grows by one per call) stays empty too.
    const dependants = Object.getOwnPropertySymbols(closing.signal).find((s) => String(s) === 'Symbol(kDependantSignals)');
    expect(dependants ? ((closing.signal as unknown as Record<symbol, Set<unknown>>)[dependants]?.size ?? 0) : 0).toBe(0);
    // Still works after all that.
    const last = linkedSignal(closing.signal);
    closing.abort();
    expect(last.signal.aborted).toBe(true);
  });
});
