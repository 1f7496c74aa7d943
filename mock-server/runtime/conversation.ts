/**
 * Chatbot turn-taking: a CONNECT starts a session — the off-hours notice outside work time,
 * else the chatbot's greeting, else straight into the channel's queue — and each customer
 * message is answered by whoever holds the turn: the chatbot (a keyword reply, or the hand-over
 * on a transfer keyword), the off-hours mailbox, or the agent (auto-agents reply by themselves).
 */
import type { LeaveMessageRequest } from '../../widget/core/protocol.js';
import { isWorkingTime, nextOpening } from '../../widget/core/work-time.js';
import type { AgentDesk } from './agents.js';
import { decide } from './chatbot.js';
import type { Clock } from './clock.js';
import type { IdleRule } from './idle.js';
import type { Queueing } from './queueing.js';
import type { IdSource, Session, SessionBook } from './session.js';
import type { CustomerStream } from './stream.js';
import type { TenantView } from './tenant-view.js';
import type { Transcript } from './transcript.js';

export interface LeftMessage extends LeaveMessageRequest {
  at: number;
}

export interface ConversationParts {
  tenant: TenantView;
  clock: Clock;
  ids: IdSource;
  sessions: SessionBook;
  transcript: Transcript;
  idle: IdleRule;
  queueing: Queueing;
  desk: AgentDesk;
  leftMessages: LeftMessage[];
}

export class Conversation {
  constructor(private readonly p: ConversationParts) {}

  /** The customer's session that has not ended, or a new one begun now. */
  connect(channelId: string, stream: CustomerStream): Session {
    const { tenant, clock, sessions, transcript } = this.p;
    const existing = sessions.active(stream);
    if (existing) return existing;
    const ch = tenant.channel(channelId, stream.locale);
    const now = clock.now();
    const s: Session = {
      id: this.p.ids.next('s'),
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
    sessions.add(s);
    if (!isWorkingTime(ch.workTime, now)) {
      s.phase = 'offHours';
      transcript.system(s, 'offhours.notice', ch.workTime?.nonWorkingNotice ?? '', {
        nextOpening: nextOpening(ch.workTime, now),
      });
    } else if (ch.chatbot) {
      transcript.post(s, 'ROBOT', 'CHAT', ch.chatbot.greeting, { event: 'bot.greeting' });
      this.p.idle.arm(s);
    } else {
      this.p.queueing.enqueue(s, tenant.channelQueue(ch));
    }
    this.p.desk.changed();
    return s;
  }

  /** `text` is null for an image or file: the chatbot reads text only. */
  onCustomerMessage(s: Session, text: string | null): void {
    const { tenant, clock, transcript } = this.p;
    s.lastCustomerAt = clock.now();
    s.customerTyping = false;
    const ch = tenant.channelOf(s);
    if (s.phase === 'bot' && ch.chatbot && text !== null) {
      const d = decide(ch.chatbot, ch.transferKeywords, text);
      if (d.kind === 'transfer') this.transferFromBot(s);
      else transcript.post(s, 'ROBOT', 'CHAT', d.text, { event: 'bot.reply' });
    } else if (s.phase === 'offHours') {
      this.p.leftMessages.push({ userId: s.stream.userId, channelId: s.channelId, content: text ?? '(a file)', contact: '', at: clock.now() });
      transcript.system(s, 'message.left', 'We are closed now; your message was saved and we will reply when we are back.');
    }
    if (s.phase === 'bot' || s.phase === 'agent') this.p.idle.arm(s);
    this.p.desk.onCustomerMessage(s);
  }

  /** The chatbot hands the customer to the channel's queue. */
  transferFromBot(s: Session): void {
    const ch = this.p.tenant.channelOf(s);
    this.p.transcript.post(s, 'ROBOT', 'TRANS2AGENT', ch.chatbot?.transferPrompt ?? '', { event: 'bot.transfer' });
    this.p.queueing.enqueue(s, this.p.tenant.channelQueue(ch));
  }
}
