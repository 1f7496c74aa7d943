/**
 * The real CEC's downlink message (reference §2, devg-webclient-cec/cec_05_2020): what `poll`
 * and `queryHistoryChatMessage` return on the real face, made from the runtime's messages.
 *
 * Only documented fields are sent; none of the mock's own (`seq`, `messageId`, `sessionId`,
 * `event`, `data`, `clientMessageId`). System notices are plain SYSTEM text, and only texts the
 * tenant configured: the queue reminder, the non-working notice, the conclusion, the chatbot's
 * transferPrompt and timeoutReply, and the face's "connected to an agent" text. Every other
 * runtime notice (queue joined, idle warning, …) has no documented form and is not sent.
 */
import type { DownlinkMessage } from '../../../widget/core/protocol.js';
import { localize } from '../../../widget/core/locale.js';
import type { CecFaceConfig, LocalChannel } from '../../config/types.js';

/** Longest documented downlink `content`, characters. Longer texts are split (guess). */
export const DOWNLINK_CONTENT_MAX = 500;

export interface CecDownlinkMessage {
  channel: 'WEB';
  content: string;
  /** The channel's configuration id. */
  from: string;
  /** The customer's user id. */
  to: string;
  mediaType: 'TEXT' | 'IMAGE' | 'VIDEO' | 'AUDIO' | 'LOCATE' | 'DOCUMENT';
  senderNickname: string;
  senderAvatar?: string;
  sourceType: 'AGENT' | 'ROBOT' | 'SYSTEM';
  /** Epoch ms. */
  timestamp: number;
  controlType: 'CHAT' | 'CONNECT' | 'DISCONNECT' | 'READ';
  /** On DISCONNECT: "true", the customer can no longer send in this session. */
  isOfflineStatus?: 'true';
  /** Unique per message. */
  messageCode: string;
  /** Number of this message among those of its session sent to the customer, from 1. */
  interIdx: number;
  /** The session (contact) the message belongs to. */
  callId: string;
  queueFlag: 'Y' | 'N';
  /** Epoch ms when the contact center received the message. */
  receiveTime: number;
  robotGender?: 'MALE' | 'FEMALE';
}

/** A history element: the downlink shape, plus the customer's own messages (guess). */
export type CecHistoryMessage = Omit<CecDownlinkMessage, 'sourceType' | 'mediaType'> & {
  sourceType: CecDownlinkMessage['sourceType'] | 'CUSTOMER';
  mediaType: string;
};

export interface TranslateContext {
  /** The channel with its texts in the customer's locale. */
  channel: LocalChannel;
  config: CecFaceConfig;
  /** The customer's applyToken locale: picks the connected-to-agent text (the tenant's language when it has none). */
  locale: string;
  isNeedRead: boolean;
  /** Next interIdx of the message's session. */
  nextIndex: (sessionId: string) => number;
  /** The mediaType the customer sent a message with, when the runtime keeps it as another. */
  sentMedia?: (clientMessageId: string) => string | undefined;
}

/** The downlink messages one runtime message becomes on the real face (often none). */
export function translate(m: DownlinkMessage, ctx: TranslateContext): CecDownlinkMessage[] {
  const system = (content: string): Array<Omit<CecDownlinkMessage, 'interIdx'>> =>
    content.trim() ? chunks(content).map((c, i) => base(m, ctx, { sourceType: 'SYSTEM', controlType: 'CHAT', content: c, senderNickname: systemName(ctx.config), part: i })) : [];
  let out: Array<Omit<CecDownlinkMessage, 'interIdx'>> = [];
  if (m.sourceType === 'CUSTOMER' || m.controlType === 'INPUT') return [];
  if (m.sourceType === 'ROBOT') {
    if (m.controlType === 'TRANS2AGENT') out = system(m.content);
    else if (m.controlType === 'CHAT') {
      const gender = ctx.channel.chatbot?.gender;
      out = chunks(m.content).map((c, i) => ({
        ...base(m, ctx, { sourceType: 'ROBOT', controlType: 'CHAT', content: c, senderNickname: m.senderNickname, part: i }),
        ...(gender === 'male' ? { robotGender: 'MALE' as const } : gender === 'female' ? { robotGender: 'FEMALE' as const } : {}),
      }));
    }
  } else if (m.sourceType === 'AGENT' && m.controlType === 'READ') {
    if (ctx.isNeedRead) out = [base(m, ctx, { sourceType: 'AGENT', controlType: 'READ', content: '', senderNickname: m.senderNickname, part: 0 })];
  } else if (m.sourceType === 'AGENT' && m.controlType === 'CHAT') {
    out = chunks(m.content).map((c, i) => base(m, ctx, { sourceType: 'AGENT', controlType: 'CHAT', content: c, senderNickname: m.senderNickname, part: i }));
  } else if (m.event === 'queue.reminder' || m.event === 'offhours.notice') {
    out = system(m.content);
  } else if (m.event === 'agent.joined') {
    out = system(localize(ctx.config.connectedText, ctx.locale, ctx.config.language));
  } else if (m.event === 'session.ended') {
    // The idle rule ends with the configured conclusion (agent) or timeoutReply (chatbot).
    if (m.data?.endReason === 'idle') out = system(m.content);
    const by = m.sourceType === 'AGENT' ? 'AGENT' : 'SYSTEM';
    out.push({
      ...base(m, ctx, { sourceType: by, controlType: 'DISCONNECT', content: '', senderNickname: by === 'AGENT' ? m.senderNickname : systemName(ctx.config), part: out.length }),
      isOfflineStatus: 'true',
    });
  }
  return out.map((x) => ({ ...x, interIdx: ctx.nextIndex(m.sessionId) }));
}

/** A runtime message as a history element: what the downlink shows, plus the customer's messages. */
export function historyElements(m: DownlinkMessage, ctx: TranslateContext): CecHistoryMessage[] {
  if (m.sourceType === 'CUSTOMER' && m.controlType === 'CHAT') {
    return [
      {
        channel: 'WEB',
        content: m.content,
        from: m.from,
        to: ctx.channel.id,
        mediaType: (m.clientMessageId && ctx.sentMedia?.(m.clientMessageId)) || m.mediaType,
        senderNickname: m.senderNickname,
        sourceType: 'CUSTOMER',
        timestamp: m.timestamp,
        controlType: 'CHAT',
        messageCode: m.messageId,
        interIdx: ctx.nextIndex(m.sessionId),
        callId: m.sessionId,
        queueFlag: m.queueFlag,
        receiveTime: m.timestamp,
      },
    ];
  }
  return translate(m, { ...ctx, isNeedRead: false });
}

export function systemName(config: CecFaceConfig): string {
  return config.language === 'zh' ? '系统' : 'system';
}

function base(
  m: DownlinkMessage,
  ctx: TranslateContext,
  x: { sourceType: CecDownlinkMessage['sourceType']; controlType: CecDownlinkMessage['controlType']; content: string; senderNickname: string; part: number },
): Omit<CecDownlinkMessage, 'interIdx'> {
  const msg: Omit<CecDownlinkMessage, 'interIdx'> = {
    channel: 'WEB',
    content: x.content,
    from: ctx.channel.id,
    to: m.to,
    mediaType: 'TEXT',
    senderNickname: x.senderNickname,
    sourceType: x.sourceType,
    timestamp: m.timestamp,
    controlType: x.controlType,
    messageCode: x.part ? `${m.messageId}-${x.part}` : m.messageId,
    callId: m.sessionId,
    queueFlag: m.queueFlag,
    receiveTime: m.timestamp,
  };
  if (x.sourceType === 'ROBOT' && ctx.channel.chatbot?.avatar) msg.senderAvatar = ctx.channel.chatbot.avatar;
  return msg;
}

/** Splits a text into pieces of at most DOWNLINK_CONTENT_MAX characters (code points). */
function chunks(text: string): string[] {
  const cps = Array.from(text);
  if (cps.length <= DOWNLINK_CONTENT_MAX) return [text];
  const out: string[] = [];
  for (let i = 0; i < cps.length; i += DOWNLINK_CONTENT_MAX) out.push(cps.slice(i, i + DOWNLINK_CONTENT_MAX).join(''));
  return out;
}
