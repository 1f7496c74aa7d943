/**
 * Paged history from the connector's log (issue 18, contract (ext) `limit` / `beforeSeq`): the
 * newest page with what sets the session's state before it, earlier pages back to the start,
 * every message once; the fields validated. (The store's range read is in the store contract.)
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createConnector, type ConnectorHandler } from '../../../widget/server/connector/connector.js';
import type { ConnectorConfigInput } from '../../../widget/server/connector/config.js';
import { MemoryStore } from '../../../widget/server/connector/memory-store.js';
import { APP_KEY, APP_SECRET, BASE, FakeCec } from './fake-cec.js';

const API = 'http://connector.test/apiaccess/ccmessaging';
const CONFIG: ConnectorConfigInput = {
  upstream: { baseUrl: BASE, timeoutMs: 2000, pollTimeoutMs: 2000, pollIdleMs: 0, attempts: 3, unknownSendGraceMs: 5000 },
  channels: [{ channelId: 'demo', toArtificialKeyWord: ['agent'], chatbot: { name: 'Ava', transferPrompt: 'Connecting you to an agent now…', timeoutReply: 'Closed.' } }],
};

let connector: ConnectorHandler | null = null;
afterEach(async () => {
  await connector?.close();
  connector = null;
});

function setup(store?: MemoryStore) {
  const cec = new FakeCec();
  const c = (connector = createConnector(CONFIG, { env: { CEC_APP_KEY: APP_KEY, CEC_APP_SECRET: APP_SECRET }, fetch: cec.fetch, log: () => {}, random: () => 0, sweepMs: 0, store }));
  const call = async (method: string, path: string, o: { token?: string; body?: unknown } = {}) => {
    const res = await c(
      new Request(API + path, {
        method,
        headers: { ...(o.body ? { 'content-type': 'application/json' } : {}), ...(o.token ? { 'ccmessaging-token': o.token } : {}) },
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
      }),
    );
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  return { cec, call };
}

const agent = (content: string, extra: Record<string, unknown> = {}) => ({ sourceType: 'AGENT', controlType: 'CHAT', mediaType: 'TEXT', content, senderNickname: 'Alice', timestamp: 2, ...extra });

describe('connector: paged history', () => {
  it('the newest page with its context, then earlier pages back to the start: the whole history, once', async () => {
    const { cec, call } = setup();
    const { token } = (await call('POST', '/applyToken', { body: { channelId: 'demo', userId: 'u1', locale: 'en' } })).body;
    await call('POST', '/send', { token, body: { channel: 'WEB', controlType: 'CONNECT', mediaType: 'TEXT', content: '', clientMessageId: 'c0' } });
    await call('POST', '/send', { token, body: { channel: 'WEB', controlType: 'CHAT', mediaType: 'TEXT', content: 'hello', clientMessageId: 'c1' } });
    cec.push('u1', { sourceType: 'SYSTEM', controlType: 'CHAT', mediaType: 'TEXT', content: '已接通座席。', senderNickname: '系统', timestamp: 3 });
    for (let i = 0; i < 40; i++) cec.push('u1', agent(`Message ${i}`));
    const history = (body: Record<string, unknown>) => call('POST', '/queryHistoryChatMessage', { token, body });
    let all: any;
    await vi.waitFor(
      async () => {
        all = (await history({})).body;
        expect(all.messages.filter((m: any) => m.content.startsWith('Message '))).toHaveLength(40);
      },
      { timeout: 5000, interval: 5 },
    );
    expect(all.hasMore).toBeUndefined(); // without limit: the whole history, as before

    const newest = (await history({ limit: 10 })).body;
    expect(newest.messages).toEqual(all.messages.slice(-10));
    expect(newest).toMatchObject({ hasMore: true, cursor: all.cursor });
    expect(newest.context.length).toBeGreaterThan(0);
    expect(newest.context.every((m: any) => m.seq < newest.messages[0].seq)).toBe(true);
    expect(newest.context.some((m: any) => m.sourceType === 'CUSTOMER' && m.content === 'hello')).toBe(true);
    expect(newest.context.some((m: any) => m.event === 'agent.joined')).toBe(true);

    const pages: any[] = [newest];
    while (pages[0].hasMore) {
      const before = (await history({ limit: 10, beforeSeq: pages[0].messages[0].seq })).body;
      expect(before.context).toBeUndefined();
      pages.unshift(before);
    }
    expect(pages.flatMap((p) => p.messages)).toEqual(all.messages);
    expect((await history({ limit: 10, beforeSeq: all.messages[0].seq })).body).toMatchObject({ messages: [], hasMore: false });
  });

  it('limit and beforeSeq are validated, naming the field', async () => {
    const { call } = setup();
    const { token } = (await call('POST', '/applyToken', { body: { channelId: 'demo', userId: 'u2', locale: 'en' } })).body;
    for (const [body, field] of [
      [{ limit: 0 }, 'limit'],
      [{ limit: 201 }, 'limit'],
      [{ limit: '5' }, 'limit'],
      [{ limit: 5, beforeSeq: 0 }, 'beforeSeq'],
    ] as const) {
      const r = await call('POST', '/queryHistoryChatMessage', { token, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.field).toBe(field);
    }
    expect((await call('POST', '/queryHistoryChatMessage', { token, body: { limit: 200 } })).body).toMatchObject({ resultCode: '0', messages: [], hasMore: false });
  });

  it('a page costs the page, not the log: the newest page of a 6,000-message log and its context read a few ranges', async () => {
    const store = new MemoryStore();
    const { cec, call } = setup(store);
    const { token } = (await call('POST', '/applyToken', { body: { channelId: 'demo', userId: 'u3', locale: 'en' } })).body;
    await call('POST', '/send', { token, body: { channel: 'WEB', controlType: 'CONNECT', mediaType: 'TEXT', content: '', clientMessageId: 'c0' } });
    await call('POST', '/send', { token, body: { channel: 'WEB', controlType: 'CHAT', mediaType: 'TEXT', content: 'hello', clientMessageId: 'c1' } });
    for (let i = 0; i < 6000; i++) cec.push('u3', agent(`Message ${i}`));
    const history = (body: Record<string, unknown>) => call('POST', '/queryHistoryChatMessage', { token, body });
    await vi.waitFor(async () => expect((await history({ limit: 1 })).body.messages[0]?.content).toBe('Message 5999'), { timeout: 10_000, interval: 20 });
    const read = vi.spyOn(store, 'read');
    const reads = async () => {
      read.mockClear();
      const page = (await history({ limit: 150 })).body;
      await Promise.all(read.mock.results.map((r) => r.value));
      return { page, n: (await Promise.all(read.mock.results.map((r) => r.value as Promise<unknown[]>))).reduce((n, m) => n + m.length, 0) };
    };
    // The first call brings the store's index of state kinds up to date (once); later ones read the page.
    await reads();
    const { page, n } = await reads();
    expect(page.messages.map((m: any) => m.content)).toEqual(Array.from({ length: 150 }, (_, i) => `Message ${5850 + i}`));
    expect(page.context.some((m: any) => m.content === 'hello')).toBe(true);
    expect(n, 'messages read for one page').toBeLessThanOrEqual(2 * 500 + 20);
  });
});
