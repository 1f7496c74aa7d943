/**
 * The shape of the one clock the widget's client and UI run on (`widget/client/clock.ts` holds
 * the system's). A type only: the core itself reads no time, it receives it inside events.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds; returns a handle for clearTimeout. */
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}
