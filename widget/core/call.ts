/**
 * Click-to-dial: a voice or video call from the chat to the agent or IVR, as a sub-machine of
 * the session. The chat stays usable throughout; "no agent can take the call" falls back to
 * text with a clear message.
 *
 *   idle → permission (asking for microphone/camera) → calling (createClickToCall)
 *        → ringing → connected → ended(cause)
 *
 * A video call also holds the customer's microphone and camera switches (`micOff`,
 * `cameraOff`; the runner applies them to its tracks) and whether the contact center said it
 * has no media session for the call (`testPicture`: the mock; the widget then shows a
 * generated test picture, labelled as such, instead of pretending to be the agent's camera).
 */
export type CallMedia = 'voice' | 'video';
export type CallEndCause = 'customer' | 'agent' | 'noAnswer' | 'rejected' | 'ivr' | 'unavailable' | 'permission' | 'failed';

export interface CallState {
  media: CallMedia;
  status: 'permission' | 'calling' | 'ringing' | 'connected' | 'ended';
  callId: string | null;
  /** Local time the call connected, for the duration shown. */
  connectedAt: number | null;
  cause: CallEndCause | null;
  agentName?: string;
  /** The customer turned their microphone off (video calls). */
  micOff?: boolean;
  /** The customer turned their camera off (video calls). */
  cameraOff?: boolean;
  /** Connected with no remote media from the contact center (see CallEvent.testMedia). */
  testPicture?: boolean;
}

/** A call event from `getClickToCallEvents`. */
export interface CallEvent {
  seq: number;
  callId: string;
  type: 'ringing' | 'connected' | 'ended';
  at: number;
  cause?: CallEndCause;
  agentName?: string;
  /**
   * (ext) On `connected`: the contact center has no media session for this call (the mock has
   * no WebRTC), so the customer may be shown a generated test picture, labelled as one.
   * A real contact center never sends it.
   */
  testMedia?: boolean;
}

export type CallEventIn =
  | { type: 'call.request'; media: CallMedia }
  | { type: 'call.permitted' }
  | { type: 'call.denied' }
  | { type: 'call.created'; callId: string }
  | { type: 'call.unavailable' }
  | { type: 'call.failed' }
  | { type: 'call.events'; events: CallEvent[]; now: number }
  | { type: 'call.hangUp' }
  | { type: 'call.toggle'; what: 'mic' | 'camera' }
  | { type: 'call.dismiss' };

export type CallEffect =
  | { type: 'call.start'; media: CallMedia }
  | { type: 'call.drop'; callId: string | null }
  /** Turn the call's microphone / camera tracks on or off (true: on). */
  | { type: 'call.tracks'; mic: boolean; camera: boolean }
  /** Make the labelled test picture that stands in for the missing remote video. */
  | { type: 'call.testPicture'; agentName: string };

export const callActive = (c: CallState | null): boolean => !!c && c.status !== 'ended';

const ended = (c: CallState, cause: CallEndCause): CallState => ({ ...c, status: 'ended', cause });

/** `allowed`: the channel offers this medium and the customer is in a chat with an agent. */
export function reduceCall(c: CallState | null, e: CallEventIn, allowed: (m: CallMedia) => boolean): { call: CallState | null; effects: CallEffect[] } | null {
  switch (e.type) {
    case 'call.request':
      if (callActive(c) || !allowed(e.media)) return null;
      return { call: { media: e.media, status: 'permission', callId: null, connectedAt: null, cause: null }, effects: [{ type: 'call.start', media: e.media }] };
    case 'call.permitted':
      return c?.status === 'permission' ? { call: { ...c, status: 'calling' }, effects: [] } : null;
    case 'call.denied':
      return c?.status === 'permission' ? { call: ended(c, 'permission'), effects: [] } : null;
    case 'call.created':
      return c?.status === 'calling' ? { call: { ...c, callId: e.callId }, effects: [] } : null;
    case 'call.unavailable':
      return c && callActive(c) ? { call: ended(c, 'unavailable'), effects: [] } : null;
    case 'call.failed':
      return c && callActive(c) ? { call: ended(c, 'failed'), effects: [] } : null;
    case 'call.events': {
      let next = c;
      for (const ev of [...e.events].sort((a, b) => a.seq - b.seq)) {
        if (!next || !callActive(next) || ev.callId !== next.callId) continue;
        const agentName = ev.agentName ?? next.agentName;
        if (ev.type === 'ringing') next = { ...next, status: 'ringing', agentName };
        else if (ev.type === 'connected') next = { ...next, status: 'connected', connectedAt: e.now, agentName, testPicture: next.media === 'video' && !!ev.testMedia };
        else next = ended({ ...next, agentName }, ev.cause ?? 'agent');
      }
      if (next === c) return null;
      const picture = next?.testPicture && !c?.testPicture;
      return { call: next, effects: picture ? [{ type: 'call.testPicture', agentName: next!.agentName ?? '' }] : [] };
    }
    case 'call.hangUp':
      return c && callActive(c) ? { call: ended(c, 'customer'), effects: [{ type: 'call.drop', callId: c.callId }] } : null;
    case 'call.toggle': {
      if (!c || !callActive(c) || c.media !== 'video') return null;
      const next = e.what === 'mic' ? { ...c, micOff: !c.micOff } : { ...c, cameraOff: !c.cameraOff };
      return { call: next, effects: [{ type: 'call.tracks', mic: !next.micOff, camera: !next.cameraOff }] };
    }
    case 'call.dismiss':
      return c && !callActive(c) ? { call: null, effects: [] } : null;
  }
}
