/**
 * Derives the widget's `event` and `data` (README, extensions) from what the real CEC tells:
 * the downlink's sourceType/controlType, SYSTEM texts matched against the channel's configured
 * texts, the sender changing from ROBOT to AGENT, and queryQueueInfo's resultCodes. Pure: no I/O,
 * no clock (the caller passes `now`). Text that matches nothing is still delivered as a plain
 * system message: nothing the CEC sends is dropped.
 */
import type { DownlinkData, DownlinkMessage, EndReason, MediaType, SessionEvent, SourceType } from '../../core/protocol.js';
import { allTexts, localize, type LocalizedText } from '../../core/locale.js';
import { nextOpening } from '../../core/work-time.js';
import type { ChannelSettings } from './config.js';
import type { NewLogMessage } from './store.js';

export type Phase = 'new' | 'bot' | 'transferring' | 'queue' | 'agent' | 'offHours' | 'ended';

/** What the connector remembers of one customer's conversation (kept in the store). */
export interface ConversationState {
  phase: Phase;
  /** ROBOT messages seen so far (the first one is the greeting). */
  botMessages: number;
  agentName?: string;
  /** Last queue facts from queryQueueInfo. */
  queue?: { position: number; estimateWaitSeconds: number };
  /** A reason learnt from a SYSTEM text, used by the DISCONNECT that follows. */
  pendingEndReason?: EndReason;
  /** Epoch ms of the last queue reminder shown. */
  lastReminderAt?: number;
  /** queryQueueInfo said "session ended" once; a second time ends the chat. */
  endSuspected?: boolean;
  /**
   * Epoch ms (connector clock) the CEC's no-reply countdown (`dialogEnd.noReplyMinutes`) last
   * restarted, as the connector sees it: the chat began with the chatbot, an agent joined, or the
   * customer wrote (the contact center's own rule, seed admin guide "Dialog End Method"). Absent
   * while queueing and once ended. The CEC sends no idle warning of its own (NOT FOUND), so the
   * connector gives it from this (see `deriveIdle`).
   */
  idleSince?: number;
  /** The `idleSince` the idle warning was given for (one warning per countdown). */
  idleWarned?: number;
}

/** A downlink message as the CEC sends it (§2); every field optional, as nothing is guaranteed. */
export interface UpstreamMessage {
  sourceType?: string;
  controlType?: string;
  mediaType?: string;
  content?: string;
  senderNickname?: string;
  senderAvatar?: string;
  timestamp?: string | number;
  receiveTime?: string | number;
  from?: string;
  to?: string;
  queueFlag?: string;
  messageCode?: string;
  contentType?: string | null;
  mediaFileType?: string;
}

export interface DeriveContext {
  channel: ChannelSettings;
  userId: string;
  logId: string;
  now: number;
  /** The log's last readable seq before these messages (READ receipts cover everything up to it; never a held place). */
  lastSeq: number;
  newId: () => string;
  /** The customer's locale (BCP 47): the language of the texts the connector writes itself. */
  locale?: string;
  /** Turns an upstream media id into the key the browser downloads it by. */
  fileKey: (m: UpstreamMessage, mediaType: MediaType) => string;
}

const norm = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
/** Whether `content` is one of the texts, in any of the languages each is given in. */
const matches = (content: string, candidates: readonly (LocalizedText | undefined)[]) => {
  const c = norm(content);
  return c !== '' && candidates.some((t) => allTexts(t).some((x) => x && norm(x) === c));
};

const SOURCES: readonly SourceType[] = ['AGENT', 'ROBOT', 'SYSTEM'];

/** Epoch ms from the CEC's timestamp (a number or a numeric string), else `now`. */
function toMs(v: unknown, now: number): number {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : now;
}

/** The idle-warning lead the widget counts down from: a quarter of the limit, at most 2 minutes. */
export function idleLeadMs(channel: ChannelSettings): number {
  return Math.min(120_000, (channel.dialogEnd.noReplyMinutes * 60_000) / 4);
}

/** The no-reply limit of the channel's dialog end rule, ms. */
function idleLimitMs(channel: ChannelSettings): number {
  return channel.dialogEnd.noReplyMinutes * 60_000;
}

/** The no-reply countdown runs (chatbot or agent) and has reached its warning time at `now`. */
function idleWarningDue(s: ConversationState, channel: ChannelSettings, now: number): boolean {
  return (s.phase === 'bot' || s.phase === 'agent') && s.idleSince !== undefined && now >= s.idleSince + idleLimitMs(channel) - idleLeadMs(channel);
}

/**
 * The customer wrote (a CHAT message): the no-reply countdown starts again while the chatbot or
 * an agent is in the chat, as the contact center's idle rule does.
 */
export function customerWrote(state: ConversationState, now: number): ConversationState {
  return state.phase === 'bot' || state.phase === 'agent' ? { ...state, idleSince: now } : state;
}

/**
 * The idle warning the CEC does not send (its wire has none; NOT FOUND in the reference): once
 * the customer has said nothing for `noReplyMinutes` minus the lead (`idleLeadMs`) in a chat with
 * the chatbot or an agent, one `idle.warning` whose `data.deadline` is when the CEC's rule ends
 * the chat (`idleSince + noReplyMinutes`). At most one per countdown; a customer message starts a
 * new countdown (`customerWrote`). The end itself comes from the CEC (its DISCONNECT, which then
 * reads as `endReason: idle`). Called by the poll loop with the connector's clock.
 */
export function deriveIdle(state: ConversationState, ctx: Omit<DeriveContext, 'fileKey' | 'lastSeq'>): { state: ConversationState; messages: NewLogMessage[] } {
  const since = state.idleSince;
  if (since === undefined || state.idleWarned === since || !idleWarningDue(state, ctx.channel, ctx.now)) return { state, messages: [] };
  const message = systemLogMessage({ messageId: ctx.newId(), sessionId: ctx.logId, to: ctx.userId, now: ctx.now }, { event: 'idle.warning', data: { deadline: since + idleLimitMs(ctx.channel) } });
  return { state: { ...state, idleWarned: since }, messages: [message] };
}

/**
 * Turns one upstream downlink message into the message(s) to store, and the next state.
 * Returns [] for a DISCONNECT after the conversation already ended with nothing to say.
 */
export function deriveDownlink(state: ConversationState, m: UpstreamMessage, ctx: DeriveContext): { state: ConversationState; messages: NewLogMessage[] } {
  let s = { ...state };
  const out: NewLogMessage[] = [];
  const sourceType: SourceType = SOURCES.includes(m.sourceType as SourceType) ? (m.sourceType as SourceType) : 'SYSTEM';
  const control = String(m.controlType ?? 'CHAT').toUpperCase();
  const content = typeof m.content === 'string' ? m.content : '';
  const timestamp = toMs(m.timestamp ?? m.receiveTime, ctx.now);
  const upMedia = String(m.mediaType ?? 'TEXT').toUpperCase();
  const mediaType: MediaType = upMedia === 'IMAGE' ? 'IMAGE' : upMedia === 'TEXT' || upMedia === 'LOCATE' || !content ? 'TEXT' : 'FILE';
  const base = (over: Partial<NewLogMessage>): NewLogMessage => ({
    messageId: m.messageCode || ctx.newId(),
    sessionId: ctx.logId,
    from: m.from ?? sourceType.toLowerCase(),
    to: ctx.userId,
    channel: 'WEB',
    controlType: 'CHAT',
    mediaType,
    content: mediaType === 'TEXT' ? content : ctx.fileKey(m, mediaType),
    sourceType,
    senderNickname: m.senderNickname ?? (sourceType === 'SYSTEM' ? 'System' : ''),
    ...(m.senderAvatar ? { senderAvatar: m.senderAvatar } : {}),
    timestamp,
    queueFlag: s.phase === 'queue' ? 'Y' : 'N',
    ...over,
  });
  const ch = ctx.channel;
  const joined = (agentName: string | undefined, over: Partial<NewLogMessage> = {}) => {
    s = { ...s, phase: 'agent', agentName: agentName || s.agentName, queue: undefined, endSuspected: false, ...(s.phase === 'agent' ? {} : { idleSince: ctx.now }) };
    const data: DownlinkData = {};
    if (s.agentName) data.agentName = s.agentName;
    return base({ sourceType: 'SYSTEM', controlType: 'CONNECT', mediaType: 'TEXT', content: '', event: 'agent.joined', data, senderNickname: s.agentName ?? 'Agent', ...over });
  };
  const ended = (reason: EndReason, over: Partial<NewLogMessage> = {}) => {
    s = { ...s, phase: 'ended', queue: undefined, pendingEndReason: undefined, idleSince: undefined };
    return base({ controlType: 'DISCONNECT', mediaType: 'TEXT', content, event: 'session.ended', data: { endReason: reason }, ...over });
  };

  if (control === 'READ') {
    out.push(base({ controlType: 'READ', mediaType: 'TEXT', content: '', data: { readSeq: ctx.lastSeq } }));
    return { state: s, messages: out };
  }
  if (control === 'INPUT') {
    out.push(base({ controlType: 'INPUT', mediaType: 'TEXT', content: '', data: { typing: content !== '' && content !== 'stop' } }));
    return { state: s, messages: out };
  }
  if (control === 'CONNECT') {
    if (sourceType === 'AGENT' || sourceType === 'SYSTEM') out.push(joined(sourceType === 'AGENT' ? m.senderNickname : undefined, { content }));
    return { state: s, messages: out };
  }
  if (control === 'DISCONNECT') {
    if (s.phase === 'ended') {
      if (content) out.push(base({ controlType: 'CHAT', mediaType: 'TEXT' }));
      return { state: s, messages: out };
    }
    const reason: EndReason =
      sourceType === 'AGENT'
        ? 'agent'
        : (s.pendingEndReason ??
          (matches(content, [ch.dialogEnd.conclusion, ch.chatbot?.timeoutReply]) || idleWarningDue(s, ch, ctx.now)
            ? 'idle'
            : s.phase === 'queue' || s.phase === 'transferring'
              ? 'queue.timeout'
              : s.phase === 'offHours'
                ? 'offhours'
                : s.phase === 'agent'
                  ? 'agent'
                  : 'idle'));
    out.push(ended(reason));
    return { state: s, messages: out };
  }

  // CHAT (and anything unknown, delivered as a chat message).
  if (sourceType === 'ROBOT') {
    let event: SessionEvent = s.botMessages === 0 ? 'bot.greeting' : 'bot.reply';
    if (matches(content, [ch.chatbot?.transferPrompt])) event = 'bot.transfer';
    const phase: Phase = event === 'bot.transfer' ? 'transferring' : s.phase === 'new' || s.phase === 'offHours' ? 'bot' : s.phase;
    const idleSince = phase === 'transferring' ? undefined : phase === 'bot' && s.phase !== 'bot' ? ctx.now : s.idleSince;
    s = { ...s, botMessages: s.botMessages + 1, phase, idleSince };
    out.push(base({ event }));
    return { state: s, messages: out };
  }
  if (sourceType === 'AGENT') {
    // The sender changed to an agent without a CONNECT we could see: the agent joined.
    // A join derived from a message is a message of its own: its own id (the CEC's messageCode
    // belongs to the agent's text, which a browser would otherwise drop as already seen).
    if (s.phase !== 'agent') out.push(joined(m.senderNickname, { timestamp, messageId: ctx.newId() }));
    // The join was claimed without a name (the CEC's "connected to an agent" text, or queryQueueInfo's
    // 160021): the agent's first message names them, and the widget learns it as a join with the name.
    else if (m.senderNickname && !s.agentName) out.push(joined(m.senderNickname, { timestamp, messageId: ctx.newId() }));
    out.push(base({}));
    return { state: s, messages: out };
  }

  // SYSTEM text: matched against the configured texts.
  const queueData = (): DownlinkData => ({ position: s.queue?.position ?? 0, estimateWaitSeconds: s.queue?.estimateWaitSeconds ?? 0 });
  if (matches(content, [ch.chatbot?.transferPrompt])) {
    // The chatbot's transfer prompt, sent as SYSTEM text by the CEC.
    s = s.phase === 'queue' || s.phase === 'agent' ? s : { ...s, phase: 'transferring', idleSince: undefined };
    out.push(base({ event: 'bot.transfer' }));
  } else if (matches(content, [ch.queueReminder.content])) {
    s = { ...s, phase: 'queue', lastReminderAt: ctx.now, idleSince: undefined };
    out.push(base({ event: 'queue.reminder', data: queueData(), queueFlag: 'Y' }));
  } else if (ch.workTime && matches(content, [ch.workTime.nonWorkingNotice])) {
    s = { ...s, phase: 'offHours' };
    out.push(base({ event: 'offhours.notice', data: { nextOpening: nextOpening(ch.workTime, ctx.now) } }));
  } else if (matches(content, ch.texts.agentConnected)) {
    // Already joined (queryQueueInfo's 160021 came first): the CEC's text is shown, not a second join.
    out.push(s.phase === 'agent' ? base({}) : joined(undefined, { content, controlType: 'CHAT' }));
  } else if (matches(content, ch.texts.idleWarning)) {
    // The CEC's own warning: no second one from the connector for this countdown.
    s = { ...s, ...(s.idleSince === undefined ? {} : { idleWarned: s.idleSince }) };
    out.push(base({ event: 'idle.warning', data: { deadline: ctx.now + idleLeadMs(ch) } }));
  } else {
    const reason: EndReason | undefined = matches(content, [ch.dialogEnd.conclusion, ch.chatbot?.timeoutReply])
      ? 'idle'
      : matches(content, ch.texts.queueTimeout)
        ? 'queue.timeout'
        : matches(content, ch.texts.queueBusy)
          ? 'queue.busy'
          : matches(content, ch.texts.noAgents)
            ? 'queue.noAgents'
            : undefined;
    if (reason) s = { ...s, pendingEndReason: reason };
    out.push(base({}));
  }
  return { state: s, messages: out };
}

/** queryQueueInfo's answer (§1.4). */
export interface QueueInfo {
  resultCode: string;
  position?: number;
  estimateWaitTime?: number;
}

/**
 * A system message for a customer's log (a TEXT `CHAT` from `system`, not queueing), with `over`
 * laid on top: the one shape of every message the connector itself writes.
 */
export function systemLogMessage(at: { messageId: string; sessionId: string; to: string; now: number }, over: Partial<NewLogMessage> = {}): NewLogMessage {
  return {
    messageId: at.messageId,
    sessionId: at.sessionId,
    from: 'system',
    to: at.to,
    channel: 'WEB',
    controlType: 'CHAT',
    mediaType: 'TEXT',
    content: '',
    sourceType: 'SYSTEM',
    senderNickname: 'System',
    timestamp: at.now,
    queueFlag: 'N',
    ...over,
  };
}

/**
 * What a queryQueueInfo answer means, polled while the customer queues (at the reminder
 * interval) or right after a transfer: `0` queueing (first time `queue.joined`, then a reminder
 * with the configured text at each interval), `160021` with an agent, `160022` handed to an IVR
 * (the chat ends), `5`/`6`/`160004` the session is gone (the chat ends on the second answer in a
 * row, so that a DISCONNECT with its reason can arrive first).
 */
export function deriveQueueInfo(state: ConversationState, info: QueueInfo, ctx: Omit<DeriveContext, 'fileKey' | 'lastSeq'>): { state: ConversationState; messages: NewLogMessage[] } {
  let s = { ...state };
  const ch = ctx.channel;
  const msg = (over: Partial<DownlinkMessage>): NewLogMessage => systemLogMessage({ messageId: ctx.newId(), sessionId: ctx.logId, to: ctx.userId, now: ctx.now }, over);
  switch (info.resultCode) {
    case '0': {
      const queue = { position: Math.max(0, Math.round(info.position ?? 0)), estimateWaitSeconds: Math.max(0, Math.round(info.estimateWaitTime ?? 0)) };
      const data = { position: queue.position, estimateWaitSeconds: queue.estimateWaitSeconds };
      if (s.phase !== 'queue') {
        s = { ...s, phase: 'queue', queue, lastReminderAt: ctx.now, endSuspected: false, idleSince: undefined };
        return { state: s, messages: [msg({ event: 'queue.joined', data, queueFlag: 'Y' })] };
      }
      const due = ctx.now - (s.lastReminderAt ?? 0) >= ch.queueReminder.intervalSeconds * 1000;
      s = { ...s, queue, endSuspected: false, lastReminderAt: due ? ctx.now : s.lastReminderAt };
      return { state: s, messages: due ? [msg({ event: 'queue.reminder', content: localize(ch.queueReminder.content, ctx.locale, ch.defaultLocale), data, queueFlag: 'Y' })] : [] };
    }
    case '160021':
      if (s.phase === 'agent' || s.phase === 'ended') return { state: s, messages: [] };
      s = { ...s, phase: 'agent', queue: undefined, endSuspected: false, idleSince: ctx.now };
      return { state: s, messages: [msg({ controlType: 'CONNECT', event: 'agent.joined', data: s.agentName ? { agentName: s.agentName } : {}, senderNickname: s.agentName ?? 'Agent' })] };
    case '160022':
      // Only a customer who was queueing can be handed to an IVR; right after a transfer request
      // the answer may still describe the chatbot leg.
      if (s.phase !== 'queue') return { state: s, messages: [] };
      s = { ...s, phase: 'ended', queue: undefined, idleSince: undefined };
      return { state: s, messages: [msg({ controlType: 'DISCONNECT', event: 'session.ended', data: { endReason: s.pendingEndReason ?? 'queue.timeout' } })] };
    case '5':
    case '6':
    case '160004':
      if (s.phase === 'ended') return { state: s, messages: [] };
      if (!s.endSuspected) return { state: { ...s, endSuspected: true }, messages: [] };
      {
        const reason: EndReason =
          s.pendingEndReason ?? (s.phase === 'queue' || s.phase === 'transferring' ? 'queue.timeout' : s.phase === 'agent' && !idleWarningDue(s, ch, ctx.now) ? 'agent' : 'idle');
        s = { ...s, phase: 'ended', queue: undefined, pendingEndReason: undefined, idleSince: undefined };
        return { state: s, messages: [msg({ controlType: 'DISCONNECT', event: 'session.ended', data: { endReason: reason } })] };
      }
    default:
      return { state: s, messages: [] };
  }
}
