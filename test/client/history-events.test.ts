/**
 * A long history on open (issue 18): its host events (one `cec-message` per message) are not
 * delivered in the task that applies it, so the transcript is shown first; then every one goes
 * out, once, in the stream's order, followed by the events raised after it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SessionRunner } from '../../widget/client/runner.js';
import type { HostEvents, SessionEventName } from '../../widget/core/host-events.js';
import type { DownlinkMessage } from '../../widget/core/protocol.js';
import { useNodeMock } from '../node-mock.js';
import { runnerFor } from './helpers.js';

const { clock: mockClock } = useNodeMock({ at: Date.parse('2026-11-25T07:00:00Z') });
const runners: SessionRunner[] = [];
afterEach(() => {
  for (const r of runners.splice(0)) r.destroy();
});

const N = 1_000;

/** A history of an agent joining (seq 1) and N agent messages (seq 2..N+1). */
function historyOf(userId: string): DownlinkMessage[] {
  const base = { sessionId: 's1', from: 'alice', to: userId, channel: 'WEB', mediaType: 'TEXT', sourceType: 'AGENT', senderNickname: 'Alice', timestamp: mockClock.now(), queueFlag: 'N' } as const;
  return [
    { ...base, seq: 1, messageId: 'h1', controlType: 'CONNECT', content: 'Alice joined the chat.', event: 'agent.joined', data: { agentName: 'Alice' } },
    ...Array.from({ length: N }, (_, i) => ({ ...base, seq: i + 2, messageId: `h${i + 2}`, controlType: 'CHAT' as const, content: `Message ${i}` })),
  ];
}

/** The mock for everything but the history, which answers `messages`. */
function fetchWithHistory(messages: DownlinkMessage[]): typeof fetch {
  return (input, init) =>
    String(input instanceof Request ? input.url : input).includes('queryHistoryChatMessage')
      ? Promise.resolve(new Response(JSON.stringify({ resultCode: '0', messages, cursor: messages.at(-1)!.seq }), { status: 200, headers: { 'content-type': 'application/json' } }))
      : fetch(input, init);
}

function start(userId: string) {
  const events: Array<{ name: SessionEventName; detail: HostEvents[SessionEventName] }> = [];
  /** cec-message events delivered by the end of the task in which the listener first saw the whole history. */
  let deliveredAtShow = -1;
  const r = runnerFor(userId, {
    pollWaitSeconds: 25,
    fetch: fetchWithHistory(historyOf(userId)),
    onEvent: (name, detail) => events.push({ name, detail }),
  });
  runners.push(r);
  r.subscribe((s) => {
    // Counted at the end of the task that applied the history (a microtask runs before any timer).
    if (deliveredAtShow < 0 && s.transcript.length >= N + 1) queueMicrotask(() => (deliveredAtShow = events.filter((e) => e.name === 'cec-message').length));
  });
  r.start();
  return { r, events, shown: () => deliveredAtShow };
}

describe('host events of a long history', () => {
  it('shows the history before any of its events, then delivers each cec-message once, in seq order, before the events raised after it', async () => {
    const { r, events, shown } = start(`history-events-${Date.now()}`);
    await vi.waitFor(() => expect(shown()).toBeGreaterThanOrEqual(0));
    // The history was handed to the view in a task that delivered none of its N+1 host events.
    expect(shown()).toBe(0);
    await vi.waitFor(() => expect(events.filter((e) => e.name === 'cec-message')).toHaveLength(N + 1));
    const seqs = events.filter((e) => e.name === 'cec-message').map((e) => (e.detail as HostEvents['cec-message']).seq);
    expect(seqs).toEqual(Array.from({ length: N + 1 }, (_, i) => i + 1));
    // The batch's own order: its messages, the agent joining, then the phase change it caused.
    const names = events.map((e) => e.name);
    expect(names.indexOf('cec-agent-joined')).toBeGreaterThan(names.indexOf('cec-message'));
    expect(names.indexOf('cec-state-change', names.indexOf('cec-agent-joined'))).toBeGreaterThan(names.lastIndexOf('cec-message'));
    expect(r.state.transcript.filter((m) => m.text.startsWith('Message '))).toHaveLength(N);
  });

  it('delivers the events still queued when the runner is destroyed (nothing lost)', async () => {
    const { r, events, shown } = start(`history-destroy-${Date.now()}`);
    await vi.waitFor(() => expect(shown()).toBeGreaterThanOrEqual(0));
    r.destroy();
    expect(events.filter((e) => e.name === 'cec-message')).toHaveLength(N + 1);
  });
});
