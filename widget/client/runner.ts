/**
 * Runs the session: holds the state of the pure reducer, carries out its effects with the
 * ChannelClient, polls the downlink stream by cursor, and delivers the customer's messages
 * through an ordered outbox that retries with backoff (idempotent on clientMessageId).
 * Time and randomness are injected (one Clock) so tests control time.
 */
import type { HostEvents, SessionEventName } from '../core/host-events.js';
import { CHAT_PHASES, HISTORY_PAGE, initialState, lastIdleWarning, transition, type Effect, type SessionEventIn, type SessionState } from '../core/session.js';
import { pendingFrom } from '../core/transcript.js';
import { backoffDelay } from './backoff.js';
import { ChannelClient, type ClientOptions } from './channel-client.js';
import { clockFrom, type Clock } from './clock.js';
import { ApiCallError, isRetryable, NetworkError } from './errors.js';
import { expireStale, SessionStore, storageKeys, type KeyValueStorage, type SavedSession } from './persistence.js';
import { TabLink } from './tabs.js';
import type { TestPicture } from './test-picture.js';

export interface RunnerOptions extends ClientOptions {
  random?: () => number;
  /** Long-poll wait in seconds (the server holds the request open up to this long). */
  pollWaitSeconds?: number;
  /** Attempts before a message is shown as failed (it can then be retried by hand). */
  maxSendAttempts?: number;
  /** Host-page events (`cec-*`, see core/host-events.ts). */
  onEvent?: (name: SessionEventName, detail: HostEvents[SessionEventName]) => void;
  /** Where unsent messages and the resume key survive a reload; none by default. */
  storage?: KeyValueStorage | null;
  /** Share one poller among the tabs of this customer (Web Locks + BroadcastChannel). */
  shareTabs?: boolean;
  /** Another tab of this customer showed the messages up to `seq` (see markSeen). */
  onSeen?: (seq: number) => void;
}

/** How a call is retried by `retrying`: attempts (Infinity: until stopped) and when to give up. */
interface RetryPolicy {
  attempts: number;
  /** Checked before each wait: false stops the retries (the loop was stopped or aborted). */
  keepGoing?: () => boolean;
  /** Show "reconnecting" while retrying (not for background calls such as call events). */
  showReconnecting?: boolean;
  /** Which failures are worth another try; default isRetryable (network, 5xx, 429, 408). */
  retryable?: (e: unknown) => boolean;
}

type SendEffect = Extract<Effect, { type: 'send' }>;

/** Host events delivered per task while a history's are queued (a few ms of work at 4x CPU). */
const HOST_EVENT_CHUNK = 250;
type Listener = (state: SessionState) => void;

/**
 * Runs one customer's session: `dispatch(event)` applies the pure reducer (core/session.ts) and
 * carries out its effects through a ChannelClient, `subscribe(fn)` hears every new state, and
 * `start()` / `destroy()` begin and end the work (polling, the outbox, a call's media). Failures
 * never throw to the caller: they become state (`error`, a message's `failed`, `connection`).
 */
export class SessionRunner {
  readonly client: ChannelClient;
  private current: SessionState = initialState();
  private listeners = new Set<Listener>();
  private readonly clock: Clock;
  private random: () => number;
  private outbox: SendEffect[] = [];
  private flushing = false;
  private polling = false;
  private pollAbort: AbortController | null = null;
  private wakers = new Set<() => void>();
  private destroyed = false;
  private readonly store: SessionStore;
  private saved: SavedSession;
  /** Unsent messages from before a reload, resent once the session is known again. */
  private resend: SavedSession['outbox'];
  /** The idle warning as it stood before a reload (see SavedSession.idle). */
  private readonly restoredIdle: SavedSession['idle'];
  private tabs: TabLink | null = null;
  private connected = false;
  /** The key the server bound our token to (contract C1); stored with the session, never elsewhere. */
  private resumeKey: string | undefined;
  /**
   * Host events not yet delivered, oldest first (see `emit`): those of a history (one per
   * message, 10,000 for a long chat) go out in chunks after the transcript is shown.
   */
  private hostEvents: Array<Extract<Effect, { type: 'emit' }>> = [];
  /** The history is being applied: its host events are queued, not delivered in the same task. */
  private applyingHistory = false;
  private hostEventTimer: unknown = null;
  /** Stops the request for an earlier page of the history (destroy, a new chat). */
  private earlierAbort: AbortController | null = null;

  constructor(private readonly opts: RunnerOptions) {
    this.clock = clockFrom(opts.clock);
    expireStale(opts.storage ?? null, opts.channelId, this.clock.now());
    this.store = new SessionStore(opts.storage ?? null, opts.channelId, opts.userId, () => this.clock.now());
    this.saved = this.store.load() ?? { outbox: [] };
    this.resumeKey = this.saved.resumeKey;
    this.client = new ChannelClient({
      ...opts,
      clock: this.clock,
      resumeKey: this.resumeKey,
      onResumeKey: (key) => {
        this.resumeKey = key;
        this.persist();
      },
    });
    this.resend = this.saved.outbox;
    this.restoredIdle = this.saved.idle;
    this.random = opts.random ?? Math.random;
    // What this browser already reported read is not reported again after a reload.
    // (the reducer's state before the first event: no listener yet, nothing to persist)
    if (this.saved.read) this.current = { ...this.current, seenSeq: this.saved.read };
  }

  get state(): SessionState {
    return this.current;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  dispatch(event: SessionEventIn): void {
    if (this.destroyed) return;
    const { state, effects } = transition(this.current, event);
    if (state !== this.current) {
      this.current = state;
      this.persist();
      for (const fn of this.listeners) fn(state);
    }
    for (const effect of effects) this.run(effect);
    // However the call ended (hung up, the agent, the chat ended under it), its media stops now.
    if ((this.callMedia || this.remote) && !(this.current.call && this.current.call.status !== 'ended')) this.endCall();
    if (this.resend.length && CHAT_PHASES.includes(this.current.phase)) this.resendSaved();
  }

  /** The injected clock's time (epoch ms). */
  now(): number {
    return this.clock.now();
  }

  newId(): string {
    const c = globalThis.crypto;
    if (typeof c?.randomUUID === 'function') return c.randomUUID();
    const b = new Uint8Array(16);
    c.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  }

  /**
   * Saves what a reload needs. An ended session is forgotten at once (its record and resume
   * key), so the next visitor of this browser starts a new chat and sees nothing of it.
   */
  private persist(): void {
    if (this.current.phase === 'ended') {
      if (this.saved.resumeKey || this.saved.outbox.length || this.saved.idle) this.store.clear();
      this.saved = { outbox: [] };
      return;
    }
    // Unsent messages are unconfirmed, so they are the transcript's tail (see core/transcript.ts):
    // what is saved per state change does not grow with the chat.
    const outbox: SavedSession['outbox'] = [];
    const t = this.current.transcript;
    for (const m of t.slice(pendingFrom(t))) {
      // Text only: a picked file cannot survive a reload.
      if (m.author === 'customer' && m.mediaType === 'TEXT' && (m.status === 'sending' || m.status === 'failed')) outbox.push({ id: m.id, text: m.text, at: m.at });
    }
    const warning = this.current.idleDeadline === null ? undefined : lastIdleWarning(this.current);
    const next: SavedSession = { outbox: [...outbox, ...this.resend] };
    if (warning?.seq && this.current.idleDeadline !== null) next.idle = { seq: warning.seq, deadline: this.current.idleDeadline };
    if (this.resumeKey) next.resumeKey = this.resumeKey;
    if (this.current.seenSeq > 0) next.read = this.current.seenSeq;
    if (JSON.stringify(next) === JSON.stringify(this.saved)) return;
    this.saved = next;
    this.store.save(next);
  }

  /** After a reload: send again what had not been acknowledged (same ids, so never twice). */
  private resendSaved(): void {
    const pending = this.resend;
    this.resend = [];
    for (const m of pending) this.dispatch({ type: 'message.submit', id: m.id, text: m.text, now: m.at, name: this.opts.userName ?? this.opts.userId });
  }

  /** Whether this tab polls for the customer (the only tab, or the leader of several). */
  get leads(): boolean {
    return this.tabs ? this.tabs.leader : true;
  }

  start(): void {
    this.dispatch({ type: 'session.start', now: this.now() });
  }

  /**
   * Network back or tab visible again (the laptop woke up): aborts what is in flight (it may
   * hang on a half-open connection) and repeats it at once, ends every backoff wait, and
   * retries the messages shown as not sent.
   */
  poke(): void {
    this.client.abortInFlight();
    for (const w of [...this.wakers]) w();
    for (const m of this.current.transcript) if (m.status === 'failed') this.dispatch({ type: 'message.retry', id: m.id });
  }

  /** The customer saw the messages up to `seq` here: tells their other tabs (their badges clear). */
  markSeen(seq: number): void {
    this.tabs?.publishSeen(seq);
  }

  /** The browser went offline: say so at once (the next answer from the server clears it). */
  offline(): void {
    this.dispatch({ type: 'connection.changed', status: 'reconnecting' });
  }

  destroy(): void {
    this.destroyed = true;
    this.polling = false;
    this.pollAbort?.abort();
    this.earlierAbort?.abort();
    for (const w of [...this.wakers]) w();
    this.listeners.clear();
    this.tabs?.destroy();
    // Nothing raised is lost: host events still queued go out now.
    if (this.hostEventTimer !== null) this.clock.clearTimeout(this.hostEventTimer);
    this.deliverHostEvents();
    // A call cannot outlive its media: the other side is told it is over.
    const call = this.current.call;
    if (call?.callId && call.status !== 'ended') this.client.dropCall(call.callId).catch(() => {});
    this.endCall();
  }

  private run(effect: Effect): void {
    switch (effect.type) {
      case 'connect':
        void this.connect();
        return;
      case 'send':
        this.outbox.push(effect.id ? effect : { ...effect, id: this.newId() });
        void this.flush();
        return;
      case 'upload':
        void this.upload(effect.id);
        return;
      case 'loadEarlier':
        void this.loadEarlier(effect.beforeSeq);
        return;
      case 'typing':
        // Transient: not worth retrying or ordering with messages; a lost one is harmless.
        this.client.send({ controlType: 'INPUT', mediaType: 'TEXT', content: effect.typing ? 'typing' : '', clientMessageId: this.newId() }).catch(() => {});
        return;
      case 'read':
        // Like INPUT: one try with the client's timeout, outside the transcript and the outbox.
        // A lost READ is made good by the next one (it carries the highest seq read); a failure
        // is never shown to the customer. The content is the agent message's seq (README, READ).
        this.client.send({ controlType: 'READ', mediaType: 'TEXT', content: String(effect.readSeq), clientMessageId: this.newId() }).catch(() => {});
        return;
      case 'saveSatisfaction':
        this.retrying(() => this.client.saveSatisfaction(effect.score, effect.comment), { attempts: 3 }).then(
          () => this.dispatch({ type: 'evaluation.saved' }),
          () => this.dispatch({ type: 'evaluation.failed' }),
        );
        return;
      case 'call.start':
        void this.runCall(effect.media);
        return;
      case 'call.drop':
        this.endCall();
        if (effect.callId) this.client.dropCall(effect.callId).catch(() => {});
        return;
      case 'call.tracks':
        for (const track of this.callMedia?.getTracks() ?? []) track.enabled = track.kind === 'audio' ? effect.mic : effect.camera;
        return;
      case 'call.testPicture':
        this.remote?.stop();
        this.remote = null;
        // Only the mock asks for a test picture, so its drawing code loads then, not with every
        // panel. The view is told once the picture exists (listeners see the same state).
        void import('./test-picture.js').then(({ testPicture }) => {
          const call = this.current.call;
          if (!call || call.status === 'ended' || this.remote) return;
          this.remote = testPicture(effect.agentName, this.clock);
          for (const fn of this.listeners) fn(this.current);
        });
        return;
      case 'leaveMessage':
        this.retrying(() => this.client.leaveMessage(effect.content, effect.contact), { attempts: 3 }).then(
          () => this.dispatch({ type: 'leaveMessage.sent' }),
          () => this.dispatch({ type: 'leaveMessage.failed' }),
        );
        return;
      case 'emit':
        this.emit(effect);
        return;
    }
  }

  /**
   * Delivers a host event (`cec-*`). Those of the history are queued and delivered
   * HOST_EVENT_CHUNK per task once the history is on screen, so a 10,000-message history does
   * not hold up its own display with 10,000 host events; any event raised while some are still
   * queued waits behind them, so the host sees every event once, in the order they happened.
   */
  private emit(effect: Extract<Effect, { type: 'emit' }>): void {
    if (!this.applyingHistory && this.hostEvents.length === 0) {
      this.opts.onEvent?.(effect.name, effect.detail);
      return;
    }
    this.hostEvents.push(effect);
    this.hostEventTimer ??= this.clock.setTimeout(this.deliverHostEvents, 0);
  }

  private deliverHostEvents = (): void => {
    this.hostEventTimer = null;
    const chunk = this.hostEvents.splice(0, this.destroyed ? this.hostEvents.length : HOST_EVENT_CHUNK);
    for (const e of chunk) this.opts.onEvent?.(e.name, e.detail);
    if (this.hostEvents.length) this.hostEventTimer = this.clock.setTimeout(this.deliverHostEvents, 0);
  };

  /**
   * Settles once the history asked for by the current connect() is applied (rejects when the
   * start failed): the first poll waits for it, so it asks from the cursor the history left.
   */
  private started: Promise<void> = Promise.resolve();

  /**
   * Starts the session with every request the contract lets run at once: the channel's
   * configuration (no token needed), the history (after the token), and CONNECT (after the
   * token, through the outbox). The first poll waits for the history, so it asks only for what
   * came after it; messages that both return are applied once (the cursor drops repeats).
   */
  private connect(): Promise<void> {
    // A new chat drops the request for an earlier page of the old one.
    this.earlierAbort?.abort();
    // The newest page only (≈ the panel's window): the rest comes when the reader scrolls up.
    const history = this.current.cursor === 0 ? this.retrying(() => this.client.history({ limit: HISTORY_PAGE })) : null;
    // Awaited only after the config: a history that fails first must not be an unhandled rejection
    // meanwhile (the await below still sees the failure).
    history?.catch(() => {});
    const config = this.retrying(() => this.client.channelConfig());
    const started = (async () => {
      this.dispatch({ type: 'session.configured', config: await config });
      if (history) {
        const { messages, context, hasMore, earlierCount } = await history;
        this.applyingHistory = true;
        try {
          // (an older server without paging answers the whole session: no `hasMore`)
          this.dispatch({ type: 'downlink.received', messages, now: this.now(), history: true, context, hasMore: hasMore ?? false, earlierCount });
        } finally {
          this.applyingHistory = false;
        }
        // The idle countdown goes on from where it was before the reload.
        const idle = this.restoredIdle;
        if (idle && this.current.idleDeadline !== null) this.dispatch({ type: 'idle.restore', ...idle });
      }
    })();
    this.started = started;
    this.run({ type: 'send', id: '', controlType: 'CONNECT', content: '', mediaType: 'TEXT' });
    return started.then(
      () => this.startPolling(),
      (e) => {
        history?.catch(() => {}); // the config failed first: the history's own failure says nothing more
        this.dispatch({ type: 'session.failed', error: errorCode(e) });
      },
    );
  }

  /** The leader tab (or the only one) polls; the others receive its batches. */
  private startPolling(): void {
    this.connected = true;
    if (this.opts.shareTabs && !this.tabs) {
      this.tabs = new TabLink(
        storageKeys.tabs(this.opts.channelId, this.opts.userId),
        (messages) => this.dispatch({ type: 'downlink.received', messages, now: this.now() }),
        () => this.connected && this.startPolling(),
        (seq) => this.opts.onSeen?.(seq),
      );
    }
    if (this.tabs && !this.tabs.leader) return;
    if (this.polling) return;
    this.polling = true;
    void this.pollLoop();
  }

  private async pollLoop(): Promise<void> {
    try {
      await this.started;
    } catch {
      this.polling = false;
      return;
    }
    while (this.polling && !this.destroyed) {
      try {
        const res = await this.retrying(
          (attempt) => {
            this.pollAbort = new AbortController();
            // After a failure, ask without waiting: the answer tells whether we are back.
            return this.client.poll(this.current.cursor, attempt === 0 ? (this.opts.pollWaitSeconds ?? 25) : 0, this.pollAbort.signal);
          },
          // A long poll is the session's lifeline: every failure is retried while it runs.
          { attempts: Infinity, keepGoing: () => this.polling, showReconnecting: true, retryable: () => true },
        );
        this.dispatch({ type: 'connection.changed', status: 'online' });
        this.dispatch({ type: 'downlink.received', messages: res.downlinkMessages, now: this.now() });
        this.tabs?.publish(res.downlinkMessages);
        if (this.current.phase === 'ended') this.polling = false;
      } catch {
        if (!this.polling || this.destroyed) break;
      }
    }
    this.polling = false;
  }

  /**
   * The HISTORY_PAGE messages before `beforeSeq` (the reader scrolled past the transcript's
   * start): retried like any idempotent call (3 tries, each with the request time limit), then
   * `history.failed` so the panel offers another try. Aborted by destroy() and by a new chat
   * (nothing is dispatched then). Messages that arrive by poll meanwhile are newer, so the page
   * and the poll never hold the same message (and the reducer drops any overlap by seq).
   */
  private async loadEarlier(beforeSeq: number): Promise<void> {
    this.earlierAbort?.abort();
    const abort = (this.earlierAbort = new AbortController());
    try {
      const page = await this.retrying(() => this.client.history({ limit: HISTORY_PAGE, beforeSeq }, abort.signal), {
        attempts: 3,
        keepGoing: () => !abort.signal.aborted,
        showReconnecting: false,
      });
      if (abort.signal.aborted) return;
      this.dispatch({ type: 'history.page', messages: page.messages, hasMore: page.hasMore ?? false, earlierCount: page.earlierCount });
    } catch {
      if (!abort.signal.aborted) this.dispatch({ type: 'history.failed' });
    } finally {
      if (this.earlierAbort === abort) this.earlierAbort = null;
    }
  }

  /** Sends in order; retries retryable failures with backoff; marks the rest failed. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.outbox.length && !this.destroyed) {
        const item = this.outbox[0]!;
        const ok = await this.deliver(item);
        if (!ok) {
          for (const m of this.outbox) if (m.controlType === 'CHAT') this.dispatch({ type: 'message.failed', id: m.id });
          this.outbox = [];
          break;
        }
        this.outbox.shift();
      }
    } finally {
      this.flushing = false;
    }
  }

  private async deliver(item: SendEffect): Promise<boolean> {
    try {
      const res = await this.retrying(() => this.client.send({ controlType: item.controlType, mediaType: item.mediaType, content: item.content, clientMessageId: item.id }), {
        attempts: this.opts.maxSendAttempts ?? 5,
        showReconnecting: true,
      });
      if (item.controlType === 'CHAT') this.dispatch({ type: 'message.acked', id: item.id, seq: res.seq });
      this.dispatch({ type: 'connection.changed', status: 'online' });
      if (item.controlType !== 'CHAT') this.startPolling();
      return true;
    } catch (e) {
      if (!this.destroyed && item.controlType === 'CONNECT') this.dispatch({ type: 'session.failed', error: errorCode(e) });
      return false;
    }
  }

  /**
   * The one retry loop of the runner: calls `fn(attempt)` until it succeeds, fails with an error
   * that is not worth repeating (see isRetryable), `policy.attempts` tries were made, the runner
   * is destroyed or `policy.keepGoing()` turns false; then throws the last error. Between tries it
   * waits with exponential backoff (full jitter), or as long as the server's `Retry-After` asks
   * (429/503: those tries do not count against `attempts`, since the server said when to come
   * back); a wake-up (`poke`) cuts the wait short, and a request a wake-up aborted is repeated at
   * once, also uncounted.
   */
  private async retrying<T>(fn: (attempt: number) => Promise<T>, policy: RetryPolicy = { attempts: 5, showReconnecting: true }): Promise<T> {
    for (let attempt = 0, counted = 0; ; attempt++) {
      try {
        return await fn(attempt);
      } catch (e) {
        const woken = e instanceof NetworkError && e.reason === 'woken';
        const retryAfter = e instanceof ApiCallError ? e.retryAfterMs : undefined;
        if (!woken && retryAfter === undefined) counted++;
        const more = !this.destroyed && (policy.keepGoing?.() ?? true) && (policy.retryable ?? isRetryable)(e) && counted < policy.attempts;
        if (!more) throw e;
        if (policy.showReconnecting ?? true) this.dispatch({ type: 'connection.changed', status: 'reconnecting' });
        if (!woken) await this.sleep(retryAfter ?? backoffDelay(counted - 1, this.random));
        if (this.destroyed) throw e;
      }
    }
  }

  /** Files picked or pasted, by message id, until they are uploaded (not kept across reloads). */
  private files = new Map<string, File>();

  /**
   * Checks a picked or pasted file against the channel's limits and sends it. Returns why it
   * cannot be sent ('type' or 'size'), or null when it is on its way.
   */
  attach(file: File, author: string): 'type' | 'size' | null {
    const limits = this.current.config?.upload;
    if (limits && !limits.types.includes(file.type)) return 'type';
    if (limits && file.size > limits.maxBytes) return 'size';
    const id = this.newId();
    this.files.set(id, file);
    const image = file.type.startsWith('image/');
    const localUrl = image && typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : undefined;
    this.dispatch({ type: 'file.attach', id, name: file.name || (image ? 'image.png' : 'file'), mediaType: image ? 'IMAGE' : 'FILE', localUrl, now: this.now(), author });
    return null;
  }

  private async upload(id: string): Promise<void> {
    const file = this.files.get(id);
    if (!file) return this.dispatch({ type: 'file.failed', id });
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      const key = await this.retrying(() => this.client.upload(file.type, file.name || 'file', btoa(binary)), { attempts: 5, showReconnecting: true });
      this.files.delete(id);
      this.dispatch({ type: 'file.uploaded', id, objectKey: key });
    } catch {
      this.dispatch({ type: 'file.failed', id });
    }
  }

  private callMedia: MediaStream | null = null;
  private callAbort: AbortController | null = null;
  /** What stands in for the remote video when the contact center sends none (see test-picture.ts). */
  private remote: TestPicture | null = null;

  /**
   * The call's streams for the view: `local`, the customer's microphone and camera (null until
   * allowed and after the call); `remote`, the picture from the other side (null while there is
   * none; today only the labelled test picture of a contact center without media).
   */
  get callStreams(): { local: MediaStream | null; remote: MediaStream | null } {
    return { local: this.callMedia, remote: this.remote?.stream ?? null };
  }

  /**
   * Click-to-dial: asks for the microphone (and camera), places the call, and follows its
   * events by long poll until it ends. The stream is held for the call's length; the contact
   * center's media session (WebRTC) attaches to it in a real deployment.
   */
  private async runCall(media: 'voice' | 'video'): Promise<void> {
    try {
      const stream = (await navigator.mediaDevices?.getUserMedia({ audio: true, video: media === 'video' })) ?? null;
      if (!stream) throw new Error('no media devices');
      // Hung up (or the widget destroyed) while the browser asked: nothing may stay on.
      if (this.destroyed || this.current.call?.status !== 'permission') {
        for (const track of stream.getTracks()) track.stop();
        return;
      }
      this.callMedia = stream;
    } catch {
      this.dispatch({ type: 'call.denied' });
      return;
    }
    this.dispatch({ type: 'call.permitted' });
    let callId: string;
    try {
      const res = await this.client.createCall(media);
      if (res.resultCode !== '0' || !res.callId) {
        this.endCall();
        this.dispatch({ type: 'call.unavailable' });
        return;
      }
      callId = res.callId;
    } catch {
      this.endCall();
      this.dispatch({ type: 'call.failed' });
      return;
    }
    this.dispatch({ type: 'call.created', callId });
    const abort = (this.callAbort = new AbortController());
    let cursor = 0;
    const following = () => !abort.signal.aborted && !this.destroyed && this.current.call?.callId === callId && this.current.call.status !== 'ended';
    while (following()) {
      try {
        const res = await this.retrying(() => this.client.callEvents(callId, cursor, 25, abort.signal), { attempts: Infinity, keepGoing: following, showReconnecting: false, retryable: () => true });
        cursor = res.cursor;
        this.dispatch({ type: 'call.events', events: res.events, now: this.now() });
      } catch {
        break;
      }
    }
    this.endCall();
  }

  private endCall(): void {
    this.callAbort?.abort();
    this.callAbort = null;
    for (const track of this.callMedia?.getTracks() ?? []) track.stop();
    this.callMedia = null;
    this.remote?.stop();
    this.remote = null;
  }

  /** Waits `ms`, or less when poked. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.wakers.delete(done);
        this.clock.clearTimeout(handle);
        resolve();
      };
      const handle = this.clock.setTimeout(done, ms);
      this.wakers.add(done);
    });
  }
}

function errorCode(e: unknown): string {
  if (e instanceof ApiCallError) return e.errorCode;
  return 'network';
}
