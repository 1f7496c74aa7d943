/**
 * The real CEC's web-channel REST API (shared/docs/cec-real-api.md §0–2) as a second face of the
 * mock contact center. It owns only what the real wire has and the mock's own contract has not:
 * the API Fabric gateway, the one-hour `ccmessaging-token` (renewed in a response header while a
 * session lasts), the consume-once `poll` held on the mock clock, the release of a customer who
 * stops polling, and the translation of runtime messages into the real downlink. Sessions,
 * chatbot, queues, agents and the clock are the ContactCenter's, used through its public
 * methods, so customers of both faces meet the same agents in the same queues.
 */
import { LOCALE_TAG } from '../../../widget/core/locale.js';
import type { SendRequest } from '../../../widget/core/protocol.js';
import { seedCecFace } from '../../config/seed.js';
import type { CecFaceConfig } from '../../config/types.js';
import type { ContactCenter, Identity, Session } from '../contact-center.js';
import { ApiFailure, badRequest } from '../errors.js';
import { cleanName } from '../names.js';
import type { CustomerStream } from '../stream.js';
import { validateCecFaceConfig } from './config.js';
import { translate, type CecDownlinkMessage, type TranslateContext } from './downlink.js';
import { CecFiles } from './files.js';
import { ApiFabric, randomHex } from './gateway.js';
import { CecQueueInfo } from './queue-info.js';
import { CecRecords } from './records.js';
import type { CecFaceHost, CecRating, CecResult, CecUser } from './user.js';
import { CONTROL_TYPES, MEDIA_TYPES, USER_ID, checkContent, oneOf, runtimeMedia, text } from './send-rules.js';

/** The documented lifetime of a ccmessaging-token (devg-webclient-cec/cec_05_2011). */
export const CEC_TOKEN_LIFETIME_SECONDS = 3600;
/** The response (and request) header that carries the ccmessaging-token. */
export const CEC_TOKEN_HEADER = 'ccmessaging-token';
/** Customer media types remembered per customer for the history (the oldest goes first). */
const MAX_SENT_MEDIA = 1000;
/** ccmessaging-tokens remembered at once; the oldest is forgotten past this. */
const MAX_TOKENS = 100_000;

interface TokenRecord {
  channelId: string;
  userId: string;
  expiresAt: number;
  /** The token handed back in the response header once this one lapsed mid-session. */
  replacedBy?: string;
}

export type { CecRating, CecResult, CecUser } from './user.js';

export class CecFace implements CecFaceHost {
  config: CecFaceConfig;
  readonly gateway: ApiFabric;
  readonly files: CecFiles;
  readonly ratings: CecRating[] = [];
  /** queryQueueInfo. */
  readonly queue: CecQueueInfo;
  /** getsatisfactionsurveymode, saveSatisfaction, doLeaveMessage, queryHistoryChatMessage. */
  readonly records: CecRecords;
  private tokens = new Map<string, TokenRecord>();
  private users = new Map<string, CecUser>();
  private sends = 0;
  private held = 0;

  constructor(
    readonly cc: ContactCenter,
    config: CecFaceConfig = seedCecFace(),
  ) {
    this.config = validateCecFaceConfig(config);
    this.gateway = new ApiFabric(cc.clock, () => this.config);
    this.files = new CecFiles(cc.clock, () => this.config);
    this.queue = new CecQueueInfo(this);
    this.records = new CecRecords(this);
  }

  /** Forgets tokens, customers, files and ratings (the mock's reset); the configuration goes back to the seed. */
  reset(): void {
    for (const u of this.users.values()) u.releaseTimer?.cancel();
    this.tokens.clear();
    this.users.clear();
    this.gateway.reset();
    this.files.reset();
    this.ratings.length = 0;
    this.config = seedCecFace();
  }

  /** Replaces some settings; throws a 400 naming the first invalid field. */
  setConfig(patch: Record<string, unknown>): CecFaceConfig {
    this.config = validateCecFaceConfig({ ...this.config, ...patch } as CecFaceConfig);
    return this.config;
  }

  // ── applyToken and the ccmessaging-token ──────────────────────────────────

  /** `POST /applyToken {userId, userName, channelId, locale}` → `{resultCode "0", token}` or `{resultCode "1", resultDesc}`. */
  applyToken(body: Record<string, unknown>): { resultCode: '0'; token: string } | CecResult {
    const fail = (resultDesc: string): CecResult => ({ resultCode: '1', resultDesc });
    const { userId, userName, channelId, locale } = body;
    if (typeof userId !== 'string' || !USER_ID.test(userId)) return fail('userId must be 1–32 letters, digits or . _ - @ :');
    if (userName !== undefined && (typeof userName !== 'string' || userName.length > 64)) return fail('userName must be a string of at most 64 characters.');
    if (typeof channelId !== 'string' || !this.cc.store.current.channels.some((c) => c.id === channelId)) return fail('channelId is not the configuration id of a web channel.');
    // The real CEC documents "zh" and "en"; the mock takes any BCP 47 tag, so a tenant's texts
    // given by language (pt-BR, fr, …) reach the customer in theirs (README, extensions).
    if (locale !== undefined && (typeof locale !== 'string' || locale.length > 35 || !LOCALE_TAG.test(locale))) {
      return fail('locale must be a language tag such as "zh", "en", "pt-BR" or "fr".');
    }
    const user = this.user(channelId, userId, (userName as string | undefined) || userId);
    user.locale = (locale as string | undefined) ?? 'en';
    this.stream(user).locale = user.locale;
    return { resultCode: '0', token: this.issueToken(channelId, userId) };
  }

  private issueToken(channelId: string, userId: string): string {
    const now = this.cc.clock.now();
    // Like the real one: URL-encoded base64 of a JSON object with createTime and channelId.
    const json = JSON.stringify({ createTime: now, channelId, nonce: randomHex(16) });
    const token = encodeURIComponent(btoa(json));
    if (this.tokens.size >= MAX_TOKENS) this.tokens.delete(this.tokens.keys().next().value!);
    this.tokens.set(token, { channelId, userId, expiresAt: now + CEC_TOKEN_LIFETIME_SECONDS * 1000 });
    return token;
  }

  /**
   * Checks a `ccmessaging-token`. A token past its hour is still accepted while its customer has
   * a session, and the fresh token to switch to is returned as `rotated` (the same one for every
   * request with the old token, so a lost response strands nobody). Otherwise 401.
   */
  authenticate(token: string | null): { user: CecUser; rotated?: string } {
    if (!token) throw new ApiFailure(401, 'auth.token.missing', 'The ccmessaging-token header is required: call applyToken.');
    const rec = this.tokens.get(token);
    if (!rec) throw new ApiFailure(401, 'auth.token.invalid', 'The ccmessaging-token is not valid: call applyToken again.');
    const user = this.users.get(key(rec.channelId, rec.userId));
    if (!user) throw new ApiFailure(401, 'auth.token.invalid', 'The ccmessaging-token is not valid: call applyToken again.');
    if (rec.expiresAt > this.cc.clock.now()) return { user };
    if (!this.activeSession(user)) {
      this.tokens.delete(token);
      throw new ApiFailure(401, 'auth.token.expired', 'The ccmessaging-token has expired: call applyToken again.');
    }
    rec.replacedBy ??= this.issueToken(rec.channelId, rec.userId);
    return { user, rotated: rec.replacedBy };
  }

  /** The customer record, made on first applyToken; its consume-once queue starts at that moment. */
  private user(channelId: string, userId: string, userName: string): CecUser {
    const k = key(channelId, userId);
    let u = this.users.get(k);
    if (!u) {
      const resumeKey = `cec-${randomHex(16)}`;
      const stream = this.cc.streamOf({ channelId, userId, resumeKey });
      u = { channelId, userId, userName, locale: 'en', resumeKey, stream, cursor: stream.lastSeq, interIdx: new Map(), sentMedia: new Map(), polling: 0, released: new Set() };
      this.users.set(k, u);
    }
    u.userName = cleanName(userName) || userId;
    this.stream(u).userName = u.userName;
    return u;
  }

  /** The customer record of a user id on a channel, if it ever applied for a token. */
  findUser(channelId: string, userId: string): CecUser | undefined {
    return this.users.get(key(channelId, userId));
  }

  /** The runtime identity of a real-face customer: its own resume key names its stream. */
  identity(user: CecUser): Identity {
    return { channelId: user.channelId, userId: user.userId, resumeKey: user.resumeKey };
  }

  /**
   * The customer's runtime stream, opened again when the runtime's retention let it go (its
   * sessions ended long ago): the consume-once cursor then starts over on the new stream.
   */
  private stream(user: CecUser): CustomerStream {
    const s = this.cc.streamOf(this.identity(user));
    if (s !== user.stream) {
      user.stream = s;
      user.cursor = 0;
    }
    return s;
  }

  activeSession(user: CecUser): Session | undefined {
    return this.cc.activeSession(user.stream);
  }

  latestSession(user: CecUser): Session | undefined {
    return this.cc.latestSession(user.stream);
  }

  // ── send / sendAsync ──────────────────────────────────────────────────────

  /**
   * `POST /send` and `/sendAsync`. Malformed fields are a 400 naming the field; a message with
   * no session to go to (CHAT, TRANS2AGENT, INPUT or READ before CONNECT or after the end) is
   * `{resultCode "1"}`. Answers `{resultCode, resultDesc}` and nothing else.
   */
  send(user: CecUser, body: Record<string, unknown>): CecResult {
    const controlType = oneOf(body, 'controlType', CONTROL_TYPES, true)!;
    const mediaType = oneOf(body, 'mediaType', MEDIA_TYPES, controlType === 'CHAT') ?? 'TEXT';
    oneOf(body, 'channel', ['WEB'] as const, true);
    oneOf(body, 'sourceType', ['CUSTOMER'] as const, false);
    const from = text(body, 'from', { required: true, max: 32 });
    if (from !== user.userId) throw badRequest('send.from.invalid', 'from must be the userId the ccmessaging-token was applied for.', 'from');
    const to = text(body, 'to', { required: true, max: 64 });
    if (to !== user.channelId) throw badRequest('send.to.invalid', "to must be the web channel's configuration id.", 'to');
    const nickname = text(body, 'senderNickname', { max: 64 });
    text(body, 'senderAvatar', { max: 1024 });
    text(body, 'userAgent', { max: 1024 });
    const ts = body.timestamp;
    if (ts !== undefined && ts !== null && ts !== '' && !(typeof ts === 'number' && Number.isFinite(ts)) && !(typeof ts === 'string' && /^\d{1,15}$/.test(ts))) {
      throw badRequest('send.timestamp.invalid', 'timestamp must be epoch milliseconds.', 'timestamp');
    }
    const content = text(body, 'content', { required: controlType === 'CHAT' });
    if (controlType === 'CHAT') checkContent(mediaType, content, (key) => this.files.has(key));

    const s = this.activeSession(user);
    if (!s && controlType !== 'CONNECT' && controlType !== 'DISCONNECT') {
      return { resultCode: '1', resultDesc: 'No session is in progress: send CONNECT first.' };
    }
    if (nickname) {
      user.userName = cleanName(nickname) || user.userName;
      this.stream(user).userName = user.userName;
    }
    if (controlType === 'READ') {
      // The customer has read what this face delivered to them (the real READ names no message):
      // the agent side sees "Seen" under the latest agent message among it.
      this.cc.customerRead(s!, user.cursor);
      return { resultCode: '0', resultDesc: 'send message success.' };
    }
    const req: SendRequest = {
      channel: 'WEB',
      controlType,
      mediaType: runtimeMedia(mediaType),
      // The real client sends INPUT while the customer types; the runtime reads any content as "typing".
      content: controlType === 'CHAT' ? content : controlType === 'INPUT' ? 'typing' : '',
      from: user.userId,
      to: user.channelId,
      senderNickname: user.userName,
      sourceType: 'CUSTOMER',
      timestamp: this.cc.clock.now(),
      clientMessageId: `cec-${++this.sends}-${randomHex(6)}`,
    };
    if (controlType === 'CHAT' && runtimeMedia(mediaType) !== mediaType) {
      user.sentMedia.set(req.clientMessageId, mediaType);
      if (user.sentMedia.size > MAX_SENT_MEDIA) user.sentMedia.delete(user.sentMedia.keys().next().value!);
    }
    this.cc.send(this.identity(user), req);
    if (controlType === 'CONNECT') this.armRelease(user);
    return { resultCode: '0', resultDesc: 'send message success.' };
  }

  // ── poll ──────────────────────────────────────────────────────────────────

  /**
   * `GET /poll?receiverId&channel=WEB&isNeedRead`: what is waiting, each message once. When
   * nothing is, holds up to `pollHoldSeconds` on the mock clock (or until aborted) and answers
   * with what arrived, possibly nothing. READ notices are delivered only with isNeedRead.
   */
  async poll(user: CecUser, isNeedRead: boolean, signal?: AbortSignal): Promise<CecDownlinkMessage[]> {
    user.polling++;
    this.held++;
    try {
      const deadline = this.cc.clock.now() + this.config.pollHoldSeconds * 1000;
      for (;;) {
        // A request the client gave up on takes nothing: its answer would never arrive.
        if (signal?.aborted) return [];
        const out = this.take(user, isNeedRead);
        const left = deadline - this.cc.clock.now();
        if (out.length > 0 || left <= 0) return out;
        const stream = this.stream(user);
        await stream.wait(stream.lastSeq, left, signal);
      }
    } finally {
      user.polling--;
      this.held--;
      this.armRelease(user);
    }
  }

  /** Polls being held right now (tests wait on this before moving the clock). */
  get heldPolls(): number {
    return this.held;
  }

  /** Takes every message not yet taken (synchronously: two concurrent polls never share one). */
  private take(user: CecUser, isNeedRead: boolean): CecDownlinkMessage[] {
    const stream = this.stream(user);
    const fresh = stream.since(user.cursor);
    user.cursor = stream.lastSeq;
    const ctx = this.context(user, isNeedRead);
    return fresh.flatMap((m) => translate(m, ctx));
  }

  /** What the downlink translation needs of a customer (its channel, locale, interIdx counter). */
  context(user: CecUser, isNeedRead: boolean): TranslateContext {
    return {
      channel: this.cc.channel(user.channelId, user.locale),
      config: this.config,
      locale: user.locale,
      isNeedRead,
      nextIndex: (sessionId) => {
        const n = (user.interIdx.get(sessionId) ?? 0) + 1;
        user.interIdx.set(sessionId, n);
        return n;
      },
    };
  }

  /** (Re)starts the countdown that releases a customer who stops polling during a session. */
  private armRelease(user: CecUser): void {
    user.releaseTimer?.cancel();
    user.releaseTimer = undefined;
    if (!this.activeSession(user)) return;
    user.releaseTimer = this.cc.clock.setTimeout(() => {
      user.releaseTimer = undefined;
      if (user.polling > 0) return this.armRelease(user);
      const s = this.activeSession(user);
      if (!s) return;
      user.released.add(s.id);
      this.cc.end(s, 'idle');
    }, this.config.releaseAfterSeconds * 1000);
  }
}

const key = (channelId: string, userId: string) => `${channelId}\u0000${userId}`;
