/**
 * Two races of the connector, run over any store with TWO connector instances sharing it (memory:
 * one MemoryStore; Redis: two RedisStores on one server). Not a test file itself: call
 * `describeConnectorRaces` from one.
 *
 * - An agent's READ taken by the upstream poll while the customer's own message still holds its
 *   place reports only what the customer can read (the last settled seq), never the held one.
 * - Two retries resolving the same unknown send at once: the CEC's history is asked once, the
 *   message is sent once, and both retries get the first's answer (a result, or the same
 *   "not confirmed"). The second is woken by the store when the first lets its lease go: it reads
 *   the lease once, not every few ms while it waits.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConnector, type ConnectorHandler } from '../../../widget/server/connector/connector.js';
import type { ConnectorStore, IdempotencyClaim } from '../../../widget/server/connector/store.js';
import { APP_KEY, APP_SECRET, CHANNEL_CONFIG, FakeCec } from './fake-cec.js';

const API = 'http://connector.test/apiaccess/ccmessaging';

/** Two store objects over one backend (two connector instances) and how to close them. */
export interface SharedStore {
  stores: [ConnectorStore, ConnectorStore];
  close(): Promise<void>;
}

/** Resolves when `pred` holds (checked on every `check()`), or after `ms` (the test then fails on its assertions, never hangs). */
function gate(pred: () => boolean, ms = 5000) {
  let open: () => void = () => {};
  const opened = new Promise<void>((r) => (open = r));
  const timer = setTimeout(open, ms);
  return {
    opened,
    check: () => {
      if (pred()) {
        clearTimeout(timer);
        open();
      }
    },
  };
}

/** The store with a hook after every claimIdempotencyKey (what a send found under its key). */
function observeClaims(store: ConnectorStore, seen: (claim: IdempotencyClaim) => void): ConnectorStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop === 'claimIdempotencyKey')
        return async (...a: Parameters<ConnectorStore['claimIdempotencyKey']>) => {
          const claim = await target.claimIdempotencyKey(...a);
          seen(claim);
          return claim;
        };
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

/** What the sends of one test did with the resolution leases (`resolve:…`), on both instances. */
interface LeaseUse {
  /** acquireLease calls on a resolution lease (each a store round trip). */
  acquires: number;
  /** What each waitForLeaseRelease on a resolution lease resolved to, once it did. */
  waits: boolean[];
  /** waitForLeaseRelease calls on a resolution lease, resolved or not. */
  waiting: number;
}

/** The store, counting its uses of resolution leases into `use` (`changed` runs after each). */
function observeLeases(store: ConnectorStore, use: LeaseUse, changed: () => void): ConnectorStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (prop === 'acquireLease')
        return (...a: Parameters<ConnectorStore['acquireLease']>) => {
          if (a[0].startsWith('resolve:')) use.acquires++;
          return target.acquireLease(...a);
        };
      if (prop === 'waitForLeaseRelease')
        return async (...a: Parameters<ConnectorStore['waitForLeaseRelease']>) => {
          if (!a[0].startsWith('resolve:')) return target.waitForLeaseRelease(...a);
          use.waiting++;
          changed();
          const free = await target.waitForLeaseRelease(...a);
          use.waits.push(free);
          return free;
        };
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

export function describeConnectorRaces(name: string, make: () => Promise<SharedStore>): void {
  describe(`connector races (${name} store, two instances)`, () => {
    const cleanup: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const f of cleanup.splice(0).reverse()) await f();
    });

    async function setup(o: { now?: () => number; wrap?: (store: ConnectorStore, i: number) => ConnectorStore } = {}) {
      const cec = new FakeCec();
      const shared = await make();
      cleanup.push(() => shared.close());
      const instances = shared.stores.map((store, i) =>
        createConnector(CHANNEL_CONFIG, {
          env: { CEC_APP_KEY: APP_KEY, CEC_APP_SECRET: APP_SECRET },
          fetch: (input, init) => cec.fetch(input, init),
          log: () => {},
          random: () => 0,
          sweepMs: 0,
          now: o.now,
          store: o.wrap ? o.wrap(store, i) : store,
          instanceId: `instance-${i}`,
        }),
      ) as [ConnectorHandler, ConnectorHandler];
      for (const c of instances) cleanup.push(() => c.close());
      const call = async (c: ConnectorHandler, method: string, path: string, token?: string, body?: unknown, signal?: AbortSignal) => {
        const res = await c(
          new Request(API + path, {
            method,
            signal,
            headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { 'ccmessaging-token': token } : {}) },
            body: body === undefined ? undefined : JSON.stringify(body),
          }),
        );
        return { status: res.status, body: (await res.json()) as Record<string, any> };
      };
      const start = async () => (await call(instances[0], 'POST', '/applyToken', undefined, { channelId: 'demo', userId: 'u1', userName: 'Wang', locale: 'en' })).body.token as string;
      const send = (c: ConnectorHandler, token: string, controlType: string, content = '', clientMessageId: string = crypto.randomUUID(), signal?: AbortSignal) =>
        call(c, 'POST', '/send', token, { channel: 'WEB', controlType, mediaType: 'TEXT', content, clientMessageId }, signal);
      const messages = async (token: string) => (await call(instances[0], 'GET', '/poll?receiverId=u1&channel=WEB&cursor=0&wait=0', token)).body.downlinkMessages as any[];
      const logId = async () => (await shared.stores[0].getCustomer<{ logId: string }>('demo:u1'))!.value.logId;
      return { cec, instances, store: shared.stores[0], start, send, messages, logId };
    }

    it("an agent's READ taken while the customer's message holds its place reports the last seq the customer can read, not the held one", async () => {
      const { cec, instances, store, start, send, messages, logId } = await setup();
      const token = await start();
      await send(instances[0], token, 'CONNECT');
      cec.push('u1', { sourceType: 'AGENT', controlType: 'CHAT', mediaType: 'TEXT', content: 'Hello, I am Alice', senderNickname: 'Alice', timestamp: 1 });
      await vi.waitFor(async () => expect((await messages(token)).map((m) => m.content)).toContain('Hello, I am Alice'), { timeout: 5000, interval: 5 });
      const first = (await send(instances[1], token, 'CHAT', 'first question', 'q-1')).body;
      expect(first).toMatchObject({ resultCode: '0', seq: expect.any(Number) });
      const log = await logId();
      // The agent reads while the second question is on its way to the CEC (its place is held).
      cec.onSend = async (body) => {
        if (body.controlType !== 'CHAT') return undefined;
        cec.onSend = null;
        cec.push('u1', { sourceType: 'AGENT', controlType: 'READ', mediaType: 'TEXT', content: '', senderNickname: 'Alice', timestamp: 2 });
        await vi.waitFor(async () => expect(await store.lastSeq(log)).toBe(first.seq + 2), { timeout: 5000, interval: 2 });
        return undefined;
      };
      expect((await send(instances[1], token, 'CHAT', 'second question', 'q-2')).body).toMatchObject({ resultCode: '0', seq: first.seq + 1 });
      const msgs = await messages(token);
      expect(msgs.slice(-3).map((m) => [m.seq, m.controlType, m.content])).toEqual([
        [first.seq, 'CHAT', 'first question'],
        [first.seq + 1, 'CHAT', 'second question'],
        [first.seq + 2, 'READ', ''],
      ]);
      // Read up to the first question: the second was not in the CEC when the agent read.
      expect(msgs.at(-1).data).toEqual({ readSeq: first.seq });
    });

    /**
     * A send whose outcome is unknown (its request dropped), then two retries of it at once, one
     * per instance. The history lookup of the retry that took the resolution waits until
     * instance 1's retry has read the outcome as unknown and the other retry waits for the
     * resolution's lease, so both are resolving at the same time. `before` runs between the lost
     * send and the retries. Resolves both answers, how many history lookups were made and what
     * the retries did with the resolution lease.
     */
    async function twoRetriesAtOnce(content: string, clientMessageId: string, o: { now?: () => number; before?: (cec: FakeCec) => void } = {}) {
      let secondSawUnknown = false;
      const leases: LeaseUse = { acquires: 0, waits: [], waiting: 0 };
      const g = gate(() => secondSawUnknown && leases.waiting > 0);
      const t = await setup({
        now: o.now,
        wrap: (store, i) => {
          const counted = observeLeases(store, leases, () => g.check());
          return i === 1
            ? observeClaims(counted, (claim) => {
                if (!claim.claimed && claim.record.state === 'unknown') secondSawUnknown = true;
                g.check();
              })
            : counted;
        },
      });
      const { cec, instances, start, send } = t;
      const token = await start();
      await send(instances[0], token, 'CONNECT');
      cec.fail('send', 'drop-request');
      expect((await send(instances[0], token, 'CHAT', content, clientMessageId)).body.errorCode).toBe('send.outcomeUnknown');
      o.before?.(cec);
      const fetchHistory = cec.fetch;
      cec.fetch = async (input, init) => {
        if (String(input).endsWith('/queryHistoryChatMessage')) await g.opened;
        return fetchHistory(input, init);
      };
      leases.acquires = 0;
      const [a, b] = await Promise.all([send(instances[0], token, 'CHAT', content, clientMessageId), send(instances[1], token, 'CHAT', content, clientMessageId)]);
      expect(secondSawUnknown).toBe(true);
      // One retry took the lease, the other asked for it once and then waited to be woken by its
      // release (not by a timeout; it used to ask again every 25 ms while the first worked).
      expect(leases.acquires).toBe(2);
      expect(leases.waits).toEqual([true]);
      return { ...t, token, a, b, historyLookups: cec.routes('queryHistoryChatMessage').length, sent: () => cec.sent.filter((x) => x.content === content).length };
    }

    it('two retries resolving the same unknown send at once (one per instance): the history is asked once, the message sent once, both get its answer', async () => {
      let now = 1_800_000_000_000;
      const { token, a, b, historyLookups, sent, messages } = await twoRetriesAtOnce('lost on the way', 'cm-1', {
        now: () => now,
        before: () => void (now += 5000), // past unknownSendGraceMs: a history without it proves it absent
      });
      expect(historyLookups).toBe(1);
      expect(sent()).toBe(1);
      expect(a.body).toMatchObject({ resultCode: '0', seq: expect.any(Number) });
      expect(b.body).toEqual(a.body);
      expect((await messages(token)).filter((m) => m.clientMessageId === 'cm-1')).toHaveLength(1);
    });

    it("a retry that waited for another's resolution gives its answer: both say the CEC did not confirm it; asked again, it is sent once", async () => {
      const { token, a, b, historyLookups, sent, messages, send, instances } = await twoRetriesAtOnce('did it arrive?', 'cm-2', {
        before: (cec) => cec.history.push({ note: 'an element of another shape: the history cannot tell' }),
      });
      expect(historyLookups).toBe(1);
      expect([a.status, a.body.errorCode]).toEqual([409, 'send.outcomeUnknown']);
      expect(b).toEqual(a);
      expect(sent()).toBe(0);
      // The customer presses Retry: now it is sent, once.
      const again = await send(instances[1], token, 'CHAT', 'did it arrive?', 'cm-2');
      expect(again.body).toMatchObject({ resultCode: '0', seq: expect.any(Number) });
      expect(sent()).toBe(1);
      expect((await messages(token)).filter((m) => m.clientMessageId === 'cm-2')).toHaveLength(1);
    });

    /**
     * Instance 0 resolves an unknown send (its CEC history lookup held until `letGo`) while
     * instance 1's retry of the same message waits on the resolution lease (`second`, on a
     * browser request that `browser` can abort).
     */
    async function retryWaitingOnResolution(text: string, id: string) {
      let now = 1_800_000_000_000;
      const leases: LeaseUse = { acquires: 0, waits: [], waiting: 0 };
      let lookups = 0;
      const looking = gate(() => lookups > 0);
      const waiting = gate(() => leases.waiting > 0);
      const t = await setup({ now: () => now, wrap: (store) => observeLeases(store, leases, () => waiting.check()) });
      const { cec, instances, start, send } = t;
      const token = await start();
      await send(instances[0], token, 'CONNECT');
      cec.fail('send', 'drop-request');
      expect((await send(instances[0], token, 'CHAT', text, id)).body.errorCode).toBe('send.outcomeUnknown');
      now += 5000; // past unknownSendGraceMs
      let letGo: () => void = () => {};
      const held = new Promise<void>((r) => (letGo = r));
      const fetchHistory = cec.fetch;
      cec.fetch = async (input, init) => {
        if (String(input).endsWith('/queryHistoryChatMessage')) {
          lookups++;
          looking.check();
          await held;
        }
        return fetchHistory(input, init);
      };
      const first = send(instances[0], token, 'CHAT', text, id);
      await looking.opened;
      const browser = new AbortController();
      const second = send(instances[1], token, 'CHAT', text, id, browser.signal);
      await waiting.opened;
      expect(leases.waiting).toBe(1);
      return { t, token, leases, lookups: () => lookups, first, second, browser, letGo };
    }

    it.each([
      {
        name: 'answers connector.closing as soon as its instance closes',
        text: 'still there?',
        id: 'cm-3',
        code: 'connector.closing',
        end: (r: Awaited<ReturnType<typeof retryWaitingOnResolution>>) => r.t.instances[1].close(),
      },
      {
        name: 'stops waiting as soon as its browser request aborts',
        text: 'anyone?',
        id: 'cm-4',
        code: 'request.aborted',
        end: (r: Awaited<ReturnType<typeof retryWaitingOnResolution>>) => r.browser.abort(),
      },
    ])("a retry waiting for another's resolution $name; the first goes on", async ({ text, id, code, end }) => {
      const r = await retryWaitingOnResolution(text, id);
      await end(r);
      // Answered long before the lease's hold (resolveHoldMs, 12 s here) could end the wait: the
      // store's wait ended false, and instance 1 asks nothing more of the store or the CEC.
      const b = await r.second;
      expect([b.status, b.body.errorCode]).toEqual([503, code]);
      expect(r.leases.waits).toEqual([false]);
      expect(r.lookups()).toBe(1);
      r.letGo();
      expect((await r.first).body).toMatchObject({ resultCode: '0', seq: expect.any(Number) });
      expect(r.t.cec.sent.filter((x) => x.content === text)).toHaveLength(1);
      expect((await r.t.messages(r.token)).filter((m) => m.clientMessageId === id)).toHaveLength(1);
    });
  });
}
