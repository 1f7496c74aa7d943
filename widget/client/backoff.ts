/**
 * Exponential backoff with full jitter (the "Full Jitter" of AWS's "Exponential Backoff and
 * Jitter"): attempt n waits a uniformly random time in [0, ceiling), where the ceiling starts at
 * `base` ms and doubles with each attempt up to `max` ms. Full jitter spreads reconnecting clients
 * the most, so that a contact center coming back is not hit by every widget at once.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random, base = 500, max = 30_000): number {
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 16));
  return Math.floor(random() * ceiling);
}
