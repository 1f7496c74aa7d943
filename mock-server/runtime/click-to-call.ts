/**
 * Click-to-dial in the mock: a customer in a web chat calls the channel's called party — an
 * agent of its click-to-dial skill queue, or an IVR. Calls ring on an agent who answers or
 * rejects from the workbench; unanswered calls end after 30 s; IVR calls connect by themselves.
 * Every timer runs on the mock clock; each call has its own gap-free event stream.
 */
import type { CallEndCause, CallEvent, CallMedia } from '../../widget/core/call.js';
import type { DownlinkMessage, SourceType } from '../../widget/core/protocol.js';
import type { WebChannel } from '../config/types.js';
import type { AgentDesk } from './agents.js';
import { Waiters, type Clock, type Timer } from './clock.js';
import { ApiFailure, badRequest } from './errors.js';
import type { Identity, Session } from './session.js';
import type { CustomerStream } from './stream.js';

/** What the call center needs from the contact center (which passes itself). */
export interface CallHost {
  readonly clock: Clock;
  readonly desk: AgentDesk;
  channel(channelId: string): WebChannel;
  nextId(prefix: string): string;
  streamOf(id: Identity): CustomerStream;
  activeSession(stream: CustomerStream): Session | undefined;
  post(s: Session, sourceType: SourceType, controlType: DownlinkMessage['controlType'], content: string): DownlinkMessage;
  customerName(s: Session): { name: string; verified: boolean };
}

export const RING_SECONDS = 30;
const IVR_CONNECT_SECONDS = 2;

/** Ended calls kept for their last event polls; past this many the oldest goes. */
export const MAX_ENDED_CALLS = 1000;

export interface Call {
  callId: string;
  channelId: string;
  userId: string;
  /** The customer's stream (its resume key): only that browser may read or drop the call. */
  stream: CustomerStream;
  customerName: string;
  media: CallMedia;
  status: 'ringing' | 'connected' | 'ended';
  /** The agent it rings on or is connected to; null for an IVR. */
  agent: string | null;
  events: CallEvent[];
  waiters: Waiters;
  timer?: Timer;
}

export class CallCenter {
  private calls = new Map<string, Call>();
  /** Calls not ended, by customer stream and by agent account. */
  private byStream = new Map<CustomerStream, Call>();
  private byAgent = new Map<string, Call>();
  /** Ended calls, oldest first. */
  private endedCalls: Call[] = [];

  constructor(private readonly cc: CallHost) {}

  reset(): void {
    for (const c of this.calls.values()) c.timer?.cancel();
    this.calls.clear();
    this.byStream.clear();
    this.byAgent.clear();
    this.endedCalls = [];
  }

  /**
   * Starts a click-to-dial call; `null` when no agent can take it (resultCode 13). The called
   * party, per the admin guide ("during a text chat with an agent, a customer can directly make
   * a voice call to the agent"): the agent the customer is chatting with when that agent can
   * take calls — signed in, associated with the channel's click-to-dial skill queue, and not on
   * another call — else a free agent of that queue; or the channel's IVR.
   */
  create(id: Identity, mediaAbility: string): Call | null {
    const ch = this.cc.channel(id.channelId);
    if (!ch.clickToDial) throw new ApiFailure(409, 'call.notEnabled', 'This channel does not offer calls.');
    const media: CallMedia | undefined = mediaAbility === '0' ? 'voice' : mediaAbility === '1' ? 'video' : undefined;
    if (!media) throw badRequest('createClickToCall.mediaAbility.invalid', 'mediaAbility must be "0" (voice) or "1" (video).', 'mediaAbility');
    if (!ch.clickToDial.media.includes(media)) throw badRequest('call.media.notEnabled', `This channel does not offer ${media} calls.`, 'mediaAbility');
    const stream = this.cc.streamOf(id);
    if (this.byStream.has(stream)) throw new ApiFailure(409, 'call.alreadyActive', 'A call is already in progress.');
    const session = this.cc.activeSession(stream);
    let agent: string | null = null;
    if (ch.clickToDial.calledParty === 'agent') {
      const free = this.cc.desk.signedInFor(ch.clickToDial.skillQueue).filter((a) => !this.byAgent.has(a));
      if (free.length === 0) return null;
      const chattingWith = session?.phase === 'agent' ? session.agent : undefined;
      agent = chattingWith && free.includes(chattingWith) ? chattingWith : (free.find((a) => this.cc.desk.status(a) === 'idle') ?? free[0]!);
    }
    const call: Call = {
      callId: this.cc.nextId('call-'),
      channelId: id.channelId,
      userId: id.userId,
      stream,
      customerName: session ? this.cc.customerName(session).name : stream.userName,
      media,
      status: 'ringing',
      agent,
      events: [],
      waiters: new Waiters(this.cc.clock),
    };
    this.calls.set(call.callId, call);
    this.byStream.set(stream, call);
    if (agent) this.byAgent.set(agent, call);
    this.emit(call, 'ringing');
    call.timer = agent ? this.cc.clock.setTimeout(() => this.end(call, 'noAnswer'), RING_SECONDS * 1000) : this.cc.clock.setTimeout(() => this.connect(call), IVR_CONNECT_SECONDS * 1000);
    return call;
  }

  /** The customer's own call, or 403/404. */
  owned(id: Identity, callId: string): Call {
    const call = this.calls.get(callId);
    if (!call) throw new ApiFailure(404, 'call.notFound', 'No such call.', 'callId');
    if (call.stream !== this.cc.streamOf(id)) throw new ApiFailure(403, 'call.notYours', 'This call belongs to another customer.', 'callId');
    return call;
  }

  async events(call: Call, cursor: number, waitMs: number, signal?: AbortSignal): Promise<{ events: CallEvent[]; cursor: number }> {
    if (call.events.length <= cursor) await call.waiters.wait(waitMs, signal);
    const events = call.events.slice(cursor);
    return { events, cursor: cursor + events.length };
  }

  drop(call: Call): void {
    this.end(call, 'customer');
  }

  /** The agent's call that is ringing or connected, if any. */
  agentCall(account: string): Call | null {
    return this.byAgent.get(account) ?? null;
  }

  answer(account: string): Call {
    const call = this.agentCall(account);
    if (call?.status !== 'ringing') throw new ApiFailure(409, 'call.notRinging', 'No call is ringing for this agent.');
    this.connect(call);
    return call;
  }

  reject(account: string): Call {
    const call = this.agentCall(account);
    if (call?.status !== 'ringing') throw new ApiFailure(409, 'call.notRinging', 'No call is ringing for this agent.');
    this.end(call, 'rejected');
    return call;
  }

  hangUp(account: string): Call {
    const call = this.agentCall(account);
    if (!call) throw new ApiFailure(409, 'call.none', 'The agent is not on a call.');
    this.end(call, 'agent');
    return call;
  }

  private connect(call: Call): void {
    if (call.status !== 'ringing') return;
    call.timer?.cancel();
    call.status = 'connected';
    this.emit(call, 'connected');
    this.note(call, `${call.media === 'video' ? 'Video' : 'Voice'} call connected.`);
  }

  private end(call: Call, cause: CallEndCause): void {
    if (call.status === 'ended') return;
    call.timer?.cancel();
    const wasConnected = call.status === 'connected';
    call.status = 'ended';
    this.byStream.delete(call.stream);
    if (call.agent && this.byAgent.get(call.agent) === call) this.byAgent.delete(call.agent);
    this.endedCalls.push(call);
    if (this.endedCalls.length > MAX_ENDED_CALLS) this.calls.delete(this.endedCalls.shift()!.callId);
    this.emit(call, 'ended', cause);
    this.note(call, wasConnected ? 'Call ended.' : cause === 'noAnswer' ? 'Call ended (no answer).' : 'Call ended.');
  }

  private emit(call: Call, type: CallEvent['type'], cause?: CallEndCause): void {
    const agentName = call.agent ? this.cc.desk.displayName(call.agent) : undefined;
    // The mock has no WebRTC: a connected video call says so, and the widget shows a labelled test picture.
    const testMedia = type === 'connected' && call.media === 'video' ? true : undefined;
    call.events.push({ seq: call.events.length + 1, callId: call.callId, type, at: this.cc.clock.now(), cause, agentName, testMedia });
    call.waiters.notify();
    this.cc.desk.changed();
  }

  /** The transcript tells the story: a system line in the customer's chat. */
  private note(call: Call, text: string): void {
    const session = this.cc.activeSession(call.stream);
    if (session) this.cc.post(session, 'SYSTEM', 'CHAT', text);
  }
}
