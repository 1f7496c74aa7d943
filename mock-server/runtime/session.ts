/**
 * The shapes the contact center's parts share — a customer's session and the identity a
 * session token stands for — and the book of sessions with the lookups every part needs.
 * Imports nothing of the other parts, so agents and calls can depend on it without a circle.
 */
import type { EndReason } from '../../widget/core/protocol.js';
import type { Timer } from './clock.js';
import type { CustomerStream } from './stream.js';

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
  /** Whether the agent sees "typing": on at an INPUT with content, off at a message, an empty INPUT, the end, or CUSTOMER_TYPING_TIMEOUT_MS after the last INPUT. */
  customerTyping: boolean;
  /** Mock-clock time of the customer's last INPUT with content (ms). */
  typingAt?: number;
  /** The one pending check that turns a stale "typing" off. */
  typingTimer?: Timer;
  lastCustomerAt: number;
  /** The highest seq of an agent message the customer has read (their READ); the agent sees "Seen" under it. */
  customerReadSeq?: number;
  endReason?: EndReason;
  evaluations: Array<{ evaluation: string; comment: string; at: number }>;
  queueTimers: Timer[];
  idleTimers: Timer[];
}

/** Who a valid session token speaks for. */
export interface Identity {
  channelId: string;
  userId: string;
  /**
   * The resume key the token is bound to (contract C1): it names the customer's stream.
   * Always set for a token's identity; in-process callers (scripts) may leave it out, which
   * names the stream of the empty key.
   */
  resumeKey?: string;
  /** A fresh token to hand back in the `ccmessaging-token` response header. */
  rotated?: string;
}

/**
 * How long (mock clock) the customer's "typing" lasts after their last INPUT: a widget that
 * stopped sending INPUT (tab closed, network gone) must not leave the agent seeing "typing".
 * The widget repeats INPUT at most every 3 s while the customer types and stops 5 s after the
 * last keystroke, so INPUTs of someone still typing can be up to 8 s apart (issue 12 case 14).
 */
export const CUSTOMER_TYPING_TIMEOUT_MS = 8_000;

/** How long an ended session is kept (mock clock), for history, rating and the QA listing. */
export const ENDED_SESSION_RETENTION_MS = 30 * 60_000;
/** At most this many ended sessions are kept; past it the one ended longest ago goes first. */
export const MAX_ENDED_SESSIONS = 10_000;

/**
 * Every session, by id. Ended sessions are kept for ENDED_SESSION_RETENTION_MS and at most
 * MAX_ENDED_SESSIONS of them; `onDrop` is told of each one let go (the runtime then trims the
 * customer's stream and forgets a customer with nothing left). Every lookup is a map access:
 * the per-customer ones live on the customer's stream.
 */
export class SessionBook {
  private sessions = new Map<string, Session>();
  /** Ended sessions, in the order they ended, with the time they ended. */
  private ended = new Map<Session, number>();

  constructor(
    private readonly now: () => number,
    /** Told of each session let go, with the time (mock clock, ms) it ended. */
    private readonly onDrop: (s: Session, endedAt: number) => void,
  ) {}

  clear(): void {
    this.sessions.clear();
    this.ended.clear();
  }

  /**
   * Registers `s`, then applies the retention rule. The order matters: registered first, the
   * new session holds its customer's stream, so pruning that customer's old sessions (a
   * customer back after the retention time, under the same resume key) trims their messages
   * but never lets go of the stream or its tokens under the session being begun.
   */
  add(s: Session): void {
    this.sessions.set(s.id, s);
    const stream = s.stream;
    stream.sessionCount++;
    stream.latest = s;
    if (s.phase !== 'ended') stream.active = s;
    this.prune();
  }

  /** Records that `s` ended now (after its phase became 'ended'). */
  markEnded(s: Session): void {
    if (s.stream.active === s) s.stream.active = undefined;
    this.ended.set(s, this.now());
    this.prune();
  }

  /** Records that an agent took `s` (the latest such session is the one a rating is for). */
  reachedAgent(s: Session): void {
    s.stream.latestWithAgent = s;
  }

  byId(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  all(): Session[] {
    return [...this.sessions.values()];
  }

  /**
   * One page of the QA listing: up to `limit` sessions begun after the one with id `after`
   * (ids are `s<N>`, N rising), oldest first, and the id to pass as `after` for the next page.
   * Walks the kept sessions (bounded by the retention rule); no hot path calls it.
   */
  page(after: string | undefined, limit: number): { items: Session[]; next: string | null } {
    const from = after === undefined ? 0 : seqOf(after);
    const items: Session[] = [];
    for (const s of this.sessions.values()) {
      if (seqOf(s.id) <= from) continue;
      if (items.length === limit) return { items, next: items[items.length - 1]!.id };
      items.push(s);
    }
    return { items, next: null };
  }

  /** The customer's session that has not ended, if any. */
  active(stream: CustomerStream): Session | undefined {
    return stream.active as Session | undefined;
  }

  /** The customer's most recent session, ended or not. */
  latest(stream: CustomerStream): Session | undefined {
    return stream.latest as Session | undefined;
  }

  /** The customer's most recent session that reached an agent (the one a rating is for). */
  latestWithAgent(stream: CustomerStream): Session | undefined {
    return stream.latestWithAgent as Session | undefined;
  }

  /** Lets go of ended sessions past their retention, oldest first (each step O(1)). */
  prune(): void {
    const cutoff = this.now() - ENDED_SESSION_RETENTION_MS;
    for (const [s, at] of this.ended) {
      if (at > cutoff && this.ended.size <= MAX_ENDED_SESSIONS) break;
      this.ended.delete(s);
      this.sessions.delete(s.id);
      const stream = s.stream;
      stream.sessionCount--;
      if (stream.latest === s) stream.latest = undefined;
      if (stream.latestWithAgent === s) stream.latestWithAgent = undefined;
      this.onDrop(s, at);
    }
  }
}

/** Ids unique within one contact center: `s1`, `m2`, `call-3`, … */
export class IdSource {
  private n = 0;

  next(prefix: string): string {
    return `${prefix}${++this.n}`;
  }
}

const seqOf = (id: string): number => Number(/\d+$/.exec(id)?.[0] ?? 0);
