/**
 * Skill-queue waiting: joining a queue (refused by onNoAgents / onBusy), the position and the
 * wait estimate, reminders every `intervalSeconds`, onTimeout after `maxWaitTime`, transfer
 * policies (to another skill queue, at most MAX_QUEUE_HOPS times, or to an IVR), and the
 * hand-over to an agent. The rules are part A of docs/requirements.md.
 */
import type { DownlinkData, EndReason, SessionEvent } from '../../widget/core/protocol.js';
import type { OverflowPolicy, SkillQueue } from '../config/types.js';
import type { AgentDesk } from './agents.js';
import type { Clock } from './clock.js';
import type { IdleRule } from './idle.js';
import type { Session } from './session.js';
import type { TenantView } from './tenant-view.js';
import type { Transcript } from './transcript.js';

const MAX_QUEUE_HOPS = 5;
const NONE: readonly Session[] = Object.freeze([]);
/** Average handling time used for the wait estimate before any session has ended. */
const DEFAULT_HANDLE_SECONDS = 120;
/** The estimate averages the last this-many handled chats. */
const HANDLED_SAMPLES = 100;

export class Queueing {
  /** Each queue's waiting sessions, longest-waiting first. Changed in place (push on join, splice on leave). */
  private queues = new Map<string, Session[]>();
  /** Each waiting session's index in its queue's list: `position` is a lookup, not a scan. */
  private indexOf = new Map<Session, number>();
  private handledSeconds: number[] = [];

  constructor(
    private readonly tenant: TenantView,
    private readonly clock: Clock,
    private readonly desk: AgentDesk,
    private readonly transcript: Transcript,
    private readonly idle: IdleRule,
    private readonly end: (s: Session, reason: EndReason, content?: string) => void,
  ) {}

  clear(): void {
    this.queues.clear();
    this.indexOf.clear();
  }

  /** Sessions waiting in a queue, longest-waiting first (the live list: read it, do not keep it). */
  waiting(queueName: string): readonly Session[] {
    return this.queues.get(queueName) ?? NONE;
  }

  /** 1-based place in its queue; 0 when not waiting. O(1): the index is kept on join and leave. */
  position(s: Session): number {
    const i = s.queueName ? this.indexOf.get(s) : undefined;
    return i === undefined ? 0 : i + 1;
  }

  /**
   * Position × average handling time ÷ signed-in agents of the queue, less the time already
   * waited (those ahead have been served that long), never below the share of those still
   * ahead; in seconds.
   */
  estimateWaitSeconds(s: Session): number {
    if (!s.queueName) return 0;
    const handle = this.handledSeconds.length ? this.handledSeconds.reduce((a, b) => a + b, 0) / this.handledSeconds.length : DEFAULT_HANDLE_SECONDS;
    const each = handle / Math.max(1, this.desk.signedInFor(s.queueName).length);
    const waited = s.enqueuedAt ? (this.clock.now() - s.enqueuedAt) / 1000 : 0;
    return Math.round(Math.max((this.position(s) - 1) * each, this.position(s) * each - waited));
  }

  /** A chat with an agent ended after `seconds` since the customer first queued. */
  recordHandled(seconds: number): void {
    this.handledSeconds.push(seconds);
    if (this.handledSeconds.length > HANDLED_SAMPLES) this.handledSeconds.shift();
  }

  enqueue(s: Session, q: SkillQueue): void {
    this.idle.clear(s);
    const now = this.clock.now();
    if (this.desk.signedInFor(q.name).length === 0) return this.overflow(s, q.onNoAgents, 'queue.noAgents');
    if (this.waiting(q.name).length >= q.maxCallsInQueue) return this.overflow(s, q.onBusy, 'queue.busy');
    s.phase = 'queue';
    s.queueName = q.name;
    s.enqueuedAt = now;
    s.firstEnqueuedAt ??= now;
    let list = this.queues.get(q.name);
    if (!list) this.queues.set(q.name, (list = []));
    this.indexOf.set(s, list.length);
    list.push(s);
    this.queueMessage(s, 'queue.joined', '');
    this.desk.dispatch();
    const ch = this.tenant.channelOf(s);
    const remind = () => {
      this.queueMessage(s, 'queue.reminder', ch.queueReminder.content);
      s.queueTimers.push(this.clock.setTimeout(remind, ch.queueReminder.intervalSeconds * 1000));
    };
    s.queueTimers.push(this.clock.setTimeout(remind, ch.queueReminder.intervalSeconds * 1000));
    s.queueTimers.push(this.clock.setTimeout(() => this.overflow(s, q.onTimeout, 'queue.timeout'), q.maxWaitTime * 1000));
    this.desk.changed();
  }

  private queueMessage(s: Session, event: SessionEvent, content: string): void {
    const data: DownlinkData = {
      position: this.position(s),
      estimateWaitSeconds: this.estimateWaitSeconds(s),
      queueName: s.queueName,
    };
    this.transcript.system(s, event, content, data);
  }

  /** Takes the session out of its queue (on accept, transfer or end). */
  dequeue(s: Session): void {
    for (const t of s.queueTimers) t.cancel();
    s.queueTimers = [];
    if (!s.queueName) return;
    const list = this.queues.get(s.queueName);
    const i = this.indexOf.get(s);
    this.indexOf.delete(s);
    s.queueName = undefined;
    if (!list || i === undefined) return;
    list.splice(i, 1);
    // Those behind move up one place.
    for (let j = i; j < list.length; j++) this.indexOf.set(list[j]!, j);
  }

  /** Applies a queue's onTimeout / onBusy / onNoAgents policy. */
  private overflow(s: Session, policy: OverflowPolicy, reason: EndReason): void {
    this.dequeue(s);
    if (policy.processMethod === 'transfer' && policy.target && s.queueHops < MAX_QUEUE_HOPS) {
      if (policy.deviceType === 'skillQueue') {
        s.queueHops++;
        const target = this.tenant.queue(policy.target);
        this.transcript.system(s, 'queue.transferred', '', { queueName: target.name, endReason: reason });
        return this.enqueue(s, target);
      }
      const ivr = this.tenant.store.current.ivrs.find((i) => i.accessCode === policy.target);
      return this.end(s, reason, `You are being transferred to our automated service${ivr ? ` (${ivr.name})` : ''}.`);
    }
    this.end(s, reason);
  }

  /** Puts a session back into a queue (agent transfer). */
  transferToQueue(s: Session, queueName: string): void {
    const q = this.tenant.queue(queueName);
    s.phase = 'queue';
    this.transcript.system(s, 'queue.transferred', '', { queueName: q.name });
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
    this.transcript.post(s, 'SYSTEM', 'CONNECT', '', { event: 'agent.joined', data });
    this.idle.arm(s);
  }
}
