/**
 * The Redis `ConnectorStore`: the connector's state in one Redis (6.2 or newer), shared by any
 * number of connector instances behind a load balancer, and kept across a restart of any of them.
 *
 * Client: ioredis 5 (typings built in; Lua scripts through `defineCommand`, sent as EVALSHA and
 * re-sent as EVAL after a Redis restart empties its script cache; reconnects by itself and
 * re-subscribes its pub/sub channels; a per-command timeout).
 *
 * Keys (all under `keyPrefix`, default `cec:`):
 * | key | type | what |
 * |---|---|---|
 * | `c:{customerId}` | hash `v`, `d` | customer record: version and JSON; compare-and-set in Lua |
 * | `l:{logId}` | stream | message log; entry id `{seq}-0`, field `m` = the message's JSON |
 * | `lm:{logId}` | hash | messageId → seq of that log (a retried append stores nothing twice); field `\0kinds`: JSON `{upTo, at: {kind: seq}}`, each state kind's latest seq up to `upTo` (see stateContext) |
 * | `lp:{logId}` | sorted set | reserved places not settled yet: seq scored by when the hold lapses (Redis ms) |
 * | `lw:{logId}` | set | withdrawn (or lapsed) places: read as `withdrawnPlace` |
 * | `i:{key}` | string, PX | idempotency record (JSON), claimed with a Lua SET-if-absent |
 * | `t:{name}` | string, PX | shared upstream token |
 * | `lease:{name}` | string, PX | owner of a lease; acquire, renew and release compare the owner in Lua |
 * | `active` | sorted set | customerId scored by the last time a browser was seen (`ZADD GT`) |
 * | channel `news` | pub/sub | `{logId}\n{visibleEnd}` after every append or settle, to wake long polls on any instance |
 * | channel `leases` | pub/sub | `{name}` after every release of a lease, to wake `waitForLeaseRelease` on any instance |
 *
 * Each `append` allocates its seqs atomically in one Lua script (last stream id + 1, …), so seqs are
 * gap-free and unique whichever instances append at once. A reserved place holds readers back
 * until it is settled or its hold lapses on Redis's clock (`TIME`): every script that looks at
 * a log first turns lapsed places into withdrawn ones, so all instances agree. Long polls do not hold a Redis
 * connection: each instance keeps one subscriber connection on `news` and `leases` and wakes its
 * own waiters; when either of its connections comes back (the subscriber once subscribed again)
 * every waiter looks again (a long poll at its log's readable end, a lease wait at the lease), so
 * a notice missed during an outage delays nothing.
 *
 * TTLs (idempotency keys, tokens, leases, log retention) run on Redis's clock, the one clock
 * every instance agrees on: a lease lapses `ttlMs` after its last renewal whatever the skew
 * between the instances' clocks.
 *
 * Failures: commands are only written while the connection is up (no offline queue, nothing
 * re-sent on reconnect, so nothing runs later behind the caller's back). While Redis is
 * unreachable a call waits up to `unavailableAfterMs` for the connection to come back, then
 * rejects with `StoreUnavailableError` (the connector answers 503 with Retry-After); a call
 * whose reply is lost also rejects with it. Appends are idempotent on `messageId`, so the caller
 * may simply append again.
 */
import { Redis, ReplyError, type RedisOptions } from 'ioredis';
import { stateKind, type DownlinkMessage } from '../../core/protocol.js';
import { registerWaiter, withdrawnPlace, type ConnectorStore, type IdempotencyClaim, type IdempotencyRecord, type NewLogMessage, type PlaceOutcome, type Versioned, type Waiter } from './store.js';

export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` for TLS. */
  url: string;
  /** Prefix of every key and channel; default `cec:`. Lets several connectors share one Redis. */
  keyPrefix?: string;
  /** How long a call waits for a lost connection to come back before it rejects; default 1000 ms. */
  unavailableAfterMs?: number;
  /** A command without a reply after this long rejects; default 5000 ms. */
  commandTimeoutMs?: number;
  /** Timers for long-poll waits (the connector's clock); default the global ones. */
  timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
  /**
   * Extra ioredis options (`RedisOptions`: TLS, sentinel, …); the ones this store relies on are
   * set over them. Typed loosely so the package's types do not carry ioredis's.
   */
  redis?: Record<string, unknown> & { connectTimeout?: number };
}

/**
 * Redis is unreachable (or did not answer in time): the call's outcome is unknown for a write.
 * The connector maps it to HTTP 503 with `Retry-After: retryAfterSeconds`.
 */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  readonly retryAfterSeconds = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** The field of a log's `lm` hash that holds its index of state kinds (no message id starts with NUL). */
const KINDS_FIELD = '\0kinds';

// ---- Lua ----------------------------------------------------------------------------------------

/** KEYS: customer hash. ARGV: expected version, JSON. Returns the new version or nil. */
const PUT_CUSTOMER = `
local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if v ~= tonumber(ARGV[1]) then return false end
redis.call('HSET', KEYS[1], 'v', v + 1, 'd', ARGV[2])
return v + 1`;

/**
 * Shared by the log scripts. KEYS[1] stream, KEYS[3] held places, KEYS[4] withdrawn places.
 * `visible()` turns lapsed holds into withdrawn places and returns the end of what readers may
 * see (the seq before the first place still held, else the last seq, less the withdrawn places
 * that end the log) and the ms until that place lapses (-1 when none is held).
 */
const LOG_LIB = `
local function last_seq()
  local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
  if #top > 0 then return tonumber(string.match(top[1][1], '^(%d+)')) end
  return 0
end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function keep_like_log(key)
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl > 0 then redis.call('PEXPIRE', key, ttl) end
end
local function skip_withdrawn(stop)
  while stop > 0 and redis.call('SISMEMBER', KEYS[4], stop) == 1 do stop = stop - 1 end
  return stop
end
local function visible()
  local last = last_seq()
  if redis.call('EXISTS', KEYS[3]) == 0 then return skip_withdrawn(last), -1 end
  local now = now_ms()
  local lapsed = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now)
  for _, seq in ipairs(lapsed) do
    redis.call('SADD', KEYS[4], seq)
    redis.call('ZREM', KEYS[3], seq)
  end
  if #lapsed > 0 then keep_like_log(KEYS[4]) end
  local held = redis.call('ZRANGE', KEYS[3], 0, -1, 'WITHSCORES')
  local first, lapse = nil, -1
  for i = 1, #held, 2 do
    local seq = tonumber(held[i])
    if first == nil or seq < first then first, lapse = seq, tonumber(held[i + 1]) - now end
  end
  if first == nil then return skip_withdrawn(last), -1 end
  return skip_withdrawn(math.min(last, first - 1)), lapse
end
`;

/**
 * KEYS: log stream, messageId hash. ARGV: news channel, logId, then messageId/JSON pairs.
 * Returns the seq of each message, in order; a messageId already in the log keeps its seq and is
 * not stored again. Publishes `{logId}\n{lastSeq}` when something was stored. A log under
 * retention keeps its expiry, and the messageId hash gets the same.
 */
const APPEND = `${LOG_LIB}
local last = last_seq()
-- a new log (or one whose retention just ended): no old ids, holds or withdrawals
if last == 0 then redis.call('DEL', KEYS[2], KEYS[3], KEYS[4]) end
local seqs = {}
local added = false
for i = 3, #ARGV, 2 do
  local seen = redis.call('HGET', KEYS[2], ARGV[i])
  if seen then
    seqs[#seqs + 1] = tonumber(seen)
  else
    last = last + 1
    redis.call('XADD', KEYS[1], last .. '-0', 'm', ARGV[i + 1])
    redis.call('HSET', KEYS[2], ARGV[i], last)
    seqs[#seqs + 1] = last
    added = true
  end
end
if added then
  keep_like_log(KEYS[2])
  local seen_end = visible()
  redis.call('PUBLISH', ARGV[1], ARGV[2] .. '\\n' .. seen_end)
end
return seqs`;

/**
 * KEYS: log stream, messageId hash, held, withdrawn. ARGV: messageId, JSON, hold ms. Appends the
 * message as a held place (no notice: readers cannot see it yet); returns its seq. A messageId
 * already in the log keeps its seq and its state.
 */
const RESERVE = `${LOG_LIB}
local seen = redis.call('HGET', KEYS[2], ARGV[1])
if seen then return tonumber(seen) end
local last = last_seq()
if last == 0 then redis.call('DEL', KEYS[2], KEYS[3], KEYS[4]) end
last = last + 1
redis.call('XADD', KEYS[1], last .. '-0', 'm', ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], last)
redis.call('ZADD', KEYS[3], now_ms() + tonumber(ARGV[3]), last)
keep_like_log(KEYS[2])
keep_like_log(KEYS[3])
return last`;

/**
 * KEYS: log stream, (unused), held, withdrawn. ARGV: news channel, logId, seq, outcome.
 * Returns 1 when the place shows its message, 0 when it is withdrawn. Publishes the visible end.
 */
const SETTLE = `${LOG_LIB}
visible() -- a lapsed hold is withdrawn first: a late confirmation loses
local seq = ARGV[3]
local shown = 1
if redis.call('SISMEMBER', KEYS[4], seq) == 1 then shown = 0
elseif redis.call('ZREM', KEYS[3], seq) == 1 and ARGV[4] == 'withdrawn' then
  redis.call('SADD', KEYS[4], seq)
  keep_like_log(KEYS[4])
  shown = 0
elseif ARGV[4] == 'withdrawn' then shown = 0 end
local seen_end = visible()
redis.call('PUBLISH', ARGV[1], ARGV[2] .. '\\n' .. seen_end)
return shown`;

/**
 * KEYS: log stream, (unused), held, withdrawn. ARGV: first seq, count. The entries readers may
 * see from `first` on, as {id, JSON, withdrawn 0/1} triples.
 */
const READ = `${LOG_LIB}
local stop = visible()
local first = tonumber(ARGV[1])
if stop < first then return {} end
local out = {}
for _, e in ipairs(redis.call('XRANGE', KEYS[1], first .. '-0', stop .. '-0', 'COUNT', tonumber(ARGV[2]))) do
  out[#out + 1] = { e[1], e[2][2], redis.call('SISMEMBER', KEYS[4], string.match(e[1], '^(%d+)')) }
end
return out`;

/** KEYS: log stream, (unused), held, withdrawn. Returns {visible end, ms until the first hold lapses or -1}. */
const VISIBLE = `${LOG_LIB}
local stop, lapse = visible()
return { stop, lapse }`;

/** KEYS: log stream, messageId hash, held, withdrawn. ARGV: ms. Sets the retention of an existing log. */
const EXPIRE_LOG = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
return 1`;

/** KEYS: key. ARGV: JSON, ms. Stores when absent and returns nil; otherwise returns what is there. */
const CLAIM = `
local cur = redis.call('GET', KEYS[1])
if cur then return cur end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;

/** KEYS: key. ARGV: value. Deletes only while the key holds `value`. */
const DELETE_IF = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** KEYS: lease. ARGV: owner, ms. Takes a free lease or renews one `owner` holds; 1 when held. */
const ACQUIRE = `
local cur = redis.call('GET', KEYS[1])
if not cur then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if cur == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

/** KEYS: lease. ARGV: owner, leases channel, name. Deletes only while `owner` holds it, then publishes `name`; 1 when released. */
const RELEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`;

/** KEYS: lease. Returns {owner, ms left (-1: no TTL)}, or nil when nobody holds it. */
const LEASE_HOLDER = `
local owner = redis.call('GET', KEYS[1])
if not owner then return false end
return { owner, redis.call('PTTL', KEYS[1]) }`;

/** KEYS: lease. ARGV: owner, ms. Renews only while `owner` holds it; 1 when renewed. */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

interface Scripts {
  cecPutCustomer(key: string, expected: number, json: string): Promise<number | null>;
  cecAppend(log: string, ids: string, held: string, withdrawn: string, ...args: string[]): Promise<number[]>;
  cecReserve(log: string, ids: string, held: string, withdrawn: string, messageId: string, json: string, holdMs: number): Promise<number>;
  cecSettle(log: string, ids: string, held: string, withdrawn: string, channel: string, logId: string, seq: number, outcome: string): Promise<number>;
  cecRead(log: string, ids: string, held: string, withdrawn: string, first: number, count: number): Promise<Array<[string, string, number]>>;
  cecVisible(log: string, ids: string, held: string, withdrawn: string): Promise<[number, number]>;
  cecExpireLog(log: string, ids: string, held: string, withdrawn: string, ms: number): Promise<number>;
  cecClaim(key: string, json: string, ms: number): Promise<string | null>;
  cecDeleteIf(key: string, value: string): Promise<number>;
  cecAcquire(key: string, owner: string, ms: number): Promise<number>;
  cecRenew(key: string, owner: string, ms: number): Promise<number>;
  cecRelease(key: string, owner: string, channel: string, name: string): Promise<number>;
  cecLeaseHolder(key: string): Promise<[string, number] | null>;
}

/** Reply errors that mean "Redis cannot serve now" rather than a bug in a command. */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|OOM|NOREPLICAS)\b/;

/** A `waitForMessages` under way: `done(true)` when the log has something after `afterSeq`. */
interface MessageWaiter extends Waiter {
  readonly afterSeq: number;
}

/** A `waitForLeaseRelease` under way: `done(true)` when the lease was let go; `look()` reads the lease again. */
interface LeaseWaiter extends Waiter {
  look: () => void;
}

/** The Redis `ConnectorStore`; see the module comment for keys, scripts and failure behaviour. */
export class RedisStore implements ConnectorStore {
  private readonly cmd: Redis & Scripts;
  private readonly sub: Redis;
  private readonly prefix: string;
  private readonly channel: string;
  private readonly leaseChannel: string;
  private readonly unavailableAfterMs: number;
  private readonly timers: NonNullable<RedisStoreOptions['timers']>;
  private readonly waiters = new Map<string, Set<MessageWaiter>>();
  private readonly leaseWaiters = new Map<string, Set<LeaseWaiter>>();
  private subscribed: Promise<unknown>;
  /** Calls waiting for a connection to come up, per connection. */
  private readonly readyWaits = new Map<Redis, Set<(err?: Error) => void>>();
  private closed = false;
  private closing?: Promise<void>;

  /**
   * Connects at once (two connections: commands, and the `news` and `leases` subscriptions). Throws only on a
   * malformed `url`; an unreachable Redis shows as `StoreUnavailableError` from the calls.
   */
  constructor(opts: RedisStoreOptions) {
    this.prefix = opts.keyPrefix ?? 'cec:';
    this.channel = `${this.prefix}news`;
    this.leaseChannel = `${this.prefix}leases`;
    this.unavailableAfterMs = opts.unavailableAfterMs ?? 1000;
    this.timers = opts.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    const common: RedisOptions = {
      ...(opts.redis as RedisOptions | undefined),
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
      commandTimeout: opts.commandTimeoutMs ?? 5000,
      connectTimeout: opts.redis?.connectTimeout ?? 2000,
      // Keep trying to reconnect, at most a second apart, for as long as the store is open.
      retryStrategy: (attempt) => (this.closed ? null : Math.min(50 * 2 ** attempt, 1000)),
      lazyConnect: false,
    };
    this.cmd = new Redis(opts.url, { ...common, connectionName: 'cec-connector' }) as Redis & Scripts;
    // Not ioredis's own re-subscription: its SUBSCRIBE after a reconnect can fail (the stream closed
    // again) with nobody to catch it, an unhandled rejection in the integrator's process. The
    // 'ready' handler below subscribes again itself, and handles the failure.
    this.sub = new Redis(opts.url, { ...common, connectionName: 'cec-connector-news', autoResubscribe: false });
    for (const conn of [this.cmd, this.sub]) {
      // ioredis emits 'error' on every failed (re)connect; the calls report unavailability.
      conn.on('error', () => {});
      const waits = new Set<(err?: Error) => void>();
      this.readyWaits.set(conn, waits);
      let first = true;
      conn.on('ready', () => {
        for (const settle of [...waits]) settle();
        if (first) return void (first = false);
        this.reconnected(conn);
      });
    }
    this.cmd.defineCommand('cecPutCustomer', { numberOfKeys: 1, lua: PUT_CUSTOMER });
    this.cmd.defineCommand('cecAppend', { numberOfKeys: 4, lua: APPEND });
    this.cmd.defineCommand('cecReserve', { numberOfKeys: 4, lua: RESERVE });
    this.cmd.defineCommand('cecSettle', { numberOfKeys: 4, lua: SETTLE });
    this.cmd.defineCommand('cecRead', { numberOfKeys: 4, lua: READ });
    this.cmd.defineCommand('cecVisible', { numberOfKeys: 4, lua: VISIBLE });
    this.cmd.defineCommand('cecExpireLog', { numberOfKeys: 4, lua: EXPIRE_LOG });
    this.cmd.defineCommand('cecClaim', { numberOfKeys: 1, lua: CLAIM });
    this.cmd.defineCommand('cecDeleteIf', { numberOfKeys: 1, lua: DELETE_IF });
    this.cmd.defineCommand('cecAcquire', { numberOfKeys: 1, lua: ACQUIRE });
    this.cmd.defineCommand('cecRenew', { numberOfKeys: 1, lua: RENEW });
    this.cmd.defineCommand('cecRelease', { numberOfKeys: 1, lua: RELEASE });
    this.cmd.defineCommand('cecLeaseHolder', { numberOfKeys: 1, lua: LEASE_HOLDER });
    this.sub.on('message', (channel: string, text: string) => {
      if (channel === this.leaseChannel) return this.wakeLease(text);
      if (channel !== this.channel) return;
      const cut = text.lastIndexOf('\n');
      this.wake(text.slice(0, cut), Number(text.slice(cut + 1)));
    });
    this.subscribed = this.subscribe();
  }

  /**
   * `conn` is back after an outage. Notices published while either connection was down may be
   * lost to this instance: one the subscriber was not there to hear, or one published before a
   * waiter registered whose look at the store failed because commands could not run. So every
   * waiter (long polls and lease waits alike) looks again on EITHER reconnection: the
   * subscriber's once it is subscribed again, the command connection's at once. Whichever comes
   * back first may look in vain (the other is still down); the other's return looks again.
   */
  private reconnected(conn: Redis): void {
    if (conn === this.cmd) return this.lookAgain();
    // Not ioredis's own re-subscription (see the constructor): subscribe again, then look.
    this.subscribed = this.sub.subscribe(this.channel, this.leaseChannel);
    this.subscribed.then(
      () => this.lookAgain(),
      () => {},
    );
  }

  /** Every waiter of this instance looks at the store again (a notice for it may have been missed). */
  private lookAgain(): void {
    for (const set of this.leaseWaiters.values()) for (const w of set) w.look();
    void this.recheckWaiters();
  }

  /**
   * Resolves once this instance is subscribed to `news` and `leases` (subscribing again when an
   * earlier try failed), so that a waiter registered after it hears every notice published from
   * then on. Resolves false when the store is closed or `signal` aborted meanwhile (the wait
   * then answers false at once), true otherwise. Rejects with `StoreUnavailableError` when the
   * subscriber connection does not come up within `unavailableAfterMs`.
   */
  private async subscriberReady(signal?: AbortSignal): Promise<boolean> {
    if (this.closed || signal?.aborted) return false;
    try {
      await this.ready(this.sub);
    } catch (err) {
      if (this.closed) return false;
      throw err;
    }
    await this.subscribed.catch(() => (this.subscribed = this.subscribe()));
    await this.subscribed;
    return !(this.closed || signal?.aborted);
  }

  private subscribe(): Promise<unknown> {
    const p = this.ready(this.sub).then(() => this.sub.subscribe(this.channel, this.leaseChannel));
    p.catch(() => {});
    return p;
  }

  private key(kind: string, id: string): string {
    return `${this.prefix}${kind}:${id}`;
  }

  /** Resolves when `conn` is connected, waiting up to `unavailableAfterMs`; rejects otherwise. */
  private ready(conn: Redis): Promise<void> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('The store is closed'));
    if (conn.status === 'ready') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waits = this.readyWaits.get(conn)!;
      const settle = (err?: Error) => {
        clearTimeout(timer);
        waits.delete(settle);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(() => settle(new StoreUnavailableError(`Redis unreachable (${conn.status}) for ${this.unavailableAfterMs} ms`)), this.unavailableAfterMs);
      waits.add(settle);
    });
  }

  /** Runs `fn` on the command connection once it is up; connection trouble becomes StoreUnavailableError. */
  private async run<T>(fn: (r: Redis & Scripts) => Promise<T>): Promise<T> {
    await this.ready(this.cmd);
    try {
      return await fn(this.cmd);
    } catch (err) {
      if (err instanceof ReplyError && !TRANSIENT_REPLY.test((err as Error).message)) throw err;
      throw new StoreUnavailableError(`Redis call failed: ${(err as Error).message}`, { cause: err });
    }
  }

  // ---- customers ---------------------------------------------------------------------------------

  async getCustomer<T>(customerId: string): Promise<Versioned<T> | null> {
    const [v, d] = await this.run((r) => r.hmget(this.key('c', customerId), 'v', 'd'));
    if (v == null || d == null) return null;
    return { value: JSON.parse(d) as T, version: Number(v) };
  }

  async putCustomer<T>(customerId: string, value: T, expectedVersion: number): Promise<number | null> {
    const v = await this.run((r) => r.cecPutCustomer(this.key('c', customerId), expectedVersion, JSON.stringify(value)));
    return v === null ? null : Number(v);
  }

  async deleteCustomer(customerId: string): Promise<void> {
    await this.run((r) => r.del(this.key('c', customerId)));
  }

  // ---- message logs ------------------------------------------------------------------------------

  /** The four keys of a log, in the order its scripts take them. */
  private logKeys(logId: string): [string, string, string, string] {
    return [this.key('l', logId), this.key('lm', logId), this.key('lp', logId), this.key('lw', logId)];
  }

  async append(logId: string, messages: NewLogMessage[]): Promise<DownlinkMessage[]> {
    if (!messages.length) return [];
    const args: string[] = [this.channel, logId];
    for (const m of messages) args.push(m.messageId, JSON.stringify(m));
    const seqs = await this.run((r) => r.cecAppend(...this.logKeys(logId), ...args));
    return messages.map((m, i) => ({ ...structuredClone(m), seq: Number(seqs[i]) }) as DownlinkMessage);
  }

  async reserve(logId: string, message: NewLogMessage, holdMs: number): Promise<DownlinkMessage> {
    const seq = await this.run((r) => r.cecReserve(...this.logKeys(logId), message.messageId, JSON.stringify(message), ttl(holdMs)));
    return { ...structuredClone(message), seq: Number(seq) } as DownlinkMessage;
  }

  async settle(logId: string, seq: number, outcome: PlaceOutcome): Promise<boolean> {
    return (await this.run((r) => r.cecSettle(...this.logKeys(logId), this.channel, logId, seq, outcome))) === 1;
  }

  async read(logId: string, afterSeq: number, limit: number): Promise<DownlinkMessage[]> {
    if (limit <= 0) return [];
    const from = Math.max(0, Math.floor(afterSeq)) + 1;
    const entries = await this.run((r) => r.cecRead(...this.logKeys(logId), from, Math.floor(limit)));
    return entries.map(([id, json, withdrawn]) => {
      const m = { ...JSON.parse(json), seq: parseInt(id, 10) } as DownlinkMessage;
      return withdrawn === 1 ? withdrawnPlace(m) : m;
    });
  }

  /** The end of what readers may see, and the ms until the first held place lapses (-1: none held). */
  private async visibleEnd(logId: string): Promise<[number, number]> {
    const [end, lapse] = await this.run((r) => r.cecVisible(...this.logKeys(logId)));
    return [Number(end), Number(lapse)];
  }

  async readableEnd(logId: string): Promise<number> {
    return (await this.visibleEnd(logId))[0];
  }

  /**
   * See ConnectorStore.stateContext. The index lives in the log's `lm` hash (so it expires with
   * the log), one JSON field: the index reads what was appended since its `upTo` (settled places
   * only: up to the readable end) and is written back whole. Two instances doing so at once
   * each write an index true up to its own `upTo`; a later call reads on from whichever is left.
   */
  async stateContext(logId: string, beforeSeq: number): Promise<DownlinkMessage[]> {
    const lm = this.key('lm', logId);
    const [raw, end] = await Promise.all([this.run((r) => r.hget(lm, KINDS_FIELD)), this.readableEnd(logId)]);
    const k = raw ? (JSON.parse(raw) as { upTo: number; at: Record<string, number> }) : { upTo: 0, at: {} };
    if (k.upTo < end) {
      while (k.upTo < end) {
        const chunk = await this.read(logId, k.upTo, Math.min(500, end - k.upTo));
        if (!chunk.length) break;
        for (const m of chunk) {
          const kind = m.controlType === 'INPUT' || m.controlType === 'READ' ? null : stateKind(m);
          if (kind) k.at[kind] = m.seq;
        }
        k.upTo = chunk[chunk.length - 1]!.seq;
      }
      await this.run((r) => r.hset(lm, KINDS_FIELD, JSON.stringify(k)));
    }
    const seqs = Object.values(k.at)
      .filter((seq) => seq < beforeSeq)
      .sort((a, b) => a - b);
    return (await Promise.all(seqs.map((seq) => this.read(logId, seq - 1, 1)))).flat();
  }

  async lastSeq(logId: string): Promise<number> {
    const top = await this.run((r) => r.xrevrange(this.key('l', logId), '+', '-', 'COUNT', 1));
    return top.length ? parseInt(top[0]![0], 10) : 0;
  }

  async waitForMessages(logId: string, afterSeq: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    // Subscribed and registered BEFORE looking at the log, so an append between the look and the
    // wait still wakes this waiter.
    if (!(await this.subscriberReady(signal))) return false;
    if (timeoutMs <= 0)
      return this.visibleEnd(logId).then(
        ([end]) => end > afterSeq,
        () => false,
      );
    let again: unknown;
    // Held back by a reserved place: look again once its hold lapses (its writer may be dead,
    // and then nobody publishes).
    const look = (w: MessageWaiter): Promise<void> =>
      this.visibleEnd(logId).then(([end, lapse]) => {
        if (w.ended) return;
        if (end > afterSeq) return w.done(true);
        if (again !== undefined) this.timers.clearTimeout(again);
        again = lapse < 0 ? undefined : this.timers.setTimeout(() => void look(w).catch(() => {}), lapse + 5);
      });
    return registerWaiter(
      this.waiters,
      logId,
      { afterSeq },
      {
        timeoutMs,
        timers: this.timers,
        signal,
        // A look that fails (the connection dropped just now) leaves the waiter armed: it is
        // registered, so a later append's notice wakes it, and a reconnect makes it look again.
        start: (w) => void look(w).catch(() => {}),
        onEnd: () => {
          if (again !== undefined) this.timers.clearTimeout(again);
        },
      },
    );
  }

  async expireLog(logId: string, retainMs: number): Promise<void> {
    await this.run((r) => r.cecExpireLog(...this.logKeys(logId), Math.max(1, Math.ceil(retainMs))));
  }

  /** Wakes this instance's waiters on `logId` that have not seen `lastSeq` yet. */
  private wake(logId: string, lastSeq: number): void {
    const set = this.waiters.get(logId);
    if (!set) return;
    for (const w of [...set]) if (lastSeq > w.afterSeq) w.done(true);
  }

  /** Each log with waiters on this instance is read again (one look per log), waking those with news. */
  private async recheckWaiters(): Promise<void> {
    for (const logId of [...this.waiters.keys()]) {
      try {
        this.wake(logId, (await this.visibleEnd(logId))[0]);
      } catch {
        return; // a connection is down again: its 'ready' looks again
      }
    }
  }

  // ---- idempotency -------------------------------------------------------------------------------

  async claimIdempotencyKey(key: string, pending: IdempotencyRecord, ttlMs: number): Promise<IdempotencyClaim> {
    const cur = await this.run((r) => r.cecClaim(this.key('i', key), JSON.stringify(pending), ttl(ttlMs)));
    return cur === null ? { claimed: true } : { claimed: false, record: JSON.parse(cur) as IdempotencyRecord };
  }

  async setIdempotencyRecord(key: string, record: IdempotencyRecord, ttlMs: number): Promise<void> {
    await this.run((r) => r.set(this.key('i', key), JSON.stringify(record), 'PX', ttl(ttlMs)));
  }

  async deleteIdempotencyKey(key: string): Promise<void> {
    await this.run((r) => r.del(this.key('i', key)));
  }

  // ---- shared upstream tokens --------------------------------------------------------------------

  async getToken(name: string): Promise<string | null> {
    return this.run((r) => r.get(this.key('t', name)));
  }

  async setToken(name: string, value: string, ttlMs: number): Promise<void> {
    await this.run((r) => r.set(this.key('t', name), value, 'PX', ttl(ttlMs)));
  }

  async deleteToken(name: string, ifValue?: string): Promise<void> {
    if (ifValue === undefined) await this.run((r) => r.del(this.key('t', name)));
    else await this.run((r) => r.cecDeleteIf(this.key('t', name), ifValue));
  }

  // ---- leases ------------------------------------------------------------------------------------

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.run((r) => r.cecAcquire(this.key('lease', name), owner, ttl(ttlMs)))) === 1;
  }

  async renewLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.run((r) => r.cecRenew(this.key('lease', name), owner, ttl(ttlMs)))) === 1;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.run((r) => r.cecRelease(this.key('lease', name), owner, this.leaseChannel, name));
  }

  /** Who holds the lease and for how many more ms (Redis's clock; -1: no TTL), or null when free. */
  private async leaseHolder(name: string): Promise<{ owner: string; ms: number } | null> {
    const h = await this.run((r) => r.cecLeaseHolder(this.key('lease', name)));
    return h ? { owner: h[0], ms: Number(h[1]) } : null;
  }

  async waitForLeaseRelease(name: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.closed || signal?.aborted) return false;
    if (timeoutMs <= 0) return (await this.leaseHolder(name)) === null;
    // Subscribed and registered BEFORE looking at the lease, so a release between the look and
    // the wait still wakes this waiter.
    if (!(await this.subscriberReady(signal))) return false;
    let lapse: unknown;
    /** The owner found at the first look: another one found later means the lease changed hands. */
    let holder: string | undefined;
    // A holder that dies never releases (nobody publishes): look again when its TTL runs out on
    // Redis's clock (a renewal moves that on, so the next look waits again).
    const look = (w: LeaseWaiter): Promise<void> =>
      this.leaseHolder(name).then((h) => {
        if (w.ended) return;
        if (h === null || (holder !== undefined && h.owner !== holder)) return w.done(true);
        holder ??= h.owner;
        if (lapse !== undefined) this.timers.clearTimeout(lapse);
        lapse = h.ms < 0 ? undefined : this.timers.setTimeout(() => w.look(), h.ms + 1);
      });
    return registerWaiter<LeaseWaiter>(
      this.leaseWaiters,
      name,
      {
        // A later look that fails (Redis gone meanwhile) leaves the waiter armed: a release
        // notice wakes it, a reconnect makes it look again, and its timeout ends it.
        look(this: LeaseWaiter) {
          void look(this).catch(() => {});
        },
      },
      {
        timeoutMs,
        timers: this.timers,
        signal,
        // The first look failing means the store is unreachable now: the caller hears it at once.
        start: (w, fail) => void look(w).catch(fail),
        onEnd: () => {
          if (lapse !== undefined) this.timers.clearTimeout(lapse);
        },
      },
    );
  }

  /** Wakes this instance's waiters on the lease `name` (its release was published). */
  private wakeLease(name: string): void {
    for (const w of [...(this.leaseWaiters.get(name) ?? [])]) w.done(true);
  }

  // ---- active set --------------------------------------------------------------------------------

  async touchActive(customerId: string, at: number): Promise<void> {
    await this.run((r) => r.zadd(`${this.prefix}active`, 'GT', at, customerId));
  }

  async listActive(limit: number): Promise<Array<{ customerId: string; lastSeen: number }>> {
    if (limit <= 0) return [];
    const flat = await this.run((r) => r.zrange(`${this.prefix}active`, 0, Math.floor(limit) - 1, 'WITHSCORES'));
    const out: Array<{ customerId: string; lastSeen: number }> = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ customerId: flat[i]!, lastSeen: Number(flat[i + 1]) });
    return out;
  }

  async removeActive(customerId: string): Promise<void> {
    await this.run((r) => r.zrem(`${this.prefix}active`, customerId));
  }

  /** Resolves every waiter false and closes both connections (QUIT, or a hard close after 1 s). */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    for (const waits of this.readyWaits.values()) for (const settle of [...waits]) settle(new StoreUnavailableError('The store is closed'));
    for (const set of [...this.waiters.values()]) for (const w of [...set]) w.done(false);
    for (const set of [...this.leaseWaiters.values()]) for (const w of [...set]) w.done(false);
    const quit = async (conn: Redis) => {
      if (conn.status !== 'ready') return conn.disconnect();
      const t = setTimeout(() => conn.disconnect(), 1000);
      await conn.quit().catch(() => conn.disconnect());
      clearTimeout(t);
    };
    this.closing = Promise.all([quit(this.cmd), quit(this.sub)]).then(() => {});
    return this.closing;
  }
}

/** A Redis PX argument: a whole number of ms, at least 1. */
function ttl(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}
