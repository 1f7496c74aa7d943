/**
 * What every part of the connector shares: its settings, clock, store, upstream client and the
 * few pieces of in-process state (loops, background calls). `createConnector` builds one
 * `ConnectorContext` and passes it to each route and background job as their first parameter.
 */
import type { ChannelSettings, ConnectorConfig } from './config.js';
import type { ConversationState } from './derive.js';
import type { ConnectorStore } from './store.js';
import type { CecUpstream, Timers } from './upstream.js';

/** The longest long poll a browser may ask for, s (channel-api.md). */
export const MAX_WAIT_S = 25;
/** How many log messages one store read takes at most. */
export const READ_LIMIT = 500;

/** A customer as kept in the store. */
export interface CustomerRecord {
  channelId: string;
  userId: string;
  userName: string;
  locale: string;
  /** C1: the key the current conversation is bound to. */
  resumeKey: string;
  /** The current conversation's message log. */
  logId: string;
  /** CONNECT was sent upstream for this conversation. */
  connected: boolean;
  ended: boolean;
  conv: ConversationState;
  /** The click-to-dial call in progress, if any. */
  call?: { callId: string; ended: boolean; media: string };
}

/** What a browser token stands for (kept under `browser:<token>`). */
export interface BrowserSession {
  customerId: string;
  logId: string;
}

/** An uploaded or received file, kept under `file:<random>` (the random part of its objectKey). */
export interface FileRecord {
  customerId: string;
  /** What the CEC's downloadFileStream wants as fileId. */
  fileId: string;
  multiMedia: boolean;
  fileName: string;
  size: number;
  mime: string;
  /** What an uplink FILE/IMAGE carries upstream. */
  upstreamKey: string;
}

/** Durations derived from the config, all ms. */
export interface ConnectorTimes {
  /** A browser not seen for this long is gone (session.silenceSeconds). */
  silenceMs: number;
  /** An ended conversation's log is kept this long (session.retainMinutes). */
  retainMs: number;
  /**
   * How long a send's idempotency record is kept after its last use: as long as the widget can
   * still ask for the same `clientMessageId` in this conversation. Every retry refreshes it. A
   * widget that stops asking for more than `silenceSeconds` ends the chat (its sends are then
   * refused as `session.ended`); an ended chat can be restarted in the same log for
   * `retainMinutes`, and an unknown send waits `unknownSendGraceMs` before it may be sent again.
   * Defaults: 90 s + 60 min + 60 s ≈ 62.5 min (it was 24 h).
   */
  idempotencyTtlMs: number;
  /**
   * How long a customer message's reserved place holds readers back while its /send is under
   * way: as long as a send is considered in progress (after that a retry treats it as stale).
   */
  sendHoldMs: number;
  /**
   * How long one request may hold a message's resolution (an unknown send looked up in the CEC's
   * history, then maybe sent again) before another may take over: two send holds.
   */
  resolveHoldMs: number;
  /** The click-to-dial event loop's lease. */
  leaseMs: number;
  /** The upstream poll loop's lease (upstream.leaseMs). */
  pollLeaseMs: number;
}

export interface ConnectorContext {
  readonly config: ConnectorConfig;
  readonly channels: ReadonlyMap<string, ChannelSettings>;
  /** Per channel, the secretKey its browsers' signatures are checked with (never sent anywhere). */
  readonly secretKeys: ReadonlyMap<string, string>;
  readonly store: ConnectorStore;
  readonly upstream: CecUpstream;
  /** Epoch ms (the injectable clock). */
  readonly now: () => number;
  readonly timers: Timers;
  readonly random: () => number;
  readonly log: (record: Record<string, unknown>) => void;
  /** Fetch for file links the CEC gives (downloadFileStream's fileUrl). */
  readonly fetch: typeof fetch;
  /** The integrator's own authentication, instead of the channel signature (ConnectorOptions). */
  readonly authenticate?: (request: Request) => Promise<{ userId: string; userName?: string } | null>;
  /** This instance's name in leases. */
  readonly instanceId: string;
  readonly times: ConnectorTimes;
  /** A fresh random id (128 bits, base64url). */
  readonly newId: () => string;
  /** Aborted by close(): every upstream call and long poll listens to it. */
  readonly closing: AbortSignal;
  /** Set by close(). */
  closed: boolean;
  /** Per conversation, an offset known not to pass the end of the CEC's history (saves paging). */
  readonly historyEnd: Map<string, number>;
  /** Upstream poll loops running in this instance, by customerId. */
  readonly loops: Map<string, Promise<void>>;
  /** Click-to-dial event loops running in this instance, by callId. */
  readonly callLoops: Map<string, Promise<void>>;
  /** Upstream DISCONNECTs under way (in the background), so that close() waits for them. */
  readonly disconnecting: Set<Promise<void>>;
}

export function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}
