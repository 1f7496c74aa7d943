/**
 * Paged history on the mock (issue 18, contract (ext) `limit` / `beforeSeq`): the last `limit`
 * messages before `beforeSeq`, oldest first, with `hasMore`, `earlierCount` and the page's
 * `context`; `limit` and `beforeSeq` validated; one session's history never shows another's.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { HistoryResponse } from '../../widget/core/protocol.js';
import { chatWithAgent, contractCustomer, mockHarness, type MockHarness } from './harness.js';

let h: MockHarness;
beforeEach(() => {
  h = mockHarness();
});

/** A customer whose `history` answers 200 with the page; `raw` answers as it is (errors). */
async function customer(userId: string) {
  const c = await contractCustomer(h, userId);
  const history = async (body: Record<string, unknown> = {}) => {
    const res = await c.history(body);
    expect(res.status).toBe(200);
    return res.body as HistoryResponse;
  };
  return { send: c.send, raw: c.history, history };
}

/** A customer in a chat with alice, who wrote `count` messages after the customer's "hi". */
async function chat(userId: string, count: number) {
  const { cc } = h;
  try {
    cc.desk.end('alice'); // an earlier chat of the test
  } catch {
    /* none */
  }
  cc.clock.advance(600_000); // the agent's wrap-up
  const c = await customer(userId);
  await chatWithAgent(h, c);
  await c.send('CHAT', 'hi');
  cc.desk.typing('alice', true);
  for (let i = 0; i < count; i++) cc.desk.send('alice', `Message ${i}`);
  return c;
}

const seqs = (r: HistoryResponse) => r.messages.map((m) => m.seq);
const texts = (r: HistoryResponse) => r.messages.map((m) => m.content);

describe('queryHistoryChatMessage pages (ext)', () => {
  it('without limit answers the whole session as before; with one, the newest page and what is left', async () => {
    const c = await chat('pages-1', 30);
    const all = await c.history();
    expect(all.hasMore).toBe(false);
    expect(all.context).toBeUndefined();
    expect(all.messages.every((m) => m.controlType !== 'INPUT' && m.controlType !== 'READ')).toBe(true);
    const page = await c.history({ limit: 10 });
    expect(page.messages).toEqual(all.messages.slice(-10));
    expect(texts(page).at(-1)).toBe('Message 29');
    expect(page).toMatchObject({ hasMore: true, earlierCount: all.messages.length - 10, cursor: all.cursor });
    // Oldest first, consecutive in the history.
    expect(seqs(page)).toEqual([...seqs(page)].sort((a, b) => a - b));
    // The page before it ends where this one starts, and so on down to the first message.
    const pages: HistoryResponse[] = [page];
    while (pages[0]!.hasMore) pages.unshift(await c.history({ limit: 10, beforeSeq: pages[0]!.messages[0]!.seq }));
    expect(pages.flatMap((p) => p.messages)).toEqual(all.messages);
    expect(pages[0]).toMatchObject({ hasMore: false, earlierCount: 0 });
    expect(pages[0]!.context).toBeUndefined();
  });

  it("a page's context carries what sets the session's state before it: the agent joining, the customer's last words", async () => {
    const c = await chat('pages-context', 20);
    const page = await c.history({ limit: 5 });
    const ctx = page.context ?? [];
    expect(ctx.map((m) => m.event ?? m.sourceType)).toEqual(expect.arrayContaining(['agent.joined', 'CUSTOMER']));
    expect(ctx.every((m) => m.seq < page.messages[0]!.seq)).toBe(true);
    expect(seqs({ ...page, messages: ctx })).toEqual([...ctx.map((m) => m.seq)].sort((a, b) => a - b));
    // One of each kind only: the latest before the page.
    expect(new Set(ctx.map((m) => m.event ?? m.sourceType)).size).toBe(ctx.length);
  });

  it('edges: empty history, exactly one page, beforeSeq of the first message, a beforeSeq past the end', async () => {
    const fresh = await customer('pages-empty');
    expect(await fresh.history({ limit: 50 })).toMatchObject({ messages: [], hasMore: false, earlierCount: 0 });

    const c = await chat('pages-exact', 3);
    const all = await c.history();
    const exact = await c.history({ limit: all.messages.length });
    expect(exact.messages).toEqual(all.messages);
    expect(exact.hasMore).toBe(false);
    expect(exact.context).toBeUndefined();

    const first = all.messages[0]!.seq;
    expect(await c.history({ limit: 10, beforeSeq: first })).toMatchObject({ messages: [], hasMore: false, earlierCount: 0 });
    expect((await c.history({ limit: 200, beforeSeq: all.cursor + 1000 })).messages).toEqual(all.messages);
    // beforeSeq without limit: everything before it.
    expect((await c.history({ beforeSeq: all.messages[2]!.seq })).messages).toEqual(all.messages.slice(0, 2));
  });

  it('limit and beforeSeq are validated: a 400 naming the field', async () => {
    const c = await customer('pages-bad');
    for (const [body, field] of [
      [{ limit: 0 }, 'limit'],
      [{ limit: 201 }, 'limit'],
      [{ limit: 1.5 }, 'limit'],
      [{ limit: '10' }, 'limit'],
      [{ limit: 10, beforeSeq: 0 }, 'beforeSeq'],
      [{ beforeSeq: 'x' }, 'beforeSeq'],
    ] as const) {
      const res = await c.raw(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.field).toBe(field);
    }
    expect((await c.raw({ limit: 1 })).status).toBe(200);
    expect((await c.raw({ limit: 200 })).status).toBe(200);
  });

  it("never shows another customer's or an earlier session's messages", async () => {
    const a = await chat('pages-a', 12);
    const b = await chat('pages-b', 7);
    const pageA = await a.history({ limit: 200 });
    const pageB = await b.history({ limit: 200 });
    expect(pageA.messages.every((m) => m.to === 'pages-a' || m.from === 'pages-a')).toBe(true);
    expect(pageB.messages.every((m) => m.to === 'pages-b' || m.from === 'pages-b')).toBe(true);
    expect(texts(pageB).filter((t) => t.startsWith('Message')).length).toBe(7);
    // A new session after the end: its history starts empty of the old one's messages.
    h.cc.desk.end('alice');
    h.cc.clock.advance(600_000);
    await a.send('CONNECT');
    const next = await a.history({ limit: 200 });
    expect(texts(next).some((t) => t.startsWith('Message'))).toBe(false);
    expect(new Set(next.messages.map((m) => m.sessionId)).size).toBe(1);
    const paged = await a.history({ limit: 1 });
    expect(paged.messages[0]!.sessionId).toBe(next.messages[0]!.sessionId);
    for (const m of paged.context ?? []) expect(m.sessionId).toBe(paged.messages[0]!.sessionId);
  });
});
