/**
 * One connection for all tabs of a site: the tab holding a Web Lock is the leader and polls;
 * it forwards each downlink batch over a BroadcastChannel and the other tabs apply it (the
 * reducer ignores what it has already seen). When the leader closes, the lock passes to the
 * next tab, which starts polling from its own cursor. Without these APIs every tab polls.
 * Tabs also tell each other how far the customer has read, so an unread badge clears in all.
 */
import type { DownlinkMessage } from '../core/protocol.js';

export class TabLink {
  leader = false;
  private channel: BroadcastChannel | null = null;
  private abort = new AbortController();
  private release: (() => void) | null = null;

  constructor(
    key: string,
    onBatch: (messages: DownlinkMessage[]) => void,
    private readonly onLeader: () => void,
    onSeen: (seq: number) => void = () => {},
  ) {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    if (typeof BroadcastChannel !== 'function' || !locks) {
      this.becomeLeader();
      return;
    }
    this.channel = new BroadcastChannel(key);
    this.channel.onmessage = (e: MessageEvent) => {
      if (e.data?.type === 'batch' && Array.isArray(e.data.messages)) onBatch(e.data.messages);
      else if (e.data?.type === 'seen' && Number.isInteger(e.data.seq)) onSeen(e.data.seq);
    };
    locks
      .request(key, { signal: this.abort.signal }, () => {
        this.becomeLeader();
        return new Promise<void>((resolve) => (this.release = resolve));
      })
      .catch(() => {
        /* aborted on destroy */
      });
  }

  private becomeLeader(): void {
    this.leader = true;
    this.onLeader();
  }

  /** The leader shares what it polled. */
  publish(messages: DownlinkMessage[]): void {
    if (messages.length) this.channel?.postMessage({ type: 'batch', messages });
  }

  /** The customer saw the messages up to `seq` in this tab. */
  publishSeen(seq: number): void {
    this.channel?.postMessage({ type: 'seen', seq });
  }

  destroy(): void {
    this.abort.abort();
    this.release?.();
    this.channel?.close();
    this.leader = false;
  }
}
