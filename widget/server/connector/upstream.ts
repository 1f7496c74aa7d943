/**
 * The connector's client of the real CEC web-channel API (docs/cec-real-api.md): API Fabric
 * credentials on every call (`x-app-key` + `Authorization: Bearer <AccessToken>` from
 * `tokenByAkSk`), a `ccmessaging-token` per customer (from `applyToken`, replaced when a response
 * header carries a new one), HTTP 200 with a non-zero `resultCode`/`returnCode` treated as a
 * failure, a timeout and an abort signal on every request, retries with backoff for idempotent
 * calls only, and one structured log line per upstream request (route, status, resultCode, ms) —
 * never a token, a key or a message's content.
 *
 * Failures are classified by what is known of the upstream outcome:
 * - `rejected`: the CEC answered and refused (4xx, or 200 + non-zero code) — certainly not done;
 * - `unavailable`: certainly not done (connection refused, 503, 429) — safe to repeat;
 * - `unknown`: the request may have been carried out (timeout, connection lost after the request
 *   was written, 500/502/504) — a non-idempotent call must not be repeated blindly.
 */
import type { ConnectorConfig } from './config.js';
import type { ConnectorStore } from './store.js';

export const API = '/apiaccess/ccmessaging';
export const TOKEN_BY_AKSK = '/apigovernance/api/oauth/tokenByAkSk';
const TOKEN_HEADER = 'ccmessaging-token';
/** applyToken's token lives one hour (§1.1); refresh it a little earlier. */
const CUSTOMER_TOKEN_TTL_MS = 55 * 60_000;
const ACCESS_TOKEN_MARGIN_MS = 5 * 60_000;

export type FailureKind = 'rejected' | 'unavailable' | 'unknown';

export class UpstreamError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly route: string,
    readonly status: number,
    /** The CEC's resultCode/returnCode/errorCode when it gave one. */
    readonly code: string | null,
    message: string,
    /** Seconds to wait, from Retry-After, when given. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface UpstreamDeps {
  fetch: typeof fetch;
  now: () => number;
  timers: Timers;
  random: () => number;
  /** One structured record per upstream request. */
  log: (record: Record<string, unknown>) => void;
}

/** Who an upstream call is made for (their ccmessaging token). */
export interface CustomerRef {
  customerId: string;
  channelId: string;
  userId: string;
  userName: string;
  locale: string;
}

export interface CallOptions {
  method?: 'GET' | 'POST';
  query?: Record<string, string>;
  body?: unknown;
  /** The customer whose ccmessaging token is sent (every call but tokenByAkSk/applyToken). */
  customer?: CustomerRef;
  /** Safe to repeat: retried with backoff on `unavailable` and `unknown`. */
  idempotent: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Codes (besides "0") that are answers, not failures (queryQueueInfo's 5, 160021, …). */
  acceptCodes?: readonly string[];
}

export interface Credentials {
  appKey: string;
  appSecret: string;
}

/** Sleeps `ms` on the injected timers; resolves early when `signal` aborts. */
export function sleep(timers: Timers, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      timers.clearTimeout(h);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const h = timers.setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * How long this process reuses a token it read from or wrote to the store before asking the store
 * again. Another instance's newer token is found sooner: a call refused with 401/403 first looks
 * in the store, and uses the token found there when it differs from the refused one.
 */
export const TOKEN_CACHE_MS = 60_000;

export class CecUpstream {
  private accessPending: Promise<string> | null = null;
  private customerPending = new Map<string, Promise<string>>();
  /** Local copies of shared tokens: name → value, valid until `until` (this process's clock). */
  private cache = new Map<string, { value: string; until: number }>();
  private cacheWrites = 0;

  constructor(
    private readonly cfg: ConnectorConfig['upstream'],
    private readonly creds: Credentials,
    private readonly store: ConnectorStore,
    private readonly deps: UpstreamDeps,
  ) {}

  private url(path: string, query?: Record<string, string>): string {
    const u = new URL(this.cfg.baseUrl.replace(/\/+$/, '') + path);
    for (const [k, val] of Object.entries(query ?? {})) u.searchParams.set(k, val);
    return u.href;
  }

  /** A shared token, from this process's copy while it is fresh, else from the store. */
  private async token(name: string): Promise<string | null> {
    const hit = this.cache.get(name);
    if (hit && hit.until > this.deps.now()) return hit.value;
    const t = await this.store.getToken(name);
    if (t) this.remember(name, t, TOKEN_CACHE_MS);
    else this.cache.delete(name);
    return t;
  }

  /** Keeps a local copy for at most TOKEN_CACHE_MS (never past `ttlMs`); drops stale copies now and then. */
  private remember(name: string, value: string, ttlMs: number): void {
    const t = this.deps.now();
    this.cache.set(name, { value, until: t + Math.min(ttlMs, TOKEN_CACHE_MS) });
    if (++this.cacheWrites % 256 === 0) for (const [k, v] of this.cache) if (v.until <= t) this.cache.delete(k);
  }

  private async setToken(name: string, value: string, ttlMs: number): Promise<void> {
    await this.store.setToken(name, value, ttlMs);
    this.remember(name, value, ttlMs);
  }

  private async deleteToken(name: string): Promise<void> {
    this.cache.delete(name);
    await this.store.deleteToken(name);
  }

  /** The API Fabric AccessToken, shared by all instances through the store; one request at a time here. */
  async accessToken(force = false): Promise<string> {
    if (!force) {
      const t = await this.token('cec:access');
      if (t) return t;
    }
    this.accessPending ??= this.fetchAccessToken().finally(() => (this.accessPending = null));
    return this.accessPending;
  }

  private async fetchAccessToken(): Promise<string> {
    const body = await this.request(
      'tokenByAkSk',
      TOKEN_BY_AKSK,
      {
        method: 'POST',
        body: { app_key: this.creds.appKey, app_secret: this.creds.appSecret },
        idempotent: true,
      },
      {},
    );
    const token = pickString(body, ['AccessToken', 'accessToken', 'access_token']);
    if (!token) throw new UpstreamError('rejected', 'tokenByAkSk', 200, null, 'tokenByAkSk answered without an AccessToken');
    const expiresIn = pickNumber(body, ['expiresIn', 'expires_in', 'ExpiresIn', 'Expires']) ?? 3600;
    await this.setToken('cec:access', token, Math.max(10_000, expiresIn * 1000 - ACCESS_TOKEN_MARGIN_MS));
    return token;
  }

  /** The customer's ccmessaging token (applyToken upstream when there is none). */
  async customerToken(c: CustomerRef, force = false): Promise<string> {
    const name = `cec:cm:${c.customerId}`;
    if (!force) {
      const t = await this.token(name);
      if (t) return t;
    }
    let p = this.customerPending.get(c.customerId);
    if (!p) {
      p = (async () => {
        const body = await this.call('applyToken', '/applyToken', {
          method: 'POST',
          body: { userId: c.userId, userName: c.userName || c.userId, channelId: c.channelId, locale: cecLocale(c.locale) },
          idempotent: true,
        });
        const token = pickString(body, ['token']);
        if (!token) throw new UpstreamError('rejected', 'applyToken', 200, null, 'applyToken answered without a token');
        await this.setToken(name, token, CUSTOMER_TOKEN_TTL_MS);
        return token;
      })().finally(() => this.customerPending.delete(c.customerId));
      this.customerPending.set(c.customerId, p);
    }
    return p;
  }

  /** Forgets the customer's ccmessaging token (their session ended). */
  async dropCustomerToken(customerId: string): Promise<void> {
    await this.deleteToken(`cec:cm:${customerId}`);
  }

  /**
   * One CEC call under `API` (or the given absolute path for tokenByAkSk): credentials added, a
   * 401/403 answered by refreshing the AccessToken and the customer's token and trying once more
   * (the CEC refused it, so repeating is safe even for a send), idempotent calls retried with
   * backoff. Resolves with the JSON body of a successful answer.
   */
  async call(route: string, path: string, opts: CallOptions): Promise<Record<string, unknown>> {
    let reread = false;
    let refreshed = false;
    let force = false;
    const cmName = opts.customer ? `cec:cm:${opts.customer.customerId}` : null;
    for (let attempt = 0; ; attempt++) {
      let access = '';
      let cmToken: string | undefined;
      try {
        const headers: Record<string, string> = {};
        headers['x-app-key'] = this.creds.appKey;
        access = await this.accessToken(force && attempt === 0);
        headers.authorization = `Bearer ${access}`;
        if (opts.customer) {
          cmToken = await this.customerToken(opts.customer);
          headers[TOKEN_HEADER] = cmToken;
        }
        return await this.request(route, API + path, opts, headers, cmToken);
      } catch (e) {
        if (!(e instanceof UpstreamError)) throw e;
        if (opts.signal?.aborted) throw e;
        const authFailure = e.status === 401 || e.status === 403 || (route === 'queryQueueInfo' && e.code === '3');
        if (authFailure && !reread) {
          // The local copies may be older than the store's (another instance renewed them): look
          // there first, and renew only the tokens the store still has as refused.
          reread = true;
          this.cache.delete('cec:access');
          if (cmName) this.cache.delete(cmName);
          const [a, cm] = await Promise.all([this.store.getToken('cec:access'), cmName ? this.store.getToken(cmName) : null]);
          if ((a && a !== access) || (cm && cm !== cmToken)) {
            attempt = -1;
            continue;
          }
        }
        if (authFailure && !refreshed) {
          // The CEC refused it, so repeating is safe even for a send.
          refreshed = true;
          force = true;
          await this.deleteToken('cec:access');
          if (cmName) await this.deleteToken(cmName);
          attempt = -1;
          continue;
        }
        const repeatable = e.kind === 'unavailable' || (e.kind === 'unknown' && opts.idempotent);
        if (!repeatable || attempt + 1 >= this.cfg.attempts) throw e;
        const wait = e.retryAfter !== null ? e.retryAfter * 1000 : backoff(attempt, this.deps.random);
        await sleep(this.deps.timers, Math.min(wait, 10_000), opts.signal);
      }
    }
  }

  /** One HTTP request with a timeout; classifies the outcome; logs one line. */
  private async request(route: string, path: string, opts: CallOptions, headers: Record<string, string>, cmToken?: string): Promise<Record<string, unknown>> {
    const started = this.deps.now();
    const timeoutMs = opts.timeoutMs ?? this.cfg.timeoutMs;
    const ac = new AbortController();
    let timedOut = false;
    const timer = this.deps.timers.setTimeout(() => {
      timedOut = true;
      ac.abort();
    }, timeoutMs);
    const onAbort = () => ac.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    // Aborted before it began (the connector closed while the caller awaited its store): no request.
    if (opts.signal?.aborted) ac.abort();
    const log = (status: number, resultCode: string | null, outcome: string) => this.deps.log({ upstream: route, status, resultCode, ms: this.deps.now() - started, outcome });
    try {
      let res: Response;
      try {
        if (opts.body !== undefined) headers['content-type'] = 'application/json';
        res = await this.deps.fetch(this.url(path, opts.query), {
          method: opts.method ?? 'POST',
          headers,
          body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
          signal: ac.signal,
        });
      } catch (e) {
        const refused = !timedOut && !opts.signal?.aborted && isRefused(e);
        log(0, null, timedOut ? 'timeout' : opts.signal?.aborted ? 'aborted' : refused ? 'refused' : 'network');
        throw new UpstreamError(refused ? 'unavailable' : 'unknown', route, 0, null, `${route}: ${timedOut ? `no answer within ${timeoutMs} ms` : 'no answer'}`);
      }
      let body: Record<string, unknown> = {};
      let text = '';
      try {
        text = await res.text();
      } catch {
        // The connection broke before the body was in (or the call was given up): no answer,
        // whatever the status said; the request may or may not have been carried out.
        log(res.status, null, timedOut ? 'timeout' : opts.signal?.aborted ? 'aborted' : 'network');
        throw new UpstreamError('unknown', route, res.status, null, `${route}: the answer was cut off`);
      }
      try {
        const parsed = text ? JSON.parse(text) : {};
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
      } catch {
        /* not JSON (a gateway's HTML page): judged by status below */
      }
      const code = pickString(body, ['resultCode', 'returnCode']) ?? null;
      if (!res.ok) {
        const errorCode = pickString(body, ['errorCode']) ?? code;
        log(res.status, errorCode, 'failed');
        const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
        const kind: FailureKind = res.status === 503 || res.status === 429 ? 'unavailable' : res.status >= 500 ? 'unknown' : 'rejected';
        throw new UpstreamError(kind, route, res.status, errorCode, `${route}: HTTP ${res.status}`, retryAfter);
      }
      const rotated = res.headers.get(TOKEN_HEADER);
      if (rotated && opts.customer && rotated !== cmToken) {
        await this.setToken(`cec:cm:${opts.customer.customerId}`, rotated, CUSTOMER_TOKEN_TTL_MS);
      }
      if (code !== null && code !== '0' && !(opts.acceptCodes ?? []).includes(code)) {
        log(res.status, code, 'rejected');
        const desc = pickString(body, ['resultDesc', 'exceptionInfo']) ?? '';
        throw new UpstreamError('rejected', route, res.status, code, `${route}: resultCode ${code}${desc ? ` (${desc.slice(0, 120)})` : ''}`);
      }
      log(res.status, code, 'ok');
      return body;
    } finally {
      this.deps.timers.clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }
}

/** Exponential backoff with jitter: about 200 ms, 400 ms, 800 ms … up to 5 s. */
export function backoff(attempt: number, random: () => number): number {
  const ceiling = Math.min(5000, 200 * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The CEC's applyToken locale: ISO-639 without country ("zh", "en"). */
export function cecLocale(locale: string): string {
  const l = (locale || 'en').slice(0, 2).toLowerCase();
  return l === 'zh' ? 'zh' : 'en';
}

function isRefused(e: unknown): boolean {
  const cause = (e as { cause?: { code?: string } })?.cause;
  return cause?.code === 'ECONNREFUSED' || cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN';
}

function parseRetryAfter(h: string | null): number | null {
  if (!h) return null;
  const n = Number(h);
  return Number.isFinite(n) && n >= 0 ? Math.min(n, 60) : null;
}

export function pickString(o: Record<string, unknown>, keys: string[]): string | undefined {
  for (const k of keys) {
    const val = o[k];
    if (typeof val === 'string' && val !== '') return val;
    if (typeof val === 'number') return String(val);
  }
  return undefined;
}

export function pickNumber(o: Record<string, unknown>, keys: string[]): number | undefined {
  for (const k of keys) {
    const val = o[k];
    const n = typeof val === 'string' ? Number(val) : val;
    if (typeof n === 'number' && Number.isFinite(n)) return n;
  }
  return undefined;
}
