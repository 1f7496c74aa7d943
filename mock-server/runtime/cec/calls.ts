/**
 * Click-to-call on the real face (reference §1.11, the `/v1/` calls): no call id on the wire —
 * each customer has at most one call, found by the ccmessaging-token — and events polled one at
 * a time as `{eventId, resultDesc, content}`. The calls themselves are the mock's CallCenter's:
 * they ring on the same agents' workbench.
 *
 * Documented: codes 0 / 7 (no click-to-call on the channel) / 12 (outside work hours) / 13
 * (failure, "No agents available currently") on create; 0 / 13 on drop; eventId 168101 =
 * connected; the resultDesc texts. The other eventIds are guesses (README table).
 */
import { isWorkingTime } from '../../../widget/core/work-time.js';
import type { CallEvent } from '../../../widget/core/call.js';
import type { ContactCenter } from '../contact-center.js';
import { ApiFailure } from '../errors.js';
import type { CecFace, CecUser } from './face.js';

/** eventId per event: 168101 is documented (connected); the rest are guesses in the same range. */
export const CLICK_TO_CALL_EVENTS = {
  queued: { eventId: 168100, resultDesc: 'Call in queue' },
  connected: { eventId: 168101, resultDesc: 'Call connected' },
  disconnected: { eventId: 168102, resultDesc: 'Call disconnected' },
  queueTimeout: { eventId: 168103, resultDesc: 'Call queued timeout' },
  failed: { eventId: 168104, resultDesc: 'Call failed' },
} as const;
export const NO_EVENTS_DESC = 'ClickToCall polled without any events';

interface UserCall {
  callId: string;
  /** Events already returned. */
  cursor: number;
}

export class CecCalls {
  private current = new Map<CecUser, UserCall>();

  constructor(
    private readonly cc: ContactCenter,
    private readonly face: CecFace,
  ) {}

  reset(): void {
    this.current.clear();
  }

  /** `GET /v1/checkClickToCallSupport?channel=WEB`. */
  support(user: CecUser, channel: string | null): Record<string, unknown> {
    if (channel !== 'WEB') return { resultCode: '13', resultDesc: 'channel must be "WEB".' };
    const ch = this.cc.channel(user.channelId);
    return { resultCode: '0', resultDesc: 'check click to call support success.', webRTCSupported: true, clickToCallSupported: ch.clickToDial !== null };
  }

  /** `POST /v1/createClickToCall {channel, mediaAbility "0" voice | "1" video}` → 0 / 7 / 12 / 13, no call id. */
  create(user: CecUser, body: Record<string, unknown>): Record<string, unknown> {
    const { channel, mediaAbility } = body;
    if (channel !== 'WEB') return { resultCode: '13', resultDesc: 'channel must be "WEB".' };
    if (mediaAbility !== '0' && mediaAbility !== '1') return { resultCode: '13', resultDesc: 'mediaAbility must be "0" (voice) or "1" (video).' };
    const ch = this.cc.channel(user.channelId);
    const media = mediaAbility === '0' ? 'voice' : 'video';
    if (!ch.clickToDial?.media.includes(media)) return { resultCode: '7', resultDesc: `The channel does not offer ${media} click-to-call.` };
    if (!isWorkingTime(ch.workTime, this.cc.clock.now())) return { resultCode: '12', resultDesc: 'Agents are outside work hours.' };
    let call;
    try {
      call = this.cc.calls.create(this.face.identity(user), mediaAbility);
    } catch (e) {
      if (e instanceof ApiFailure) return { resultCode: '13', resultDesc: e.message };
      throw e;
    }
    if (!call) return { resultCode: '13', resultDesc: 'No agents available currently.' };
    this.current.set(user, { callId: call.callId, cursor: 0 });
    return { resultCode: '0', resultDesc: 'create click to call success.' };
  }

  /** `GET /v1/getClickToCallEvents?channel=WEB`: the next event of the customer's call, one per poll. */
  events(user: CecUser, channel: string | null): Record<string, unknown> {
    if (channel !== 'WEB') return { resultCode: '13', resultDesc: 'channel must be "WEB".' };
    const mine = this.current.get(user);
    if (!mine) return { resultCode: '0', resultDesc: NO_EVENTS_DESC };
    const call = this.cc.calls.owned(this.face.identity(user), mine.callId);
    const ev = call.events[mine.cursor];
    if (!ev) return { resultCode: '0', resultDesc: NO_EVENTS_DESC };
    mine.cursor++;
    const kind = describe(ev);
    const ch = this.cc.channel(user.channelId);
    const route = ch.clickToDial?.calledParty === 'agent' ? this.cc.store.current.calledRoutes.find((r) => r.skillQueue === (ch.clickToDial as { skillQueue: string }).skillQueue) : undefined;
    return {
      resultCode: '0',
      resultDesc: kind.resultDesc,
      eventId: kind.eventId,
      content: {
        domain: 'cec.mock',
        gwAddresses: [],
        accessCode: ch.clickToDial?.calledParty === 'ivr' ? ch.clickToDial.ivrAccessCode : route ? route.accessCode + (route.extensionCode ?? '') : '',
        clickToCallCaller: user.userId,
        causeId: ev.type === 'ended' ? String(kind.eventId) : '',
        causeDesc: ev.type === 'ended' ? (ev.cause ?? '') : '',
      },
    };
  }

  /** `POST /v1/dropClickToCall {channel}` → 0, or 13 when there is no call to drop. */
  drop(user: CecUser, body: Record<string, unknown>): Record<string, unknown> {
    if (body.channel !== 'WEB') return { resultCode: '13', resultDesc: 'channel must be "WEB".' };
    const mine = this.current.get(user);
    const call = mine && this.cc.calls.owned(this.face.identity(user), mine.callId);
    if (!call || call.status === 'ended') return { resultCode: '13', resultDesc: 'Disconnect failed: no call is in progress.' };
    this.cc.calls.drop(call);
    return { resultCode: '0', resultDesc: 'drop click to call success.' };
  }
}

function describe(ev: CallEvent): { eventId: number; resultDesc: string } {
  if (ev.type === 'ringing') return CLICK_TO_CALL_EVENTS.queued;
  if (ev.type === 'connected') return CLICK_TO_CALL_EVENTS.connected;
  if (ev.cause === 'noAnswer') return CLICK_TO_CALL_EVENTS.queueTimeout;
  if (ev.cause === 'rejected' || ev.cause === 'failed' || ev.cause === 'unavailable') return CLICK_TO_CALL_EVENTS.failed;
  return CLICK_TO_CALL_EVENTS.disconnected;
}
