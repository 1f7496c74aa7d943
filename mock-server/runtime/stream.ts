/**
 * One customer's downlink stream: every message of every session of that customer on a
 * channel, numbered by a gap-free `seq` (seq N is at index N-1). Polls read from a cursor;
 * long polls wait on the mock clock for the next append.
 */
import type { DownlinkMessage, SendResponse } from '../../widget/core/protocol.js';
import { Waiters, type Clock } from './clock.js';

export class CustomerStream {
  readonly messages: DownlinkMessage[] = [];
  /** First result of each `clientMessageId`, so a retried send is answered the same way. */
  readonly sends = new Map<string, SendResponse>();
  private readonly waiters: Waiters;

  constructor(
    readonly channelId: string,
    readonly userId: string,
    public userName: string,
    clock: Clock,
  ) {
    this.waiters = new Waiters(clock);
  }

  get lastSeq(): number {
    return this.messages.length;
  }

  append(msg: Omit<DownlinkMessage, 'seq'>): DownlinkMessage {
    const full = { ...msg, seq: this.messages.length + 1 } as DownlinkMessage;
    this.messages.push(full);
    this.waiters.notify();
    return full;
  }

  since(cursor: number): DownlinkMessage[] {
    return this.messages.slice(cursor);
  }

  /** Resolves when a message after `cursor` exists, after `ms` on the mock clock, or on abort. */
  wait(cursor: number, ms: number, signal?: AbortSignal): Promise<void> {
    return this.lastSeq > cursor ? Promise.resolve() : this.waiters.wait(ms, signal);
  }
}
