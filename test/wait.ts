/**
 * Waiting on conditions in Node tests, never on fixed delays: thin wrappers over `vi.waitFor`
 * that name what was awaited when they give up. Not a test file itself.
 */
import { vi } from 'vitest';

/**
 * Resolves once `pred()` holds (checked every 5 ms). Gives up after `ms` of real time (default
 * 30 s: a ceiling for a busy machine, not a pace) with an error naming `what` and, when given,
 * `detail()` (e.g. the phase the runner is stuck in).
 */
export function until(what: string, pred: () => boolean, ms = 30_000, detail?: () => string): Promise<void> {
  return vi.waitFor(
    () => {
      if (!pred()) throw new Error(`timed out waiting for: ${what}${detail ? ` (${detail()})` : ''}`);
    },
    { timeout: ms, interval: 5 },
  );
}

/**
 * Resolves once `pred()` holds. Fails only when nothing moves for `stallMs` of real time:
 * `progress` (a count that grows while the work goes on) restarts the stall timer, so a busy
 * machine that delivers slowly passes and a delivery that has stopped fails. `ceilingMs` bounds
 * the whole wait (keep it under the test's own timeout).
 */
export async function untilProgressing(what: string, pred: () => boolean, progress: () => number, stallMs = 30_000, ceilingMs = 590_000): Promise<void> {
  let last = progress();
  let movedAt = Date.now();
  const outcome = await vi.waitFor(
    () => {
      if (pred()) return 'done' as const;
      const now = progress();
      if (now !== last) [last, movedAt] = [now, Date.now()];
      else if (Date.now() - movedAt > stallMs) return 'stalled' as const;
      throw new Error(`timed out waiting for: ${what} (at ${now})`);
    },
    { timeout: ceilingMs, interval: 5 },
  );
  if (outcome === 'stalled') throw new Error(`timed out: ${what} (no progress for ${stallMs} ms, at ${last})`);
}
