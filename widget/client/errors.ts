/** Failures of channel API calls, kept apart so the UI can word them for people. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly field?: string,
    /** How long the server asked us to wait before trying again (`Retry-After` on 429/503), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
  /** Worth repeating: server errors, throttling and timeouts. */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 429 || this.status === 408;
  }
}

/**
 * The request did not get an answer: `offline` (the network failed), `timeout` (no answer in
 * time: a half-open connection after sleep), or `woken` (aborted on purpose by a wake-up, to be
 * repeated at once).
 */
export class NetworkError extends Error {
  readonly retryable = true;
  constructor(
    message: string,
    readonly reason: 'offline' | 'timeout' | 'woken' = 'offline',
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

export function isRetryable(e: unknown): boolean {
  return (e instanceof ApiCallError || e instanceof NetworkError) && e.retryable;
}

/** Longest `Retry-After` honoured (5 minutes); a longer one is treated as this. */
export const MAX_RETRY_AFTER_MS = 300_000;

/**
 * `Retry-After` (RFC 9110 §10.2.3) in ms: delay-seconds or an HTTP-date. A date is measured
 * against the response's own `Date` header when there is one (both on the server's clock, so a
 * wrong client clock does not matter), else against `now`. Null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, serverDate: string | null, now: number): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Math.min(Number(v) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  const base = serverDate ? Date.parse(serverDate) : NaN;
  return Math.min(Math.max(0, at - (Number.isNaN(base) ? now : base)), MAX_RETRY_AFTER_MS);
}
