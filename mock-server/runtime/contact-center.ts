/**
 * The mock contact center's runtime: tokens, customer streams, sessions (chatbot → queue →
 * agent → end), and the simulated agents. Configuration comes from the TenantStore; every
 * timer runs on the injected Clock. Transport-agnostic: the MSW handlers call these methods.
 */
import type {
  ApplyTokenRequest,
  ApplyTokenResponse,
  ChannelConfig,
  DownlinkData,
  DownlinkMessage,
  EndReason,
  HistoryResponse,
  LeaveMessageRequest,
  PollResponse,
  QueueInfoResponse,
  SaveSatisfactionRequest,
  SendRequest,
  SendResponse,
  SessionEvent,
  SourceType,
} from '../../widget/core/protocol.js';
import { isWorkingTime, nextOpening } from './work-time.js';
import { TenantStore } from '../config/store.js';
import { DEFAULT_NO_REPLY_MINUTES, type OverflowPolicy, type SkillQueue, type WebChannel } from '../config/types.js';
import { SignatureVerifier } from './auth.js';
import { decide } from './chatbot.js';
import { Clock, type Timer } from './clock.js';
import { AgentDesk } from './agents.js';
import { CallCenter } from './click-to-call.js';
import { ApiFailure, badRequest } from './errors.js';
import { Faults } from './faults.js';
import { CustomerStream } from './stream.js';
import { FileStore, UPLOAD_MAX_BYTES, UPLOAD_TYPES } from './uploads.js';

export const TOKEN_LIFETIME_SECONDS = 3600;
/** A token with less than this left is rotated through the `ccmessaging-token` response header. */
export const TOKEN_ROTATE_SECONDS = 600;
const MAX_QUEUE_HOPS = 5;
/** Average handling time used for the wait estimate before any session has ended. */
const DEFAULT_HANDLE_SECONDS = 120;

export type SessionPhase = 'bot' | 'queue' | 'agent' | 'offHours' | 'ended';

export interface Session {
  id: string;
  stream: CustomerStream;
  channelId: string;
  phase: SessionPhase;
  startedAt: number;
  queueName?: string;
  enqueuedAt?: number;
  firstEnqueuedAt?: number;
  queueHops: number;
  agent?: string;
  /** The queue the current or last agent took the session from (wrap-up, transfers). */
  servedQueue?: string;
  hadAgent: boolean;
  customerTyping: boolean;
  lastCustomerAt: number;
  endReason?: EndReason;
  evaluations: Array<{ evaluation: string; comment: string; at: number }>;
  queueTimers: Timer[];
  idleTimers: Timer[];
}

interface TokenRecord {
  token: string;
  channelId: string;
  userId: string;
  userName: string;
  expiresAt: number;
}

export interface Identity {
  channelId: string;
  userId: string;
  /** A fresh token to hand back in the `ccmessaging-token` response header. */
  rotated?: string;
}

export interface LeftMessage extends LeaveMessageRequest {
  at: number;
}

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
  private tokens = new Map<string, TokenRecord>();
  private streams = new Map<string, CustomerStream>();
  private sessions = new Map<string, Session>();
  private queues = new Map<string, Session[]>();
  private ids = 0;
  private handledSeconds: number[] = [];

  constructor(opts: ContactCenterOptions = {}) {
    this.store = opts.store ?? new TenantStore();
    this.clock = opts.clock ?? new Clock('real');
    this.verifier = opts.verifier ?? new SignatureVerifier();
    this.desk = new AgentDesk(this);
    this.calls = new CallCenter(this);
  }

  /** Forgets every token, session and agent state (the configuration is kept). */
  resetRuntime(): void {
    this.clock.clear();
    this.tokens.clear();
    this.streams.clear();
    this.sessions.clear();
    this.queues.clear();
    this.leftMessages.length = 0;
    this.verifier.reset();
    this.calls.reset();
    this.files.reset();
    this.desk.reset();
  }

  nextId(prefix: string): string {
    return `${prefix}${++this.ids}`;
  }

  // ── configuration ─────────────────────────────────────────────────────────

  channel(channelId: string): WebChannel {
    const ch = this.store.current.channels.find((c) => c.id === channelId);
    if (!ch) throw new ApiFailure(404, 'channel.notFound', `No web channel has the id "${channelId}".`, 'channelId');
    return ch;
  }

  queue(name: string): SkillQueue {
    const q = this.store.current.skillQueues.find((s) => s.name === name);
    if (!q) throw new ApiFailure(404, 'queue.notFound', `No skill queue is named "${name}".`, 'queueName');
    return q;
  }

  /** The skill queue behind a channel's multimedia called route (access + extension code). */
  channelQueue(ch: WebChannel): SkillQueue {
    const route = this.store.current.calledRoutes.find((r) => r.accessCode + (r.extensionCode ?? '') === ch.skillQueue);
    if (!route) throw new ApiFailure(500, 'channel.routeMissing', `Channel "${ch.id}" points to no called route.`);
    return this.queue(route.skillQueue);
  }

  channelConfig(channelId: string): ChannelConfig {
    const ch = this.channel(channelId);
    const levels = ch.satisfactionLevels;
    return {
      resultCode: '0',
      channelId: ch.id,
      useRobot: ch.chatbot !== null,
      toArtificialKeyWord: ch.chatbot ? [...ch.transferKeywords] : [],
      queueReminderInterval: ch.queueReminder.intervalSeconds,
      queueReminderContent: ch.queueReminder.content,
      dialogEnd: ch.dialogEnd ?? { noReplyMinutes: DEFAULT_NO_REPLY_MINUTES, conclusion: '' },
      workTime: ch.workTime,
      chatbot: ch.chatbot ? { name: ch.chatbot.name, avatar: ch.chatbot.avatar, gender: ch.chatbot.gender } : null,
      clickToDial: ch.clickToDial ? { calledParty: ch.clickToDial.calledParty, media: [...ch.clickToDial.media] } : null,
      satisfactionLevels: levels.map((d, i) => ({
        satisfactionLevelKey: String(i + 1) as '1',
        satisfactionLevelDesc: d,
      })),
      requiresSignature: ch.secretKey !== null,
      upload: { maxBytes: UPLOAD_MAX_BYTES, types: [...UPLOAD_TYPES] },
    };
  }

  // ── authentication ────────────────────────────────────────────────────────

  async applyToken(req: ApplyTokenRequest, authorization: string | null): Promise<ApplyTokenResponse> {
    const ch = this.channel(req.channelId);
    const now = this.clock.now();
    const verdict = await this.verifier.verify({
      authorization,
      secretKey: ch.secretKey,
      channelId: ch.id,
      userId: req.userId,
      now,
    });
    if (!verdict.ok) throw new ApiFailure(verdict.status, verdict.errorCode, verdict.exceptionInfo);
    const rec = this.issueToken(ch.id, req.userId, verdict.name ?? req.userName ?? req.userId);
    return { resultCode: '0', token: rec.token, expiresIn: TOKEN_LIFETIME_SECONDS };
  }

  private issueToken(channelId: string, userId: string, userName: string): TokenRecord {
    const rec: TokenRecord = {
      token: randomToken(),
      channelId,
      userId,
      userName,
      expiresAt: this.clock.now() + TOKEN_LIFETIME_SECONDS * 1000,
    };
    this.tokens.set(rec.token, rec);
    return rec;
  }

  /** Checks the `ccmessaging-token` header; rotates a token close to expiry. */
  authenticate(token: string | null): Identity {
    if (!token) throw new ApiFailure(401, 'auth.token.missing', 'The ccmessaging-token header is required.');
    const rec = this.tokens.get(token);
    if (!rec) throw new ApiFailure(401, 'auth.token.invalid', 'The session token is not valid; apply for a new one.');
    const now = this.clock.now();
    if (rec.expiresAt <= now) {
      this.tokens.delete(token);
      throw new ApiFailure(401, 'auth.token.expired', 'The session token has expired; apply for a new one.');
    }
    const id: Identity = { channelId: rec.channelId, userId: rec.userId };
    if (rec.expiresAt - now < TOKEN_ROTATE_SECONDS * 1000) {
      id.rotated = this.issueToken(rec.channelId, rec.userId, rec.userName).token;
    }
    return id;
  }

  private userName(id: Identity): string {
    for (const rec of this.tokens.values()) if (rec.userId === id.userId && rec.channelId === id.channelId) return rec.userName;
    return id.userId;
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
    for (const s of this.sessions.values()) if (s.stream === stream && s.phase !== 'ended') return s;
    return undefined;
  }

  latestSession(stream: CustomerStream): Session | undefined {
    let latest: Session | undefined;
    for (const s of this.sessions.values()) if (s.stream === stream) latest = s;
    return latest;
  }

  send(id: Identity, req: SendRequest): SendResponse {
    const stream = this.stream(id.channelId, id.userId, this.userName(id));
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
        return ack(this.connect(id, stream).stream.lastSeq);
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
        const s = this.activeSession(stream) ?? this.connect(id, stream);
        if (s.phase === 'bot') this.transferFromBot(s);
        return ack(stream.lastSeq);
      }
      case 'CHAT': {
        const s = this.activeSession(stream) ?? this.connect(id, stream);
        const msg = this.post(s, 'CUSTOMER', 'CHAT', req.content, {
          mediaType: req.mediaType,
          clientMessageId: req.clientMessageId,
          senderNickname: stream.userName,
          from: id.userId,
        });
        this.onCustomerMessage(s, req.mediaType === 'TEXT' ? req.content : null);
        return { resultCode: '0', messageId: msg.messageId, seq: msg.seq };
      }
      default:
        throw badRequest('send.controlType.invalid', `controlType "${String(req.controlType)}" cannot be sent by a customer.`, 'controlType');
    }
  }

  private connect(id: Identity, stream: CustomerStream): Session {
    const existing = this.activeSession(stream);
    if (existing) return existing;
    const ch = this.channel(id.channelId);
    const now = this.clock.now();
    const s: Session = {
      id: this.nextId('s'),
      stream,
      channelId: ch.id,
      phase: 'bot',
      startedAt: now,
      queueHops: 0,
      hadAgent: false,
      customerTyping: false,
      lastCustomerAt: now,
      evaluations: [],
      queueTimers: [],
      idleTimers: [],
    };
    this.sessions.set(s.id, s);
    if (!isWorkingTime(ch.workTime, now)) {
      s.phase = 'offHours';
      this.system(s, 'offhours.notice', ch.workTime?.nonWorkingNotice ?? '', {
        nextOpening: nextOpening(ch.workTime, now),
      });
    } else if (ch.chatbot) {
      this.post(s, 'ROBOT', 'CHAT', ch.chatbot.greeting, { event: 'bot.greeting' });
      this.armIdle(s);
    } else {
      this.enqueue(s, this.channelQueue(ch));
    }
    this.desk.changed();
    return s;
  }

  /** `text` is null for an image or file: the chatbot reads text only. */
  private onCustomerMessage(s: Session, text: string | null): void {
    s.lastCustomerAt = this.clock.now();
    s.customerTyping = false;
    const ch = this.channel(s.channelId);
    if (s.phase === 'bot' && ch.chatbot && text !== null) {
      const d = decide(ch.chatbot, ch.transferKeywords, text);
      if (d.kind === 'transfer') this.transferFromBot(s);
      else this.post(s, 'ROBOT', 'CHAT', d.text, { event: 'bot.reply' });
    } else if (s.phase === 'offHours') {
      this.leftMessages.push({ userId: s.stream.userId, channelId: s.channelId, content: text ?? '(a file)', contact: '', at: this.clock.now() });
      this.system(s, 'message.left', 'We are closed now; your message was saved and we will reply when we are back.');
    }
    if (s.phase === 'bot' || s.phase === 'agent') this.armIdle(s);
    this.desk.onCustomerMessage(s);
  }

  private transferFromBot(s: Session): void {
    const ch = this.channel(s.channelId);
    this.post(s, 'ROBOT', 'TRANS2AGENT', ch.chatbot?.transferPrompt ?? '', { event: 'bot.transfer' });
    this.enqueue(s, this.channelQueue(ch));
  }

  // ── queueing ──────────────────────────────────────────────────────────────

  waiting(queueName: string): Session[] {
    return this.queues.get(queueName) ?? [];
  }

  position(s: Session): number {
    return s.queueName ? this.waiting(s.queueName).indexOf(s) + 1 : 0;
  }

  estimateWaitSeconds(s: Session): number {
    if (!s.queueName) return 0;
    const handle = this.handledSeconds.length
      ? this.handledSeconds.reduce((a, b) => a + b, 0) / this.handledSeconds.length
      : DEFAULT_HANDLE_SECONDS;
    const agents = Math.max(1, this.desk.signedInFor(s.queueName).length);
    return Math.round((this.position(s) * handle) / agents);
  }

  private enqueue(s: Session, q: SkillQueue): void {
    this.clearIdle(s);
    const now = this.clock.now();
    if (this.desk.signedInFor(q.name).length === 0) return this.overflow(s, q.onNoAgents, 'queue.noAgents');
    if (this.waiting(q.name).length >= q.maxCallsInQueue) return this.overflow(s, q.onBusy, 'queue.busy');
    s.phase = 'queue';
    s.queueName = q.name;
    s.enqueuedAt = now;
    s.firstEnqueuedAt ??= now;
    this.queues.set(q.name, [...this.waiting(q.name), s]);
    this.queueMessage(s, 'queue.joined', '');
    this.desk.dispatch();
    const ch = this.channel(s.channelId);
    const remind = () => {
      this.queueMessage(s, 'queue.reminder', ch.queueReminder.content);
      s.queueTimers.push(this.clock.setTimeout(remind, ch.queueReminder.intervalSeconds * 1000));
    };
    s.queueTimers.push(this.clock.setTimeout(remind, ch.queueReminder.intervalSeconds * 1000));
    s.queueTimers.push(this.clock.setTimeout(() => this.overflow(s, q.onTimeout, 'queue.timeout'), q.maxWaitTime * 1000));
    this.desk.changed();
  }

  private queueMessage(s: Session, event: SessionEvent, content: string): void {
    this.system(s, event, content, {
      position: this.position(s),
      estimateWaitSeconds: this.estimateWaitSeconds(s),
      queueName: s.queueName,
    });
  }

  /** Takes the session out of its queue (on accept, transfer or end). */
  dequeue(s: Session): void {
    for (const t of s.queueTimers) t.cancel();
    s.queueTimers = [];
    if (!s.queueName) return;
    const rest = this.waiting(s.queueName).filter((x) => x !== s);
    this.queues.set(s.queueName, rest);
    s.queueName = undefined;
  }

  /** Applies a queue's onTimeout / onBusy / onNoAgents policy. */
  private overflow(s: Session, policy: OverflowPolicy, reason: EndReason): void {
    this.dequeue(s);
    if (policy.processMethod === 'transfer' && policy.target && s.queueHops < MAX_QUEUE_HOPS) {
      if (policy.deviceType === 'skillQueue') {
        s.queueHops++;
        const target = this.queue(policy.target);
        this.system(s, 'queue.transferred', '', { queueName: target.name, endReason: reason });
        return this.enqueue(s, target);
      }
      const ivr = this.store.current.ivrs.find((i) => i.accessCode === policy.target);
      return this.end(s, reason, `You are being transferred to our automated service${ivr ? ` (${ivr.name})` : ''}.`);
    }
    this.end(s, reason);
  }

  /** Puts a session back into a queue (agent transfer). */
  transferToQueue(s: Session, queueName: string): void {
    const q = this.queue(queueName);
    s.phase = 'queue';
    this.system(s, 'queue.transferred', '', { queueName: q.name });
    this.enqueue(s, q);
  }

  /** Called by the desk when an agent accepts. */
  connectAgent(s: Session, agent: { account: string; name: string; employeeId: string }, q: SkillQueue): void {
    this.dequeue(s);
    s.servedQueue = q.name;
    s.phase = 'agent';
    s.agent = agent.account;
    s.hadAgent = true;
    s.lastCustomerAt = this.clock.now();
    const data: DownlinkData = { agentName: agent.name };
    if (q.answerMode === 'reportEmployeeId') data.employeeId = agent.employeeId;
    this.post(s, 'SYSTEM', 'CONNECT', '', { event: 'agent.joined', data });
    this.armIdle(s);
  }

  // ── idle rule ─────────────────────────────────────────────────────────────

  private armIdle(s: Session): void {
    this.clearIdle(s);
    const ch = this.channel(s.channelId);
    const limit = (ch.dialogEnd?.noReplyMinutes ?? DEFAULT_NO_REPLY_MINUTES) * 60_000;
    const lead = Math.min(120_000, limit / 4);
    const deadline = this.clock.now() + limit;
    s.idleTimers.push(
      this.clock.setTimeout(() => this.system(s, 'idle.warning', '', { deadline }), limit - lead),
      this.clock.setTimeout(() => {
        const text = s.phase === 'bot' ? ch.chatbot?.timeoutReply : ch.dialogEnd?.conclusion;
        this.end(s, 'idle', text || undefined);
      }, limit),
    );
  }

  private clearIdle(s: Session): void {
    for (const t of s.idleTimers) t.cancel();
    s.idleTimers = [];
  }

  // ── ending ────────────────────────────────────────────────────────────────

  end(s: Session, reason: EndReason, content = ''): void {
    if (s.phase === 'ended') return;
    this.dequeue(s);
    this.clearIdle(s);
    const agent = s.agent;
    if (s.phase === 'agent' && agent) this.handledSeconds.push((this.clock.now() - (s.firstEnqueuedAt ?? s.startedAt)) / 1000);
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
    const ch = this.channel(s.channelId);
    const nickname =
      sourceType === 'ROBOT' ? (ch.chatbot?.name ?? 'Bot') : sourceType === 'SYSTEM' ? 'System' : sourceType === 'AGENT' && s.agent ? this.desk.displayName(s.agent) : s.stream.userName;
    const toCustomer = sourceType !== 'CUSTOMER';
    const msg = s.stream.append({
      messageId: this.nextId('m'),
      sessionId: s.id,
      from: toCustomer ? (sourceType === 'AGENT' && s.agent ? s.agent : sourceType.toLowerCase()) : s.stream.userId,
      to: toCustomer ? s.stream.userId : (s.agent ?? ch.id),
      channel: 'WEB',
      controlType,
      mediaType: 'TEXT',
      content,
      sourceType,
      senderNickname: nickname,
      senderAvatar: sourceType === 'ROBOT' ? ch.chatbot?.avatar || undefined : undefined,
      timestamp: this.clock.now(),
      queueFlag: s.phase === 'queue' ? 'Y' : 'N',
      ...extra,
    });
    this.desk.changed();
    return msg;
  }

  private system(s: Session, event: SessionEvent, content: string, data?: DownlinkData): DownlinkMessage {
    return this.post(s, 'SYSTEM', 'CHAT', content, { event, data });
  }

  async poll(id: Identity, receiverId: string, cursor: number, waitSeconds: number, signal?: AbortSignal): Promise<PollResponse> {
    if (receiverId !== id.userId) throw new ApiFailure(403, 'poll.receiverId.mismatch', 'receiverId must be the user id of the session token.', 'receiverId');
    const stream = this.stream(id.channelId, id.userId, this.userName(id));
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
    const sessions = stream ? [...this.sessions.values()].filter((s) => s.stream === stream && s.hadAgent) : [];
    const s = sessions[sessions.length - 1];
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
    return this.sessions.get(id);
  }

  allSessions(): Session[] {
    return [...this.sessions.values()];
  }
}


function randomToken(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
