/**
 * The channel API client: the only code in the widget that calls `fetch`. It owns the session
 * token (applied for with the integrator's signature, refreshed before expiry and after a 401,
 * swapped for a rotated one from the response header) and never puts it in a URL or a log.
 */
import {
  API_PATH,
  TOKEN_HEADER,
  type ApplyTokenRequest,
  type ApplyTokenResponse,
  type ChannelConfig,
  type HistoryRequest,
  type HistoryResponse,
  type PollResponse,
  type QueueInfoResponse,
  type SendRequest,
  type SendResponse,
} from '../core/protocol.js';
import type { CallEvent } from '../core/call.js';
import type { Authorization } from '../core/protocol.js';
import { clockFrom, type Clock } from './clock.js';
import { ApiCallError, NetworkError, parseRetryAfter } from './errors.js';

export type { Authorization } from '../core/protocol.js';

export interface ClientOptions {
  /** Origin (and optional path prefix) of the contact center; the API path is appended. Default: this page's origin. */
  baseUrl?: string;
  channelId: string;
  userId: string;
  userName?: string;
  locale?: string;
  authorization?: Authorization;
  fetch?: typeof fetch;
  /** The clock for token expiry, timestamps and timeouts (parts not given: the system's). */
  clock?: Partial<Clock>;
  /** Time limit of a request in ms, answer included (a long poll gets its wait on top), and of the `authorization` function. Default 20,000. */
  requestTimeoutMs?: number;
  /** The resume key kept from an earlier page of this browser (see ApplyTokenRequest.resumeKey). */
  resumeKey?: string;
  /** The server bound the token to this resume key (a new one, or the same): keep it to resume after a reload. */
  onResumeKey?: (key: string) => void;
}

/** Refresh this long before the token expires. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * One customer's calls to the channel API (channel-api.md), for integrators who build their own
 * UI (the widget drives it through SessionRunner). Every call has a time limit
 * (`requestTimeoutMs`, a long poll's wait on top) and rejects with ApiCallError (an error status:
 * `status`, `errorCode`, `field`, `retryAfterMs`) or NetworkError (`offline`, `timeout`, `woken`);
 * a 401 is answered once by a new token and the call repeated.
 */
export class ChannelClient {
  private token: string | null = null;
  private expiresAt = 0;
  private pending: Promise<string> | null = null;
  private readonly base: string;
  private readonly fetchFn: typeof fetch;
  private readonly clock: Clock;
  private readonly requestTimeoutMs: number;
  /** Sent only in the applyToken body: never in a URL, a header or a log. */
  private resumeKey: string | undefined;
  /** Stops for the requests in flight (see abortInFlight). */
  private readonly inFlight = new Set<() => void>();

  constructor(readonly opts: ClientOptions) {
    this.base = (opts.baseUrl ?? '').replace(/\/+$/, '') + API_PATH;
    this.fetchFn = opts.fetch ?? ((...args) => globalThis.fetch(...args));
    this.clock = clockFrom(opts.clock);
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 20_000;
    this.resumeKey = opts.resumeKey;
  }

  get userId(): string {
    return this.opts.userId;
  }

  /** A valid token, applying for one when there is none or it is about to expire. */
  getToken(): Promise<string> {
    if (this.token && this.clock.now() < this.expiresAt - REFRESH_MARGIN_MS) return Promise.resolve(this.token);
    this.pending ??= this.applyToken().finally(() => (this.pending = null));
    return this.pending;
  }

  /** Forgets the token (after a 401, or when the user changes). */
  invalidate(): void {
    this.token = null;
    this.expiresAt = 0;
  }

  private async applyToken(): Promise<string> {
    const body: ApplyTokenRequest = { channelId: this.opts.channelId, userId: this.opts.userId, userName: this.opts.userName, locale: this.opts.locale, resumeKey: this.resumeKey };
    const data = (await this.raw('POST', '/applyToken', { headers: { 'content-type': 'application/json' }, body, auth: this.opts.authorization })).data as ApplyTokenResponse;
    if (data.resumeKey && data.resumeKey !== this.resumeKey) {
      this.resumeKey = data.resumeKey;
      this.opts.onResumeKey?.(data.resumeKey);
    }
    this.token = data.token;
    this.expiresAt = this.clock.now() + data.expiresIn * 1000;
    return data.token;
  }

  /**
   * One HTTP exchange, status line to last byte of the body, within a time limit: `timeoutMs`
   * (default `requestTimeoutMs`) on the injected clock. Throws NetworkError ('timeout',
   * 'offline', or 'woken' after abortInFlight()), ApiCallError for an error status (with the
   * server's Retry-After), or the caller's own AbortError when its `signal` aborted. `auth`: the
   * integrator's signature (or the function that gets it, usually from the integrator's server,
   * which can hang like any request), sent as `Authorization: Bearer`; the time limit counts it.
   */
  private async raw(
    method: string,
    path: string,
    init: { headers: Record<string, string>; body?: unknown; query?: Record<string, string | number>; signal?: AbortSignal; timeoutMs?: number; auth?: Authorization },
  ): Promise<{ headers: Headers; data: unknown }> {
    const url = new URL(this.base + path, globalThis.location?.href ?? 'http://localhost/');
    for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, String(v));
    const abort = new AbortController();
    let why: 'timeout' | 'woken' | null = null;
    const stop = (reason: 'timeout' | 'woken') => {
      why ??= reason;
      abort.abort();
    };
    const onCallerAbort = () => abort.abort();
    init.signal?.addEventListener('abort', onCallerAbort);
    if (init.signal?.aborted) abort.abort();
    const wake = () => stop('woken');
    this.inFlight.add(wake);
    const timer = this.clock.setTimeout(() => stop('timeout'), init.timeoutMs ?? this.requestTimeoutMs);
    try {
      const { auth } = init;
      if (auth) {
        const signature = await new Promise<string>((resolve, reject) => {
          abort.signal.addEventListener('abort', reject);
          Promise.resolve()
            .then(() => (typeof auth === 'function' ? auth() : auth))
            .then(resolve, reject);
        });
        if (signature) init.headers.authorization = `Bearer ${signature}`;
      }
      const res = await this.fetchFn(url.href, {
        method,
        headers: init.headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: abort.signal,
        credentials: 'omit',
      });
      const text = await res.text();
      if (!res.ok) {
        let body: { errorCode?: string; exceptionInfo?: string; field?: string } = {};
        try {
          body = JSON.parse(text);
        } catch {
          /* a proxy's HTML error page: keep the status */
        }
        const retryAfter = res.status === 429 || res.status === 503 ? parseRetryAfter(res.headers.get('retry-after'), res.headers.get('date'), this.clock.now()) : null;
        throw new ApiCallError(res.status, body.errorCode ?? `http.${res.status}`, body.exceptionInfo ?? `${method} ${path} failed with HTTP ${res.status}`, body.field, retryAfter ?? undefined);
      }
      return { headers: res.headers, data: text ? JSON.parse(text) : null };
    } catch (e) {
      if (e instanceof ApiCallError) throw e;
      if (init.signal?.aborted) throw e;
      if (why) throw new NetworkError(`${method} ${path} got no answer: ${why === 'timeout' ? 'the time limit passed' : 'a wake-up interrupted it'}`, why);
      throw new NetworkError(`${method} ${path} got no answer`);
    } finally {
      this.clock.clearTimeout(timer);
      this.inFlight.delete(wake);
      init.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /**
   * Aborts every request in flight (they fail as NetworkError 'woken' and are repeated by their
   * callers at once): after sleep or a network change a connection may be half-open, and only
   * a new request proves that the network is back.
   */
  abortInFlight(): void {
    for (const stop of [...this.inFlight]) stop();
  }

  /** An authenticated call: repeats once with a new token after a 401. */
  private async call<T>(method: string, path: string, init: { body?: unknown; query?: Record<string, string | number>; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.getToken();
      try {
        const headers: Record<string, string> = { [TOKEN_HEADER]: token };
        if (init.body !== undefined) headers['content-type'] = 'application/json';
        const res = await this.raw(method, path, { ...init, headers });
        const rotated = res.headers.get(TOKEN_HEADER);
        if (rotated && rotated !== token) {
          this.token = rotated;
          this.expiresAt = this.clock.now() + 3600_000;
        }
        return res.data as T;
      } catch (e) {
        if (e instanceof ApiCallError && e.status === 401 && attempt === 0) {
          if (this.token === token) this.invalidate();
          continue;
        }
        throw e;
      }
    }
  }

  channelConfig(): Promise<ChannelConfig> {
    // The locale (ext) makes a channel's texts given by language answer in the customer's.
    const query: Record<string, string> = { channelId: this.opts.channelId };
    if (this.opts.locale) query.locale = this.opts.locale;
    return this.raw('GET', '/queryChannelConfig', { headers: {}, query }).then((r) => r.data as ChannelConfig);
  }

  send(req: Omit<SendRequest, 'channel' | 'from' | 'to' | 'sourceType' | 'senderNickname' | 'timestamp'>): Promise<SendResponse> {
    const body: SendRequest = {
      channel: 'WEB',
      from: this.opts.userId,
      to: this.opts.channelId,
      sourceType: 'CUSTOMER',
      senderNickname: this.opts.userName ?? this.opts.userId,
      timestamp: this.clock.now(),
      ...req,
    };
    return this.call('POST', '/send', { body });
  }

  poll(cursor: number, waitSeconds: number, signal?: AbortSignal): Promise<PollResponse> {
    // The server holds a long poll up to `waitSeconds`: the time limit starts after that.
    return this.call('GET', '/poll', { query: { receiverId: this.opts.userId, channel: 'WEB', cursor, wait: waitSeconds }, signal, timeoutMs: waitSeconds * 1000 + this.requestTimeoutMs });
  }

  queueInfo(): Promise<QueueInfoResponse> {
    return this.call('POST', '/queryQueueInfo', { body: { userId: this.opts.userId, channelId: this.opts.channelId } });
  }

  /**
   * `queryHistoryChatMessage`. `page` (ext): the last `limit` (1–200) messages before
   * `beforeSeq` (default the newest); without it the whole session. `signal` aborts it; it has
   * the client's request time limit like every call.
   */
  history(page: { limit?: number; beforeSeq?: number } = {}, signal?: AbortSignal): Promise<HistoryResponse> {
    // (JSON leaves out what is undefined)
    const body: HistoryRequest = { userId: this.opts.userId, channelId: this.opts.channelId, ...page };
    return this.call('POST', '/queryHistoryChatMessage', { body, signal });
  }

  saveSatisfaction(score: number, comment: string): Promise<unknown> {
    return this.call('POST', '/saveSatisfaction', {
      body: { userId: this.opts.userId, channelId: this.opts.channelId, evaluation: String(score), comment },
    });
  }

  /** Uploads a file (base64, as the channel API wants it); returns its objectKey. */
  async upload(fileType: string, fileName: string, fileStream: string): Promise<string> {
    const res = await this.call<{ objectKey: string }>('POST', '/uploadFileStream', { body: { fileType, fileName, fileStream, channel: 'WEB' } });
    return res.objectKey;
  }

  /**
   * Where an uploaded file can be shown or downloaded (public by its unguessable key), or ''
   * when the key cannot be a URL path. Each segment of the key is percent-encoded once, whether
   * the server sent it encoded (`abc/caf%C3%A9.pdf`) or not (`abc/café.pdf`), so `#`, `?` and
   * `%` in a name stay part of it; dot segments (`..`), which a URL would resolve away, give ''.
   */
  fileUrl(objectKey: string): string {
    const segments = objectKey.split('/').map((seg) => {
      try {
        return encodeURIComponent(decodeURIComponent(seg));
      } catch {
        return encodeURIComponent(seg); // a lone '%' is part of the name
      }
    });
    if (segments.some((seg) => !seg || /^(\.|%2e)+$/i.test(seg))) return '';
    return new URL(`${this.base}/file/${segments.join('/')}`, globalThis.location?.href ?? 'http://localhost/').href;
  }

  /** Click-to-dial: `resultCode "13"` means no agent can take the call. */
  createCall(media: 'voice' | 'video'): Promise<{ resultCode: string; callId?: string }> {
    return this.call('POST', '/createClickToCall', { body: { mediaAbility: media === 'voice' ? '0' : '1' } });
  }

  callEvents(callId: string, cursor: number, waitSeconds: number, signal?: AbortSignal): Promise<{ events: CallEvent[]; cursor: number }> {
    return this.call('GET', '/getClickToCallEvents', { query: { callId, cursor, wait: waitSeconds }, signal, timeoutMs: waitSeconds * 1000 + this.requestTimeoutMs });
  }

  dropCall(callId: string): Promise<unknown> {
    return this.call('POST', '/dropClickToCall', { body: { callId } });
  }

  leaveMessage(content: string, contact: string): Promise<unknown> {
    return this.call('POST', '/doLeaveMessage', { body: { userId: this.opts.userId, channelId: this.opts.channelId, content, contact } });
  }
}
