/** Failures of channel API calls, kept apart so the UI can word them for people. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
  /** Worth repeating: server errors, throttling and timeouts. */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 429 || this.status === 408;
  }
}

/** The request did not get an answer (offline, dropped, aborted by a timeout). */
export class NetworkError extends Error {
  readonly retryable = true;
  constructor(message: string) {
    super(message);
    this.name = 'NetworkError';
  }
}

export function isRetryable(e: unknown): boolean {
  return (e instanceof ApiCallError || e instanceof NetworkError) && e.retryable;
}
