/**
 * One customer's downlink stream: every message of every session of that customer on a
 * channel, numbered by a gap-free `seq` (seq N is at index N-1). Polls read from a cursor;
 * long polls wait on the mock clock for the next append.
 */
import type { DownlinkMessage, SendResponse } from '../../widget/core/protocol.js';
import type { Clock } from './clock.js';

export class CustomerStream {
  readonly messages: DownlinkMessage[] = [];
  /** First result of each `clientMessageId`, so a retried send is answered the same way. */
  readonly sends = new Map<string, SendResponse>();
  private waiters = new Set<() => void>();

  constructor(
    readonly channelId: string,
    readonly userId: string,
    public userName: string,
  ) {}

  get lastSeq(): number {
    return this.messages.length;
  }

  append(msg: Omit<DownlinkMessage, 'seq'>): DownlinkMessage {
    const full = { ...msg, seq: this.messages.length + 1 } as DownlinkMessage;
    this.messages.push(full);
    for (const w of [...this.waiters]) w();
    return full;
  }

  since(cursor: number): DownlinkMessage[] {
    return this.messages.slice(cursor);
  }

  /** Resolves when a message after `cursor` exists, after `ms` on the mock clock, or on abort. */
  wait(cursor: number, ms: number, clock: Clock, signal?: AbortSignal): Promise<void> {
    if (this.lastSeq > cursor || ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.waiters.delete(done);
        timer.cancel();
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = clock.setTimeout(done, ms);
      this.waiters.add(done);
      signal?.addEventListener('abort', done);
    });
  }
}
