/**
 * The agent API's `send {contents: [...]}`: many lines in one request (the demo's Long chat
 * preset), each line checked as `content` is, all or none, stored in order with consecutive
 * seqs, and a customer's long poll woken once with every line. Through the MSW handlers on a
 * manual clock.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { AGENT_SEND_MAX_LINES } from '../../mock-server/handlers/agents.js';
import type { Clock } from '../../mock-server/runtime/clock.js';
import type { ContactCenter } from '../../mock-server/runtime/contact-center.js';
import { chatWithAgent, contractCustomer, mockHarness, T0, type ContractCustomer, type MockHarness } from './harness.js';

const USER = 'lines-1';

let clock: Clock;
let cc: ContactCenter;
let call: MockHarness['call'];
let customer: ContractCustomer;

beforeEach(async () => {
  const h = mockHarness();
  ({ clock, cc, call } = h);
  customer = await contractCustomer(h, USER);
  await chatWithAgent(h, customer);
});

/** The agent's CHAT lines stored on the customer's stream, oldest first. */
const agentLines = () => cc.findStream('demo', USER)!.messages.filter((m) => m.sourceType === 'AGENT' && m.controlType === 'CHAT');

describe('agent send with contents (many lines in one request)', () => {
  it('stores every line in order with consecutive seqs and answers the agent snapshot', async () => {
    const lines = Array.from({ length: 600 }, (_, i) => `Line ${i + 1} of 600`);
    const res = await call('POST', '/mock/agents/alice/send', { contents: lines });
    expect(res.status).toBe(200);
    expect(res.body.agent.session.messages.at(-1).content).toBe('Line 600 of 600');
    const stored = agentLines();
    expect(stored.map((m) => m.content)).toEqual(lines);
    const first = stored[0]!.seq;
    expect(stored.map((m) => m.seq)).toEqual(lines.map((_, i) => first + i));
    // One line as before, after them.
    expect((await call('POST', '/mock/agents/alice/send', { content: 'And one more.' })).status).toBe(200);
    expect(agentLines().at(-1)).toMatchObject({ content: 'And one more.', seq: first + 600 });
  });

  it("a customer's long poll is woken once, with every line of the request in its answer", async () => {
    const cursor = cc.findStream('demo', USER)!.lastSeq;
    const timers = clock.pendingTimers();
    const waiting = customer.poll(cursor, 20);
    // The poll waits (its 20 s timer is set on the mock clock) before the lines arrive.
    await expect.poll(() => clock.pendingTimers()).toBeGreaterThan(timers);
    const lines = Array.from({ length: 50 }, (_, i) => `Batch ${i}`);
    expect((await call('POST', '/mock/agents/alice/send', { contents: lines })).status).toBe(200);
    const answer = await waiting;
    expect(answer.status).toBe(200);
    const got = (answer.body.downlinkMessages as Array<{ sourceType: string; controlType: string; content: string }>).filter((m) => m.sourceType === 'AGENT' && m.controlType === 'CHAT');
    expect(got.map((m) => m.content)).toEqual(lines);
    // Woken by the lines, not by its timer: the clock never moved.
    expect(clock.now()).toBe(T0);
  });

  it('a broken line is a 400 naming contents[i]; nothing of the request is stored', async () => {
    const good = (n: number) => Array.from({ length: n }, (_, i) => `ok ${i}`);
    const cases: Array<[unknown, string, string]> = [
      [[...good(3), 42], 'contents[3]', 'agent.send.contents.invalid'],
      [[...good(7), null], 'contents[7]', 'agent.send.contents.missing'],
      [[...good(2), ''], 'contents[2]', 'agent.send.contents.missing'],
      [[...good(5), 'x'.repeat(1025)], 'contents[5]', 'agent.send.contents.invalid'],
      [[...good(4), '   '], 'contents[4]', 'agent.message.empty'],
      [[], 'contents', 'agent.send.contents.invalid'],
      [good(AGENT_SEND_MAX_LINES + 1), 'contents', 'agent.send.contents.invalid'],
      ['one line', 'contents', 'agent.send.contents.invalid'],
    ];
    for (const [contents, field, errorCode] of cases) {
      const res = await call('POST', '/mock/agents/alice/send', { contents });
      expect(res.status, field).toBe(400);
      expect(res.body, `${field} ${errorCode}`).toMatchObject({ field, errorCode });
      expect(res.body.exceptionInfo).toContain(field);
    }
    // content and contents together: which one is meant is unclear.
    const both = await call('POST', '/mock/agents/alice/send', { content: 'hi', contents: ['hi'] });
    expect(both.status).toBe(400);
    expect(both.body).toMatchObject({ field: 'content', errorCode: 'agent.send.content.conflict' });
    expect(agentLines()).toEqual([]);
    // The limits themselves are accepted: 1 line, and AGENT_SEND_MAX_LINES lines of 1024 characters.
    expect((await call('POST', '/mock/agents/alice/send', { contents: ['just one'] })).status).toBe(200);
    expect((await call('POST', '/mock/agents/alice/send', { contents: good(AGENT_SEND_MAX_LINES).map((t) => t.padEnd(1024, '.')) })).status).toBe(200);
    expect(agentLines()).toHaveLength(1 + AGENT_SEND_MAX_LINES);
  });

  it('without a chat it is a 409 and nothing is stored, as for one line', async () => {
    cc.desk.end('alice');
    const before = cc.findStream('demo', USER)!.lastSeq;
    const res = await call('POST', '/mock/agents/alice/send', { contents: ['too late'] });
    expect(res.status).toBe(409);
    expect(cc.findStream('demo', USER)!.lastSeq).toBe(before);
  });
});
