/**
 * What the real CEC face's parts share: a customer of the face, the documented result shape,
 * and the narrow view of the face that its helpers (queue info, records) use — so those helpers
 * depend on this file, not on the face that owns them.
 */
import type { CecFaceConfig } from '../../config/types.js';
import type { ContactCenter, Identity, Session } from '../contact-center.js';
import type { Timer } from '../clock.js';
import type { CustomerStream } from '../stream.js';
import type { TranslateContext } from './downlink.js';

/** `{resultCode, resultDesc}`: the documented answer of most calls. */
export interface CecResult {
  resultCode: string;
  resultDesc: string;
}

/** One customer of the real face (a user id on a channel). */
export interface CecUser {
  channelId: string;
  userId: string;
  userName: string;
  /** The applyToken locale (BCP 47; the real CEC documents "zh" and "en"): the language of the tenant's texts. */
  locale: string;
  /**
   * The runtime stream of this customer: its own resume key, so it is nobody else's (the mock's
   * own face included), as in contract C1.
   */
  resumeKey: string;
  stream: CustomerStream;
  /** The seq of the last runtime message taken by poll (consume-once). */
  cursor: number;
  /** interIdx given so far, by session id. */
  interIdx: Map<string, number>;
  /** The real mediaType of the customer's messages the runtime keeps as FILE or IMAGE, by the send's id. */
  sentMedia: Map<string, string>;
  /** Held polls in progress (a polling customer is never released). */
  polling: number;
  releaseTimer?: Timer;
  /** Sessions ended because the customer stopped polling (queryQueueInfo 6). */
  released: Set<string>;
}

export interface CecRating {
  channelId: string;
  userId: string;
  sessionId: string;
  evaluation: string;
  comment: string;
  npsScore?: string;
  fcrValue?: string;
  at: number;
}

/** The part of the face that its helpers call. */
export interface CecFaceHost {
  readonly cc: ContactCenter;
  readonly config: CecFaceConfig;
  readonly ratings: CecRating[];
  authenticate(token: string | null): { user: CecUser; rotated?: string };
  findUser(channelId: string, userId: string): CecUser | undefined;
  identity(user: CecUser): Identity;
  latestSession(user: CecUser): Session | undefined;
  context(user: CecUser, isNeedRead: boolean): TranslateContext;
}
