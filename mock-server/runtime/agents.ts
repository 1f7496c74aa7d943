/**
 * The agents' side of the mock: sign in / out, ready / not ready, accept the longest-waiting
 * customer of their queues, chat, transfer, end, and wrap-up (`arrangingDuration`) before the
 * next customer. Auto-agents from the tenant configuration do the same on their own, so the
 * demo works with nobody playing the agent. The demo's agent panel long-polls `snapshot()`.
 */
import type { DownlinkMessage, EndReason, SourceType } from '../../widget/core/protocol.js';
import type { TenantStore } from '../config/store.js';
import type { Agent, SkillQueue, Tenant } from '../config/types.js';
import { Waiters, type Clock, type SignalSource, type Timer } from './clock.js';
import { ApiFailure } from './errors.js';
import type { Session } from './session.js';

/** What the desk needs from the contact center (which passes itself). */
export interface DeskHost {
  readonly store: TenantStore;
  readonly clock: Clock;
  queue(name: string): SkillQueue;
  waiting(queueName: string): readonly Session[];
  position(s: Session): number;
  sessionById(id: string): Session | undefined;
  connectAgent(s: Session, agent: { account: string; name: string; employeeId: string }, q: SkillQueue): void;
  transferToQueue(s: Session, queueName: string): void;
  end(s: Session, reason: EndReason): void;
  post(s: Session, sourceType: SourceType, controlType: DownlinkMessage['controlType'], content: string, extra?: Partial<DownlinkMessage>): DownlinkMessage;
  /** The customer's name as agents see it, and whether the integrator's signature vouches for it. */
  customerName(s: Session): { name: string; verified: boolean };
  /** The click-to-dial call ringing on or connected to the agent, if any. */
  callOf(account: string): AgentCallView | null;
}

/** A click-to-dial call as the agent's card shows it. */
export interface AgentCallView {
  callId: string;
  status: 'ringing' | 'connected' | 'ended';
  media: 'voice' | 'video';
  customerName: string;
}

export type AgentStatus = 'signedOut' | 'notReady' | 'idle' | 'busy' | 'wrapUp';

interface AgentRuntime {
  signedIn: boolean;
  ready: boolean;
  sessionId: string | null;
  wrapUpUntil: number | null;
  timers: Timer[];
  replyIndex: number;
  acceptPending: boolean;
}

export interface AgentSnapshot {
  account: string;
  name: string;
  employeeId: string;
  queues: string[];
  status: AgentStatus;
  wrapUpUntil: number | null;
  session: null | {
    id: string;
    userId: string;
    /** The customer's name; one that is not verified never reads as the system, a bot or an agent. */
    customerName: string;
    /** True only when the name came from the integrator's signature. */
    customerNameVerified: boolean;
    channelId: string;
    startedAt: number;
    customerTyping: boolean;
    /** The seq of the latest agent message the customer has read (0: none yet): "Seen" goes under it. */
    customerReadSeq: number;
    messages: DownlinkMessage[];
    evaluation: { evaluation: string; comment: string } | null;
  };
  /**
   * The customers waiting in the agent's queues, queue by queue in the order of `queues`, each
   * longest-waiting first; at most `waitingLimit` of them (see `snapshot`).
   */
  waiting: Array<{ sessionId: string; customerName: string; customerNameVerified: boolean; queueName: string; position: number; waitedSeconds: number }>;
  /** How many customers wait in the agent's queues in all (`waiting` may list fewer). */
  waitingTotal: number;
  /** The click-to-dial call ringing on or connected to this agent. */
  call: AgentCallView | null;
  version: number;
}

/**
 * Waiting customers an action's answer (and the agent API by default) lists: a workbench shows
 * the first few; `waitingTotal` counts them all.
 */
export const AGENT_WAITING_SHOWN = 10;
const SHOWN = { waitingLimit: AGENT_WAITING_SHOWN } as const;

export class AgentDesk {
  private runtime = new Map<string, AgentRuntime>();
  private version = 0;
  private readonly watchers: Waiters;
  private started = false;

  constructor(private readonly cc: DeskHost) {
    this.watchers = new Waiters(cc.clock);
    // Auto-agents added by a configuration change sign in at once.
    cc.store.onChange(() => {
      if (this.started) this.signInAutoAgents();
    });
  }

  reset(): void {
    for (const r of this.runtime.values()) for (const t of r.timers) t.cancel();
    this.runtime.clear();
    this.started = false;
    this.changed();
  }

  /** Signs in the configured auto-agents (once per runtime). */
  startAutoAgents(): void {
    this.started = true;
    this.signInAutoAgents();
  }

  private signInAutoAgents(): void {
    for (const auto of this.cc.store.current.autoAgents) {
      const r = this.state(auto.account);
      if (r.signedIn) continue;
      r.signedIn = true;
      r.ready = true;
    }
    this.changed();
    this.dispatch();
  }

  /** The tenant's agents by account, built once per configuration (the store replaces it as a whole). */
  private byAccount = new WeakMap<Tenant, Map<string, Agent>>();

  /** The configured agent of this account, or undefined; a map lookup, not a scan of the agents. */
  private find(account: string): Agent | undefined {
    const tenant = this.cc.store.current;
    let index = this.byAccount.get(tenant);
    if (!index) {
      index = new Map();
      for (const a of tenant.agents) if (!index.has(a.account)) index.set(a.account, a); // the first one, as a scan finds it
      this.byAccount.set(tenant, index);
    }
    return index.get(account);
  }

  private agent(account: string): Agent {
    const a = this.find(account);
    if (!a) throw new ApiFailure(404, 'agent.notFound', `No agent has the account "${account}".`, 'account');
    return a;
  }

  private state(account: string): AgentRuntime {
    this.agent(account);
    let r = this.runtime.get(account);
    if (!r) {
      r = { signedIn: false, ready: false, sessionId: null, wrapUpUntil: null, timers: [], replyIndex: 0, acceptPending: false };
      this.runtime.set(account, r);
    }
    return r;
  }

  displayName(account: string): string {
    return this.find(account)?.name || account;
  }

  /** Throws `agent.notFound` (404, field `account`) unless the tenant has this agent. */
  requireAgent(account: string): void {
    this.agent(account);
  }

  status(account: string): AgentStatus {
    const r = this.runtime.get(account);
    if (!r?.signedIn) return 'signedOut';
    if (r.sessionId) return 'busy';
    if (r.wrapUpUntil !== null) return 'wrapUp';
    return r.ready ? 'idle' : 'notReady';
  }

  /** Signed-in agents serving a queue (the onNoAgents rule). */
  signedInFor(queueName: string): string[] {
    return this.cc.store.current.agents.filter((a) => a.skillQueues.includes(queueName) && this.runtime.get(a.account)?.signedIn).map((a) => a.account);
  }

  // ── agent API ─────────────────────────────────────────────────────────────

  signIn(account: string): AgentSnapshot {
    this.state(account).signedIn = true;
    this.changed();
    return this.snapshot(account, SHOWN);
  }

  signOut(account: string): AgentSnapshot {
    const r = this.state(account);
    if (r.sessionId) throw new ApiFailure(409, 'agent.busy', 'End the current chat before signing out.');
    r.signedIn = false;
    r.ready = false;
    this.changed();
    return this.snapshot(account, SHOWN);
  }

  setReady(account: string, ready: boolean): AgentSnapshot {
    const r = this.state(account);
    if (!r.signedIn) throw new ApiFailure(409, 'agent.signedOut', 'Sign in before changing the ready state.');
    r.ready = ready;
    this.dispatch();
    this.changed();
    return this.snapshot(account, SHOWN);
  }

  /** Takes the longest-waiting customer of the agent's queues, or the one named. */
  accept(account: string, sessionId?: string): AgentSnapshot {
    const agent = this.agent(account);
    const status = this.status(account);
    if (status !== 'idle') throw new ApiFailure(409, `agent.${status}`, `The agent cannot accept a chat while ${describe(status)}.`);
    const candidates = agent.skillQueues.flatMap((q) => this.cc.waiting(q));
    const s = sessionId ? candidates.find((c) => c.id === sessionId) : candidates.sort((a, b) => (a.enqueuedAt ?? 0) - (b.enqueuedAt ?? 0))[0];
    if (!s) throw new ApiFailure(409, 'agent.nothingWaiting', sessionId ? 'That customer is no longer waiting in your queues.' : 'No customer is waiting in your queues.');
    const queue = this.cc.queue(s.queueName!);
    this.state(account).sessionId = s.id;
    this.cc.connectAgent(s, { account, name: this.displayName(account), employeeId: agent.employeeId }, queue);
    this.changed();
    return this.snapshot(account, SHOWN);
  }

  /** Sends one line from the agent to its customer. Errors: 409 without a chat, 400 `agent.message.empty` (field `content`) for a blank line. */
  send(account: string, text: string): AgentSnapshot {
    return this.sendLines(account, [text], () => 'content');
  }

  /**
   * Sends the agent's lines to its customer in order, all or none: a blank line is a 400
   * `agent.message.empty` naming it (`fieldOf(index)`, default `contents[i]`) before anything is
   * stored. Every line is stored before anyone hears of the first: a customer's long poll,
   * woken by the first append, reads them all in one answer.
   */
  sendLines(account: string, lines: readonly string[], fieldOf: (index: number) => string = (i) => `contents[${i}]`): AgentSnapshot {
    const s = this.current(account);
    const blank = lines.findIndex((line) => !line.trim());
    if (blank >= 0) throw new ApiFailure(400, 'agent.message.empty', `${fieldOf(blank)} must not be empty.`, fieldOf(blank));
    for (const line of lines) this.cc.post(s, 'AGENT', 'CHAT', line);
    this.markRead(s);
    return this.snapshot(account, SHOWN);
  }

  typing(account: string, typing: boolean): AgentSnapshot {
    const s = this.current(account);
    this.cc.post(s, 'AGENT', 'INPUT', '', { data: { typing } });
    return this.snapshot(account, SHOWN);
  }

  transfer(account: string, queueName: string): AgentSnapshot {
    const s = this.current(account);
    const from = this.cc.queue(s.servedQueue ?? this.agent(account).skillQueues[0]!);
    const target = this.cc.queue(queueName);
    if (target.type !== from.type) throw new ApiFailure(400, 'agent.transfer.type', `Queue "${queueName}" is not a ${from.type} queue.`, 'queueName');
    s.agent = undefined;
    this.release(account, s);
    this.cc.transferToQueue(s, queueName);
    return this.snapshot(account, SHOWN);
  }

  end(account: string): AgentSnapshot {
    this.cc.end(this.current(account), 'agent');
    return this.snapshot(account, SHOWN);
  }

  /** Called when a session with this agent ends or leaves: wrap-up, then the next customer. */
  release(account: string, s: Session): void {
    const r = this.state(account);
    if (r.sessionId !== s.id) return;
    r.sessionId = null;
    const wrap = this.cc.queue(s.servedQueue ?? this.agent(account).skillQueues[0]!).arrangingDuration;
    r.wrapUpUntil = this.cc.clock.now() + wrap * 1000;
    r.timers.push(
      this.cc.clock.setTimeout(() => {
        r.wrapUpUntil = null;
        this.changed();
        this.dispatch();
      }, wrap * 1000),
    );
    this.changed();
  }

  /** The customer wrote: auto-agents answer after a short pause. */
  onCustomerMessage(s: Session): void {
    if (s.phase !== 'agent' || !s.agent) return;
    const auto = this.cc.store.current.autoAgents.find((a) => a.account === s.agent);
    if (!auto || auto.replies.length === 0) return;
    const r = this.state(auto.account);
    r.timers.push(
      this.cc.clock.setTimeout(() => {
        if (s.phase !== 'agent' || s.agent !== auto.account) return;
        const text = auto.replies[r.replyIndex++ % auto.replies.length]!;
        this.cc.post(s, 'AGENT', 'CHAT', text);
        this.markRead(s);
      }, 1500),
    );
  }

  /** Auto-agents accept waiting customers after their delay. */
  dispatch(): void {
    for (const auto of this.cc.store.current.autoAgents) {
      if (this.status(auto.account) !== 'idle') continue;
      const agent = this.agent(auto.account);
      if (!agent.skillQueues.some((q) => this.cc.waiting(q).length > 0)) continue;
      const r = this.state(auto.account);
      if (r.acceptPending) continue;
      r.acceptPending = true;
      r.timers.push(
        this.cc.clock.setTimeout(() => {
          r.acceptPending = false;
          if (this.status(auto.account) === 'idle' && agent.skillQueues.some((q) => this.cc.waiting(q).length > 0)) {
            this.accept(auto.account);
          }
        }, auto.acceptAfterSeconds * 1000),
      );
    }
  }

  // ── watching ──────────────────────────────────────────────────────────────

  changed(): void {
    this.version++;
    this.watchers.notify();
  }

  /** Resolves when anything changed after `version`, or after `ms` on the mock clock. */
  wait(version: number, ms: number, signal?: SignalSource): Promise<void> {
    return this.version > version ? Promise.resolve() : this.watchers.wait(ms, signal);
  }

  private current(account: string): Session {
    const id = this.state(account).sessionId;
    const s = id ? this.cc.sessionById(id) : undefined;
    if (s?.phase !== 'agent') throw new ApiFailure(409, 'agent.noChat', 'The agent has no chat in progress.');
    return s;
  }

  /**
   * The agent has read the customer's messages: posts an agent READ of the customer's latest
   * CHAT of `s` unless the agent's latest READ already covers it. Walks the stream back from the
   * end and stops at the first agent READ of `s` (everything before it was read then): O(new
   * messages), not a copy of the whole stream per call. (Every agent READ names the customer's
   * latest CHAT when it was posted, so the CHATs before it need no look.)
   */
  private markRead(s: Session): void {
    const messages = s.stream.messages;
    let lastCustomer: DownlinkMessage | undefined;
    let lastRead: DownlinkMessage | undefined;
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i]!;
      if (m.sessionId !== s.id) continue;
      // The agent's own READ: the customer's READ (sourceType CUSTOMER) says what they read.
      if (m.controlType === 'READ' && m.sourceType === 'AGENT') {
        lastRead = m;
        break;
      }
      if (!lastCustomer && m.sourceType === 'CUSTOMER' && m.controlType === 'CHAT') lastCustomer = m;
    }
    if (lastCustomer && (lastRead?.data?.readSeq ?? 0) < lastCustomer.seq) {
      this.cc.post(s, 'AGENT', 'READ', '', { data: { readSeq: lastCustomer.seq } });
    }
  }

  /**
   * What the agent's workbench shows. `markRead`: the agent has now read the customer's messages
   * (an agent READ is posted). `waitingLimit`: list at most this many waiting customers (default:
   * all; `waitingTotal` always counts all of them) — the agent API lists the first
   * AGENT_WAITING_SHOWN, so that an answer does not grow with the queue.
   */
  snapshot(account: string, opts: { markRead?: boolean; waitingLimit?: number } = {}): AgentSnapshot {
    const agent = this.agent(account);
    const r = this.state(account);
    const s = r.sessionId ? this.cc.sessionById(r.sessionId) : undefined;
    if (s && opts.markRead) this.markRead(s);
    const now = this.cc.clock.now();
    const limit = opts.waitingLimit ?? Infinity;
    const waiting: AgentSnapshot['waiting'] = [];
    let waitingTotal = 0;
    // A waiting session's position is its place in its queue's list (looked up once, not per session).
    for (const q of agent.skillQueues) {
      const list = this.cc.waiting(q);
      waitingTotal += list.length;
      for (let i = 0; i < list.length && waiting.length < limit; i++) {
        const w = list[i]!;
        const name = this.cc.customerName(w);
        waiting.push({
          sessionId: w.id,
          customerName: name.name,
          customerNameVerified: name.verified,
          queueName: q,
          position: i + 1,
          waitedSeconds: Math.round((now - (w.enqueuedAt ?? now)) / 1000),
        });
      }
    }
    const last = s?.evaluations[s.evaluations.length - 1];
    return {
      account,
      name: this.displayName(account),
      employeeId: agent.employeeId,
      queues: [...agent.skillQueues],
      status: this.status(account),
      wrapUpUntil: r.wrapUpUntil,
      session: s
        ? {
            id: s.id,
            userId: s.stream.userId,
            customerName: this.cc.customerName(s).name,
            customerNameVerified: this.cc.customerName(s).verified,
            channelId: s.channelId,
            startedAt: s.startedAt,
            customerTyping: s.customerTyping,
            customerReadSeq: s.customerReadSeq ?? 0,
            messages: s.stream.messages.filter((m) => m.sessionId === s.id && m.controlType !== 'INPUT' && m.controlType !== 'READ'),
            evaluation: last ? { evaluation: last.evaluation, comment: last.comment } : null,
          }
        : null,
      waiting,
      waitingTotal,
      call: this.cc.callOf(account),
      version: this.version,
    };
  }
}

function describe(status: AgentStatus): string {
  return { signedOut: 'signed out', notReady: 'not ready', busy: 'busy with another chat', wrapUp: 'in wrap-up', idle: 'idle' }[status];
}
