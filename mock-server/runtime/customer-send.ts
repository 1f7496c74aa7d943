/**
 * The body of a customer's uplink `/send` (channel-api.md), built in one place for whatever plays
 * a customer against the mock: its tests, the demo's scenarios and the benchmark. The widget
 * builds its own (widget/client/channel-client.ts) and never imports the mock.
 */
import type { SendRequest } from '../../widget/core/protocol.js';

export type { SendRequest };

/** What differs from one customer send to the next; everything else is the wire's constant. */
export interface CustomerSend {
  /** The customer (`from`). */
  userId: string;
  controlType: SendRequest['controlType'];
  /** Idempotency key (ext): a retried send returns the first result. */
  clientMessageId: string;
  /** Epoch ms the customer sent it (the mock's clock in tests). */
  timestamp: number;
  /** The channel (`to`); default `demo`. */
  channelId?: string;
  /** Default '' (CONNECT, TRANS2AGENT and the other controls carry none). */
  content?: string;
  /** Default TEXT. */
  mediaType?: SendRequest['mediaType'];
  /** Default the userId. */
  senderNickname?: string;
}

/** A customer's `/send` body: `channel` WEB, `sourceType` CUSTOMER, `from` the user, `to` the channel. */
export function customerSend(s: CustomerSend): SendRequest {
  return {
    channel: 'WEB',
    controlType: s.controlType,
    mediaType: s.mediaType ?? 'TEXT',
    content: s.content ?? '',
    from: s.userId,
    to: s.channelId ?? 'demo',
    senderNickname: s.senderNickname ?? s.userId,
    sourceType: 'CUSTOMER',
    timestamp: s.timestamp,
    clientMessageId: s.clientMessageId,
  };
}
