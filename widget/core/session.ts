/**
 * The customer's session as a pure reducer: `transition(state, event) → { state, effects }`.
 * No DOM, no fetch, no timers: effects are data that the runner (widget/client/runner.ts)
 * carries out, and time arrives inside events (`now`). The server's downlink stream is the
 * source of truth for the phase; the customer's own actions are applied optimistically.
 */
import { callActive, reduceCall, type CallEffect, type CallEventIn, type CallState } from './call.js';
import type { EmitEffect, HostPhase } from './host-events.js';
import { findKeyword } from './keywords.js';
import type { ChannelConfig, DownlinkData, DownlinkMessage, EndReason, MediaType, SessionEvent } from './protocol.js';
import { inServerOrder, lastIndexWhere, latestAgentSeq, pendingFrom } from './transcript.js';

export type Phase = HostPhase;
export type Author = 'customer' | 'agent' | 'bot' | 'system';
export type DeliveryStatus = 'sending' | 'sent' | 'failed';

export interface TranscriptItem {
  /** clientMessageId for the customer's messages, messageId for the others. */
  id: string;
  /** Position in the server's stream; null while a customer message is unacknowledged. */
  seq: number | null;
  author: Author;
  name: string;
  avatar?: string;
  text: string;
  mediaType: MediaType;
  at: number;
  status?: DeliveryStatus;
  event?: SessionEvent;
  data?: DownlinkData;
  /** An image or file: its upload key once uploaded, its name, and a local preview while sending. */
  file?: { key?: string; name: string; localUrl?: string };
}

export interface QueueStatus {
  position: number;
  estimateWaitSeconds: number;
  queueName?: string;
  /** The configured reminder content, from the latest reminder. */
  reminder?: string;
}

export interface SessionState {
  phase: Phase;
  config: ChannelConfig | null;
  transcript: TranscriptItem[];
  /** Last seq applied from the server's stream. */
  cursor: number;
  /**
   * The seq up to which the transcript came from the history asked for at start (a reload's, or
   * another device's, earlier messages): shown, but not news, so not announced. 0: none.
   */
  historySeq: number;
  /** (ext) The session's messages older than the transcript, still on the server (paged history). */
  earlier: EarlierPages;
  queue: QueueStatus | null;
  agent: { name: string; employeeId?: string } | null;
  /** The customer asked for an agent and the server has not answered yet. */
  transferring: boolean;
  agentTyping: boolean;
  /** Highest customer seq the agent has read. */
  readSeq: number;
  /**
   * Highest agent seq the customer has been reported as having read (a READ sent from here,
   * another tab's READ echoed on the downlink, or the one stored before a reload). A READ goes
   * out only when the customer has seen past it.
   */
  seenSeq: number;
  /** Local time when the session ends for inactivity, after an idle warning. */
  idleDeadline: number | null;
  ended: { reason: EndReason; at: number } | null;
  /** True once an agent took part: evaluation is offered from then on. */
  canEvaluate: boolean;
  evaluation: { status: 'idle' | 'saving' | 'saved' | 'failed'; score: number | null; comment: string };
  /** A click-to-dial call, if one was started. */
  call: CallState | null;
  /** Leave-a-message (outside work time, or after a queue released the customer). */
  leaveMessage: 'idle' | 'sending' | 'sent' | 'failed';
  connection: 'online' | 'reconnecting';
  /** A machine code for the last failure; the UI words it. */
  error: string | null;
  /** Events that arrived in a state that cannot handle them (reported, never a crash). */
  ignored: number;
}

/**
 * What is known of the session's messages older than the transcript (contract (ext) paging of
 * `queryHistoryChatMessage`): whether there are any, how many when the server says, the seq
 * to ask before, and the state of the request for the previous page.
 */
export interface EarlierPages {
  hasMore: boolean;
  /** How many, when the server told (null: unknown). */
  count: number | null;
  /** The first seq loaded from the history: the previous page is asked for with `beforeSeq` = this. */
  beforeSeq: number;
  status: 'idle' | 'loading' | 'failed';
}

/** The history page asked for at start and for each "Show earlier" (≈ the panel's window). */
export const HISTORY_PAGE = 150;

const NO_EARLIER: EarlierPages = { hasMore: false, count: null, beforeSeq: 0, status: 'idle' };

export type SessionEventIn =
  | { type: 'session.start'; now: number }
  | { type: 'session.configured'; config: ChannelConfig }
  | { type: 'session.failed'; error: string }
  | { type: 'session.restart'; now: number }
  /**
   * `now`: the local time of arrival; server deadlines are turned into local ones with it (clock
   * skew). `history`: the batch is the history asked for at start (see `historySeq`); with a
   * paged history also `context` (the state-setting messages before the page, applied for their
   * meaning, never shown), `hasMore` and `earlierCount` (see EarlierPages).
   */
  | { type: 'downlink.received'; messages: DownlinkMessage[]; now: number; history?: boolean; context?: DownlinkMessage[]; hasMore?: boolean; earlierCount?: number }
  /** The reader asked for the messages before the transcript: one `loadEarlier` effect, when there are some and none is on its way. */
  | { type: 'history.earlier' }
  /** The page before the transcript arrived (oldest first): prepended, never news. */
  | { type: 'history.page'; messages: DownlinkMessage[]; hasMore: boolean; earlierCount?: number }
  /** The page could not be had (after retries): the reader is told and may ask again. */
  | { type: 'history.failed' }
  | { type: 'message.submit'; id: string; text: string; now: number; name: string }
  | { type: 'message.acked'; id: string; seq: number }
  | { type: 'message.failed'; id: string }
  | { type: 'message.retry'; id: string }
  /** The customer picked or pasted a file (checked for type and size by the runner). */
  | { type: 'file.attach'; id: string; name: string; mediaType: 'IMAGE' | 'FILE'; localUrl?: string; now: number; author: string }
  | { type: 'file.uploaded'; id: string; objectKey: string }
  | { type: 'file.failed'; id: string }
  | { type: 'transfer.request' }
  /** The customer started or stopped typing (the UI throttles it). */
  | { type: 'typing.changed'; typing: boolean }
  /**
   * The messages up to `upToSeq` are on the customer's screen (panel open, tab visible, the
   * reader at the end of the transcript). Sends one READ with the highest agent seq among them,
   * only when it is past `seenSeq` (requirements §6 "read state").
   */
  | { type: 'messages.seen'; upToSeq: number }
  | { type: 'session.end' }
  | { type: 'idle.stillHere'; id: string; text: string; now: number; name: string }
  | { type: 'connection.changed'; status: 'online' | 'reconnecting' }
  /**
   * After a reload: the local deadline of the idle warning `seq` as it was counted before it
   * (replaying the warning would count from the reload's time instead).
   */
  | { type: 'idle.restore'; seq: number; deadline: number }
  | { type: 'evaluation.submit'; score: number; comment: string }
  | { type: 'evaluation.saved' }
  | { type: 'evaluation.failed' }
  /** The customer leaves a message for later (`doLeaveMessage`); the contact is optional. */
  | { type: 'leaveMessage.submit'; content: string; contact: string }
  | { type: 'leaveMessage.sent' }
  | { type: 'leaveMessage.failed' }
  | CallEventIn;

export type Effect =
  | CallEffect
  | { type: 'connect' }
  | { type: 'send'; id: string; controlType: 'CHAT' | 'TRANS2AGENT' | 'DISCONNECT' | 'CONNECT'; content: string; mediaType: MediaType }
  | { type: 'typing'; typing: boolean }
  /** Tell the contact center the customer has read the agent's messages up to `readSeq` (a READ). */
  | { type: 'read'; readSeq: number }
  | { type: 'upload'; id: string }
  /** Ask for the HISTORY_PAGE messages before `beforeSeq` (answered by history.page or history.failed). */
  | { type: 'loadEarlier'; beforeSeq: number }
  | { type: 'saveSatisfaction'; score: number; comment: string }
  | { type: 'leaveMessage'; content: string; contact: string }
  | EmitEffect;

export interface Step {
  state: SessionState;
  effects: Effect[];
}

/** The session before the first open: phase `closed`, nothing in it. */
export function initialState(): SessionState {
  return {
    phase: 'closed',
    config: null,
    transcript: [],
    cursor: 0,
    historySeq: 0,
    earlier: NO_EARLIER,
    queue: null,
    agent: null,
    transferring: false,
    agentTyping: false,
    readSeq: 0,
    seenSeq: 0,
    idleDeadline: null,
    ended: null,
    canEvaluate: false,
    evaluation: { status: 'idle', score: null, comment: '' },
    call: null,
    leaveMessage: 'idle',
    connection: 'online',
    error: null,
    ignored: 0,
  };
}

/** Phases in which the customer can write. */
export const CHAT_PHASES: readonly Phase[] = ['bot', 'queue', 'agent', 'offHours'];

/**
 * The session's one step: the next state and the effects to run (sends, uploads, host events),
 * never running them and never throwing: an event the state cannot take is counted in
 * `ignored`. Adds `cec-state-change` when the phase changed. Time comes in the events (`now`).
 */
export function transition(state: SessionState, event: SessionEventIn): Step {
  const step = reduce(state, event);
  if (step.state.phase !== state.phase) {
    step.effects.push({ type: 'emit', name: 'cec-state-change', detail: { phase: step.state.phase, previous: state.phase } });
  }
  return step;
}

function reduce(s: SessionState, e: SessionEventIn): Step {
  switch (e.type) {
    case 'session.start':
      if (s.phase !== 'closed' && s.phase !== 'failed') return ignore(s);
      return { state: { ...s, phase: 'starting', error: null }, effects: [{ type: 'connect' }] };

    case 'session.restart':
      if (s.phase !== 'ended' && s.phase !== 'failed') return ignore(s);
      return {
        // `ignored` counts over the element's life: a new chat does not wipe the record of the old one.
        // seenSeq too: seqs go on growing in the customer's stream, so no READ is ever repeated.
        // The earlier pages of the old chat stay reachable above it (a request on its way is dropped).
        state: {
          ...initialState(),
          phase: 'starting',
          config: s.config,
          cursor: s.cursor,
          transcript: s.transcript,
          ignored: s.ignored,
          seenSeq: s.seenSeq,
          earlier: { ...s.earlier, status: 'idle' },
        },
        effects: [{ type: 'connect' }],
      };

    case 'session.configured':
      return { state: { ...s, config: e.config }, effects: [] };

    case 'session.failed':
      return {
        state: { ...s, phase: s.phase === 'starting' ? 'failed' : s.phase, error: e.error },
        effects: [{ type: 'emit', name: 'cec-error', detail: { error: e.error } }],
      };

    case 'downlink.received': {
      const step = applyDownlink(s, e.messages, e.now, e.context);
      if (e.history && step.state.cursor > step.state.historySeq) step.state = { ...step.state, historySeq: step.state.cursor };
      // (the server's page is oldest first)
      if (e.history && e.hasMore !== undefined) step.state = { ...step.state, earlier: earlierFrom(e.messages[0], e.hasMore, e.earlierCount) };
      return step;
    }

    case 'history.earlier':
      if (!s.earlier.hasMore || s.earlier.status === 'loading') return ignore(s);
      return { state: { ...s, earlier: { ...s.earlier, status: 'loading' } }, effects: [{ type: 'loadEarlier', beforeSeq: s.earlier.beforeSeq }] };

    case 'history.page':
    case 'history.failed':
      if (s.earlier.status !== 'loading') return ignore(s);
      return { state: e.type === 'history.page' ? prependPage(s, e.messages, e.hasMore, e.earlierCount) : { ...s, earlier: { ...s.earlier, status: 'failed' } }, effects: [] };

    case 'message.submit': {
      if (!CHAT_PHASES.includes(s.phase)) return ignore(s);
      const text = e.text.trim();
      // A known id is a message resent after a reload that the server already has.
      if (!text || lastIndexWhere(s.transcript, (m) => m.id === e.id) >= 0) return ignore(s);
      const item: TranscriptItem = { id: e.id, seq: null, author: 'customer', name: e.name, text, mediaType: 'TEXT', at: e.now, status: 'sending' };
      const keyword = s.phase === 'bot' && s.config ? findKeyword(text, s.config.toArtificialKeyWord) : undefined;
      return {
        state: { ...s, transcript: [...s.transcript, item], transferring: s.transferring || keyword !== undefined, idleDeadline: null },
        effects: [{ type: 'send', id: e.id, controlType: 'CHAT', content: text, mediaType: 'TEXT' }],
      };
    }

    case 'file.attach': {
      if (!CHAT_PHASES.includes(s.phase) || s.phase === 'offHours' || lastIndexWhere(s.transcript, (m) => m.id === e.id) >= 0) return ignore(s);
      const item: TranscriptItem = {
        id: e.id,
        seq: null,
        author: 'customer',
        name: e.author,
        text: e.name,
        mediaType: e.mediaType,
        at: e.now,
        status: 'sending',
        file: { name: e.name, localUrl: e.localUrl },
      };
      return { state: { ...s, transcript: [...s.transcript, item], idleDeadline: null }, effects: [{ type: 'upload', id: e.id }] };
    }

    case 'file.uploaded': {
      const i = lastIndexWhere(s.transcript, (x) => x.id === e.id && !!x.file);
      if (i < 0) return ignore(s);
      const m = s.transcript[i]!;
      return {
        state: { ...s, transcript: replaced(s.transcript, i, { ...m, file: { ...m.file!, key: e.objectKey } }) },
        effects: [{ type: 'send', id: m.id, controlType: 'CHAT', content: e.objectKey, mediaType: m.mediaType }],
      };
    }

    case 'file.failed':
      return reduce(s, { type: 'message.failed', id: e.id });

    case 'idle.stillHere':
      if (s.idleDeadline === null) return ignore(s);
      return reduce(s, { type: 'message.submit', id: e.id, text: e.text, now: e.now, name: e.name });

    case 'message.acked': {
      const i = lastIndexWhere(s.transcript, (m) => m.id === e.id);
      const m = s.transcript[i];
      // Already confirmed by its echo (or not ours): nothing changes, and nothing re-renders.
      if (!m || m.status === undefined || (m.status === 'sent' && m.seq !== null)) return { state: s, effects: [] };
      // (an unconfirmed message is in the tail: only the tail may need sorting)
      return { state: { ...s, transcript: inServerOrder(replaced(s.transcript, i, { ...m, status: 'sent', seq: m.seq ?? e.seq }), pendingFrom(s.transcript)) }, effects: [] };
    }

    case 'message.failed': {
      const i = lastIndexWhere(s.transcript, (m) => m.id === e.id);
      const m = s.transcript[i];
      if (m?.status !== 'sending') return { state: s, effects: [] };
      return { state: { ...s, transcript: replaced(s.transcript, i, { ...m, status: 'failed' }) }, effects: [] };
    }

    case 'message.retry': {
      const i = lastIndexWhere(s.transcript, (x) => x.id === e.id && x.status === 'failed');
      if (i < 0) return ignore(s);
      const m = s.transcript[i]!;
      // A file that never finished uploading is uploaded again; otherwise its message is resent.
      const effect: Effect = m.file
        ? m.file.key
          ? { type: 'send', id: m.id, controlType: 'CHAT', content: m.file.key, mediaType: m.mediaType }
          : { type: 'upload', id: m.id }
        : { type: 'send', id: m.id, controlType: 'CHAT', content: m.text, mediaType: m.mediaType };
      return { state: { ...s, transcript: replaced(s.transcript, i, { ...m, status: 'sending' }) }, effects: [effect] };
    }

    case 'typing.changed':
      // Only a person reads typing indicators: the bot and the queue do not need them.
      if (s.phase !== 'agent') return { state: s, effects: [] };
      return { state: s, effects: [{ type: 'typing', typing: e.typing }] };

    case 'messages.seen': {
      // Unchanged state when there is nothing new to report: the UI may say it on every render.
      if (s.phase !== 'agent') return { state: s, effects: [] };
      // Only the messages after the last one reported are looked at (the transcript's end).
      const readSeq = latestAgentSeq(s.transcript, e.upToSeq, s.seenSeq);
      if (readSeq <= s.seenSeq) return { state: s, effects: [] };
      return { state: { ...s, seenSeq: readSeq }, effects: [{ type: 'read', readSeq }] };
    }

    case 'transfer.request':
      if (s.phase !== 'bot' || s.transferring) return ignore(s);
      return { state: { ...s, transferring: true }, effects: [{ type: 'send', id: '', controlType: 'TRANS2AGENT', content: '', mediaType: 'TEXT' }] };

    case 'session.end':
      if (!CHAT_PHASES.includes(s.phase)) return ignore(s);
      return { state: s, effects: [{ type: 'send', id: '', controlType: 'DISCONNECT', content: '', mediaType: 'TEXT' }] };

    case 'idle.restore': {
      const warning = lastIdleWarning(s);
      if (s.idleDeadline === null || warning?.seq !== e.seq) return ignore(s);
      return { state: { ...s, idleDeadline: e.deadline }, effects: [] };
    }

    case 'connection.changed':
      return s.connection === e.status ? { state: s, effects: [] } : { state: { ...s, connection: e.status }, effects: [] };

    case 'evaluation.submit': {
      const levels = s.config?.satisfactionLevels.length ?? 5;
      if (!s.canEvaluate || !Number.isInteger(e.score) || e.score < 1 || e.score > levels || e.comment.length >= 512) return ignore(s);
      return {
        state: { ...s, evaluation: { status: 'saving', score: e.score, comment: e.comment } },
        effects: [{ type: 'saveSatisfaction', score: e.score, comment: e.comment }],
      };
    }

    case 'evaluation.saved':
      if (s.evaluation.status !== 'saving' || s.evaluation.score === null) return ignore(s);
      return {
        state: { ...s, evaluation: { ...s.evaluation, status: 'saved' } },
        effects: [{ type: 'emit', name: 'cec-evaluation', detail: { score: s.evaluation.score, comment: s.evaluation.comment } }],
      };

    case 'evaluation.failed':
      if (s.evaluation.status !== 'saving') return ignore(s);
      return { state: { ...s, evaluation: { ...s.evaluation, status: 'failed' } }, effects: [] };

    case 'leaveMessage.submit': {
      const released = s.phase === 'ended' && (s.ended?.reason.startsWith('queue.') ?? false);
      if ((s.phase !== 'offHours' && !released) || !e.content.trim() || s.leaveMessage === 'sending' || s.leaveMessage === 'sent') return ignore(s);
      return { state: { ...s, leaveMessage: 'sending' }, effects: [{ type: 'leaveMessage', content: e.content, contact: e.contact }] };
    }

    case 'leaveMessage.sent':
    case 'leaveMessage.failed':
      if (s.leaveMessage !== 'sending') return ignore(s);
      return { state: { ...s, leaveMessage: e.type === 'leaveMessage.sent' ? 'sent' : 'failed' }, effects: [] };

    default: {
      // Click-to-dial: only in a chat with an agent, with a medium the channel offers.
      const step = reduceCall(s.call, e, (m) => s.phase === 'agent' && !!s.config?.clickToDial?.media.includes(m));
      return step ? { state: { ...s, call: step.call }, effects: step.effects } : ignore(s);
    }
  }
}

/** The latest idle warning of the transcript, if any. */
export function lastIdleWarning(s: SessionState): TranscriptItem | undefined {
  for (let i = s.transcript.length - 1; i >= 0; i--) if (s.transcript[i]!.event === 'idle.warning') return s.transcript[i];
  return undefined;
}

/**
 * Puts the page (oldest first) before the transcript. Only messages older than everything the
 * transcript holds from the server are taken (by seq), so a page that overlaps what a poll
 * brought meanwhile adds nothing twice. Their host events are not raised (they are old news);
 * the phase is not touched (the newest messages set it).
 */
function prependPage(s: SessionState, messages: DownlinkMessage[], hasMore: boolean, count: number | undefined): SessionState {
  const oldest = s.transcript.find((m) => m.seq !== null)?.seq ?? Infinity;
  const older = messages
    .filter((m) => m.seq < oldest && m.controlType !== 'INPUT' && m.controlType !== 'READ')
    .map((m): TranscriptItem => (m.sourceType === 'CUSTOMER' ? { ...toItem(m), id: m.clientMessageId ?? m.messageId, status: 'sent' } : toItem(m)));
  return { ...s, transcript: [...older, ...s.transcript], earlier: earlierFrom(older[0], hasMore, count) };
}

/** What is left before a page whose first message is `first` (none: nothing is left). */
function earlierFrom(first: { seq: number | null } | undefined, hasMore: boolean, count: number | undefined): EarlierPages {
  return { hasMore: hasMore && !!first, count: count ?? null, beforeSeq: first?.seq ?? 0, status: 'idle' };
}

/** An event this phase cannot handle: counted in `state.ignored`, no effect, never a throw. */
function ignore(s: SessionState): Step {
  return { state: { ...s, ignored: s.ignored + 1 }, effects: [] };
}

const AUTHORS: Record<DownlinkMessage['sourceType'], Author> = { AGENT: 'agent', ROBOT: 'bot', SYSTEM: 'system', CUSTOMER: 'customer' };

/**
 * Applies server messages in seq order; anything at or below the cursor was seen already.
 * One batch (a poll's answer, or a whole history of 10,000 messages) copies the transcript once
 * (a copy of references) and appends to that copy; a customer's echo is looked up through an
 * index of the unconfirmed tail and of this batch's messages, and only those are checked for
 * order, so a new message at 10,000 costs what it costs at 25 apart from that copy.
 * The previous state is never mutated.
 */
function applyDownlink(s0: SessionState, messages: DownlinkMessage[], now: number, context?: DownlinkMessage[]): Step {
  let s = s0;
  const effects: Effect[] = [];
  // A paged history's context: what the messages before the page mean to the session (the
  // agent who joined, the queue, an idle warning the customer answered), without a row.
  for (const m of context ?? []) {
    if (m.seq <= s0.cursor) continue;
    if (m.sourceType === 'CUSTOMER') {
      if (m.controlType === 'CHAT' && s.idleDeadline !== null) s = { ...s, idleDeadline: null };
      continue;
    }
    if (m.controlType === 'INPUT' || m.controlType === 'READ') continue;
    const before = s;
    s = applyEvent(s, m, now);
    effects.push(...hostEvents(before, s, m));
  }
  const sorted = [...messages].sort((a, b) => a.seq - b.seq);
  /** This batch's transcript, owned here until returned; made on the first message that adds to it. */
  let items: TranscriptItem[] | null = null;
  /** Where the unconfirmed tail starts: the items before it are confirmed and in order. */
  const from = pendingFrom(s0.transcript);
  /** Index by id of the items from `from` on (the tail and this batch's), for customers' echoes (built on the first echo). */
  let ids: Map<string, number> | null = null;
  const own = (): TranscriptItem[] => (items ??= [...s0.transcript]);
  /** The batch's cursor, set on the state once at the end (not a copy of the state per message). */
  let cursor = s0.cursor;
  for (const m of sorted) {
    if (m.seq <= cursor) continue;
    cursor = m.seq;
    switch (m.controlType) {
      case 'INPUT':
        s = { ...s, agentTyping: m.data?.typing === true };
        continue;
      case 'READ': {
        // The customer's own READ (another tab's, or this one's) is what they have read already.
        const k = m.sourceType === 'CUSTOMER' ? 'seenSeq' : 'readSeq';
        s = { ...s, [k]: Math.max(s[k], m.data?.readSeq ?? 0) };
        continue;
      }
    }
    if (m.sourceType === 'CUSTOMER') {
      const list = own();
      if (!ids) {
        ids = new Map();
        for (let i = from; i < list.length; i++) ids.set(list[i]!.id, i);
      }
      s = mergeEcho(s, m, list, ids, from);
      continue;
    }
    if (m.sourceType === 'AGENT' && s.agentTyping) s = { ...s, agentTyping: false };
    const list = own();
    const item = toItem(m);
    ids?.set(item.id, list.length);
    list.push(item);
    const before = s;
    s = applyEvent(s, m, now);
    // A message for the host page has text: a notice without any (an agent's end) is not one.
    const author = AUTHORS[m.sourceType];
    if (author !== 'customer' && m.content.trim()) effects.push({ type: 'emit', name: 'cec-message', detail: { author, text: m.content, seq: m.seq } });
    effects.push(...hostEvents(before, s, m));
  }
  if (items) s = { ...s, transcript: inServerOrder(items, from) };
  return { state: cursor === s.cursor ? s : { ...s, cursor }, effects };
}

/** The host events (other than `cec-message`) that the server message `m` raised, taking `before` to `s`. */
function hostEvents(before: SessionState, s: SessionState, m: DownlinkMessage): Effect[] {
  const effects: Effect[] = [];
  if (s.queue && (before.queue?.position !== s.queue.position || before.phase !== 'queue')) {
    effects.push({ type: 'emit', name: 'cec-queue-position', detail: { ...s.queue } });
  }
  if (m.event === 'agent.joined' && s.agent)
    effects.push({ type: 'emit', name: 'cec-agent-joined', detail: { agentName: s.agent.name, ...(s.agent.employeeId ? { employeeId: s.agent.employeeId } : {}) } });
  if (m.event === 'session.ended' && s.ended) effects.push({ type: 'emit', name: 'cec-session-end', detail: { reason: s.ended.reason } });
  return effects;
}

/** A copy of `items` with the item at `i` replaced (a copy of references: the items are shared). */
function replaced(items: TranscriptItem[], i: number, item: TranscriptItem): TranscriptItem[] {
  const next = items.slice();
  next[i] = item;
  return next;
}

/**
 * The server's copy of a customer message: confirms the optimistic one, or adds it (another
 * tab, a reload). From then on it shows the server's time, as a reload would (the customer's
 * clock may be wrong). The customer wrote, so an idle warning before it is answered.
 * `items` is the batch's own copy of the transcript (changed in place) and `ids` its index from
 * `from` on; before `from` (confirmed messages, such as one acknowledged before its echo came)
 * the search walks back from there, where the customer's latest messages are.
 */
function mergeEcho(s: SessionState, m: DownlinkMessage, items: TranscriptItem[], ids: Map<string, number>, from: number): SessionState {
  const id = m.clientMessageId ?? m.messageId;
  let at = ids.get(id);
  for (let i = from - 1; at === undefined && i >= 0; i--) if (items[i]!.id === id) at = i;
  if (at !== undefined) items[at] = { ...items[at]!, seq: m.seq, status: 'sent', at: m.timestamp };
  else {
    // (another tab's or an earlier page's message)
    ids.set(id, items.length);
    items.push({ ...toItem(m), id, status: 'sent' });
  }
  return s.idleDeadline === null ? s : { ...s, idleDeadline: null };
}

function toItem(m: DownlinkMessage): TranscriptItem {
  const item: TranscriptItem = {
    id: m.messageId,
    seq: m.seq,
    author: AUTHORS[m.sourceType],
    name: m.senderNickname,
    text: m.content,
    mediaType: m.mediaType,
    at: m.timestamp,
  };
  if (m.mediaType !== 'TEXT') {
    // The content is the upload's key, which ends with the file's name.
    const name = safeDecode(m.content.split('/').pop() ?? '') || 'file';
    item.file = { key: m.content, name };
    item.text = name;
  }
  if (m.senderAvatar) item.avatar = m.senderAvatar;
  if (m.event) item.event = m.event;
  if (m.data) item.data = m.data;
  return item;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** What a server message means to the phase. */
function applyEvent(s: SessionState, m: DownlinkMessage, now: number): SessionState {
  const d = m.data ?? {};
  switch (m.event) {
    case 'bot.greeting':
    case 'bot.reply':
      return s.phase === 'starting' || s.phase === 'ended' || s.phase === 'failed' ? { ...s, phase: 'bot', ended: null } : s;
    case 'bot.transfer':
      return { ...s, transferring: true };
    case 'queue.joined':
    case 'queue.reminder':
    case 'queue.transferred':
      return {
        ...s,
        phase: 'queue',
        transferring: false,
        ended: null,
        queue: {
          position: d.position ?? s.queue?.position ?? 0,
          estimateWaitSeconds: d.estimateWaitSeconds ?? s.queue?.estimateWaitSeconds ?? 0,
          queueName: d.queueName ?? s.queue?.queueName,
          reminder: m.event === 'queue.reminder' ? m.content : s.queue?.reminder,
        },
      };
    case 'agent.joined':
      return { ...s, phase: 'agent', transferring: false, queue: null, canEvaluate: true, agent: { name: d.agentName ?? m.senderNickname, employeeId: d.employeeId } };
    case 'offhours.notice':
      return { ...s, phase: 'offHours', transferring: false };
    case 'idle.warning':
      // The server's deadline is on its clock; keep the time left, counted from arrival here.
      return { ...s, idleDeadline: d.deadline === undefined ? null : now + (d.deadline - m.timestamp) };
    case 'session.ended':
      return {
        ...s,
        call: s.call && callActive(s.call) ? { ...s.call, status: 'ended', cause: 'agent' } : s.call,
        phase: 'ended',
        queue: null,
        transferring: false,
        agentTyping: false,
        idleDeadline: null,
        ended: { reason: d.endReason ?? 'customer', at: m.timestamp },
      };
    default:
      return s;
  }
}
