/**
 * What the Redis store adds beyond the shared contract: appends that can be retried, long polls
 * that hold no Redis connection, an outage (Redis stopped and started, or one instance cut off)
 * that loses nothing and wakes every waiter (long polls and lease waits), and a lease taken over
 * when its owner is SIGKILLed.
 * All on a real redis-server.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StoreUnavailableError, type RedisStore } from '../../../widget/server/connector/redis-store.js';
import { message } from '../connector/store-contract.js';
import { freshPrefix, redisStore, useRedisServer } from './helpers.js';
import { startTcpProxy } from './tcp-proxy.js';

const server = useRedisServer({ persist: true });
const opened: RedisStore[] = [];
const open = (url = server().url, keyPrefix = freshPrefix(), unavailableAfterMs = 300) => {
  const s = redisStore(url, { keyPrefix, unavailableAfterMs });
  opened.push(s);
  return s;
};
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

describe('RedisStore', () => {
  it('append is idempotent on messageId: a retry after a lost reply stores nothing twice', async () => {
    const store = open();
    const a = message('a');
    const b = message('b');
    expect((await store.append('log', [a])).map((m) => m.seq)).toEqual([1]);
    const retried = await store.append('log', [a, b]);
    expect(retried.map((m) => [m.content, m.seq])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect((await store.read('log', 0, 10)).map((m) => m.content)).toEqual(['a', 'b']);
  });

  it('expireLog retains the messageId index with the log; other prefixes are untouched', async () => {
    const prefix = freshPrefix();
    const store = open(server().url, prefix);
    const other = open(server().url);
    await store.append('log', [message('a')]);
    await other.append('log', [message('x'), message('y')]);
    await store.expireLog('log', 60_000);
    const raw = new Redis(server().url);
    try {
      const [logTtl, idsTtl, otherTtl] = await Promise.all([raw.pttl(`${prefix}l:log`), raw.pttl(`${prefix}lm:log`), raw.pttl(`${(other as unknown as { prefix: string }).prefix}l:log`)]);
      expect(logTtl).toBeGreaterThan(50_000);
      expect(idsTtl).toBeGreaterThan(50_000);
      expect(otherTtl).toBe(-1);
      expect(await other.lastSeq('log')).toBe(2);
    } finally {
      raw.disconnect();
    }
  });

  it("300 long polls on one instance hold no Redis connection and all wake on another instance's append", async () => {
    const prefix = freshPrefix();
    const a = open(server().url, prefix);
    const b = open(server().url, prefix);
    await a.lastSeq('warm-up');
    const waits = Array.from({ length: 300 }, (_, i) => a.waitForMessages(`log${i}`, 0, 60_000));
    const raw = new Redis(server().url);
    try {
      const clients = (await raw.client('LIST')) as string;
      expect(clients.split('\n').filter((l) => l.includes('name=cec-connector')).length).toBe(4); // 2 per store
    } finally {
      raw.disconnect();
    }
    await Promise.all(Array.from({ length: 300 }, (_, i) => b.append(`log${i}`, [message(`m${i}`)])));
    expect(await Promise.all(waits)).toEqual(Array(300).fill(true));
  });

  it('Redis stopped: calls fail fast with StoreUnavailableError; started again: nothing lost, seqs go on, waiters wake', async () => {
    const prefix = freshPrefix();
    const a = open(server().url, prefix);
    const b = open(server().url, prefix);
    await a.append('chat', [message('before-1'), message('before-2')]);
    await a.putCustomer('cust', { state: 'chatting' }, 0);
    const waiting = a.waitForMessages('chat', 2, 60_000);

    await server().stop();
    const t0 = Date.now();
    await expect(b.append('chat', [message('during')])).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(a.read('chat', 0, 10)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', retryAfterSeconds: 1 });
    expect(Date.now() - t0).toBeLessThan(5000);

    await server().start();
    // The scripts are gone from Redis's cache after a restart: ioredis sends them again.
    const kept = message('after');
    await vi.waitFor(() => b.append('chat', [kept]), { timeout: 10_000, interval: 50 });
    expect(await waiting).toBe(true);
    expect((await a.read('chat', 0, 10)).map((m) => [m.seq, m.content])).toEqual([
      [1, 'before-1'],
      [2, 'before-2'],
      [3, 'after'],
    ]);
    expect(await a.getCustomer('cust')).toEqual({ value: { state: 'chatting' }, version: 1 });
  });

  it('one instance cut off from Redis: its waiter wakes after reconnecting for an append made meanwhile', async () => {
    const prefix = freshPrefix();
    const proxy = await startTcpProxy(server().port);
    try {
      const a = open(proxy.url, prefix);
      const b = open(server().url, prefix);
      await a.append('chat', [message('one')]);
      await a.waitForMessages('chat', 1, 0); // both of A's connections are up
      const waiting = a.waitForMessages('chat', 1, 60_000);
      await vi.waitFor(async () => expect(await b.lastSeq('chat')).toBe(1));
      proxy.cut();
      await expect(a.lastSeq('chat')).rejects.toBeInstanceOf(StoreUnavailableError);
      await b.append('chat', [message('two')]); // published while A hears nothing
      let woke = false;
      void waiting.then(() => (woke = true));
      await new Promise((r) => setTimeout(r, 100));
      expect(woke).toBe(false);
      proxy.restore();
      expect(await waiting).toBe(true);
      expect((await a.read('chat', 1, 10)).map((m) => m.content)).toEqual(['two']);
    } finally {
      await proxy.close();
    }
  });

  it('one instance cut off from Redis while the lease it waits for is released: it wakes after reconnecting', async () => {
    const prefix = freshPrefix();
    const proxy = await startTcpProxy(server().port);
    try {
      const a = open(proxy.url, prefix);
      const b = open(server().url, prefix);
      expect(await b.acquireLease('resolve', 'B', 60_000)).toBe(true);
      expect(await a.waitForLeaseRelease('free', 60_000)).toBe(true); // both of A's connections are up
      const waiting = a.waitForLeaseRelease('resolve', 60_000);
      await a.getToken('t'); // two calls on A's command connection: its look at the lease is answered by now
      await a.getToken('t');
      proxy.cut();
      await expect(a.getToken('t')).rejects.toBeInstanceOf(StoreUnavailableError);
      await b.releaseLease('resolve', 'B'); // published while A hears nothing
      proxy.restore();
      // Neither the lease's TTL nor the wait's timeout (a minute) can answer this: A looked again.
      expect(await waiting).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  /**
   * A's two connections come back one at a time after a cut: the subscriber first (its look,
   * made once it is subscribed again, fails: commands cannot run yet), the command connection
   * later. What was published meanwhile must still reach the waiter: it looks again when either
   * connection comes back. Before, a long poll looked again only when the subscriber did, and so
   * slept until its timeout here.
   */
  it.each([
    {
      kind: 'long poll',
      start: async (a: RedisStore) => {
        await a.append('chat', [message('one')]);
        return () => a.waitForMessages('chat', 1, 60_000);
      },
      publish: (b: RedisStore) => b.append('chat', [message('two')]).then(() => {}),
      after: async (a: RedisStore) => expect((await a.read('chat', 1, 10)).map((m) => m.content)).toEqual(['two']),
    },
    {
      kind: 'lease wait',
      start: async (a: RedisStore, b: RedisStore) => {
        expect(await b.acquireLease('resolve', 'B', 60_000)).toBe(true);
        return () => a.waitForLeaseRelease('resolve', 60_000);
      },
      publish: (b: RedisStore) => b.releaseLease('resolve', 'B'),
      after: async (a: RedisStore) => expect(await a.acquireLease('resolve', 'A', 60_000)).toBe(true),
    },
  ])(
    'the subscriber comes back before the command connection: a $kind wakes for what was published in the outage',
    async ({ start, publish, after }) => {
      const prefix = freshPrefix();
      const proxy = await startTcpProxy(server().port);
      const raw = new Redis(server().url);
      /** How many connections are subscribed to the store's `news` channel (A's and B's when both are up). */
      const subscribers = async () => ((await raw.pubsub('NUMSUB', `${prefix}news`)) as [string, number])[1];
      try {
        const a = open(proxy.url, prefix);
        const b = open(server().url, prefix);
        const wait = await start(a, b);
        expect(await a.waitForLeaseRelease('free', 60_000)).toBe(true); // both of A's connections are up
        let woke: boolean | undefined;
        void wait().then((v) => (woke = v));
        await a.getToken('t'); // two calls on A's command connection: the wait's look is answered by now
        await a.getToken('t');
        await vi.waitFor(async () => expect(await subscribers()).toBe(2), { timeout: 10_000 }); // B's subscriber too

        proxy.cut();
        await expect(a.getToken('t')).rejects.toBeInstanceOf(StoreUnavailableError);
        await vi.waitFor(async () => expect(await subscribers()).toBe(1), { timeout: 10_000 });
        await publish(b); // A hears nothing of it
        proxy.restore();
        proxy.cut('cec-connector'); // only A's subscriber gets back
        await vi.waitFor(async () => expect(await subscribers()).toBe(2), { timeout: 10_000 });
        // A's subscriber is subscribed again and its look has failed: each call below fails only
        // after waiting as long as that look did, and the second starts after A had the reply.
        await expect(a.getToken('t')).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(a.getToken('t')).rejects.toBeInstanceOf(StoreUnavailableError);
        expect(woke).toBeUndefined();

        proxy.restore('cec-connector');
        // Neither the wait's timeout (a minute) nor anything published since can answer this: A looked again.
        await vi.waitFor(() => expect(woke).toBe(true), { timeout: 10_000 });
        await after(a);
      } finally {
        raw.disconnect();
        await proxy.close();
      }
    },
    30_000,
  );

  it('the owner of a lease is SIGKILLed: another instance takes it over within the lease time', async () => {
    const prefix = freshPrefix();
    const ttlMs = 1000;
    const holder = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./lease-holder.ts', import.meta.url)), server().url, prefix, 'poll:cust', 'instance-A', String(ttlMs)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.setEncoding('utf8').on('data', (d: string) => d.includes('held') && resolve());
        holder.once('exit', (code) => reject(new Error(`lease holder exited (${code})`)));
      });
      const b = open(server().url, prefix);
      // Held and renewed: B cannot take it, even after more than a lease time.
      const until = Date.now() + ttlMs * 1.2;
      while (Date.now() < until) {
        expect(await b.acquireLease('poll:cust', 'instance-B', ttlMs)).toBe(false);
        await new Promise((r) => setTimeout(r, 100));
      }
      holder.kill('SIGKILL');
      await new Promise((r) => holder.once('exit', r));
      const killedAt = Date.now();
      await vi.waitFor(async () => expect(await b.acquireLease('poll:cust', 'instance-B', ttlMs)).toBe(true), { timeout: ttlMs * 3, interval: 20 });
      // The lease lapses at most ttlMs after the last renewal, which came before the kill; the rest is
      // this polling loop's own scheduling on a busy machine.
      expect(Date.now() - killedAt).toBeLessThanOrEqual(ttlMs + 500);
    } finally {
      holder.kill('SIGKILL');
    }
  }, 20_000);
});
