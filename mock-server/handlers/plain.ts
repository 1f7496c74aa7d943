/**
 * The plain side of the mock's handlers: what the plain Node HTTP server hands to a resolver
 * instead of a Fetch `Request` (a `PlainRequest`), and what a resolver's JSON answer is before
 * it becomes a Fetch `Response` (an `Answer`).
 *
 * Why: under load, building undici's Request, Headers, AbortSignal and Response (with their
 * body streams) for every call was most of the plain server's own CPU per request. The
 * resolvers stay the same functions for the three ways the mock is served; the wrappers of
 * http-util.ts (`withErrors`, `withFaults`) turn an Answer into a Fetch Response for MSW (browser
 * worker, msw/node) and leave it as it is for a PlainRequest, which the server writes out with
 * one `writeHead` + `end(text)`.
 *
 * No Node APIs here: this module is bundled into the browser worker's handlers too.
 */

/** The part of a Fetch `Request` the mock's resolvers read. Both `Request` and `PlainRequest` have it. */
export interface MockRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: { get(name: string): string | null };
  readonly signal: AbortSignal;
  text(): Promise<string>;
  clone(): MockRequest;
}

const parsedUrls = new WeakMap<object, URL>();

/**
 * The request's URL, parsed once per request: the router, the path check and the handler's
 * query all read this one (a `new URL` each was three parses per request). Treat it as
 * read-only: it is shared.
 */
export function urlOf(request: { readonly url: string }): URL {
  let url = parsedUrls.get(request);
  if (!url) {
    url = new URL(request.url);
    parsedUrls.set(request, url);
  }
  return url;
}

/** A JSON answer of a resolver: status, headers (lower-case names) and the JSON text. */
export class Answer {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly text: string,
  ) {}
}

/** Request headers as Node gives them: lower-case names, repeated ones already joined. */
export type PlainHeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>;

/** `Headers.get` over a plain header record (the Fetch semantics: any case, null when absent, a list joined with ", "). */
export class PlainHeaders {
  constructor(private readonly record: PlainHeaderRecord) {}

  get(name: string): string | null {
    const v = this.record[name.toLowerCase()];
    if (typeof v === 'string') return v;
    return Array.isArray(v) ? v.join(', ') : null;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  /** Every header as `[name, value]`, as `new Headers(…)` takes them. */
  entries(): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    for (const k of Object.keys(this.record)) {
      const v = this.get(k);
      if (v !== null) out.push([k, v]);
    }
    return out;
  }
}

/** The body decoded as `Request.text()` does: UTF-8, invalid bytes as U+FFFD, a leading BOM dropped. */
const decoder = new TextDecoder('utf-8');

/**
 * A request of the plain Node server, with the semantics of `Request` for what resolvers read:
 * `text()` reads the body once (a second read rejects with a TypeError, as Fetch's does; use
 * `clone()` first); `signal` aborts when `abort()` is called (the client went away) — its
 * AbortController is only made when a resolver reads it (a long poll), not for every request,
 * and `watch` (given by the server) is called then, once, to start watching the client: a
 * request answered without a wait adds no listener to its connection.
 */
export class PlainRequest implements MockRequest {
  readonly headers: PlainHeaders;
  /** Shared with clones: one signal for the request and its copies. */
  private abortState: { controller?: AbortController; aborted: boolean; watch?: (abort: () => void) => void } = { aborted: false };
  private used = false;

  constructor(
    /** The absolute URL (`http://<host><path and query>`). */
    readonly url: string,
    readonly method: string,
    headers: PlainHeaderRecord | PlainHeaders,
    /** The raw body bytes, or undefined for none (GET, HEAD). */
    private readonly bytes: Uint8Array | undefined,
    /**
     * Called once, when the signal is first read, with the function that aborts it: the server
     * then watches the client (and calls it at once when the client is already gone).
     */
    watch?: (abort: () => void) => void,
  ) {
    this.headers = headers instanceof PlainHeaders ? headers : new PlainHeaders(headers);
    if (watch) this.abortState.watch = watch;
  }

  get signal(): AbortSignal {
    const state = this.abortState;
    if (!state.controller) {
      state.controller = new AbortController();
      if (state.aborted) state.controller.abort();
      const watch = state.watch;
      state.watch = undefined;
      watch?.(() => this.abort());
    }
    return state.controller.signal;
  }

  /** Aborts the signal (now, or when it is first read). */
  abort(): void {
    this.abortState.aborted = true;
    this.abortState.controller?.abort();
  }

  get bodyUsed(): boolean {
    return this.used;
  }

  async text(): Promise<string> {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.bytes === undefined ? '' : decoder.decode(this.bytes);
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  /** A copy with its own unread body and the same signal. */
  clone(): PlainRequest {
    if (this.used) throw new TypeError('Request.clone: Body has already been consumed.');
    const copy = new PlainRequest(this.url, this.method, this.headers, this.bytes);
    copy.abortState = this.abortState;
    return copy;
  }

  /** The same request as a Fetch `Request` (for the rare resolver that hands it on to MSW). */
  toRequest(): Request {
    const hasBody = this.method !== 'GET' && this.method !== 'HEAD' && this.bytes !== undefined;
    return new Request(this.url, { method: this.method, headers: this.headers.entries(), body: hasBody ? new Uint8Array(this.bytes!) : undefined, signal: this.signal });
  }
}
