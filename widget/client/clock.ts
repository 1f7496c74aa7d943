/**
 * The one clock of the widget's client and UI: the time (`now`, epoch ms) and timers. Injected
 * everywhere time matters (backoff, request timeouts, tickers, token expiry, message times), so
 * tests run a 20-minute countdown in milliseconds. Nothing in `widget/client/` or `widget/ui/`
 * reads `Date.now()` or calls `setTimeout` except through a Clock.
 */
import type { Clock } from '../core/clock.js';

export type { Clock } from '../core/clock.js';

/** The browser's (or Node's) clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** A clock with some parts replaced (a test's `now`, or timers that do not wait). */
export function clockFrom(parts: Partial<Clock> | undefined): Clock {
  return parts ? { ...systemClock, ...parts } : systemClock;
}
