/**
 * The README's "Use the mock in your own tests" example, as a test: an integrator's Vitest suite
 * puts the contact center behind msw/node, a customer chats, asks for an agent, and the agent
 * answers — in a few lines, through the public `cec-web-chat/mock` entry.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createMockContactCenter } from '../../mock-server/mock-contact-center.js';

// A Tuesday at 10:00 in Shanghai: inside the seeded channel's work time.
const cc = createMockContactCenter({ startAt: Date.parse('2026-11-24T02:00:00Z') });
const server = setupServer(...cc.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => cc.reset());
afterAll(() => server.close());

const API = 'https://shop.example/apiaccess/ccmessaging';
async function post(path: string, body: unknown, token?: string) {
  const res = await fetch(`${API}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { 'ccmessaging-token': token } : {}) },
    body: JSON.stringify(body),
  });
  return res.json();
}
let n = 0;
/** A customer's message as the widget sends it (channel-api.md, send). */
async function send(token: string, userId: string, controlType: string, content = '') {
  const body = { channel: 'WEB', controlType, mediaType: 'TEXT', content, from: userId, to: 'demo', sourceType: 'CUSTOMER', timestamp: cc.clock.now(), clientMessageId: `m${++n}` };
  const res = await post('/send', body, token);
  expect(res.errorCode).toBeUndefined();
  return res;
}
async function poll(token: string, userId: string, cursor: number) {
  const res = await fetch(`${API}/poll?receiverId=${userId}&channel=WEB&cursor=${cursor}&wait=0`, { headers: { 'ccmessaging-token': token } });
  return res.json() as Promise<{ downlinkMessages: { sourceType: string; content: string; event?: string }[]; cursor: number }>;
}

it('a customer chats, asks for an agent, and the agent answers', async () => {
  cc.agents.signIn('alice'); // on duty before the customer asks, or the queue releases them
  const { token } = await post('/applyToken', { channelId: 'demo', userId: 'li-lei', userName: 'Li Lei', locale: 'en' });
  await send(token, 'li-lei', 'CONNECT');
  await send(token, 'li-lei', 'CHAT', 'I want an agent');

  cc.agents.accept('alice');
  cc.agents.send('alice', 'Hello, I am Alice.');

  const { downlinkMessages } = await poll(token, 'li-lei', 0);
  expect(downlinkMessages.map((m) => m.event ?? m.content)).toContain('Hello, I am Alice.');
  expect(cc.agents.snapshot('alice').status).toBe('busy');
});

it('moves time: an unanswered customer gets the idle warning and then the end of the chat', async () => {
  cc.agents.signIn('alice');
  const { token } = await post('/applyToken', { channelId: 'demo', userId: 'han-mei', locale: 'en' });
  await send(token, 'han-mei', 'CONNECT');
  await send(token, 'han-mei', 'CHAT', 'I want an agent');
  cc.agents.accept('alice');
  cc.clock.advance(30 * 60_000); // the seeded idle rule: a warning, then the end
  const events = (await poll(token, 'han-mei', 0)).downlinkMessages.map((m) => m.event);
  expect(events).toContain('idle.warning');
  expect(events).toContain('session.ended');
});

it('injects faults on one route', async () => {
  cc.faults.set({ errorRate: 1 }, 'applyToken');
  const res = await fetch(`${API}/applyToken`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channelId: 'demo', userId: 'x' }) });
  expect(res.status).toBeGreaterThanOrEqual(500);
});
