/**
 * All state of the connector, behind one small asynchronous interface, so that one process can
 * keep it in memory (`MemoryStore`, the default) and several processes can share it in Redis.
 *
 * What lives here, and why each piece must be shared between instances:
 * - **customers** — one record per customer (`customerId` = channelId + userId): who they are,
 *   their resume key, their current conversation, upstream session facts. Updated by
 *   compare-and-set on a version, so two instances never overwrite each other's change.
 * - **message logs** — one per conversation (`logId`): the downlink the browser reads, with a
 *   gap-free `seq` assigned by the store at append time (1, 2, 3, …), read by cursor, and a wait
 *   that wakes from an append made by ANY instance (a long poll held by instance B wakes when
 *   instance A stores a message taken from the upstream poll). A place may be **reserved** for a
 *   message whose fate is not known yet (the customer's own message while the CEC's `/send` is
 *   under way): readers stop before it until it is confirmed or withdrawn, so whatever is
 *   appended meanwhile (a fast bot or agent answer taken by the upstream poll) comes AFTER it.
 * - **idempotency keys** — per `clientMessageId`, with a TTL: a retried send returns the first
 *   result whichever instance it reaches.
 * - **tokens** — the upstream AccessToken and each customer's ccmessaging token, with a TTL, so
 *   instances do not each ask the CEC for their own.
 * - **leases** — ownership of each customer's upstream poll loop (the CEC's poll is
 *   consume-once: exactly one loop may run per customer). Acquire / renew / release with a TTL in
 *   ms; when the owner dies the lease lapses and another instance takes over. The same for one
 *   request resolving a send of unknown outcome; a second request waits for that lease to be let
 *   go (`waitForLeaseRelease`: woken by the release or the lapse, on any instance).
 * - **active set** — customers with a live conversation, so a sweeper on any instance can find
 *   silent ones (to send DISCONNECT upstream) and unowned ones (to restart their loop).
 * - **retention** — an ended conversation's log is kept `retainMs` more (for a reload, history),
 *   then dropped with everything keyed to it.
 *
 * Every method is async and may reject when the backing store is unreachable; the connector then
 * answers 503 with Retry-After. Times are epoch ms from the connector's injectable clock; TTLs are
 * ms. Values are JSON-serialisable (a Redis implementation stores them as JSON).
 */
import type { DownlinkMessage } from '../../core/protocol.js';

/** A message as appended: everything but the `seq`, which the store assigns. */
export type NewLogMessage = Omit<DownlinkMessage, 'seq'>;

/**
 * What a withdrawn place reads as: a READ of nothing (`readSeq` 0) with no `clientMessageId`. The
 * `seq` stays gap-free, and every client ignores it (a READ never lowers what was read, and
 * history leaves READs out). The message it held is not shown, so a retry of it (same
 * `clientMessageId`) that succeeds later appears once, at its new place.
 */
export function withdrawnPlace(m: DownlinkMessage): DownlinkMessage {
  return {
    seq: m.seq,
    messageId: m.messageId,
    sessionId: m.sessionId,
    from: m.from,
    to: m.to,
    channel: m.channel,
    controlType: 'READ',
    mediaType: 'TEXT',
    content: '',
    sourceType: 'CUSTOMER',
    senderNickname: m.senderNickname,
    timestamp: m.timestamp,
    queueFlag: m.queueFlag,
    data: { readSeq: 0 },
  };
}

/** Timers a store waits with (the connector's clock in ms; the global ones by default). */
export interface StoreTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A wait under way in a store (`waitForMessages`, `waitForLeaseRelease`), made by `registerWaiter`. */
export interface Waiter {
  /** Ends the wait with `result` (true: there is news / the lease was let go); the first call wins, later ones do nothing. */
  done(result: boolean): void;
  /** True once the wait has ended (its promise settled). */
  readonly ended: boolean;
}

/** How `registerWaiter` ends a wait, besides `done`. */
export interface WaiterOptions<W extends Waiter> {
  /** After this many ms on `timers` the wait ends false (0 or less: on the next timer turn). */
  timeoutMs: number;
  timers: StoreTimers;
  /** Ends the wait false as soon as it aborts (at once when it already has). */
  signal?: AbortSignal;
  /**
   * Runs once the waiter is registered (and its timeout and signal armed): typically the wait's
   * first look at the store, which may end it at once with `w.done`, or with `fail(err)`, which
   * rejects the wait with `err` (a look that could not be made).
   */
  start?: (w: W, fail: (err: unknown) => void) => void;
  /** Runs once when the wait ends, however it ends (to clear the caller's own timers). */
  onEnd?: () => void;
}

/**
 * Registers a wait of a store under `key` in `waiters` (message waits by logId, lease waits by
 * lease name: what a notice wakes, by calling `done` on each) and returns its result: the
 * value given to the first `done`, or false after `timeoutMs` or when `signal` aborts. Rejects
 * only through `start`'s `fail`. However it ends, the waiter is taken out of `waiters` (the key
 * too once its set is empty), its timer and abort listener removed, and `onEnd` called.
 * `fields` are the waiter's own fields besides `done` and `ended` (e.g. a log's `afterSeq`).
 */
export function registerWaiter<W extends Waiter>(waiters: Map<string, Set<W>>, key: string, fields: Omit<W, keyof Waiter>, o: WaiterOptions<W>): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    let set = waiters.get(key);
    if (!set) waiters.set(key, (set = new Set()));
    const own = set;
    let ended = false;
    /** Ends the wait; false when it had ended already. */
    const end = (): boolean => {
      if (ended) return false;
      ended = true;
      o.timers.clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      own.delete(waiter);
      if (!own.size && waiters.get(key) === own) waiters.delete(key);
      o.onEnd?.();
      return true;
    };
    const waiter = {
      ...fields,
      done: (result: boolean) => {
        if (end()) resolve(result);
      },
      get ended() {
        return ended;
      },
    } as unknown as W;
    const onAbort = () => waiter.done(false);
    const timer = o.timers.setTimeout(() => waiter.done(false), Math.max(0, o.timeoutMs));
    own.add(waiter);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    if (o.signal?.aborted) return onAbort();
    o.start?.(waiter, (err) => {
      if (end()) reject(err);
    });
  });
}

/** How a reserved place ends: its message shown there, or a no-op (`withdrawnPlace`). */
export type PlaceOutcome = 'confirmed' | 'withdrawn';

/** A record with the version it was read at (for compare-and-set). Version 0 = absent. */
export interface Versioned<T> {
  value: T;
  version: number;
}

/** The outcome of a send kept under its idempotency key. */
export type IdempotencyRecord =
  /** The call is under way on some instance (claimed at `since`, epoch ms). */
  | { state: 'pending'; since: number; owner: string }
  /** Finished: the answer to repeat to any retry. */
  | { state: 'done'; result: { messageId: string; seq: number } }
  /**
   * The upstream call's outcome is unknown (timed out or the connection broke after the request
   * was written). `attempt` counts the upstream attempts made so far; `timestamp` is the value sent
   * upstream (used to look the message up in the CEC's history).
   */
  | {
      state: 'unknown';
      since: number;
      attempt: number;
      timestamp: number;
      /**
       * The message's place in the log (its seq and messageId), still reserved (see `reserve`) while the
       * outcome is being found out: confirmed there when the CEC's history shows the message
       * arrived, withdrawn when it did not (or when the hold lapsed first).
       */
      place?: { seq: number; messageId: string };
    };

/** Answer of `claimIdempotencyKey`: `claimed` means the caller now owns the call. */
export type IdempotencyClaim = { claimed: true } | { claimed: false; record: IdempotencyRecord };

export interface ConnectorStore {
  // ---- customers ------------------------------------------------------------------------
  /** The customer's record, or null. `customerId` is opaque to the store. */
  getCustomer<T>(customerId: string): Promise<Versioned<T> | null>;
  /**
   * Writes `value` only when the stored version is still `expectedVersion` (0 = must not exist).
   * Returns the new version, or null when someone else changed it first (read again and retry).
   */
  putCustomer<T>(customerId: string, value: T, expectedVersion: number): Promise<number | null>;
  /** Removes the record (retention over). */
  deleteCustomer(customerId: string): Promise<void>;

  // ---- message logs ---------------------------------------------------------------------
  /**
   * Appends messages in order, atomically, giving each the next `seq` of that log (the first
   * message of a log gets 1; never a gap, never a repeat, even with appends from several
   * instances at once). Returns them with their seq. Wakes every `waitForMessages` on this log
   * that can now read something (nothing behind a reserved place).
   */
  append(logId: string, messages: NewLogMessage[]): Promise<DownlinkMessage[]>;
  /**
   * Reserves the next place of the log for `message` (its seq is given now, like an append) while
   * its fate is unknown. Until `settle`d, readers see nothing from this place on: `read` stops
   * before it, `waitForMessages` does not count what lies behind it. A place not settled within
   * `holdMs` (its writer died) lapses: it reads as `withdrawnPlace` from then on, and a late
   * `settle(…, 'confirmed')` returns false. `holdMs` runs on the store's clock (the injected one
   * in memory, Redis's own in Redis).
   */
  reserve(logId: string, message: NewLogMessage, holdMs: number): Promise<DownlinkMessage>;
  /**
   * Ends the hold of the reserved place `seq`: `confirmed` shows the message there, `withdrawn`
   * turns it into `withdrawnPlace`. Returns true when the place now shows the message (also when
   * it was confirmed before), false when it is withdrawn (now, before, or because it lapsed; the
   * caller then appends the message anew if it still must be shown). Wakes the waiters that can
   * read more. Settling a seq that was never reserved returns true for `confirmed` and changes nothing.
   */
  settle(logId: string, seq: number, outcome: PlaceOutcome): Promise<boolean>;
  /**
   * Messages with `seq > afterSeq`, oldest first, at most `limit`, stopping before the first
   * place still reserved. A withdrawn or lapsed place reads as `withdrawnPlace`, so what is read
   * stays gap-free; withdrawn places that END the log are not read until something follows them
   * (a send that failed, and each failed retry of it, wakes no long poll). Empty for an unknown log.
   */
  read(logId: string, afterSeq: number, limit: number): Promise<DownlinkMessage[]>;
  /**
   * The state-setting messages of the log before `beforeSeq` (a history page's `context`): for
   * each kind (see `stateKind`: each `event`, and the customer's own messages) whose LATEST
   * readable message lies before `beforeSeq`, that message; oldest first. A kind whose latest
   * message is at or after `beforeSeq` is left out (the page itself sets it). Costs the kinds,
   * not the log: the store keeps, per log, each kind's latest seq, brought up to date with only
   * what was appended since it last looked. Empty for an unknown log.
   */
  stateContext(logId: string, beforeSeq: number): Promise<DownlinkMessage[]>;
  /** The highest seq given out in the log, reserved places included (0 when empty or unknown). */
  lastSeq(logId: string): Promise<number>;
  /**
   * The last seq a reader may see now: the one before the first place still held, less the
   * withdrawn places that end the log (0 when nothing is readable or the log is unknown). What a
   * READ receipt from the agent may cover: a held place is a message the CEC may not have yet.
   */
  readableEnd(logId: string): Promise<number>;
  /**
   * Resolves once `read(afterSeq)` has something (at once if it already has), or after
   * `timeoutMs`, or when `signal` aborts — whichever comes first; never rejects on timeout or
   * abort. Resolves true when there is news. Must wake on appends and settles made by other
   * instances.
   */
  waitForMessages(logId: string, afterSeq: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean>;
  /** Keeps the log (and nothing else changes) for `retainMs` more, then drops it. */
  expireLog(logId: string, retainMs: number): Promise<void>;

  // ---- idempotency ----------------------------------------------------------------------
  /**
   * Claims `key` for `ttlMs` by storing `pending` only when nothing is stored (SET NX). When
   * something is, returns it unchanged, so the caller can repeat a finished answer.
   */
  claimIdempotencyKey(key: string, pending: IdempotencyRecord, ttlMs: number): Promise<IdempotencyClaim>;
  /** Overwrites the record (a result, or `unknown`), with a fresh TTL. */
  setIdempotencyRecord(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void>;
  /** Forgets the key (a call that certainly failed may be tried again from scratch). */
  deleteIdempotencyKey(key: string): Promise<void>;

  // ---- shared upstream tokens -----------------------------------------------------------
  /** The token stored under `name`, or null when absent or expired. */
  getToken(name: string): Promise<string | null>;
  /** Stores a token for `ttlMs`. */
  setToken(name: string, value: string, ttlMs: number): Promise<void>;
  /** Removes the token, but only while it is still `ifValue` when given (do not drop a newer one). */
  deleteToken(name: string, ifValue?: string): Promise<void>;

  // ---- leases ---------------------------------------------------------------------------
  /**
   * Takes the lease `name` for `owner` for `ttlMs` when it is free or lapsed; true when `owner`
   * holds it afterwards (also when it already did: that renews it).
   */
  acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Extends the lease only while `owner` holds it; false when it was lost. */
  renewLease(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Frees the lease only while `owner` holds it; wakes every `waitForLeaseRelease` on it, on any instance. */
  releaseLease(name: string, owner: string): Promise<void>;
  /**
   * Resolves once nobody holds the lease `name`: at once when it is free (or lapsed) already,
   * else when its holder releases it (on any instance) or its TTL runs out (a renewal pushes that
   * back) — true then. False after `timeoutMs` while it is still held, when `signal` aborts, or when
   * the store closes (a closed store answers false at once); never rejects on timeout or abort (it may reject, like every call, when the
   * backing store is unreachable as the wait starts). True means the lease was free at some
   * moment, not that it still is: someone may have taken it since. For a request that waits for
   * another's work under a lease (see `idempotentSend`) without asking the store again and again.
   */
  waitForLeaseRelease(name: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean>;

  // ---- active set -----------------------------------------------------------------------
  /** Marks the customer active, seen by a browser at `at` (epoch ms). */
  touchActive(customerId: string, at: number): Promise<void>;
  /** Active customers with the last time a browser was seen, at most `limit`. */
  listActive(limit: number): Promise<Array<{ customerId: string; lastSeen: number }>>;
  /** Takes the customer out of the active set. */
  removeActive(customerId: string): Promise<void>;

  /** Releases the store's resources (timers, connections); waiters resolve false. Safe to call twice. */
  close(): Promise<void>;
}
