/**
 * The mock contact center: one object that wires its parts together and answers the channel
 * API's calls. The parts, each in its own file:
 * - `tenant-view.ts`  configuration lookups (channel, queue, channel config)
 * - `tokens.ts`       session tokens (issue, check, rotate)
 * - `session.ts`      the session shape and the book of sessions
 * - `conversation.ts` chatbot turn-taking (connect, greeting, replies, hand-over, off hours)
 * - `queueing.ts`     skill queues (join, reminders, overflow policies, agent hand-over)
 * - `idle.ts`         the idle rule (warning, then the end)
 * - `transcript.ts`   writing messages into a customer's stream
 * - `agents.ts`, `click-to-call.ts` the agents' desk and the call center
 * Configuration comes from the TenantStore; every timer runs on the injected Clock.
 * Transport-agnostic: the MSW handlers call these methods.
 */
import type {
  ApplyTokenRequest,
  ApplyTokenResponse,
  ChannelConfig,
  DownlinkMessage,
  EndReason,
  HistoryResponse,
  LeaveMessageRequest,
  PollResponse,
  QueueInfoResponse,
  SaveSatisfactionRequest,
  SendRequest,
  SendResponse,
  SourceType,
} from '../../widget/core/protocol.js';
import { historyPage } from './history-index.js';
import { isWorkingTime } from '../../widget/core/work-time.js';
import { TenantStore } from '../config/store.js';
import type { LocalChannel, SkillQueue, WebChannel } from '../config/types.js';
import { AgentDesk, type AgentCallView } from './agents.js';
import { SignatureVerifier } from './auth.js';
import { CallCenter } from './click-to-call.js';
import { Clock, type SignalSource } from './clock.js';
import { Conversation, type LeftMessage } from './conversation.js';
import { CustomerBook } from './customers.js';
import { ApiFailure, badRequest } from './errors.js';
import { Faults } from './faults.js';
import { IdleRule } from './idle.js';
import { Queueing } from './queueing.js';
import { cleanName } from './names.js';
import { CUSTOMER_TYPING_TIMEOUT_MS, IdSource, SessionBook, type Identity, type Session } from './session.js';
import type { CustomerStream } from './stream.js';
import { TenantView } from './tenant-view.js';
import { randomBase64url, TOKEN_LIFETIME_SECONDS, TokenBook } from './tokens.js';
import { Transcript } from './transcript.js';
import { FileStore } from './uploads.js';

export type { Identity, Session, SessionPhase } from './session.js';
export type { LeftMessage } from './conversation.js';
export { TOKEN_LIFETIME_SECONDS, TOKEN_ROTATE_SECONDS } from './tokens.js';

export interface ContactCenterOptions {
  store?: TenantStore;
  /** The mock clock: session timing (queues, idle rule, tokens, retention). */
  clock?: Clock;
  /**
   * The real time in epoch ms (default `Date.now`): what integrator-made signatures are judged
   * by, since the integrator's server never sees the mock clock.
   */
  wallClock?: () => number;
  verifier?: SignatureVerifier;
}

/** applyToken's body with the resume key of contract C1. */
export type ApplyTokenInput = ApplyTokenRequest & { resumeKey?: string };
/** applyToken's answer: the token and the resume key it is bound to (contract C1). */
export type ApplyTokenOutput = ApplyTokenResponse & { resumeKey: string };

/** Most left messages kept (the QA listing); past it the oldest goes first. */
export const MAX_LEFT_MESSAGES = 10_000;
/** End reasons by which a queue released the customer: a message may be left after them. */
const RELEASE_REASONS: ReadonlySet<EndReason> = new Set<EndReason>(['queue.timeout', 'queue.busy', 'queue.noAgents']);

export class ContactCenter {
  readonly store: TenantStore;
  readonly clock: Clock;
  readonly wallClock: () => number;
  readonly verifier: SignatureVerifier;
  readonly desk: AgentDesk;
  readonly faults = new Faults();
  readonly calls: CallCenter;
  readonly files = new FileStore();
  readonly leftMessages: LeftMessage[] = [];
  private readonly tenant: TenantView;
  private readonly ids = new IdSource();
  private readonly tokens: TokenBook;
  private readonly customers: CustomerBook;
  private readonly sessions: SessionBook;
  private readonly transcript: Transcript;
  private readonly idle: IdleRule;
  private readonly queueing: Queueing;
  private readonly conversation: Conversation;

  constructor(opts: ContactCenterOptions = {}) {
    this.store = opts.store ?? new TenantStore();
    this.clock = opts.clock ?? new Clock('real');
    this.wallClock = opts.wallClock ?? (() => Date.now());
    this.verifier = opts.verifier ?? new SignatureVerifier();
    this.tenant = new TenantView(this.store);
    this.customers = new CustomerBook(this.clock);
    this.tokens = new TokenBook(this.clock, (token, key) => this.customers.tokenForgotten(token, key));
    this.sessions = new SessionBook(
      () => this.clock.now(),
      (s, endedAt) => this.forgetSession(s, endedAt),
    );
    this.desk = new AgentDesk(this);
    this.transcript = new Transcript(this.tenant, this.clock, this.ids, this.desk);
    const end = (s: Session, reason: EndReason, content?: string) => this.end(s, reason, content);
    this.idle = new IdleRule(this.tenant, this.clock, this.transcript, end);
    this.queueing = new Queueing(this.tenant, this.clock, this.desk, this.transcript, this.idle, end);
    this.conversation = new Conversation({
      tenant: this.tenant,
      clock: this.clock,
      ids: this.ids,
      sessions: this.sessions,
      transcript: this.transcript,
      idle: this.idle,
      queueing: this.queueing,
      desk: this.desk,
      leftMessages: this.leftMessages,
    });
    this.calls = new CallCenter(this);
  }

  /** Forgets every token, session and agent state (the configuration is kept). */
  resetRuntime(): void {
    this.clock.clear();
    this.tokens.clear();
    this.customers.clear();
    this.sessions.clear();
    this.queueing.clear();
    this.leftMessages.length = 0;
    this.verifier.reset();
    this.calls.reset();
    this.files.reset();
    this.desk.reset();
  }

  nextId(prefix: string): string {
    return this.ids.next(prefix);
  }

  // ── configuration ─────────────────────────────────────────────────────────

  /** The channel with its texts in `locale` (see TenantView.channel). */
  channel(channelId: string, locale?: string): LocalChannel {
    return this.tenant.channel(channelId, locale);
  }

  queue(name: string): SkillQueue {
    return this.tenant.queue(name);
  }

  channelQueue(ch: Pick<WebChannel, 'id' | 'skillQueue'>): SkillQueue {
    return this.tenant.channelQueue(ch);
  }

  /** `queryChannelConfig`: the channel's public settings, its texts in `locale` (the product's fallback). */
  channelConfig(channelId: string, locale?: string): ChannelConfig {
    return this.tenant.channelConfig(channelId, locale);
  }

  // ── authentication ────────────────────────────────────────────────────────

  /**
   * Issues a session token (channel-api.md, applyToken). The signature, when the channel has a
   * secretKey, is judged by the wall clock. The token is bound to a resume key (contract C1):
   * the one sent when it names this user's stream, else a fresh one — a user id alone never
   * reaches another browser's messages. A name in the signature is verified and always wins.
   */
  async applyToken(req: ApplyTokenInput, authorization: string | null): Promise<ApplyTokenOutput> {
    const ch = this.channel(req.channelId);
    const verdict = await this.verifier.verify({
      authorization,
      secretKey: ch.secretKey,
      channelId: ch.id,
      userId: req.userId,
      now: this.wallClock(),
    });
    if (!verdict.ok) throw new ApiFailure(verdict.status, verdict.errorCode, verdict.exceptionInfo);
    const known = this.customers.find(ch.id, req.userId, req.resumeKey);
    const resumeKey = known ? known.resumeKey : randomBase64url(16);
    const stream = this.customers.open(ch.id, req.userId, resumeKey);
    // The tenant's texts this customer reads follow the locale of their latest applyToken.
    if (req.locale) stream.locale = req.locale;
    if (verdict.name) {
      stream.userName = cleanName(verdict.name);
      stream.nameVerified = true;
    } else if (!stream.nameVerified && req.userName) {
      stream.userName = cleanName(req.userName);
    }
    const token = this.tokens.issue(ch.id, req.userId, resumeKey);
    this.customers.bindToken(stream, token);
    return { resultCode: '0', token, expiresIn: TOKEN_LIFETIME_SECONDS, resumeKey };
  }

  /** Checks the `ccmessaging-token` header; refreshes a token close to expiry (once). */
  authenticate(token: string | null): Identity {
    const id = this.tokens.authenticate(token);
    if (id.rotated) this.customers.bindToken(this.streamOf(id), id.rotated);
    return id;
  }

  // ── customer calls ────────────────────────────────────────────────────────

  /** The stream of a token's resume key (opened again, empty, if the retention rule dropped it). */
  streamOf(id: Identity): CustomerStream {
    return this.customers.open(id.channelId, id.userId, id.resumeKey ?? '');
  }

  /** The user's most recent stream (QA views and tests; never for authorisation). */
  findStream(channelId: string, userId: string): CustomerStream | undefined {
    return this.customers.latestFor(channelId, userId);
  }

  activeSession(stream: CustomerStream): Session | undefined {
    return this.sessions.active(stream);
  }

  latestSession(stream: CustomerStream): Session | undefined {
    return this.sessions.latest(stream);
  }

  /** The customer's name as agents see it, and whether the integrator's signature vouches for it. */
  customerName(s: Session): { name: string; verified: boolean } {
    return { name: this.transcript.customerName(s), verified: s.stream.nameVerified };
  }

  /** The click-to-dial call ringing on or connected to an agent, as the agent's card shows it. */
  callOf(account: string): AgentCallView | null {
    const c = this.calls.agentCall(account);
    return c && { callId: c.callId, status: c.status, media: c.media, customerName: c.customerName };
  }

  send(id: Identity, req: SendRequest): SendResponse {
    const stream = this.streamOf(id);
    // A signed name always wins over what the page says.
    if (req.senderNickname && !stream.nameVerified) stream.userName = cleanName(req.senderNickname) || stream.userName;
    const first = stream.firstAnswer(req.clientMessageId);
    if (first) return first;
    const result = this.handleSend(id, stream, req);
    stream.rememberAnswer(req.clientMessageId, result);
    return result;
  }

  private handleSend(id: Identity, stream: CustomerStream, req: SendRequest): SendResponse {
    const ack = (seq: number): SendResponse => ({ resultCode: '0', messageId: this.nextId('c'), seq });
    switch (req.controlType) {
      case 'CONNECT':
        return ack(this.conversation.connect(id.channelId, stream).stream.lastSeq);
      case 'INPUT': {
        const s = this.activeSession(stream);
        if (s) this.customerInput(s, req.content !== '');
        return ack(0);
      }
      case 'READ': {
        // content: the seq of the latest agent message the customer has read (README, READ up).
        const s = this.activeSession(stream);
        const echo = s && this.customerRead(s, Number(req.content));
        return ack(echo ? echo.seq : 0);
      }
      case 'DISCONNECT': {
        const s = this.activeSession(stream);
        if (s) this.end(s, 'customer');
        return ack(stream.lastSeq);
      }
      case 'TRANS2AGENT': {
        const s = this.conversation.connect(id.channelId, stream);
        if (s.phase === 'bot') this.conversation.transferFromBot(s);
        return ack(stream.lastSeq);
      }
      case 'CHAT': {
        const s = this.conversation.connect(id.channelId, stream);
        const msg = this.post(s, 'CUSTOMER', 'CHAT', req.content, {
          mediaType: req.mediaType,
          clientMessageId: req.clientMessageId,
          senderNickname: this.transcript.customerName(s),
          from: id.userId,
        });
        this.conversation.onCustomerMessage(s, req.mediaType === 'TEXT' ? req.content : null);
        return { resultCode: '0', messageId: msg.messageId, seq: msg.seq };
      }
      default:
        throw badRequest('send.controlType.invalid', `controlType "${String(req.controlType)}" cannot be sent by a customer.`, 'controlType');
    }
  }

  // ── queueing (the desk's view) ────────────────────────────────────────────

  waiting(queueName: string): readonly Session[] {
    return this.queueing.waiting(queueName);
  }

  position(s: Session): number {
    return this.queueing.position(s);
  }

  estimateWaitSeconds(s: Session): number {
    return this.queueing.estimateWaitSeconds(s);
  }

  dequeue(s: Session): void {
    this.queueing.dequeue(s);
  }

  transferToQueue(s: Session, queueName: string): void {
    this.queueing.transferToQueue(s, queueName);
  }

  connectAgent(s: Session, agent: { account: string; name: string; employeeId: string }, q: SkillQueue): void {
    this.queueing.connectAgent(s, agent, q);
    this.sessions.reachedAgent(s);
  }

  /**
   * An INPUT: "typing" on (with content) or off (empty). On, it goes off by itself
   * CUSTOMER_TYPING_TIMEOUT_MS after the last INPUT (mock clock). One timer per session at
   * most: when it fires early because INPUTs kept coming, it re-arms for the rest.
   */
  private customerInput(s: Session, typing: boolean): void {
    s.customerTyping = typing;
    if (typing) {
      s.typingAt = this.clock.now();
      if (!s.typingTimer) this.armTypingTimeout(s, CUSTOMER_TYPING_TIMEOUT_MS);
    }
    this.desk.changed();
  }

  /**
   * The customer has read the agent's messages up to `upTo` (a seq of their stream): records the
   * latest agent message of `s` at or below it as read (`s.customerReadSeq`, the agent's "Seen")
   * and echoes a CUSTOMER `READ` with `data.readSeq` on the stream, so the customer's other tabs
   * and a resumed page do not report it again. Only a step forward counts: a repeated or older
   * READ, or one with no agent message under it, changes nothing and returns undefined.
   * Both faces use it (the real face passes the latest agent message delivered).
   */
  customerRead(s: Session, upTo: number): DownlinkMessage | undefined {
    let readSeq = 0;
    for (const m of s.stream.messages) {
      if (m.sessionId === s.id && m.sourceType === 'AGENT' && m.controlType === 'CHAT' && m.seq <= upTo && m.seq > readSeq) readSeq = m.seq;
    }
    if (readSeq <= (s.customerReadSeq ?? 0)) return undefined;
    s.customerReadSeq = readSeq;
    return this.post(s, 'CUSTOMER', 'READ', '', { data: { readSeq } });
  }

  private armTypingTimeout(s: Session, ms: number): void {
    s.typingTimer = this.clock.setTimeout(() => {
      s.typingTimer = undefined;
      if (!s.customerTyping || s.phase === 'ended') return;
      const left = (s.typingAt ?? 0) + CUSTOMER_TYPING_TIMEOUT_MS - this.clock.now();
      if (left > 0) return this.armTypingTimeout(s, left);
      s.customerTyping = false;
      this.desk.changed();
    }, ms);
  }

  // ── ending ────────────────────────────────────────────────────────────────

  /** Ends a session for `reason`: out of its queue, idle timer off, the agent to wrap-up. */
  end(s: Session, reason: EndReason, content = ''): void {
    if (s.phase === 'ended') return;
    this.queueing.dequeue(s);
    this.idle.clear(s);
    const agent = s.agent;
    if (s.phase === 'agent' && agent) this.queueing.recordHandled((this.clock.now() - (s.firstEnqueuedAt ?? s.startedAt)) / 1000);
    s.phase = 'ended';
    s.endReason = reason;
    s.customerTyping = false;
    s.typingTimer?.cancel();
    s.typingTimer = undefined;
    const by: SourceType = reason === 'agent' ? 'AGENT' : 'SYSTEM';
    const nickname = reason === 'agent' && agent ? this.desk.displayName(agent) : 'System';
    this.post(s, by, 'DISCONNECT', content, { event: 'session.ended', data: { endReason: reason }, senderNickname: nickname });
    if (agent) this.desk.release(agent, s);
    this.sessions.markEnded(s);
    this.desk.changed();
  }

  /** The retention rule let go of `s`: its messages go, and a customer with nothing left goes too. */
  private forgetSession(s: Session, endedAt: number): void {
    const stream = s.stream;
    stream.trim((id) => id !== undefined && this.sessions.byId(id) !== undefined);
    if (stream.sessionCount === 0 && !stream.active) {
      for (const token of this.customers.sessionsForgotten(stream, endedAt)) this.tokens.revoke(token);
    }
  }

  // ── messages ──────────────────────────────────────────────────────────────

  post(s: Session, sourceType: SourceType, controlType: DownlinkMessage['controlType'], content: string, extra: Partial<DownlinkMessage> = {}): DownlinkMessage {
    return this.transcript.post(s, sourceType, controlType, content, extra);
  }

  /** `poll`: the messages after `cursor`, waiting up to `waitSeconds` (mock clock) for one; `signal` (or a function giving it, read only if the poll waits) gives up. */
  async poll(id: Identity, receiverId: string, cursor: number, waitSeconds: number, signal?: SignalSource): Promise<PollResponse> {
    if (receiverId !== id.userId) throw new ApiFailure(403, 'poll.receiverId.mismatch', 'receiverId must be the user id of the session token.', 'receiverId');
    const stream = this.streamOf(id);
    if (cursor > stream.lastSeq) {
      throw badRequest('poll.cursor.ahead', `cursor ${cursor} is past the last message (${stream.lastSeq}); the conversation was reset.`, 'cursor');
    }
    await stream.wait(cursor, waitSeconds * 1000, signal);
    const downlinkMessages = stream.since(cursor);
    return { resultCode: '0', downlinkMessages, cursor: cursor + downlinkMessages.length };
  }

  queueInfo(id: Identity): QueueInfoResponse {
    const stream = this.customers.find(id.channelId, id.userId, id.resumeKey);
    const s = stream && this.activeSession(stream);
    const info: QueueInfoResponse = { resultCode: '5', position: 0, estimateWaitTime: 0, configMaxcWaitTime: 0, totalWaitTime: 0 };
    if (!s) return info;
    if (s.phase === 'agent') return { ...info, resultCode: '160021' };
    if (s.phase === 'bot') return { ...info, resultCode: '160022' };
    if (s.phase !== 'queue' || !s.queueName) return info;
    return {
      resultCode: '0',
      position: this.position(s),
      estimateWaitTime: this.estimateWaitSeconds(s),
      configMaxcWaitTime: this.queue(s.queueName).maxWaitTime,
      totalWaitTime: Math.round((this.clock.now() - (s.firstEnqueuedAt ?? s.startedAt)) / 1000),
    };
  }

  /**
   * `queryHistoryChatMessage`: the customer's latest session, without INPUT and READ, oldest
   * first. (ext) Paged: the last `limit` messages with `seq < beforeSeq` (the newest when
   * `beforeSeq` is left out; every one when `limit` is), with `hasMore`, `earlierCount` and the
   * page's `context` (see HistoryResponse). Costs the page, not the chat (see history-index.ts).
   */
  history(id: Identity, page: { limit?: number; beforeSeq?: number } = {}): HistoryResponse {
    const stream = this.customers.find(id.channelId, id.userId, id.resumeKey);
    const latest = stream && this.latestSession(stream);
    if (!stream || !latest) return { resultCode: '0', messages: [], cursor: stream?.lastSeq ?? 0, hasMore: false, earlierCount: 0 };
    return historyPage(stream, latest.id, page.limit, page.beforeSeq);
  }

  saveSatisfaction(id: Identity, req: SaveSatisfactionRequest): void {
    const stream = this.customers.find(id.channelId, id.userId, id.resumeKey);
    const s = stream && this.sessions.latestWithAgent(stream);
    if (!s) throw new ApiFailure(409, 'satisfaction.noAgentChat', 'Only a chat with an agent can be evaluated.');
    s.evaluations.push({ evaluation: req.evaluation, comment: req.comment, at: this.clock.now() });
    this.desk.changed();
  }

  /**
   * `doLeaveMessage`: accepted only outside work time or after a queue released the customer
   * (onTimeout / onBusy / onNoAgents ending the chat), as channel-api.md says; otherwise 409
   * `leaveMessage.notAllowed`. Kept for the QA listing (at most MAX_LEFT_MESSAGES).
   */
  leaveMessage(id: Identity, req: LeaveMessageRequest): void {
    const ch = this.channel(id.channelId);
    const stream = this.customers.find(id.channelId, id.userId, id.resumeKey);
    const s = stream && (this.activeSession(stream) ?? this.latestSession(stream));
    const released = s?.phase === 'ended' && s.endReason !== undefined && RELEASE_REASONS.has(s.endReason);
    const closed = s?.phase === 'offHours' || !isWorkingTime(ch.workTime, this.clock.now());
    if (!released && !closed) {
      throw new ApiFailure(409, 'leaveMessage.notAllowed', 'A message can be left only outside work time or after the queue released the chat.');
    }
    this.leftMessages.push({ ...req, userId: id.userId, channelId: id.channelId, at: this.clock.now() });
    if (this.leftMessages.length > MAX_LEFT_MESSAGES) this.leftMessages.shift();
    if (s) this.post(s, 'SYSTEM', 'CHAT', '', { event: 'message.left' });
  }

  /** One page of sessions for the QA listing (see SessionBook.page). */
  sessionPage(after: string | undefined, limit: number): { items: Session[]; next: string | null } {
    return this.sessions.page(after, limit);
  }

  /** Sessions kept now (in progress, and ended within the retention rule). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  sessionById(id: string): Session | undefined {
    return this.sessions.byId(id);
  }

  allSessions(): Session[] {
    return this.sessions.all();
  }
}
