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
  customerTyping: boolean;
  lastCustomerAt: number;
  endReason?: EndReason;
  evaluations: Array<{ evaluation: string; comment: string; at: number }>;
  queueTimers: Timer[];
  idleTimers: Timer[];
}

/** Who a valid session token speaks for. */
export interface Identity {
  channelId: string;
  userId: string;
  /** A fresh token to hand back in the `ccmessaging-token` response header. */
  rotated?: string;
}

/** Every session, by id, with the per-customer lookups. */
export class SessionBook {
  private sessions = new Map<string, Session>();

  clear(): void {
    this.sessions.clear();
  }

  add(s: Session): void {
    this.sessions.set(s.id, s);
  }

  byId(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  all(): Session[] {
    return [...this.sessions.values()];
  }

  /** The customer's session that has not ended, if any. */
  active(stream: CustomerStream): Session | undefined {
    for (const s of this.sessions.values()) if (s.stream === stream && s.phase !== 'ended') return s;
    return undefined;
  }

  /** The customer's most recent session, ended or not. */
  latest(stream: CustomerStream): Session | undefined {
    let latest: Session | undefined;
    for (const s of this.sessions.values()) if (s.stream === stream) latest = s;
    return latest;
  }

  /** The customer's most recent session that reached an agent (the one a rating is for). */
  latestWithAgent(stream: CustomerStream): Session | undefined {
    let latest: Session | undefined;
    for (const s of this.sessions.values()) if (s.stream === stream && s.hadAgent) latest = s;
    return latest;
  }
}

/** Ids unique within one contact center: `s1`, `m2`, `call-3`, … */
export class IdSource {
  private n = 0;

  next(prefix: string): string {
    return `${prefix}${++this.n}`;
  }
}
