/**
 * Properties of the session reducer (widget/core/session.ts): for any sequence of events — in
 * any order, in any phase, with any downlink the server could send — `transition` never throws,
 * never mutates its input, and keeps the invariants of its phases. Fixed seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CallEvent } from '../../widget/core/call.js';
import type { DownlinkMessage, EndReason, SessionEvent } from '../../widget/core/protocol.js';
import { initialState, transition, type Phase, type SessionEventIn, type SessionState } from '../../widget/core/session.js';
import { channelConfig } from './session-fixtures.js';

const opts = { seed: 20261130, numRuns: 300 };
const PHASES: Phase[] = ['closed', 'starting', 'offHours', 'bot', 'queue', 'agent', 'ended', 'failed'];
const EVENTS: SessionEvent[] = [
  'bot.greeting',
  'bot.reply',
  'bot.transfer',
  'queue.joined',
  'queue.reminder',
  'queue.transferred',
  'agent.joined',
  'offhours.notice',
  'idle.warning',
  'session.ended',
  'message.left',
];
const END_REASONS: EndReason[] = ['customer', 'agent', 'idle', 'queue.timeout', 'queue.busy', 'queue.noAgents', 'offhours'];

const config = (useRobot: boolean, clickToDial: boolean) => channelConfig({ useRobot, clickToDial: clickToDial ? { calledParty: 'agent', media: ['voice', 'video'] } : null });

/** Small pools, so that events meet: the same ids, seqs and call ids come back. */
const id = fc.constantFrom('m1', 'm2', 'm3', 'f1');
const seq = fc.integer({ min: -1, max: 12 });
const now = fc.integer({ min: 0, max: 3_600_000 });
const text = fc.constantFrom('', '  ', 'hello', 'I want an AGENT', '转人工', 'x'.repeat(600));

/** The server's messageId is unique per message: here one per seq (a seq sent twice is the same message). */
const downlink: fc.Arbitrary<DownlinkMessage> = fc
  .record(
    {
      seq,
      messageId: fc.constant(''),
      clientMessageId: fc.option(id, { nil: undefined }),
      sessionId: fc.constantFrom('s1', 's2'),
      from: fc.constant('x'),
      to: fc.constant('c1'),
      channel: fc.constant('WEB' as const),
      controlType: fc.constantFrom('CONNECT', 'CHAT', 'TRANS2AGENT', 'INPUT', 'DISCONNECT', 'READ'),
      mediaType: fc.constantFrom('TEXT', 'FILE', 'IMAGE'),
      content: text,
      sourceType: fc.constantFrom('AGENT', 'ROBOT', 'SYSTEM', 'CUSTOMER'),
      senderNickname: fc.constantFrom('Alice', 'Ava', ''),
      timestamp: now,
      queueFlag: fc.constantFrom('Y', 'N'),
      event: fc.option(fc.constantFrom(...EVENTS), { nil: undefined }),
      data: fc.option(
        fc.record(
          {
            position: fc.integer({ min: -1, max: 9 }),
            estimateWaitSeconds: fc.integer({ min: -1, max: 900 }),
            queueName: fc.constantFrom('WebSupport', ''),
            agentName: fc.constantFrom('Alice', ''),
            employeeId: fc.constant('10021'),
            endReason: fc.constantFrom(...END_REASONS),
            nextOpening: fc.option(now, { nil: null }),
            idleDeadline: now,
            readSeq: seq,
          },
          { requiredKeys: [] },
        ),
        { nil: undefined },
      ),
    },
    { requiredKeys: ['seq', 'messageId', 'sessionId', 'from', 'to', 'channel', 'controlType', 'mediaType', 'content', 'sourceType', 'senderNickname', 'timestamp', 'queueFlag'] },
  )
  .map((m) => ({ ...m, messageId: `srv-${m.seq}` })) as fc.Arbitrary<DownlinkMessage>;

const callEvent: fc.Arbitrary<CallEvent> = fc.record({
  seq: fc.nat(5),
  callId: fc.constantFrom('c1', 'c2'),
  type: fc.constantFrom('ringing', 'connected', 'ended'),
  at: now,
  cause: fc.constantFrom('customer', 'agent', 'noAnswer', 'rejected', 'ivr', 'unavailable', 'permission', 'failed'),
}) as fc.Arbitrary<CallEvent>;

const event: fc.Arbitrary<SessionEventIn> = fc.oneof(
  fc.record({ type: fc.constant('session.start'), now }),
  fc.record({ type: fc.constant('session.configured'), config: fc.tuple(fc.boolean(), fc.boolean()).map(([r, c]) => config(r, c)) }),
  fc.record({ type: fc.constant('session.failed'), error: fc.constantFrom('network', 'forbidden') }),
  fc.record({ type: fc.constant('session.restart'), now }),
  fc.record({ type: fc.constant('downlink.received'), messages: fc.array(downlink, { maxLength: 4 }), now }),
  fc.record({ type: fc.constant('message.submit'), id, text, now, name: fc.constant('Wang') }),
  fc.record({ type: fc.constant('message.acked'), id, seq }),
  fc.record({ type: fc.constant('message.failed'), id }),
  fc.record({ type: fc.constant('message.retry'), id }),
  fc.record({ type: fc.constant('file.attach'), id, name: fc.constantFrom('a.png', ''), mediaType: fc.constantFrom('IMAGE', 'FILE'), now, author: fc.constant('Wang') }),
  fc.record({ type: fc.constant('file.uploaded'), id, objectKey: fc.constant('k1') }),
  fc.record({ type: fc.constant('file.failed'), id }),
  fc.constant({ type: 'transfer.request' as const }),
  fc.record({ type: fc.constant('typing.changed'), typing: fc.boolean() }),
  fc.record({ type: fc.constant('messages.seen'), upToSeq: seq }),
  fc.constant({ type: 'session.end' as const }),
  fc.record({ type: fc.constant('idle.stillHere'), id, text, now, name: fc.constant('Wang') }),
  fc.record({ type: fc.constant('connection.changed'), status: fc.constantFrom('online', 'reconnecting') }),
  fc.record({ type: fc.constant('idle.restore'), seq, deadline: now }),
  fc.record({ type: fc.constant('evaluation.submit'), score: fc.integer({ min: -1, max: 7 }), comment: fc.constantFrom('', 'ok', 'x'.repeat(600)) }),
  fc.constant({ type: 'evaluation.saved' as const }),
  fc.constant({ type: 'evaluation.failed' as const }),
  fc.record({ type: fc.constant('leaveMessage.submit'), content: text, contact: fc.constantFrom('', 'a@b.cn') }),
  fc.constant({ type: 'leaveMessage.sent' as const }),
  fc.constant({ type: 'leaveMessage.failed' as const }),
  fc.record({ type: fc.constant('call.request'), media: fc.constantFrom('voice', 'video') }),
  fc.constantFrom({ type: 'call.permitted' as const }, { type: 'call.denied' as const }, { type: 'call.unavailable' as const }, { type: 'call.failed' as const }),
  fc.constantFrom({ type: 'call.hangUp' as const }, { type: 'call.dismiss' as const }),
  fc.record({ type: fc.constant('call.created'), callId: fc.constantFrom('c1', 'c2') }),
  fc.record({ type: fc.constant('call.events'), events: fc.array(callEvent, { maxLength: 3 }), now }),
  fc.record({ type: fc.constant('call.toggle'), what: fc.constantFrom('mic', 'camera') }),
) as fc.Arbitrary<SessionEventIn>;

/** A session that has started, so that most events find a phase that takes them. */
const prefix: SessionEventIn[] = [{ type: 'session.start', now: 0 }];

function invariants(s: SessionState): void {
  expect(PHASES).toContain(s.phase);
  expect(new Set(s.transcript.map((m) => m.id)).size).toBe(s.transcript.length);
  expect(Number.isInteger(s.ignored) && s.ignored >= 0).toBe(true);
  expect(s.phase === 'ended').toBe(s.ended !== null);
  if (s.phase === 'agent') expect(s.agent).not.toBeNull();
  if (s.phase === 'ended') expect(s.idleDeadline).toBeNull();
  if (s.evaluation.status === 'saving') expect(s.evaluation.score).not.toBeNull();
}

describe('session reducer (properties, seed 20261130)', () => {
  it('no event sequence throws; every state keeps the phase invariants; the input state is never mutated', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        let s = initialState();
        for (const e of [...prefix, ...events]) {
          const before = structuredClone(s);
          const step = transition(s, e);
          expect(s).toEqual(before);
          invariants(step.state);
          s = step.state;
        }
      }),
      opts,
    );
  });

  it('a READ goes out only past what was reported before, and what was reported never goes back (no READ storms)', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        let s = initialState();
        for (const e of [...prefix, ...events]) {
          const step = transition(s, e);
          const reads = step.effects.filter((x) => x.type === 'read');
          expect(reads.length).toBeLessThanOrEqual(1);
          for (const r of reads) {
            expect(r.readSeq).toBeGreaterThan(s.seenSeq);
            expect(step.state.seenSeq).toBe(r.readSeq);
          }
          expect(step.state.seenSeq).toBeGreaterThanOrEqual(s.seenSeq);
          s = step.state;
        }
      }),
      opts,
    );
  });

  it('`ignored` only grows, by at most one per event, and the cursor never goes back', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        let s = initialState();
        for (const e of [...prefix, ...events]) {
          const next = transition(s, e).state;
          expect(next.ignored - s.ignored).toBeGreaterThanOrEqual(0);
          expect(next.ignored - s.ignored).toBeLessThanOrEqual(1);
          expect(next.cursor).toBeGreaterThanOrEqual(s.cursor);
          s = next;
        }
      }),
      opts,
    );
  });
});
