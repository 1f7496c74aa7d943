/**
 * The one seam between the view and the session: a Lit reactive controller that owns the
 * SessionRunner, re-syncs on wake-up (online, tab visible again), runs the ticker for countdowns,
 * plays the chime, counts unread messages and keeps what a reload must restore. The panel renders
 * `state` and hands the customer's intents to `handle()`; it never touches the client.
 * This is the only file in `widget/ui/` that imports `widget/client/`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { clockFrom, type Clock } from '../../client/clock.js';
import {
  anonymousId,
  defaultStorage,
  expireStale,
  forgetAnonymousId,
  forgetEverything,
  isStale,
  loadDraft,
  rememberAnonymousId,
  saveDraft,
  saveOpen,
  tabStorage,
  wasOpen,
} from '../../client/persistence.js';
import { SessionRunner } from '../../client/runner.js';
import type { CallMedia } from '../../core/call.js';
import { bytesNeeded, contentMatchesType } from '../../core/file-type.js';
import type { Authorization } from '../../core/protocol.js';
import { CHAT_PHASES, type SessionState } from '../../core/session.js';
import { incomingAfter } from '../../core/transcript.js';

/** What the controller needs from `<cec-chat>`. */
export interface SessionHost extends ReactiveControllerHost, HTMLElement {
  channelId: string;
  baseUrl: string;
  userId: string;
  userName: string;
  authorization: Authorization | undefined;
  fetchImpl: typeof globalThis.fetch | undefined;
  /** Replaces parts of the system clock (tests). */
  clock: Partial<Clock> | undefined;
  open: boolean;
  muted: boolean;
  /** The customer's language tag and the words the controller sends on their behalf. */
  readonly t: { readonly $code: string; readonly you: string; readonly stillHereText: string };
  /** How many messages from the bot or an agent the customer has not seen (in any tab). */
  setUnread(n: number): void;
}

/** What the customer did in the panel, as data. */
export type ViewIntent =
  | { type: 'start' }
  | { type: 'submit'; text: string }
  | { type: 'draft'; text: string }
  | { type: 'retry'; id: string }
  | { type: 'transfer' }
  | { type: 'stillHere' }
  | { type: 'newChat' }
  | { type: 'end' }
  | { type: 'rate'; score: number; comment: string }
  | { type: 'leaveMessage'; content: string; contact: string }
  | { type: 'attach'; files: File[] }
  | { type: 'call'; media: CallMedia }
  | { type: 'hangUp' }
  | { type: 'callToggle'; what: 'mic' | 'camera' }
  | { type: 'dismissCall' };

/** The customer's typing indicator is refreshed at most this often while they type. */
const TYPING_EVERY_MS = 3000;
/** …and turned off this long after the last keystroke, even with a draft left in the box. */
export const TYPING_IDLE_MS = 5000;

export class SessionController implements ReactiveController {
  /** The session as the panel renders it; null before the first open. */
  state: SessionState | null = null;
  /** What is typed in the composer. */
  draft = '';
  /** Why the last picked or pasted file was refused: not a type the channel takes, too large, or its bytes are not its type. */
  fileError: 'type' | 'size' | 'content' | null = null;
  readonly clock: Clock;
  private runner: SessionRunner | null = null;
  /** Sent through the API before the session could take them. */
  private pendingSends: string[] = [];
  private ticker: unknown = null;
  private typingSentAt: number | null = null;
  private typingStop: unknown = null;
  /** The panel's open flag as last written to this tab's storage (nothing is written before the first open). */
  private savedOpen = false;
  /** The highest seq of a bot or agent message the customer has seen, here or in another tab. */
  private seenSeq = 0;
  /** The reader is at the end of the transcript (set by the panel): the newest messages are in view. */
  private atEnd = true;

  constructor(private readonly host: SessionHost) {
    this.clock = clockFrom(host.clock);
    // After a reload: the panel this tab had open, and what was typed in it.
    if (host.channelId) {
      // Not when what was kept has expired: a panel reopened by itself would start a chat nobody asked for.
      if (!host.open && wasOpen(tabStorage(), host.channelId) && !isStale(defaultStorage(), host.channelId, this.now())) host.open = true;
      this.draft = loadDraft(tabStorage(), host.channelId);
    }
    host.addController(this);
  }

  hostConnected(): void {
    addEventListener('online', this.onWake);
    addEventListener('offline', this.onOffline);
    // Back from the back/forward cache: timers and connections may be stale.
    addEventListener('pageshow', this.onPageShow);
    document.addEventListener('visibilitychange', this.onVisible);
  }

  hostDisconnected(): void {
    removeEventListener('online', this.onWake);
    removeEventListener('offline', this.onOffline);
    removeEventListener('pageshow', this.onPageShow);
    document.removeEventListener('visibilitychange', this.onVisible);
  }

  hostUpdated(): void {
    // The one place the tab's open flag is written (a reload reopens the panel when it is set),
    // once the visitor has opened the chat, never before. It follows the panel and the chat
    // together: open with a chat that has not ended. An ended chat never reopens the panel by
    // itself (it would start a chat nobody asked for), however often the customer closes and
    // opens it afterwards; a new chat started in this page sets it again.
    const open = this.host.open && this.state?.phase !== 'ended';
    if (open !== this.savedOpen && (open || this.savedOpen) && this.host.channelId) saveOpen(tabStorage(), this.host.channelId, open);
    this.savedOpen = open;
    this.updateSeen();
  }

  private readonly onWake = () => this.runner?.poke();
  private readonly onOffline = () => this.runner?.offline();
  private readonly onPageShow = (e: PageTransitionEvent) => {
    if (e.persisted) this.runner?.poke();
  };
  private readonly onVisible = () => {
    if (document.visibilityState === 'visible') this.runner?.poke();
    this.updateSeen();
  };

  /**
   * Unread messages are counted from what the customer has seen in any tab: a tab that shows
   * the open panel marks everything in it as seen and tells the other tabs.
   */
  private updateSeen(peerSeq = 0): void {
    const s = this.state;
    let seen = Math.max(this.seenSeq, peerSeq);
    const showing = this.host.open && document.visibilityState === 'visible';
    // Only the messages after the last seen one are looked at (the transcript's end).
    const { count, latest } = incomingAfter(s?.transcript ?? [], seen);
    if (showing && latest > seen) {
      seen = latest;
      this.runner?.markSeen(latest);
    }
    this.seenSeq = seen;
    this.host.setUnread(showing ? 0 : count);
    // After the state change that brought us here has reached every listener (no nested dispatch).
    if (showing && this.atEnd) queueMicrotask(this.reportRead);
  }

  /**
   * The agent sees "Seen" (a READ) only for messages that were on the customer's screen: the
   * panel open, the tab visible, and the reader at the end of the transcript (a reader scrolled
   * up has not seen what arrived below). The reducer sends a READ only when it moves forward,
   * and otherwise leaves the state as it is (no update, no loop).
   */
  private readonly reportRead = (): void => {
    const r = this.runner;
    if (r && this.atEnd && this.host.open && document.visibilityState === 'visible') r.dispatch({ type: 'messages.seen', upToSeq: r.state.cursor });
  };

  /** The panel says whether the reader is at the end of the transcript (following new messages). */
  setAtEnd(atEnd: boolean): void {
    if (atEnd === this.atEnd) return;
    this.atEnd = atEnd;
    this.updateSeen();
  }

  /** The clock's time, for countdowns and call durations. */
  now(): number {
    return this.clock.now();
  }

  /** The video call's local and remote streams (see SessionRunner.callStreams). */
  get callStreams(): { local: MediaStream | null; remote: MediaStream | null } {
    return this.runner?.callStreams ?? { local: null, remote: null };
  }

  /** Whether a channel is set (the widget cannot start without one). */
  get configured(): boolean {
    return !!this.host.channelId;
  }

  /** Where an uploaded file is shown or downloaded. */
  fileUrl(objectKey: string): string {
    return this.runner?.client.fileUrl(objectKey) ?? '';
  }

  /** The anonymous id this session runs under, when the host page gave no user id. */
  private anonymous: string | null = null;

  /** Starts (or resumes) the session on first open. */
  start(): void {
    const h = this.host;
    if (this.runner || !h.channelId) return;
    const storage = defaultStorage();
    // What was stored more than 24 hours ago is forgotten before anything is read.
    expireStale(storage, h.channelId, this.now());
    this.anonymous = h.userId ? null : anonymousId(storage, h.channelId, this.now());
    this.runner = new SessionRunner({
      baseUrl: h.baseUrl || undefined,
      channelId: h.channelId,
      userId: h.userId || this.anonymous!,
      userName: h.userName || undefined,
      locale: h.t.$code,
      authorization: h.authorization,
      fetch: h.fetchImpl,
      clock: this.clock,
      storage,
      shareTabs: true,
      onSeen: (seq) => this.updateSeen(seq),
      onEvent: (name, detail) => h.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true })),
    });
    this.runner.subscribe((s) => this.onState(s));
    this.state = this.runner.state;
    this.runner.start();
  }

  /** Asks for the history page before the transcript (the reader scrolled past its start). */
  loadEarlier(): void {
    this.runner?.dispatch({ type: 'history.earlier' });
  }

  /**
   * Runs `fn` in a task of its own (on the clock) once the session's token is granted, or could
   * not be: the start-up requests that wait for the token (the history, CONNECT) have gone out
   * by then, so work done in `fn` delays none of them. Nothing runs before start().
   */
  afterStartRequests(fn: () => void): void {
    const later = () => void this.clock.setTimeout(fn, 0);
    this.runner?.client.getToken().then(later, later);
  }

  /** Sends as the customer, as soon as the session can take it (the `send()` API). */
  send(text: string): void {
    if (!text.trim()) return;
    this.pendingSends.push(text);
    this.start();
    this.flushSends();
  }

  /** Carries out what the customer did in the panel. */
  handle(i: ViewIntent): void {
    const r = this.runner;
    const name = this.host.userName || this.host.t.you;
    switch (i.type) {
      case 'start':
        if (r) r.start();
        else this.start();
        return;
      case 'draft':
        this.draft = i.text;
        saveDraft(tabStorage(), this.host.channelId, i.text);
        this.typing(i.text);
        this.host.requestUpdate();
        return;
      case 'submit':
        if (!r || !i.text.trim()) return;
        this.typingSentAt = null;
        r.dispatch({ type: 'message.submit', id: r.newId(), text: i.text, now: this.now(), name });
        return;
      case 'attach':
        void this.attach(i.files, name);
        return;
      case 'stillHere':
        if (r) r.dispatch({ type: 'idle.stillHere', id: r.newId(), text: this.host.t.stillHereText, now: this.now(), name });
        return;
      case 'newChat':
        r?.dispatch({ type: 'session.restart', now: this.now() });
        return;
      case 'retry':
        r?.dispatch({ type: 'message.retry', id: i.id });
        return;
      case 'transfer':
        r?.dispatch({ type: 'transfer.request' });
        return;
      case 'end':
        r?.dispatch({ type: 'session.end' });
        return;
      case 'rate':
        r?.dispatch({ type: 'evaluation.submit', score: i.score, comment: i.comment });
        return;
      case 'leaveMessage':
        r?.dispatch({ type: 'leaveMessage.submit', content: i.content, contact: i.contact });
        return;
      case 'call':
        r?.dispatch({ type: 'call.request', media: i.media });
        return;
      case 'hangUp':
        r?.dispatch({ type: 'call.hangUp' });
        return;
      case 'callToggle':
        r?.dispatch({ type: 'call.toggle', what: i.what });
        return;
      case 'dismissCall':
        r?.dispatch({ type: 'call.dismiss' });
        return;
    }
  }

  /**
   * Sends picked or pasted files in order, each checked first: a file whose bytes are not its
   * type (a text file named .png) is refused here with a reason, not sent to fail upstream.
   */
  private async attach(files: File[], name: string): Promise<void> {
    for (const file of files) {
      const limits = this.state?.config?.upload;
      // Type and size first (the runner says which); only a file that passes them is read.
      const sniff = !limits || (limits.types.includes(file.type) && file.size <= limits.maxBytes);
      const head = sniff ? new Uint8Array(await file.slice(0, Math.min(file.size, bytesNeeded(file.type))).arrayBuffer()) : null;
      this.fileError = !head || contentMatchesType(file.type, head) ? (this.runner?.attach(file, name) ?? null) : 'content';
      if (this.fileError) break;
    }
    this.host.requestUpdate();
  }

  /**
   * Typing indicator for the agent: on at most every 3 s while typing; off when the box is
   * cleared or TYPING_IDLE_MS after the last keystroke (a draft left alone is not typing).
   */
  private typing(draft: string): void {
    const now = this.now();
    if (this.typingStop !== null) this.clock.clearTimeout(this.typingStop);
    this.typingStop = draft ? this.clock.setTimeout(() => ((this.typingStop = null), this.typing('')), TYPING_IDLE_MS) : null;
    if (draft && (this.typingSentAt === null || now - this.typingSentAt > TYPING_EVERY_MS)) {
      this.typingSentAt = now;
      this.runner?.dispatch({ type: 'typing.changed', typing: true });
    } else if (!draft && this.typingSentAt !== null) {
      this.typingSentAt = null;
      this.runner?.dispatch({ type: 'typing.changed', typing: false });
    }
  }

  /** Logout: ends the session's background work and removes everything the widget stored. */
  logout(): void {
    this.destroy();
    this.draft = '';
    forgetStoredState();
  }

  /** Ends the session's background work and forgets it (what is stored stays, for a reload). */
  destroy(): void {
    this.runner?.destroy();
    this.runner = null;
    this.state = null;
    this.stopTicker();
    if (this.typingStop !== null) this.clock.clearTimeout(this.typingStop);
    this.typingStop = null;
    this.hostDisconnected();
    this.host.removeController(this);
  }

  private onState(s: SessionState): void {
    const prev = this.state;
    // The next visitor of a shared computer is someone new once the chat ended; a new chat in
    // this page is the same visitor again.
    if (this.anonymous && prev && prev.phase !== s.phase) {
      if (s.phase === 'ended') forgetAnonymousId(defaultStorage(), this.host.channelId);
      else if (prev.phase === 'ended') rememberAnonymousId(defaultStorage(), this.host.channelId, this.anonymous, this.now());
    }
    const fresh = prev ? s.transcript.length - prev.transcript.length : 0;
    const incoming = fresh > 0 ? s.transcript.slice(-fresh).filter((m) => m.author === 'agent' || m.author === 'bot').length : 0;
    // One sound for all tabs: only the tab that polls plays it.
    if (incoming && !this.host.muted && this.runner?.leads && (!this.host.open || document.visibilityState === 'hidden')) {
      // Only a closed panel or a hidden tab ever chimes: its code loads then, not with every panel.
      void import('./chime.js').then(
        (m) => m.chime(),
        () => {},
      );
    }
    this.state = s;
    this.updateSeen();
    this.flushSends();
    if (s.idleDeadline !== null || s.call?.status === 'connected' || s.phase === 'queue') this.startTicker();
    else this.stopTicker();
    this.host.requestUpdate();
  }

  private flushSends(): void {
    const s = this.state;
    if (!s || !CHAT_PHASES.includes(s.phase) || s.phase === 'offHours') return;
    for (const text of this.pendingSends.splice(0)) this.handle({ type: 'submit', text });
  }

  /** Re-renders every second while a countdown, the queue's wait or a call timer is shown. */
  private startTicker(): void {
    if (this.ticker !== null) return;
    const tick = () => {
      this.ticker = this.clock.setTimeout(tick, 1000);
      this.host.requestUpdate();
    };
    this.ticker = this.clock.setTimeout(tick, 1000);
  }

  private stopTicker(): void {
    if (this.ticker !== null) this.clock.clearTimeout(this.ticker);
    this.ticker = null;
  }
}

/**
 * Removes everything the widget stored in this browser (both storages, every channel): the
 * anonymous id, unsent messages, resume keys, drafts and panel state.
 */
export function forgetStoredState(): void {
  forgetEverything(defaultStorage(), tabStorage());
}
