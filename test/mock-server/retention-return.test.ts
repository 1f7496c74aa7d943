/**
 * A customer who comes back after the retention time of their last session, under the same
 * resume key: the retention rule lets go of the old session's messages but never of the stream
 * or the token under the session being begun — on the mock's own face and on the real-CEC face
 * (`/cec`). Also: a token issued after a session ended outlives that session's retention.
 */
import { getResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedTenant } from '../../mock-server/config/seed.js';
import { TenantStore } from '../../mock-server/config/store.js';
import { createHandlers } from '../../mock-server/handlers/index.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { ContactCenter } from '../../mock-server/runtime/contact-center.js';
import { ENDED_SESSION_RETENTION_MS } from '../../mock-server/runtime/session.js';
import { CecCustomer, startWire } from './cec/wire.js';

const T0 = Date.parse('2026-11-25T02:00:00Z'); // a Wednesday, 10:00 in Shanghai
const API = '/apiaccess/ccmessaging';

describe("the mock's own face", () => {
  let clock: Clock;
  let handlers: ReturnType<typeof createHandlers>;
  beforeEach(() => {
    clock = new Clock('manual', T0);
    const cc = new ContactCenter({ clock, wallClock: () => T0, store: new TenantStore(seedTenant) });
    handlers = createHandlers(cc, { servedBy: 'node' });
  });

  async function call(method: string, path: string, body?: unknown, token?: string) {
    const headers: Record<string, string> = {};
    if (token) headers['ccmessaging-token'] = token;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = (await getResponse(handlers, new Request(`http://mock.test${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })))!;
    return { status: res.status, body: await res.json() };
  }
  let n = 0;
  const send = (token: string, controlType: string, content = '') => call('POST', `${API}/send`, { controlType, content, clientMessageId: `c-${++n}` }, token);

  async function endedSession(userId: string) {
    const a = await call('POST', `${API}/applyToken`, { channelId: 'demo', userId });
    expect((await send(a.body.token, 'CONNECT')).status).toBe(200);
    expect((await send(a.body.token, 'CHAT', 'old words')).status).toBe(200);
    expect((await send(a.body.token, 'DISCONNECT')).status).toBe(200);
    return a.body as { token: string; resumeKey: string };
  }

  it('back after the retention time with the same resume key: CONNECT keeps the new token and the new session is polled', async () => {
    const first = await endedSession('back-1');
    clock.advance(ENDED_SESSION_RETENTION_MS + 60_000);
    const again = await call('POST', `${API}/applyToken`, { channelId: 'demo', userId: 'back-1', resumeKey: first.resumeKey });
    expect(again.status).toBe(200);
    const token = again.body.token as string;
    expect((await send(token, 'CONNECT')).status).toBe(200);
    const poll = await call('GET', `${API}/poll?receiverId=back-1&cursor=0`, undefined, token);
    expect(poll.status, JSON.stringify(poll.body)).toBe(200);
    const contents = poll.body.downlinkMessages.map((m: { content: string }) => m.content);
    expect(contents.length).toBeGreaterThan(0); // the new session's greeting
    expect(contents).not.toContain('old words'); // the old session's messages went with it
    expect((await send(token, 'CHAT', 'new words')).status).toBe(200);
    const later = await call('GET', `${API}/poll?receiverId=back-1&cursor=${poll.body.cursor}`, undefined, token);
    expect(later.body.downlinkMessages.map((m: { content: string }) => m.content)).toContain('new words');
  });

  it("a token issued after a session ended survives that session's retention (another customer's CONNECT prunes in between)", async () => {
    const first = await endedSession('back-2');
    clock.advance(ENDED_SESSION_RETENTION_MS - 60_000);
    const again = await call('POST', `${API}/applyToken`, { channelId: 'demo', userId: 'back-2', resumeKey: first.resumeKey });
    clock.advance(120_000);
    const other = await call('POST', `${API}/applyToken`, { channelId: 'demo', userId: 'someone-else' });
    expect((await send(other.body.token, 'CONNECT')).status).toBe(200); // prunes back-2's old session
    expect((await send(first.token, 'CONNECT')).status).toBe(401); // the old token went with its conversation
    expect((await send(again.body.token, 'CONNECT')).status).toBe(200);
    const poll = await call('GET', `${API}/poll?receiverId=back-2&cursor=0`, undefined, again.body.token);
    expect(poll.status).toBe(200);
    expect(poll.body.downlinkMessages.map((m: { content: string }) => m.content)).not.toContain('old words');
  });
});

describe('the real-CEC face (/cec)', () => {
  it('back after the retention time: the new session after CONNECT reaches the poll', { timeout: 15_000 }, async () => {
    const wire = startWire();
    try {
      const c = await new CecCustomer(wire, 'cec-back').start();
      await c.send('CHAT', 'old words');
      await c.send('DISCONNECT');
      await c.poll();
      expect(wire.cc.allSessions().filter((s) => s.stream.userId === 'cec-back')).toHaveLength(1);
      wire.clock.advance(ENDED_SESSION_RETENTION_MS + 60_000);
      await c.start(false); // a new ccmessaging-token for the same customer
      expect((await c.send('CONNECT')).body.resultCode).toBe('0');
      const greeting = await c.poll(); // the new session's chatbot greeting, on the customer's stream
      expect(greeting.length).toBeGreaterThan(0);
      expect(greeting.map((m) => m.content)).not.toContain('old words');
      expect((await c.send('CHAT', 'refund please')).body.resultCode).toBe('0');
      const got = await c.poll();
      expect(got.map((m) => m.content)).toContain('Refunds are paid to the original card within 5 working days.');
      // One session in progress: the CONNECT's, not an orphan beside one the CHAT had to begin.
      const open = wire.cc.allSessions().filter((s) => s.stream.userId === 'cec-back' && s.phase !== 'ended');
      expect(open).toHaveLength(1);
    } finally {
      wire.close();
    }
  });
});
