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
import { TenantStore } from '../config/store.js';
import type { SkillQueue, WebChannel } from '../config/types.js';
import { AgentDesk } from './agents.js';
import { SignatureVerifier } from './auth.js';
import { CallCenter } from './click-to-call.js';
import { Clock } from './clock.js';
import { Conversation, type LeftMessage } from './conversation.js';
import { ApiFailure, badRequest } from './errors.js';
import { Faults } from './faults.js';
import { IdleRule } from './idle.js';
import { Queueing } from './queueing.js';
import { IdSource, SessionBook, type Identity, type Session } from './session.js';
import { CustomerStream } from './stream.js';
import { TenantView } from './tenant-view.js';
import { TOKEN_LIFETIME_SECONDS, TokenBook } from './tokens.js';
import { Transcript } from './transcript.js';
import { FileStore } from './uploads.js';

export type { Identity, Session, SessionPhase } from './session.js';
export type { LeftMessage } from './conversation.js';
export { TOKEN_LIFETIME_SECONDS, TOKEN_ROTATE_SECONDS } from './tokens.js';

export interface ContactCenterOptions {
  store?: TenantStore;
  clock?: Clock;
  verifier?: SignatureVerifier;
}

export class ContactCenter {
  readonly store: TenantStore;
  readonly clock: Clock;
  readonly verifier: SignatureVerifier;
  readonly desk: AgentDesk;
  readonly faults = new Faults();
  readonly calls: CallCenter;
  readonly files = new FileStore();
  readonly leftMessages: LeftMessage[] = [];
  private readonly tenant: TenantView;
  private readonly ids = new IdSource();
  private readonly tokens: TokenBook;
  private readonly sessions = new SessionBook();
  private readonly transcript: Transcript;
  private readonly idle: IdleRule;
  private readonly queueing: Queueing;
  private readonly conversation: Conversation;
  private streams = new Map<string, CustomerStream>();

  constructor(opts: ContactCenterOptions = {}) {
    this.store = opts.store ?? new TenantStore();
    this.clock = opts.clock ?? new Clock('real');
    this.verifier = opts.verifier ?? new SignatureVerifier();
    this.tenant = new TenantView(this.store);
    this.tokens = new TokenBook(this.clock);
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
    this.streams.clear();
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

  channel(channelId: string): WebChannel {
    return this.tenant.channel(channelId);
  }

  queue(name: string): SkillQueue {
    return this.tenant.queue(name);
  }

  channelQueue(ch: WebChannel): SkillQueue {
    return this.tenant.channelQueue(ch);
  }

  channelConfig(channelId: string): ChannelConfig {
    return this.tenant.channelConfig(channelId);
  }

  // ── authentication ────────────────────────────────────────────────────────

  async applyToken(req: ApplyTokenRequest, authorization: string | null): Promise<ApplyTokenResponse> {
    const ch = this.channel(req.channelId);
    const verdict = await this.verifier.verify({
      authorization,
      secretKey: ch.secretKey,
      channelId: ch.id,
      userId: req.userId,
      now: this.clock.now(),
    });
    if (!verdict.ok) throw new ApiFailure(verdict.status, verdict.errorCode, verdict.exceptionInfo);
    const rec = this.tokens.issue(ch.id, req.userId, verdict.name ?? req.userName ?? req.userId);
    return { resultCode: '0', token: rec.token, expiresIn: TOKEN_LIFETIME_SECONDS };
  }

  /** Checks the `ccmessaging-token` header; rotates a token close to expiry. */
  authenticate(token: string | null): Identity {
    return this.tokens.authenticate(token);
  }

  // ── customer calls ────────────────────────────────────────────────────────

  stream(channelId: string, userId: string, userName = userId): CustomerStream {
    const key = `${channelId}\u0000${userId}`;
    let s = this.streams.get(key);
    if (!s) {
      s = new CustomerStream(channelId, userId, userName, this.clock);
      this.streams.set(key, s);
    }
    return s;
  }

  findStream(channelId: string, userId: string): CustomerStream | undefined {
    return this.streams.get(`${channelId}\u0000${userId}`);
  }

  activeSession(stream: CustomerStream): Session | undefined {
    return this.sessions.active(stream);
  }

  latestSession(stream: CustomerStream): Session | undefined {
    return this.sessions.latest(stream);
  }

  send(id: Identity, req: SendRequest): SendResponse {
    const stream = this.stream(id.channelId, id.userId, this.tokens.userName(id));
    if (req.senderNickname) stream.userName = req.senderNickname;
    const first = stream.sends.get(req.clientMessageId);
    if (first) return first;
    const result = this.handleSend(id, stream, req);
    stream.sends.set(req.clientMessageId, result);
    return result;
  }

  private handleSend(id: Identity, stream: CustomerStream, req: SendRequest): SendResponse {
    const ack = (seq: number): SendResponse => ({ resultCode: '0', messageId: this.nextId('c'), seq });
    switch (req.controlType) {
      case 'CONNECT':
        return ack(this.conversation.connect(id.channelId, stream).stream.lastSeq);
      case 'INPUT': {
        const s = this.activeSession(stream);
        if (s) {
          s.customerTyping = req.content !== '';
          this.desk.changed();
        }
        return ack(0);
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
          senderNickname: stream.userName,
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

  waiting(queueName: string): Session[] {
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
    const by: SourceType = reason === 'agent' ? 'AGENT' : 'SYSTEM';
    const nickname = reason === 'agent' && agent ? this.desk.displayName(agent) : 'System';
    this.post(s, by, 'DISCONNECT', content, { event: 'session.ended', data: { endReason: reason }, senderNickname: nickname });
    if (agent) this.desk.release(agent, s);
    this.desk.changed();
  }

  // ── messages ──────────────────────────────────────────────────────────────

  post(
    s: Session,
    sourceType: SourceType,
    controlType: DownlinkMessage['controlType'],
    content: string,
    extra: Partial<DownlinkMessage> = {},
  ): DownlinkMessage {
    return this.transcript.post(s, sourceType, controlType, content, extra);
  }

  async poll(id: Identity, receiverId: string, cursor: number, waitSeconds: number, signal?: AbortSignal): Promise<PollResponse> {
    if (receiverId !== id.userId) throw new ApiFailure(403, 'poll.receiverId.mismatch', 'receiverId must be the user id of the session token.', 'receiverId');
    const stream = this.stream(id.channelId, id.userId, this.tokens.userName(id));
    if (cursor > stream.lastSeq) {
      throw badRequest('poll.cursor.ahead', `cursor ${cursor} is past the last message (${stream.lastSeq}); the conversation was reset.`, 'cursor');
    }
    await stream.wait(cursor, waitSeconds * 1000, signal);
    const downlinkMessages = stream.since(cursor);
    return { resultCode: '0', downlinkMessages, cursor: cursor + downlinkMessages.length };
  }

  queueInfo(id: Identity): QueueInfoResponse {
    const stream = this.findStream(id.channelId, id.userId);
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

  history(id: Identity): HistoryResponse {
    const stream = this.findStream(id.channelId, id.userId);
    if (!stream) return { resultCode: '0', messages: [], cursor: 0 };
    const latest = this.latestSession(stream);
    const messages = stream.messages.filter((m) => m.sessionId === latest?.id && m.controlType !== 'INPUT' && m.controlType !== 'READ');
    return { resultCode: '0', messages, cursor: stream.lastSeq };
  }

  saveSatisfaction(id: Identity, req: SaveSatisfactionRequest): void {
    const stream = this.findStream(id.channelId, id.userId);
    const s = stream && this.sessions.latestWithAgent(stream);
    if (!s) throw new ApiFailure(409, 'satisfaction.noAgentChat', 'Only a chat with an agent can be evaluated.');
    s.evaluations.push({ evaluation: req.evaluation, comment: req.comment, at: this.clock.now() });
    this.desk.changed();
  }

  leaveMessage(id: Identity, req: LeaveMessageRequest): void {
    this.leftMessages.push({ ...req, userId: id.userId, channelId: id.channelId, at: this.clock.now() });
    const stream = this.findStream(id.channelId, id.userId);
    const s = stream && (this.activeSession(stream) ?? this.latestSession(stream));
    if (s) this.post(s, 'SYSTEM', 'CHAT', '', { event: 'message.left' });
  }

  sessionById(id: string): Session | undefined {
    return this.sessions.byId(id);
  }

  allSessions(): Session[] {
    return this.sessions.all();
  }
}
