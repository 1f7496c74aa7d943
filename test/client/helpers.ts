/** Shared by the client tests: storage in memory, timers that do not make tests wait, a runner for the mock. */
import { SessionRunner, type RunnerOptions } from '../../widget/client/runner.js';

export function memoryStorage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
    key: (i: number) => [...map.keys()][i] ?? null,
    get length() {
      return map.size;
    },
  };
}

/**
 * A clock whose timers run 100 times faster: backoff waits become milliseconds. These tests are
 * about delivery, not waiting.
 */
export const fastClock = {
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms / 100),
  clearTimeout: (h: unknown) => clearTimeout(h as number),
};

/**
 * Runner options for the fast clock: its timers also measure request time limits, so the limit
 * is raised to 10 s of real time — a request that is merely slow on a busy machine must not
 * count as lost (time limits have their own tests, on a manual clock).
 */
export const fastRunner = { clock: fastClock, requestTimeoutMs: 1_000_000 };

/**
 * A clock that only moves when the test says so: `advance(ms)` runs the timers that fall due,
 * in order. For tests of waits measured in seconds or minutes (Retry-After, timeouts).
 */
export function manualClock(start = Date.parse('2026-11-25T09:00:00Z')) {
  let now = start;
  let next = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => {
      const id = next++;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout: (h: unknown) => void timers.delete(h as number),
    /** Timers pending, by due time from now (ms). */
    pending: () => [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b),
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
  };
}

/**
 * A runner for the demo channel of the mock at `http://mock.test` (the shared node mock), as
 * `userId` (also its name), with storage in memory, no jitter and the fast clock; `over` sets
 * anything else (its `fetch`, `pollWaitSeconds`, `onEvent`, ...). Not started.
 */
export function runnerFor(userId: string, over: Partial<RunnerOptions> = {}): SessionRunner {
  return new SessionRunner({ baseUrl: 'http://mock.test', channelId: 'demo', userId, userName: userId, random: () => 0, storage: memoryStorage(), ...fastRunner, ...over });
}
