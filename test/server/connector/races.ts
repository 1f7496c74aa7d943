/**
 * Two races of the connector, run over any store with TWO connector instances sharing it (memory:
 * one MemoryStore; Redis: two RedisStores on one server). Not a test file itself: call
 * `describeConnectorRaces` from one.
 *
 * - An agent's READ taken by the upstream poll while the customer's own message still holds its
 *   place reports only what the customer can read (the last settled seq), never the held one.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConnector, type ConnectorHandler } from '../../../widget/server/connector/connector.js';
import type { ConnectorStore } from '../../../widget/server/connector/store.js';
import { APP_KEY, APP_SECRET, CHANNEL_CONFIG, FakeCec } from './fake-cec.js';

const API = 'http://connector.test/apiaccess/ccmessaging';

/** Two store objects over one backend (two connector instances) and how to close them. */
export interface SharedStore {
  stores: [ConnectorStore, ConnectorStore];
  close(): Promise<void>;
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
      const call = async (c: ConnectorHandler, method: string, path: string, token?: string, body?: unknown) => {
        const res = await c(
          new Request(API + path, {
            method,
            headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { 'ccmessaging-token': token } : {}) },
            body: body === undefined ? undefined : JSON.stringify(body),
          }),
        );
        return { status: res.status, body: (await res.json()) as Record<string, any> };
      };
      const start = async () => (await call(instances[0], 'POST', '/applyToken', undefined, { channelId: 'demo', userId: 'u1', userName: 'Wang', locale: 'en' })).body.token as string;
      const send = (c: ConnectorHandler, token: string, controlType: string, content = '', clientMessageId: string = crypto.randomUUID()) =>
        call(c, 'POST', '/send', token, { channel: 'WEB', controlType, mediaType: 'TEXT', content, clientMessageId });
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
  });
}
