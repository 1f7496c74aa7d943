/**
 * One customer's downlink stream: every message of every session of that customer on a
 * channel begun under one resume key, numbered by a gap-free `seq`. Polls read from a cursor;
 * long polls wait on the mock clock for the next append. Messages of sessions dropped by the
 * retention rule are trimmed from the front (`firstSeq` moves on); seq numbers never change.
 *
 * The stream also carries the per-customer indexes the runtime looks up on every call (the
 * session in progress, the latest one, the latest with an agent), so no lookup scans sessions.
 */
import type { DownlinkMessage, SendResponse } from '../../widget/core/protocol.js';
import { Waiters, type Clock, type SignalSource } from './clock.js';

/**
 * What the stream's indexes hold: sessions, typed here by their id only so that this file and
 * session.ts do not import each other. Only SessionBook writes them, always with a Session.
 */
export interface SessionRef {
  readonly id: string;
}

/** How many clientMessageIds a stream remembers for idempotent sends (far more than any retry window). */
export const MAX_REMEMBERED_SENDS = 1000;

export class CustomerStream {
  private list: DownlinkMessage[] = [];
  /** Messages before this seq were trimmed (their sessions are gone). */
  private trimmed = 0;
  /** First result of each `clientMessageId`, so a retried send is answered the same way (the last MAX_REMEMBERED_SENDS). */
  private readonly sends = new Map<string, SendResponse>();
  private readonly waiters: Waiters;
  /** The session in progress, if any. */
  active: SessionRef | undefined;
  /** The most recent session, ended or not. */
  latest: SessionRef | undefined;
  /** The most recent session that reached an agent (the one a rating is for). */
  latestWithAgent: SessionRef | undefined;
  /** Sessions of this stream still kept by the runtime. */
  sessionCount = 0;
  /** Whether `userName` came from the integrator's signature (it then never changes by a send). */
  nameVerified = false;
  /** The customer's BCP 47 locale from their last applyToken: the language of the tenant's texts they read. */
  locale: string | undefined;

  constructor(
    readonly channelId: string,
    readonly userId: string,
    public userName: string,
    clock: Clock,
    /** The resume key this stream belongs to (contract C1); '' for streams made outside the API. */
    readonly resumeKey = '',
  ) {
    this.waiters = new Waiters(clock);
  }

  /** The answer given to an earlier send with this clientMessageId, if remembered. */
  firstAnswer(clientMessageId: string): SendResponse | undefined {
    return this.sends.get(clientMessageId);
  }

  rememberAnswer(clientMessageId: string, res: SendResponse): void {
    this.sends.set(clientMessageId, res);
    if (this.sends.size > MAX_REMEMBERED_SENDS) this.sends.delete(this.sends.keys().next().value!);
  }

  /** Every message still kept, oldest first. */
  get messages(): readonly DownlinkMessage[] {
    return this.list;
  }

  get lastSeq(): number {
    return this.trimmed + this.list.length;
  }

  append(msg: Omit<DownlinkMessage, 'seq'>): DownlinkMessage {
    const full = { ...msg, seq: this.lastSeq + 1 } as DownlinkMessage;
    this.list.push(full);
    this.waiters.notify();
    return full;
  }

  /** Messages after `cursor` (those trimmed away are gone). */
  since(cursor: number): DownlinkMessage[] {
    return this.list.slice(Math.max(0, cursor - this.trimmed));
  }

  /** Drops leading messages whose session is no longer kept. */
  trim(kept: (sessionId: string | undefined) => boolean): void {
    let n = 0;
    while (n < this.list.length && !kept(this.list[n]!.sessionId)) n++;
    if (n === 0) return;
    this.list = this.list.slice(n);
    this.trimmed += n;
  }

  /** Resolves when a message after `cursor` exists, after `ms` on the mock clock, or on abort. */
  wait(cursor: number, ms: number, signal?: SignalSource): Promise<void> {
    return this.lastSeq > cursor ? Promise.resolve() : this.waiters.wait(ms, signal);
  }
}
