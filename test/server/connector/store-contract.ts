/**
 * The conformance suite every `ConnectorStore` must pass (memory, Redis, …). Call it from a
 * `*.test.ts` file:
 *
 *   describeStoreContract('memory', async () => { const s = new MemoryStore(); return { store: s, close: () => s.close() }; });
 *
 * `make` is called once per test and returns a fresh, empty store and its `close`. Optionally:
 * - `peer`: a second store object over the SAME backend (another connector instance); the
 *   cross-instance cases (wake-up, seq, CAS, leases) then run between the two. Default: `store`.
 * - `advance(ms)`: moves the store's clock (for TTLs). Without it the TTL cases wait in real
 *   time for `opts.ttlMs` (keep it small, e.g. 150 ms; the default).
 */
import { describe, expect, it, vi } from 'vitest';
import type { SessionEvent } from '../../../widget/core/protocol.js';
import type { ConnectorStore, NewLogMessage } from '../../../widget/server/connector/store.js';

export interface StoreUnderTest {
  store: ConnectorStore;
  close(): Promise<void>;
  peer?: ConnectorStore;
  advance?: (ms: number) => Promise<void> | void;
}

export interface StoreContractOptions {
  /** TTL used by the expiry cases, in ms (default 150). */
  ttlMs?: number;
}

let counter = 0;
/** A unique name per test, so a shared backend (one Redis) needs no flush between tests. */
const uid = (what: string) => `${what}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export function message(content: string, extra: Partial<NewLogMessage> = {}): NewLogMessage {
  return {
    messageId: uid('m'),
    sessionId: 's1',
    from: 'demo',
    to: 'u1',
    channel: 'WEB',
    controlType: 'CHAT',
    mediaType: 'TEXT',
    content,
    sourceType: 'AGENT',
    senderNickname: 'Alice',
    timestamp: 1_700_000_000_000,
    queueFlag: 'N',
    ...extra,
  };
}

export function describeStoreContract(name: string, make: () => Promise<StoreUnderTest>, opts: StoreContractOptions = {}): void {
  const ttl = opts.ttlMs ?? 150;

  /** Runs `fn` with a fresh store and always closes it. */
  const withStore = (fn: (t: Required<Pick<StoreUnderTest, 'store' | 'peer'>> & StoreUnderTest) => Promise<void>) => async () => {
    const t = await make();
    try {
      await fn({ ...t, peer: t.peer ?? t.store });
    } finally {
      await t.close();
    }
  };

  /** Lets `ms` pass for the store: its clock when it has one, real time (polled) otherwise. */
  const pass = async (t: StoreUnderTest, ms: number, expired: () => Promise<boolean>) => {
    if (t.advance) {
      await t.advance(ms);
      expect(await expired()).toBe(true);
    } else {
      await vi.waitFor(async () => expect(await expired()).toBe(true), { timeout: ms * 20 + 2000, interval: Math.max(10, ms / 5) });
    }
  };

  describe(`ConnectorStore contract: ${name}`, () => {
    describe('customers', () => {
      it(
        'creates with version 0 and refuses a second create',
        withStore(async ({ store, peer }) => {
          const id = uid('c');
          expect(await store.getCustomer(id)).toBeNull();
          expect(await store.putCustomer(id, { a: 1 }, 0)).toBe(1);
          expect(await peer.putCustomer(id, { a: 2 }, 0)).toBeNull();
          expect(await peer.getCustomer(id)).toEqual({ value: { a: 1 }, version: 1 });
        }),
      );

      it(
        'compare-and-set: only the writer holding the current version wins',
        withStore(async ({ store, peer }) => {
          const id = uid('c');
          await store.putCustomer(id, { n: 0 }, 0);
          const results = await Promise.all([store.putCustomer(id, { n: 'a' }, 1), peer.putCustomer(id, { n: 'b' }, 1)]);
          expect(results.filter((r) => r === 2)).toHaveLength(1);
          expect(results.filter((r) => r === null)).toHaveLength(1);
          const after = await store.getCustomer<{ n: string }>(id);
          expect(after!.version).toBe(2);
          expect(after!.value.n).toBe(results[0] === 2 ? 'a' : 'b');
        }),
      );

      it(
        'returns a copy: changing what was read changes nothing stored',
        withStore(async ({ store }) => {
          const id = uid('c');
          await store.putCustomer(id, { list: [1] }, 0);
          const read = await store.getCustomer<{ list: number[] }>(id);
          read!.value.list.push(2);
          expect((await store.getCustomer<{ list: number[] }>(id))!.value.list).toEqual([1]);
          await store.deleteCustomer(id);
          expect(await store.getCustomer(id)).toBeNull();
        }),
      );
    });

    describe('message logs', () => {
      it(
        'numbers appended messages 1, 2, 3 … and reads by cursor',
        withStore(async ({ store }) => {
          const log = uid('log');
          expect(await store.lastSeq(log)).toBe(0);
          expect(await store.read(log, 0, 10)).toEqual([]);
          const first = await store.append(log, [message('a'), message('b')]);
          expect(first.map((m) => [m.seq, m.content])).toEqual([
            [1, 'a'],
            [2, 'b'],
          ]);
          await store.append(log, [message('c')]);
          expect(await store.lastSeq(log)).toBe(3);
          expect((await store.read(log, 0, 10)).map((m) => m.seq)).toEqual([1, 2, 3]);
          expect((await store.read(log, 1, 10)).map((m) => m.content)).toEqual(['b', 'c']);
          expect((await store.read(log, 0, 2)).map((m) => m.seq)).toEqual([1, 2]);
          expect(await store.read(log, 3, 10)).toEqual([]);
          expect(await store.read(log, 99, 10)).toEqual([]);
        }),
      );

      it(
        'reads a range from the middle or the end of a long log (a history page), and nothing past a held place',
        withStore(async ({ store }) => {
          const log = uid('log');
          await store.append(
            log,
            Array.from({ length: 1200 }, (_, i) => message(`m${i + 1}`)),
          );
          // seqs 701..850: what the connector reads for the 150 messages before seq 851
          const page = await store.read(log, 700, 150);
          expect(page.map((m) => m.seq)).toEqual(Array.from({ length: 150 }, (_, i) => 701 + i));
          expect(page[0]!.content).toBe('m701');
          expect((await store.read(log, 1150, 150)).map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 1151 + i));
          await store.reserve(log, message('sending'), 60_000);
          await store.append(log, [message('after the held place')]);
          expect((await store.read(log, 1190, 150)).map((m) => m.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 1191 + i));
        }),
      );

      it(
        'stateContext: the latest message of each state kind before a seq, oldest first, kept up to date as the log grows; nothing held',
        withStore(async ({ store, peer }) => {
          const log = uid('log');
          const ev = (event: SessionEvent) => message(event, { sourceType: 'SYSTEM', event });
          await store.append(log, [ev('queue.joined'), ev('agent.joined'), message('hi', { sourceType: 'CUSTOMER' }), message('typing', { controlType: 'INPUT', sourceType: 'CUSTOMER' })]);
          await store.append(
            log,
            Array.from({ length: 600 }, (_, i) => message(`m${i}`)),
          );
          const contents = async (s: typeof store, before: number) => (await s.stateContext(log, before)).map((m) => `${m.seq}:${m.content}`);
          expect(await contents(store, 600)).toEqual(['1:queue.joined', '2:agent.joined', '3:hi']);
          // A kind whose latest message is at or after the seq is left out (the page sets it).
          expect(await contents(store, 3)).toEqual(['1:queue.joined', '2:agent.joined']);
          await store.append(log, [ev('agent.joined'), message('again', { sourceType: 'CUSTOMER' })]);
          expect(await contents(peer, 10_000)).toEqual(['1:queue.joined', '605:agent.joined', '606:again']);
          expect(await contents(store, 605)).toEqual(['1:queue.joined']);
          // A place still held is not indexed: withdrawn, it never counts.
          const held = await store.reserve(log, message('unsure', { sourceType: 'CUSTOMER' }), 60_000);
          await store.append(log, [ev('idle.warning')]);
          expect(await contents(store, 10_000)).toEqual(['1:queue.joined', '605:agent.joined', '606:again']);
          await store.settle(log, held.seq, 'withdrawn');
          expect(await contents(peer, 10_000)).toEqual(['1:queue.joined', '605:agent.joined', '606:again', '608:idle.warning']);
          expect(await store.stateContext(uid('unknown'), 10)).toEqual([]);
        }),
      );

      it(
        'keeps every field of a message, event and data included',
        withStore(async ({ store }) => {
          const log = uid('log');
          const m = message('queued', { sourceType: 'SYSTEM', event: 'queue.joined', data: { position: 3, queueName: 'Sales' }, clientMessageId: 'cm-1' });
          await store.append(log, [m]);
          expect((await store.read(log, 0, 1))[0]).toEqual({ ...m, seq: 1 });
        }),
      );

      it(
        'stays gap-free and unique under concurrent appends from two instances',
        withStore(async ({ store, peer }) => {
          const log = uid('log');
          await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? peer : store).append(log, [message(`x${i}`), message(`y${i}`)])));
          const all = await store.read(log, 0, 1000);
          expect(all.map((m) => m.seq)).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
          // The two messages of one append stay next to each other.
          for (let i = 0; i < 80; i += 2) expect(all[i]!.content.slice(1)).toBe(all[i + 1]!.content.slice(1));
        }),
      );

      it(
        'keeps logs apart',
        withStore(async ({ store }) => {
          const a = uid('log');
          const b = uid('log');
          await store.append(a, [message('a1')]);
          await store.append(b, [message('b1'), message('b2')]);
          expect(await store.lastSeq(a)).toBe(1);
          expect((await store.read(b, 0, 10)).map((m) => m.content)).toEqual(['b1', 'b2']);
        }),
      );

      it(
        'waitForMessages answers at once when there is news already',
        withStore(async ({ store }) => {
          const log = uid('log');
          await store.append(log, [message('a')]);
          expect(await store.waitForMessages(log, 0, 60_000)).toBe(true);
        }),
      );

      it(
        'waitForMessages wakes on an append made by another instance',
        withStore(async ({ store, peer }) => {
          const log = uid('log');
          await store.append(log, [message('a')]);
          const waiting = store.waitForMessages(log, 1, 60_000);
          let settled = false;
          void waiting.then(() => (settled = true));
          await new Promise((r) => setTimeout(r, 20));
          expect(settled).toBe(false);
          await peer.append(log, [message('b')]);
          expect(await waiting).toBe(true);
        }),
      );

      it(
        'waitForMessages resolves false on timeout and on abort',
        withStore(async ({ store }) => {
          const log = uid('log');
          expect(await store.waitForMessages(log, 0, 0)).toBe(false);
          const ac = new AbortController();
          const waiting = store.waitForMessages(log, 0, 60_000, ac.signal);
          ac.abort();
          expect(await waiting).toBe(false);
          expect(await store.waitForMessages(log, 0, 30)).toBe(false);
        }),
      );

      it(
        'expireLog keeps the log for the retention time, then drops it',
        withStore(async (t) => {
          const log = uid('log');
          await t.store.append(log, [message('a')]);
          await t.store.expireLog(log, ttl);
          expect(await t.store.lastSeq(log)).toBe(1);
          await pass(t, ttl + 1, async () => (await t.store.read(log, 0, 10)).length === 0);
          expect(await t.store.lastSeq(log)).toBe(0);
        }),
      );
    });

    describe('reserved places (the customer message keeps its place while its send is under way)', () => {
      it(
        'a reserved place holds readers back; what is appended behind it comes after it once confirmed',
        withStore(async ({ store, peer }) => {
          const log = uid('log');
          await store.append(log, [message('greeting')]);
          const question = await store.reserve(log, message('question', { sourceType: 'CUSTOMER', clientMessageId: 'q1' }), 60_000);
          expect(question.seq).toBe(2);
          // The answer, taken by another instance's upstream poll while the send is under way.
          const [answer] = await peer.append(log, [message('answer', { sourceType: 'ROBOT' })]);
          expect(answer!.seq).toBe(3);
          expect(await store.lastSeq(log)).toBe(3);
          expect((await peer.read(log, 0, 10)).map((m) => m.content)).toEqual(['greeting']);
          expect(await store.read(log, 1, 10)).toEqual([]);
          expect(await store.waitForMessages(log, 1, 0)).toBe(false);
          const waiting = peer.waitForMessages(log, 1, 60_000);
          expect(await store.settle(log, question.seq, 'confirmed')).toBe(true);
          expect(await waiting).toBe(true);
          const all = await peer.read(log, 0, 10);
          expect(all.map((m) => [m.seq, m.content])).toEqual([
            [1, 'greeting'],
            [2, 'question'],
            [3, 'answer'],
          ]);
          expect(all[1]!.clientMessageId).toBe('q1');
          // Confirming again changes nothing.
          expect(await peer.settle(log, question.seq, 'confirmed')).toBe(true);
        }),
      );

      it(
        'a withdrawn place reads as a READ of nothing: gap-free, no clientMessageId, and a late confirmation loses',
        withStore(async ({ store, peer }) => {
          const log = uid('log');
          const q = await store.reserve(log, message('question', { sourceType: 'CUSTOMER', clientMessageId: 'q1' }), 60_000);
          await peer.append(log, [message('agent wrote meanwhile')]);
          const waiting = peer.waitForMessages(log, 0, 60_000);
          expect(await store.settle(log, q.seq, 'withdrawn')).toBe(false);
          expect(await waiting).toBe(true);
          const all = await peer.read(log, 0, 10);
          expect(all.map((m) => m.seq)).toEqual([1, 2]);
          expect(all[0]).toMatchObject({ seq: 1, controlType: 'READ', sourceType: 'CUSTOMER', content: '', data: { readSeq: 0 } });
          expect(all[0]!.clientMessageId).toBeUndefined();
          expect(all[1]!.content).toBe('agent wrote meanwhile');
          expect(await peer.settle(log, q.seq, 'confirmed')).toBe(false);
          // A retry of the same message (same clientMessageId) is shown once, at its new place.
          const again = await peer.reserve(log, message('question', { sourceType: 'CUSTOMER', clientMessageId: 'q1' }), 60_000);
          expect(await peer.settle(log, again.seq, 'confirmed')).toBe(true);
          const shown = (await store.read(log, 0, 10)).filter((m) => m.clientMessageId === 'q1');
          expect(shown.map((m) => m.seq)).toEqual([3]);
        }),
      );

      it(
        'withdrawn places at the end of the log wake nobody; they are read with what follows them',
        withStore(async ({ store, peer }) => {
          const log = uid('log');
          await store.append(log, [message('hello')]);
          for (let i = 0; i < 3; i++) {
            const q = await store.reserve(log, message('question', { sourceType: 'CUSTOMER', clientMessageId: 'q1' }), 60_000);
            expect(await store.settle(log, q.seq, 'withdrawn')).toBe(false);
          }
          expect(await store.lastSeq(log)).toBe(4);
          expect(await peer.read(log, 1, 10)).toEqual([]);
          expect(await peer.waitForMessages(log, 1, 0)).toBe(false);
          const waiting = peer.waitForMessages(log, 1, 60_000);
          const q = await store.reserve(log, message('question', { sourceType: 'CUSTOMER', clientMessageId: 'q1' }), 60_000);
          expect(await store.settle(log, q.seq, 'confirmed')).toBe(true);
          expect(await waiting).toBe(true);
          expect((await peer.read(log, 1, 10)).map((m) => [m.seq, m.controlType])).toEqual([
            [2, 'READ'],
            [3, 'READ'],
            [4, 'READ'],
            [5, 'CHAT'],
          ]);
        }),
      );

      it(
        'readableEnd is the last seq readers see: before the first held place, without the withdrawn places that end the log',
        withStore(async ({ store, peer }) => {
          const log = uid('log');
          expect(await store.readableEnd(log)).toBe(0);
          await store.append(log, [message('hello')]);
          expect(await peer.readableEnd(log)).toBe(1);
          const q = await store.reserve(log, message('question', { sourceType: 'CUSTOMER', clientMessageId: 'q1' }), 60_000);
          await peer.append(log, [message('answer')]);
          expect(await store.lastSeq(log)).toBe(3);
          expect(await peer.readableEnd(log)).toBe(1);
          expect(await store.settle(log, q.seq, 'confirmed')).toBe(true);
          expect(await peer.readableEnd(log)).toBe(3);
          const w = await store.reserve(log, message('again', { sourceType: 'CUSTOMER', clientMessageId: 'q2' }), 60_000);
          expect(await store.settle(log, w.seq, 'withdrawn')).toBe(false);
          expect(await peer.readableEnd(log)).toBe(3);
        }),
      );

      it(
        'a place not settled within its hold lapses (its writer died): readers go on past it, and a late confirmation loses',
        withStore(async (t) => {
          const log = uid('log');
          const q = await t.store.reserve(log, message('question', { sourceType: 'CUSTOMER', clientMessageId: 'q1' }), ttl);
          await t.peer.append(log, [message('answer')]);
          expect(await t.peer.read(log, 0, 10)).toEqual([]);
          await pass(t, ttl + 1, async () => (await t.peer.read(log, 0, 10)).length === 2);
          const all = await t.store.read(log, 0, 10);
          expect(all.map((m) => [m.seq, m.controlType])).toEqual([
            [1, 'READ'],
            [2, 'CHAT'],
          ]);
          expect(await t.store.settle(log, q.seq, 'confirmed')).toBe(false);
          expect(await t.store.waitForMessages(log, 0, 60_000)).toBe(true);
        }),
      );

      it(
        'a long poll held back by a place whose writer died wakes when the hold lapses',
        withStore(async (t) => {
          if (t.advance) return; // needs the store's own clock to run: the memory store's is manual here
          const log = uid('log');
          await t.store.reserve(log, message('question', { sourceType: 'CUSTOMER' }), ttl);
          await t.peer.append(log, [message('answer')]);
          expect(await t.peer.waitForMessages(log, 0, 60_000)).toBe(true);
        }),
      );
    });

    describe('idempotency keys', () => {
      it(
        'the first claim wins; later claims see the stored record',
        withStore(async ({ store, peer }) => {
          const key = uid('idem');
          const pending = { state: 'pending', since: 1, owner: 'A' } as const;
          const claims = await Promise.all([store.claimIdempotencyKey(key, pending, 60_000), peer.claimIdempotencyKey(key, { ...pending, owner: 'B' }, 60_000)]);
          expect(claims.filter((c) => c.claimed)).toHaveLength(1);
          const lost = claims.find((c) => !c.claimed)!;
          expect(lost).toMatchObject({ claimed: false, record: { state: 'pending' } });
          await store.setIdempotencyRecord(key, { state: 'done', result: { messageId: 'm1', seq: 7 } }, 60_000);
          expect(await peer.claimIdempotencyKey(key, pending, 60_000)).toEqual({ claimed: false, record: { state: 'done', result: { messageId: 'm1', seq: 7 } } });
        }),
      );

      it(
        'a deleted key can be claimed again',
        withStore(async ({ store }) => {
          const key = uid('idem');
          const pending = { state: 'pending', since: 1, owner: 'A' } as const;
          await store.claimIdempotencyKey(key, pending, 60_000);
          await store.deleteIdempotencyKey(key);
          expect(await store.claimIdempotencyKey(key, pending, 60_000)).toEqual({ claimed: true });
        }),
      );

      it(
        'a key lapses after its TTL',
        withStore(async (t) => {
          const key = uid('idem');
          const pending = { state: 'pending', since: 1, owner: 'A' } as const;
          await t.store.claimIdempotencyKey(key, pending, ttl);
          await pass(t, ttl + 1, async () => {
            const c = await t.store.claimIdempotencyKey(key, pending, 60_000);
            return c.claimed;
          });
        }),
      );
    });

    describe('tokens', () => {
      it(
        'stores, shares and expires a token',
        withStore(async (t) => {
          const name = uid('tok');
          expect(await t.store.getToken(name)).toBeNull();
          await t.store.setToken(name, 'v1', ttl);
          expect(await t.peer.getToken(name)).toBe('v1');
          await pass(t, ttl + 1, async () => (await t.store.getToken(name)) === null);
        }),
      );

      it(
        'deleteToken with ifValue leaves a newer token alone',
        withStore(async ({ store, peer }) => {
          const name = uid('tok');
          await store.setToken(name, 'new', 60_000);
          await peer.deleteToken(name, 'old');
          expect(await store.getToken(name)).toBe('new');
          await peer.deleteToken(name, 'new');
          expect(await store.getToken(name)).toBeNull();
          await store.setToken(name, 'x', 60_000);
          await store.deleteToken(name);
          expect(await store.getToken(name)).toBeNull();
        }),
      );
    });

    describe('leases', () => {
      it(
        'one owner at a time; renew and release only by the owner',
        withStore(async ({ store, peer }) => {
          const lease = uid('lease');
          const got = await Promise.all([store.acquireLease(lease, 'A', 60_000), peer.acquireLease(lease, 'B', 60_000)]);
          expect(got.filter(Boolean)).toHaveLength(1);
          const [owner, other] = got[0] ? ['A', 'B'] : ['B', 'A'];
          expect(await store.acquireLease(lease, owner!, 60_000)).toBe(true); // re-acquire = renew
          expect(await peer.renewLease(lease, other!, 60_000)).toBe(false);
          expect(await store.renewLease(lease, owner!, 60_000)).toBe(true);
          await peer.releaseLease(lease, other!);
          expect(await peer.acquireLease(lease, other!, 60_000)).toBe(false);
          await store.releaseLease(lease, owner!);
          expect(await peer.acquireLease(lease, other!, 60_000)).toBe(true);
        }),
      );

      it(
        'a lapsed lease is taken over by another instance',
        withStore(async (t) => {
          const lease = uid('lease');
          expect(await t.store.acquireLease(lease, 'A', ttl)).toBe(true);
          expect(await t.peer.acquireLease(lease, 'B', ttl)).toBe(false);
          await pass(t, ttl + 1, () => t.peer.acquireLease(lease, 'B', 60_000));
          expect(await t.store.renewLease(lease, 'A', 60_000)).toBe(false);
        }),
      );
    });

    describe('waiting for a lease to be let go (a retry waiting for another request to resolve its send)', () => {
      /**
       * Two calls answered by `s`: a wait started on `s` before them has looked at the lease by
       * then (one store answers its calls in order), so what resolves it afterwards is a wake-up.
       */
      const answered = async (s: ConnectorStore) => {
        await s.getToken(uid('tok'));
        await s.getToken(uid('tok'));
      };
      /** Starts `waitForLeaseRelease` on `s` with its subscriptions up, and tells whether it has resolved. */
      const startWait = async (s: ConnectorStore, lease: string, timeoutMs: number, signal?: AbortSignal) => {
        expect(await s.waitForLeaseRelease(uid('free-lease'), 60_000)).toBe(true); // the store is ready to be woken
        let settled = false;
        const waiting = s.waitForLeaseRelease(lease, timeoutMs, signal).finally(() => void (settled = true));
        await answered(s);
        return { waiting, settled: () => settled };
      };

      it(
        'answers at once: true for a free lease, false for a held one when there is no time to wait',
        withStore(async ({ store, peer }) => {
          const lease = uid('lease');
          expect(await store.waitForLeaseRelease(lease, 60_000)).toBe(true);
          expect(await peer.acquireLease(lease, 'A', 60_000)).toBe(true);
          expect(await store.waitForLeaseRelease(lease, 0)).toBe(false);
          await peer.releaseLease(lease, 'A');
          expect(await store.waitForLeaseRelease(lease, 0)).toBe(true);
        }),
      );

      it(
        'is woken when the holder releases the lease on another instance; a release by someone who does not hold it wakes nobody',
        withStore(async ({ store, peer }) => {
          const lease = uid('lease');
          expect(await peer.acquireLease(lease, 'A', 60_000)).toBe(true);
          const w = await startWait(store, lease, 5000); // no wake-up: false after 5 s, not a hang
          await peer.releaseLease(lease, 'B');
          await answered(peer);
          await answered(store);
          expect(w.settled()).toBe(false);
          await peer.releaseLease(lease, 'A');
          expect(await w.waiting).toBe(true);
          // Woken by the release, not by a timer: the lease was held for a minute more.
          expect(await store.acquireLease(lease, 'C', 60_000)).toBe(true);
        }),
      );

      // Both lapse cases, one table: `takenBeforeLook` says whether another owner takes the lease
      // after it lapsed and before the waiter looks again (then that change of hands wakes it).
      it.each([
        ['the lease lapses (its holder died without releasing it)', false],
        ['the lease lapsed and another owner took it before the waiter looked again', true],
      ] as const)('is woken when %s', (_when, takenBeforeLook) =>
        withStore(async (t) => {
          const lease = uid('lease');
          const takeOver = () => t.peer.acquireLease(lease, 'B', 60_000);
          expect(await t.peer.acquireLease(lease, 'A', ttl)).toBe(true);
          const w = await startWait(t.store, lease, 60_000);
          if (takenBeforeLook) await pass(t, ttl + 1, takeOver);
          else await t.advance?.(ttl + 1);
          expect(await w.waiting).toBe(true);
          if (!takenBeforeLook) expect(await takeOver()).toBe(true);
        })(),
      );

      it(
        'a renewal keeps it waiting past the first TTL; it then times out with false, the lease still held',
        withStore(async ({ store, peer }) => {
          const lease = uid('lease');
          expect(await peer.acquireLease(lease, 'A', ttl * 2)).toBe(true);
          const w = await startWait(store, lease, ttl * 4);
          expect(await peer.renewLease(lease, 'A', 60_000)).toBe(true);
          expect(await w.waiting).toBe(false);
          expect(await store.acquireLease(lease, 'B', 60_000)).toBe(false);
          expect(await store.waitForLeaseRelease(lease, 30)).toBe(false);
        }),
      );

      it(
        'resolves false when its signal aborts (at once when it already has)',
        withStore(async ({ store, peer }) => {
          const lease = uid('lease');
          expect(await peer.acquireLease(lease, 'A', 60_000)).toBe(true);
          const ac = new AbortController();
          const w = await startWait(store, lease, 60_000, ac.signal);
          expect(w.settled()).toBe(false);
          ac.abort();
          expect(await w.waiting).toBe(false);
          expect(await store.waitForLeaseRelease(lease, 60_000, ac.signal)).toBe(false);
          expect(await peer.acquireLease(lease, 'A', 60_000)).toBe(true); // still held by A
        }),
      );

      it(
        'close() resolves the waits false',
        withStore(async ({ store, peer }) => {
          const lease = uid('lease');
          expect(await peer.acquireLease(lease, 'A', 60_000)).toBe(true);
          const w = await startWait(store, lease, 60_000);
          await store.close();
          expect(await w.waiting).toBe(false);
          expect(await store.waitForLeaseRelease(lease, 60_000)).toBe(false);
          expect(await store.waitForLeaseRelease(uid('free-lease'), 60_000)).toBe(false);
        }),
      );
    });

    describe('active set', () => {
      it(
        'lists touched customers with the latest time seen, and forgets removed ones',
        withStore(async ({ store, peer }) => {
          const a = uid('c');
          const b = uid('c');
          await store.touchActive(a, 100);
          await peer.touchActive(a, 300);
          await store.touchActive(a, 200); // an older touch arriving late does not move it back
          await store.touchActive(b, 150);
          const list = await peer.listActive(10_000);
          expect(list.find((x) => x.customerId === a)?.lastSeen).toBe(300);
          expect(list.find((x) => x.customerId === b)?.lastSeen).toBe(150);
          await store.removeActive(a);
          expect((await peer.listActive(10_000)).some((x) => x.customerId === a)).toBe(false);
          expect((await store.listActive(1)).length).toBeLessThanOrEqual(1);
        }),
      );
    });

    it(
      'close() releases waiters',
      withStore(async ({ store }) => {
        const waiting = store.waitForMessages(uid('log'), 0, 60_000);
        await store.close();
        expect(await waiting).toBe(false);
      }),
    );
  });
}
