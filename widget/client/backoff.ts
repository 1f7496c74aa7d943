/**
 * Exponential backoff with full jitter: attempt 0 waits up to `base`, each attempt doubles the
 * ceiling up to `max`. Jitter spreads reconnecting clients so they do not arrive together.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random, base = 500, max = 30_000): number {
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
