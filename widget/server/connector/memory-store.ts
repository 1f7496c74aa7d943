/**
 * The in-memory `ConnectorStore`: the default, for one connector process. Everything is lost when
 * the process stops (use the Redis store for several instances or to survive a restart).
 *
 * TTLs follow the injected clock (`now`), checked on every access; expired entries are also
 * swept every few hundred writes, so memory goes back down after customers leave.
 */
import { stateKind, type DownlinkMessage } from '../../core/protocol.js';
import { registerWaiter, withdrawnPlace, type ConnectorStore, type IdempotencyClaim, type IdempotencyRecord, type NewLogMessage, type PlaceOutcome, type Versioned, type Waiter } from './store.js';

export interface MemoryStoreOptions {
  /** Epoch ms; default `Date.now`. */
  now?: () => number;
  /** Timers for long-poll waits; default the global ones. */
  timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
}

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

interface Log {
  messages: DownlinkMessage[];
  expiresAt: number;
  /** Reserved places not settled yet: seq → when the hold lapses (epoch ms). */
  held?: Map<number, number>;
  /** Places withdrawn (or lapsed): they read as `withdrawnPlace`. Both made on first use (most logs never need them). */
  withdrawn?: Set<number>;
  /** Per state kind, its latest seq, up to seq `upTo` (see stateContext); made on first use. */
  kinds?: { upTo: number; at: Map<string, number> };
}

/** A `waitForMessages` under way: `done(true)` when the log has something after `afterSeq`. */
interface MessageWaiter extends Waiter {
  readonly afterSeq: number;
}

/** A `waitForLeaseRelease` under way: `done(true)` when the lease was let go. */
type LeaseWaiter = Waiter;

const SWEEP_EVERY = 256;

/**
 * The connector's state in this process's memory (the default store, see the file's comment):
 * `new MemoryStore({now, timers})`, both optional (epoch ms; timers for long-poll waits).
 */
export class MemoryStore implements ConnectorStore {
  private readonly now: () => number;
  private readonly timers: NonNullable<MemoryStoreOptions['timers']>;
  private customers = new Map<string, { value: unknown; version: number }>();
  private logs = new Map<string, Log>();
  private waiters = new Map<string, Set<MessageWaiter>>();
  private idem = new Map<string, Expiring<IdempotencyRecord>>();
  private tokens = new Map<string, Expiring<string>>();
  private leases = new Map<string, Expiring<string>>();
  private leaseWaiters = new Map<string, Set<LeaseWaiter>>();
  private active = new Map<string, number>();
  private writes = 0;
  private closed = false;

  constructor(opts: MemoryStoreOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.timers = opts.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
  }

  /** How many entries of each kind are held (for tests and the benchmark's memory figures). */
  sizes(): Record<'customers' | 'logs' | 'messages' | 'idempotency' | 'tokens' | 'leases' | 'active' | 'waiters', number> {
    this.sweep();
    let messages = 0;
    for (const l of this.logs.values()) messages += l.messages.length;
    let waiters = 0;
    for (const s of this.waiters.values()) waiters += s.size;
    for (const s of this.leaseWaiters.values()) waiters += s.size;
    return {
      customers: this.customers.size,
      logs: this.logs.size,
      messages,
      idempotency: this.idem.size,
      tokens: this.tokens.size,
      leases: this.leases.size,
      active: this.active.size,
      waiters,
    };
  }

  async getCustomer<T>(customerId: string): Promise<Versioned<T> | null> {
    const c = this.customers.get(customerId);
    return c ? { value: structuredClone(c.value) as T, version: c.version } : null;
  }

  async putCustomer<T>(customerId: string, value: T, expectedVersion: number): Promise<number | null> {
    this.wrote();
    const current = this.customers.get(customerId)?.version ?? 0;
    if (current !== expectedVersion) return null;
    this.customers.set(customerId, { value: structuredClone(value), version: current + 1 });
    return current + 1;
  }

  async deleteCustomer(customerId: string): Promise<void> {
    this.customers.delete(customerId);
  }

  private log(logId: string): Log | undefined {
    const l = this.logs.get(logId);
    if (l && l.expiresAt <= this.now()) {
      this.logs.delete(logId);
      return undefined;
    }
    return l;
  }

  async append(logId: string, messages: NewLogMessage[]): Promise<DownlinkMessage[]> {
    this.wrote();
    let l = this.log(logId);
    if (!l) this.logs.set(logId, (l = { messages: [], expiresAt: Infinity }));
    const start = l.messages.length ? l.messages[l.messages.length - 1]!.seq : 0;
    const stored = messages.map((m, i) => ({ ...structuredClone(m), seq: start + i + 1 }) as DownlinkMessage);
    l.messages.push(...stored);
    this.wake(logId, l);
    return structuredClone(stored);
  }

  async reserve(logId: string, message: NewLogMessage, holdMs: number): Promise<DownlinkMessage> {
    this.wrote();
    let l = this.log(logId);
    if (!l) this.logs.set(logId, (l = { messages: [], expiresAt: Infinity }));
    const seq = (l.messages.length ? l.messages[l.messages.length - 1]!.seq : 0) + 1;
    const m = { ...structuredClone(message), seq } as DownlinkMessage;
    l.messages.push(m);
    (l.held ??= new Map()).set(seq, this.now() + holdMs);
    // Waiters behind this place read on once it lapses (its writer died before settling it).
    this.timers.setTimeout(() => {
      const cur = this.log(logId);
      if (cur) this.wake(logId, cur);
    }, holdMs + 1);
    return structuredClone(m);
  }

  async settle(logId: string, seq: number, outcome: PlaceOutcome): Promise<boolean> {
    const l = this.log(logId);
    if (!l) return false;
    this.lapse(l);
    const at = seq - 1;
    const m = l.messages[at];
    if (!m) return false;
    if (!l.held?.has(seq)) return outcome === 'confirmed' && !l.withdrawn?.has(seq);
    l.held.delete(seq);
    if (!l.held.size) l.held = undefined;
    if (outcome === 'withdrawn') {
      (l.withdrawn ??= new Set()).add(seq);
      l.messages[at] = withdrawnPlace(m);
    }
    this.wake(logId, l);
    return outcome === 'confirmed';
  }

  /** Held places whose hold is over become withdrawn. */
  private lapse(l: Log): void {
    if (!l.held?.size) return;
    const t = this.now();
    for (const [seq, until] of l.held) {
      if (until > t) continue;
      l.held.delete(seq);
      (l.withdrawn ??= new Set()).add(seq);
      l.messages[seq - 1] = withdrawnPlace(l.messages[seq - 1]!);
    }
  }

  /**
   * The last seq a reader may see: the one before the first place still held, less the withdrawn
   * places that end the log (nothing to show yet: they are read with whatever follows them).
   */
  private visibleEnd(l: Log): number {
    this.lapse(l);
    let end = l.messages.length ? l.messages[l.messages.length - 1]!.seq : 0;
    if (l.held) for (const seq of l.held.keys()) end = Math.min(end, seq - 1);
    if (l.withdrawn) while (end > 0 && l.withdrawn.has(end)) end--;
    return end;
  }

  private wake(logId: string, l: Log): void {
    const set = this.waiters.get(logId);
    if (!set) return;
    const end = this.visibleEnd(l);
    for (const w of [...set]) if (end > w.afterSeq) w.done(true);
  }

  async read(logId: string, afterSeq: number, limit: number): Promise<DownlinkMessage[]> {
    const l = this.log(logId);
    if (!l || limit <= 0) return [];
    const from = Math.max(0, afterSeq);
    // seq n sits at index n - 1: the log starts at 1 and has no gaps.
    return structuredClone(l.messages.slice(from, Math.min(from + limit, this.visibleEnd(l))));
  }

  async stateContext(logId: string, beforeSeq: number): Promise<DownlinkMessage[]> {
    const l = this.log(logId);
    if (!l) return [];
    const k = (l.kinds ??= { upTo: 0, at: new Map() });
    // Only settled places are looked at (a held one may still be withdrawn): up to the readable end.
    const end = this.visibleEnd(l);
    for (; k.upTo < end; k.upTo++) {
      const m = l.messages[k.upTo]!;
      const kind = m.controlType === 'INPUT' || m.controlType === 'READ' ? null : stateKind(m);
      if (kind) k.at.set(kind, m.seq);
    }
    const seqs = [...k.at.values()].filter((seq) => seq < beforeSeq).sort((a, b) => a - b);
    return structuredClone(seqs.map((seq) => l.messages[seq - 1]!));
  }

  async readableEnd(logId: string): Promise<number> {
    const l = this.log(logId);
    return l ? this.visibleEnd(l) : 0;
  }

  async lastSeq(logId: string): Promise<number> {
    const l = this.log(logId);
    return l?.messages.length ? l.messages[l.messages.length - 1]!.seq : 0;
  }

  async waitForMessages(logId: string, afterSeq: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const l = this.log(logId);
    if (l && this.visibleEnd(l) > afterSeq) return true;
    if (this.closed || timeoutMs <= 0 || signal?.aborted) return false;
    return registerWaiter(this.waiters, logId, { afterSeq }, { timeoutMs, timers: this.timers, signal });
  }

  async expireLog(logId: string, retainMs: number): Promise<void> {
    const l = this.log(logId);
    if (l) l.expiresAt = this.now() + retainMs;
  }

  private live<T>(map: Map<string, Expiring<T>>, key: string): T | null {
    const e = map.get(key);
    if (!e) return null;
    if (e.expiresAt <= this.now()) {
      map.delete(key);
      return null;
    }
    return e.value;
  }

  async claimIdempotencyKey(key: string, pending: IdempotencyRecord, ttlMs: number): Promise<IdempotencyClaim> {
    this.wrote();
    const existing = this.live(this.idem, key);
    if (existing) return { claimed: false, record: structuredClone(existing) };
    this.idem.set(key, { value: structuredClone(pending), expiresAt: this.now() + ttlMs });
    return { claimed: true };
  }

  async setIdempotencyRecord(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void> {
    this.wrote();
    this.idem.set(key, { value: structuredClone(record), expiresAt: this.now() + ttlMs });
  }

  async deleteIdempotencyKey(key: string): Promise<void> {
    this.idem.delete(key);
  }

  async getToken(name: string): Promise<string | null> {
    return this.live(this.tokens, name);
  }

  async setToken(name: string, value: string, ttlMs: number): Promise<void> {
    this.wrote();
    this.tokens.set(name, { value, expiresAt: this.now() + ttlMs });
  }

  async deleteToken(name: string, ifValue?: string): Promise<void> {
    if (ifValue === undefined || this.live(this.tokens, name) === ifValue) this.tokens.delete(name);
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    this.wrote();
    const holder = this.live(this.leases, name);
    if (holder !== null && holder !== owner) return false;
    this.leases.set(name, { value: owner, expiresAt: this.now() + ttlMs });
    return true;
  }

  async renewLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    if (this.live(this.leases, name) !== owner) return false;
    this.leases.set(name, { value: owner, expiresAt: this.now() + ttlMs });
    return true;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    if (this.live(this.leases, name) !== owner) return;
    this.leases.delete(name);
    for (const w of [...(this.leaseWaiters.get(name) ?? [])]) w.done(true);
  }

  async waitForLeaseRelease(name: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.closed || signal?.aborted) return false;
    const holder = this.live(this.leases, name);
    if (holder === null) return true;
    if (timeoutMs <= 0) return false;
    let lapse: unknown;
    // A holder that dies never releases: look again when its TTL runs out (a renewal moves
    // that on). Another owner found then means the lease lapsed and was taken meanwhile.
    const look = (w: LeaseWaiter) => {
      const e = this.leases.get(name);
      const t = this.now();
      if (!e || e.value !== holder || e.expiresAt <= t) return w.done(true);
      lapse = this.timers.setTimeout(() => look(w), Math.max(1, e.expiresAt - t));
    };
    return registerWaiter(
      this.leaseWaiters,
      name,
      {},
      {
        timeoutMs,
        timers: this.timers,
        signal,
        start: look,
        onEnd: () => {
          if (lapse !== undefined) this.timers.clearTimeout(lapse);
        },
      },
    );
  }

  async touchActive(customerId: string, at: number): Promise<void> {
    this.active.set(customerId, Math.max(at, this.active.get(customerId) ?? 0));
  }

  async listActive(limit: number): Promise<Array<{ customerId: string; lastSeen: number }>> {
    const out: Array<{ customerId: string; lastSeen: number }> = [];
    for (const [customerId, lastSeen] of this.active) {
      if (out.length >= limit) break;
      out.push({ customerId, lastSeen });
    }
    return out;
  }

  async removeActive(customerId: string): Promise<void> {
    this.active.delete(customerId);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const set of [...this.waiters.values()]) for (const w of [...set]) w.done(false);
    for (const set of [...this.leaseWaiters.values()]) for (const w of [...set]) w.done(false);
  }

  private wrote(): void {
    if (++this.writes % SWEEP_EVERY === 0) this.sweep();
  }

  /** Drops every expired entry. */
  sweep(): void {
    const now = this.now();
    for (const [k, l] of this.logs) if (l.expiresAt <= now) this.logs.delete(k);
    for (const map of [this.idem, this.tokens, this.leases] as Array<Map<string, Expiring<unknown>>>) {
      for (const [k, e] of map) if (e.expiresAt <= now) map.delete(k);
    }
  }
}
