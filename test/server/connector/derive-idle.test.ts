/**
 * The idle warning the real CEC never sends (its wire has none): the connector derives it from the
 * channel's no-reply limit and what it saw of the chat, and reads the CEC's bare DISCONNECT after
 * a countdown that ran out as an end for no reply (not as the agent's).
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../widget/server/connector/config.js';
import { customerWrote, deriveDownlink, deriveIdle, deriveQueueInfo, type ConversationState } from '../../../widget/server/connector/derive.js';

const channel = parseConfig({
  upstream: { baseUrl: 'http://cec.test' },
  channels: [{ channelId: 'demo', dialogEnd: { noReplyMinutes: 20, conclusion: '' }, chatbot: { name: 'Ava', transferPrompt: 'Connecting you to an agent now…', timeoutReply: '' } }],
}).channels[0]!;
const T = Date.parse('2026-11-25T02:00:00Z');
const MIN = 60_000;
let n = 0;
const ctx = (now: number) => ({ channel, userId: 'u1', logId: 'log', now, lastSeq: 0, newId: () => `m${++n}`, fileKey: () => '' });
const agent = (content: string, controlType = 'CHAT') => ({ sourceType: 'AGENT', controlType, mediaType: 'TEXT', content, senderNickname: 'Alice' });
const system = (content: string, controlType = 'CHAT') => ({ sourceType: 'SYSTEM', controlType, mediaType: 'TEXT', content });

/** A chat the agent Alice joined at T. */
function withAgent(): ConversationState {
  return deriveDownlink({ phase: 'queue', botMessages: 1 }, agent('Hello'), ctx(T)).state;
}

describe('connector: the idle warning derived from the no-reply limit', () => {
  it("one warning at limit − lead after the agent joined, with the CEC rule's deadline; none before, none twice", () => {
    const s = withAgent();
    expect(s.idleSince).toBe(T);
    expect(deriveIdle(s, ctx(T + 18 * MIN - 1)).messages).toEqual([]);
    const r = deriveIdle(s, ctx(T + 18 * MIN));
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toMatchObject({ event: 'idle.warning', sourceType: 'SYSTEM', content: '', timestamp: T + 18 * MIN, data: { deadline: T + 20 * MIN } });
    expect(deriveIdle(r.state, ctx(T + 19 * MIN)).messages).toEqual([]);
  });

  it('the customer writing starts a new countdown, which warns again at its own time', () => {
    const warned = deriveIdle(withAgent(), ctx(T + 18 * MIN)).state;
    const s = customerWrote(warned, T + 18 * MIN + 5_000);
    expect(deriveIdle(s, ctx(T + 21 * MIN)).messages).toEqual([]);
    expect(deriveIdle(s, ctx(T + 36 * MIN + 5_000)).messages[0]?.data).toEqual({ deadline: T + 38 * MIN + 5_000 });
  });

  it('with the chatbot the countdown starts at the greeting; queueing stops it', () => {
    let s = deriveDownlink({ phase: 'new', botMessages: 0 }, { sourceType: 'ROBOT', controlType: 'CHAT', content: 'Hi' }, ctx(T)).state;
    expect(s).toMatchObject({ phase: 'bot', idleSince: T });
    expect(deriveIdle(s, ctx(T + 18 * MIN)).messages).toHaveLength(1);
    s = deriveDownlink(s, { sourceType: 'ROBOT', controlType: 'CHAT', content: 'Connecting you to an agent now…' }, ctx(T + MIN)).state;
    expect(s.idleSince).toBeUndefined();
    s = deriveQueueInfo(s, { resultCode: '0', position: 1, estimateWaitTime: 30 }, ctx(T + MIN)).state;
    expect(s.phase).toBe('queue');
    expect(customerWrote(s, T + 2 * MIN).idleSince).toBeUndefined();
    expect(deriveIdle(s, ctx(T + 60 * MIN)).messages).toEqual([]);
  });

  it('a configured idle text from the CEC is the warning: the connector adds none of its own', () => {
    const ch = { ...channel, texts: { ...channel.texts, idleWarning: ['Are you still there?'] } };
    const r = deriveDownlink(withAgent(), system('Are you still there?'), { ...ctx(T + 18 * MIN), channel: ch });
    expect(r.messages[0]?.event).toBe('idle.warning');
    expect(deriveIdle(r.state, { ...ctx(T + 18 * MIN), channel: ch }).messages).toEqual([]);
  });

  it("the CEC's bare SYSTEM DISCONNECT (no conclusion configured) after the countdown ran out is an end for no reply; before it, the agent's", () => {
    const s = withAgent();
    expect(deriveDownlink(s, system('', 'DISCONNECT'), ctx(T + 20 * MIN)).messages[0]?.data).toEqual({ endReason: 'idle' });
    expect(deriveDownlink(s, system('', 'DISCONNECT'), ctx(T + 5 * MIN)).messages[0]?.data).toEqual({ endReason: 'agent' });
    expect(deriveDownlink(s, agent('', 'DISCONNECT'), ctx(T + 20 * MIN)).messages[0]?.data).toEqual({ endReason: 'agent' });
  });
});
