/**
 * Wire types of the channel API (`/apiaccess/ccmessaging`), shared by the widget's client and
 * the mock contact center. Names follow the real service; fields marked (ext) are this
 * project's additions, documented in the README.
 */

export const API_PATH = '/apiaccess/ccmessaging';

export type ControlType = 'CONNECT' | 'CHAT' | 'TRANS2AGENT' | 'INPUT' | 'DISCONNECT' | 'READ';
export type MediaType = 'TEXT' | 'FILE' | 'IMAGE';
export type SourceType = 'AGENT' | 'ROBOT' | 'SYSTEM' | 'CUSTOMER';

/** Body of every failed call (4xx/5xx). `field` names the offending input where there is one. */
export interface ApiError {
  errorCode: string;
  exceptionInfo: string;
  field?: string;
}

/** The integrator's signature for `applyToken`: a string, or a function the widget calls whenever it needs a fresh one. */
export type Authorization = string | (() => string | Promise<string>);

export interface ApplyTokenRequest {
  channelId: string;
  userId: string;
  userName?: string;
  locale?: string;
  /**
   * (ext) The resume key this browser got with its last token: only the browser that began a
   * session can read and continue it (a user id alone is not a password). 22–128 of [A-Za-z0-9_-].
   */
  resumeKey?: string;
}

export interface ApplyTokenResponse {
  resultCode: '0';
  token: string;
  /** Seconds until the token expires. */
  expiresIn: number;
  /** (ext) The key this token is bound to: the one sent when it was valid, else a fresh one. */
  resumeKey?: string;
}

/** A working-time segment, `HH:MM` to `HH:MM`, end up to `24:00`. */
export interface TimeSegment {
  start: string;
  end: string;
}

export interface WorkTime {
  /** IANA time zone of the contact center, e.g. `Asia/Shanghai`. */
  timeZone: string;
  /** ISO weekdays (1 = Monday … 7 = Sunday) that are workdays; the others are non-workdays. */
  workdays: number[];
  workday: TimeSegment[];
  nonWorkday: TimeSegment[];
  nonWorkingNotice: string;
}

export interface SatisfactionLevel {
  satisfactionLevelKey: '1' | '2' | '3' | '4' | '5';
  satisfactionLevelDesc: string;
}

export interface ChatbotPublic {
  name: string;
  avatar: string;
  gender: 'female' | 'male' | 'unspecified';
}

/** `GET /queryChannelConfig`: the channel's public settings. Never carries the secretKey. */
export interface ChannelConfig {
  resultCode: '0';
  channelId: string;
  /** Whether the customer talks to the chatbot first. */
  useRobot: boolean;
  /** Transfer-to-agent keywords. */
  toArtificialKeyWord: string[];
  queueReminderInterval: number;
  queueReminderContent: string;
  dialogEnd: { noReplyMinutes: number; conclusion: string };
  /** Null: always open. */
  workTime: WorkTime | null;
  chatbot: ChatbotPublic | null;
  clickToDial: { calledParty: 'agent' | 'ivr'; media: Array<'voice' | 'video'> } | null;
  satisfactionLevels: SatisfactionLevel[];
  /** Whether `applyToken` needs an integrator signature (ext). */
  requiresSignature: boolean;
  /** Upload limits (ext). */
  upload: { maxBytes: number; types: string[] };
}

export interface SendRequest {
  channel: 'WEB';
  controlType: ControlType;
  mediaType: MediaType;
  content: string;
  from: string;
  to: string;
  senderNickname: string;
  sourceType: 'CUSTOMER';
  timestamp: number;
  /** (ext) Idempotency key: a retried send returns the first result. */
  clientMessageId: string;
}

export interface SendResponse {
  resultCode: '0';
  messageId: string;
  /** (ext) Sequence number of the message in the customer's stream; 0 for transient controls. */
  seq: number;
}

/**
 * (ext) What a downlink message means to the session, so that the widget never has to parse
 * human-readable text to know that it is queueing or that an agent joined.
 */
export type SessionEvent =
  | 'bot.greeting'
  | 'bot.reply'
  | 'bot.transfer'
  | 'queue.joined'
  | 'queue.reminder'
  | 'queue.transferred'
  | 'agent.joined'
  | 'offhours.notice'
  | 'idle.warning'
  | 'session.ended'
  | 'message.left';

export type EndReason = 'customer' | 'agent' | 'idle' | 'queue.timeout' | 'queue.busy' | 'queue.noAgents' | 'offhours';

export interface DownlinkData {
  position?: number;
  estimateWaitSeconds?: number;
  queueName?: string;
  agentName?: string;
  employeeId?: string;
  endReason?: EndReason;
  /** Epoch ms of the next opening, for `offhours.notice`. */
  nextOpening?: number | null;
  /** Epoch ms when the session ends for inactivity, for `idle.warning`. */
  deadline?: number;
  /** For READ: the highest customer seq the agent has seen. */
  readSeq?: number;
  /** For INPUT: whether the sender is typing. */
  typing?: boolean;
}

export interface DownlinkMessage {
  /** (ext) Gap-free sequence number in the customer's stream. Transient INPUT messages carry 0. */
  seq: number;
  messageId: string;
  sessionId: string;
  from: string;
  to: string;
  channel: 'WEB';
  controlType: ControlType;
  mediaType: MediaType;
  content: string;
  sourceType: SourceType;
  senderNickname: string;
  senderAvatar?: string;
  timestamp: number;
  /** `Y` while the customer is queueing. */
  queueFlag: 'Y' | 'N';
  /** (ext) Echo of the customer's own id, so the widget can match its optimistic copy. */
  clientMessageId?: string;
  /** (ext) Machine-readable meaning of system messages. */
  event?: SessionEvent;
  data?: DownlinkData;
}

export interface PollResponse {
  resultCode: '0';
  downlinkMessages: DownlinkMessage[];
  /** The `seq` of the last message returned, or the request's cursor when there was none. */
  cursor: number;
}

export interface QueueInfoResponse {
  /** `0` queueing, `5` ended, `160021` with an agent, `160022` with the chatbot. */
  resultCode: '0' | '5' | '160021' | '160022';
  position: number;
  estimateWaitTime: number;
  configMaxcWaitTime: number;
  totalWaitTime: number;
}

export interface SaveSatisfactionRequest {
  userId: string;
  channelId: string;
  evaluation: '1' | '2' | '3' | '4' | '5';
  comment: string;
}

export interface LeaveMessageRequest {
  userId: string;
  channelId: string;
  content: string;
  contact: string;
}

/**
 * `queryHistoryChatMessage` body. (ext) Paging: `limit` (1–HISTORY_MAX_LIMIT) asks for the last
 * `limit` messages with `seq < beforeSeq` (default: the newest); without `limit` the answer holds
 * every message of the session before `beforeSeq` (older callers). INPUT and READ are never in it.
 */
export interface HistoryRequest {
  userId: string;
  channelId: string;
  limit?: number;
  beforeSeq?: number;
}

export interface HistoryResponse {
  resultCode: '0';
  /** The page, oldest first. */
  messages: DownlinkMessage[];
  /** The poll cursor (the stream's last seq): where polling goes on from. */
  cursor: number;
  /** (ext) Messages of the session older than this page exist (ask again with `beforeSeq` = the page's first seq). */
  hasMore?: boolean;
  /** (ext) How many there are, when the server can tell cheaply (the "Show N earlier" label). */
  earlierCount?: number;
  /**
   * (ext) For a page that does not start at the session's first message: the latest message before
   * the page of each kind that sets the session's state (each `event`, and the customer's own
   * latest message), oldest first. Applied for their meaning (phase, agent, queue, idle warning),
   * never shown: the newest page then resumes the session as the whole history would.
   */
  context?: DownlinkMessage[];
}

/** The largest history page one request may ask for. */
export const HISTORY_MAX_LIMIT = 200;

/**
 * The kind of state a shown message (not INPUT, not READ) sets when replayed: its `event`, or
 * 'customer' for the customer's own messages (they answer an idle warning); null for the rest.
 * A history page's `context` holds the latest message of each kind before the page.
 */
export function stateKind(m: DownlinkMessage): string | null {
  return m.event ?? (m.sourceType === 'CUSTOMER' ? 'customer' : null);
}

/** Most bytes (UTF-8) of a TEXT message's `content` (channel-api.md: "at most 1 KB of text"); a longer one is a 400. */
export const TEXT_MAX_BYTES = 1024;
/** Most characters (UTF-16 code units) of a rating's `comment` (requirements B8: under 512). */
export const COMMENT_MAX_CHARS = 511;
/** The header that carries the session token on every call but applyToken, and its successor in answers (channel-api.md). */
export const TOKEN_HEADER = 'ccmessaging-token';
