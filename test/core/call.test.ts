/** Click-to-dial as a sub-machine of the session: each step, each ending, and what is refused. */
import { describe, expect, it } from 'vitest';
import { reduceCall, type CallEventIn, type CallState } from '../../widget/core/call.js';

const allowVoice = (m: string) => m === 'voice';
function run(events: CallEventIn[], start: CallState | null = null) {
  let call = start;
  const effects = [];
  for (const e of events) {
    const step = reduceCall(call, e, allowVoice);
    if (step) {
      call = step.call;
      effects.push(...step.effects);
    }
  }
  return { call, effects };
}
const ev = (seq: number, type: 'ringing' | 'connected' | 'ended', cause?: 'agent' | 'noAnswer') => ({ seq, callId: 'k1', type, at: 0, cause, agentName: 'Bob' });

describe('click-to-dial', () => {
  it('permission → calling → ringing → connected (with its start time) → hung up by the customer', () => {
    const { call, effects } = run([
      { type: 'call.request', media: 'voice' },
      { type: 'call.permitted' },
      { type: 'call.created', callId: 'k1' },
      { type: 'call.events', events: [ev(1, 'ringing')], now: 100 },
      { type: 'call.events', events: [ev(2, 'connected')], now: 500 },
      { type: 'call.hangUp' },
    ]);
    expect(call).toMatchObject({ status: 'ended', cause: 'customer', connectedAt: 500, agentName: 'Bob' });
    expect(effects).toEqual([
      { type: 'call.start', media: 'voice' },
      { type: 'call.drop', callId: 'k1' },
    ]);
  });

  it.each([
    ['the microphone is refused', [{ type: 'call.denied' }], 'permission'],
    ['no agent can take it (resultCode 13)', [{ type: 'call.permitted' }, { type: 'call.unavailable' }], 'unavailable'],
    ['nobody answers', [{ type: 'call.permitted' }, { type: 'call.created', callId: 'k1' }, { type: 'call.events', events: [ev(1, 'ringing'), ev(2, 'ended', 'noAnswer')], now: 0 }], 'noAnswer'],
    ['the agent hangs up', [{ type: 'call.permitted' }, { type: 'call.created', callId: 'k1' }, { type: 'call.events', events: [ev(2, 'ended', 'agent'), ev(1, 'connected')], now: 0 }], 'agent'],
  ] as Array<[string, CallEventIn[], string]>)('ends with a cause when %s', (_name, events, cause) => {
    expect(run([{ type: 'call.request', media: 'voice' }, ...events]).call).toMatchObject({ status: 'ended', cause });
  });

  it('refuses a medium the channel does not offer, and a second call while one is active', () => {
    expect(reduceCall(null, { type: 'call.request', media: 'video' }, allowVoice)).toBeNull();
    const active = run([{ type: 'call.request', media: 'voice' }]).call;
    expect(reduceCall(active, { type: 'call.request', media: 'voice' }, allowVoice)).toBeNull();
  });

  it('ignores events of another call, and dismisses only an ended one', () => {
    const ringing = run([{ type: 'call.request', media: 'voice' }, { type: 'call.permitted' }, { type: 'call.created', callId: 'k1' }]).call;
    expect(reduceCall(ringing, { type: 'call.events', events: [{ ...ev(1, 'connected'), callId: 'other' }], now: 0 }, allowVoice)).toBeNull();
    expect(reduceCall(ringing, { type: 'call.dismiss' }, allowVoice)).toBeNull();
    const over = run([{ type: 'call.hangUp' }, { type: 'call.dismiss' }], ringing).call;
    expect(over).toBeNull();
  });
});

describe('video call switches and the test picture', () => {
  const allowVideo = (m: string) => m === 'video';
  const video = (events: CallEventIn[]) => {
    let call: CallState | null = null;
    const effects = [];
    for (const e of [{ type: 'call.request', media: 'video' } as CallEventIn, { type: 'call.permitted' } as CallEventIn, { type: 'call.created', callId: 'k1' } as CallEventIn, ...events]) {
      const step = reduceCall(call, e, allowVideo);
      if (step) {
        call = step.call;
        effects.push(...step.effects);
      }
    }
    return { call, effects };
  };

  it('mute and camera off flip their switch and ask for the tracks to follow', () => {
    const { call, effects } = video([
      { type: 'call.toggle', what: 'mic' },
      { type: 'call.toggle', what: 'camera' },
      { type: 'call.toggle', what: 'mic' },
    ]);
    expect(call).toMatchObject({ micOff: false, cameraOff: true });
    expect(effects.slice(1)).toEqual([
      { type: 'call.tracks', mic: false, camera: true },
      { type: 'call.tracks', mic: false, camera: false },
      { type: 'call.tracks', mic: true, camera: false },
    ]);
  });

  it('no switches on a voice call or an ended one', () => {
    const voice = run([{ type: 'call.request', media: 'voice' }]).call;
    expect(reduceCall(voice, { type: 'call.toggle', what: 'mic' }, allowVoice)).toBeNull();
    const ended = video([{ type: 'call.hangUp' }]).call;
    expect(reduceCall(ended, { type: 'call.toggle', what: 'camera' }, allowVideo)).toBeNull();
  });

  it('a test picture only when the contact center says it has no media (testMedia), once', () => {
    const real = video([{ type: 'call.events', events: [ev(1, 'connected')], now: 0 }]);
    expect(real.call?.testPicture).toBe(false);
    expect(real.effects.some((e) => e.type === 'call.testPicture')).toBe(false);
    const mock = video([{ type: 'call.events', events: [{ ...ev(1, 'connected'), testMedia: true }], now: 0 }]);
    expect(mock.call?.testPicture).toBe(true);
    expect(mock.effects.filter((e) => e.type === 'call.testPicture')).toEqual([{ type: 'call.testPicture', agentName: 'Bob' }]);
  });
});
