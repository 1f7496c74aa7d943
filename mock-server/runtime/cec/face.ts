/**
 * The real CEC's web-channel REST API (shared/docs/cec-real-api.md §0–2) as a second face of the
 * mock contact center. It owns only what the real wire has and the mock's own contract has not:
 * the API Fabric gateway, the one-hour `ccmessaging-token` (renewed in a response header while a
 * session lasts), the consume-once `poll` held on the mock clock, the release of a customer who
 * stops polling, and the translation of runtime messages into the real downlink. Sessions,
 * chatbot, queues, agents and the clock are the ContactCenter's, used through its public
 * methods, so customers of both faces meet the same agents in the same queues.
 */
import type { DownlinkMessage, MediaType, SendRequest } from '../../../widget/core/protocol.js';
import { seedCecFace } from '../../config/seed.js';
import type { CecFaceConfig } from '../../config/types.js';
import type { Timer } from '../clock.js';
import type { ContactCenter, Identity, Session } from '../contact-center.js';
import { ApiFailure, badRequest } from '../errors.js';
import { historyElements, translate, type CecDownlinkMessage, type CecHistoryMessage, type TranslateContext } from './downlink.js';
import { CecFiles } from './files.js';
import { ApiFabric, randomHex } from './gateway.js';

/** The documented lifetime of a ccmessaging-token (devg-webclient-cec/cec_05_2011). */
export const CEC_TOKEN_LIFETIME_SECONDS = 3600;
/** The response (and request) header that carries the ccmessaging-token. */
export const CEC_TOKEN_HEADER = 'ccmessaging-token';
export const TEXT_MAX_BYTES = 1024;
const MAX_TOKENS = 100_000;
const USER_ID = /^[\w.@:-]{1,32}$/;

export const CONTROL_TYPES = ['CONNECT', 'CHAT', 'TRANS2AGENT', 'INPUT', 'DISCONNECT', 'READ'] as const;
export const MEDIA_TYPES = ['TEXT', 'IMAGE', 'AUDIO', 'VIDEO', 'FILE', 'FILE_IMAGE', 'FILE_VIDEO', 'WEBCARD'] as const;
export type CecControlType = (typeof CONTROL_TYPES)[number];
export type CecMediaType = (typeof MEDIA_TYPES)[number];

/** `{resultCode, resultDesc}`: the documented answer of most calls. */
export interface CecResult {
  resultCode: string;
  resultDesc: string;
}

interface TokenRecord {
  channelId: string;
  userId: string;
  expiresAt: number;
  /** The token handed back in the response header once this one lapsed mid-session. */
  replacedBy?: string;
}

/** One customer of the real face (a user id on a channel). */
export interface CecUser {
  channelId: string;
  userId: string;
  userName: string;
  locale: 'en' | 'zh';
  /** How many of the runtime stream's messages were already taken by poll (consume-once). */
  cursor: number;
  interIdx: Map<string, number>;
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

export class CecFace {
  config: CecFaceConfig;
  readonly gateway: ApiFabric;
  readonly files: CecFiles;
  readonly ratings: CecRating[] = [];
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
    if (locale !== undefined && locale !== 'zh' && locale !== 'en') return fail('locale must be "zh" or "en".');
    const user = this.user(channelId, userId, (userName as string | undefined) || userId);
    user.locale = (locale as 'zh' | 'en' | undefined) ?? 'en';
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
    const stream = this.cc.stream(channelId, userId, userName);
    stream.userName = userName;
    if (!u) {
      u = { channelId, userId, userName, locale: 'en', cursor: stream.lastSeq, interIdx: new Map(), polling: 0, released: new Set() };
      this.users.set(k, u);
    }
    u.userName = userName;
    return u;
  }

  identity(user: CecUser): Identity {
    return { channelId: user.channelId, userId: user.userId };
  }

  private stream(user: CecUser) {
    return this.cc.stream(user.channelId, user.userId, user.userName);
  }

  activeSession(user: CecUser): Session | undefined {
    const s = this.cc.findStream(user.channelId, user.userId);
    return s && this.cc.activeSession(s);
  }

  latestSession(user: CecUser): Session | undefined {
    const s = this.cc.findStream(user.channelId, user.userId);
    return s && this.cc.latestSession(s);
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
    if (controlType === 'CHAT') this.checkContent(mediaType, content);

    const s = this.activeSession(user);
    if (!s && controlType !== 'CONNECT' && controlType !== 'DISCONNECT') {
      return { resultCode: '1', resultDesc: 'No session is in progress: send CONNECT first.' };
    }
    if (nickname) {
      user.userName = nickname;
      this.stream(user).userName = nickname;
    }
    if (controlType === 'READ') {
      // The customer has read the agent's messages: recorded in the conversation for the agent side.
      this.cc.post(s!, 'CUSTOMER', 'READ', '', { from: user.userId });
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
    this.cc.send(this.identity(user), req);
    if (controlType === 'CONNECT') this.armRelease(user);
    return { resultCode: '0', resultDesc: 'send message success.' };
  }

  /** Content rules by mediaType (reference §1.2). */
  private checkContent(mediaType: CecMediaType, content: string): void {
    const bad = (why: string) => badRequest('send.content.invalid', `content ${why}`, 'content');
    switch (mediaType) {
      case 'TEXT':
        if (!content.trim()) throw bad('must not be blank.');
        if (new TextEncoder().encode(content).length > TEXT_MAX_BYTES) throw bad(`must be at most ${TEXT_MAX_BYTES} bytes of text.`);
        return;
      case 'IMAGE':
      case 'AUDIO':
      case 'VIDEO':
        if (!this.files.has(content)) throw bad('must be the objectKey of a file uploaded with uploadFileStream.');
        return;
      case 'FILE': {
        // "fileName,fileSizeBytes,objectKey,fileType": the name may itself hold commas.
        const parts = content.split(',');
        if (parts.length < 4) throw bad('of a FILE must be "fileName,fileSizeBytes,objectKey,fileType".');
        const [size, objectKey, type] = parts.slice(-3) as [string, string, string];
        const name = parts.slice(0, -3).join(',');
        if (!name.trim()) throw bad('of a FILE must start with the file name.');
        if (!/^\d+$/.test(size)) throw bad('of a FILE must give the size in bytes as its second part.');
        if (!this.files.has(objectKey)) throw bad('of a FILE must give the objectKey of an upload as its third part.');
        if (!/^[A-Za-z0-9]{1,10}$/.test(type)) throw bad('of a FILE must end with the file type.');
        return;
      }
      case 'FILE_IMAGE':
      case 'FILE_VIDEO': {
        const m = /^(.+),([A-Za-z0-9]{1,10})$/.exec(content);
        if (!m || !this.files.has(m[1]!)) throw bad(`of a ${mediaType} must be "objectKey,${mediaType === 'FILE_IMAGE' ? 'jpg' : 'mp4'}" with the objectKey of an upload.`);
        return;
      }
      case 'WEBCARD': {
        let card: unknown;
        try {
          card = JSON.parse(content);
        } catch {
          throw bad('of a WEBCARD must be a JSON object.');
        }
        if (typeof card !== 'object' || card === null || Array.isArray(card)) throw bad('of a WEBCARD must be a JSON object.');
        const c = card as Record<string, unknown>;
        for (const f of ['title', 'description', 'mediaFileId', 'mediaFileType', 'redirectUrl']) {
          if (c[f] !== undefined && typeof c[f] !== 'string') throw bad(`field ${f} of a WEBCARD must be a string.`);
        }
        if (!c.mediaFileId && !c.redirectUrl) throw bad('of a WEBCARD needs mediaFileId or redirectUrl.');
        if (c.mediaFileType !== undefined && !['img', 'img/png', 'img/jpg'].includes(c.mediaFileType as string)) throw bad('field mediaFileType of a WEBCARD must be img, img/png or img/jpg.');
        if (c.redirectUrl !== undefined && !/^https?:\/\//i.test(c.redirectUrl as string)) throw bad('field redirectUrl of a WEBCARD must be an http(s) URL.');
        return;
      }
    }
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
        const out = this.take(user, isNeedRead);
        const left = deadline - this.cc.clock.now();
        if (out.length > 0 || left <= 0 || signal?.aborted) return out;
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
    const fresh = stream.messages.slice(user.cursor);
    user.cursor = stream.lastSeq;
    return fresh.flatMap((m) => translate(m, this.context(user, isNeedRead)));
  }

  context(user: CecUser, isNeedRead: boolean): TranslateContext {
    return {
      channel: this.cc.channel(user.channelId),
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

  // ── queryQueueInfo ────────────────────────────────────────────────────────

  /**
   * `POST /queryQueueInfo {userId, channelConfigId, channel}`. The ccmessaging-token is optional
   * here (documented "False"); when sent it must be valid and be the same user, else code 3.
   */
  queryQueueInfo(body: Record<string, unknown>, token: string | null): Record<string, unknown> {
    const zero = { position: 0, totalWaitTime: 0, currentDeviceWaitTime: 0, configMaxcWaitTime: 0, longestWaitTime: 0, estimateWaitTime: 0 };
    const answer = (resultCode: string, resultDesc: string, extra: Partial<typeof zero> = {}) => ({ ...zero, ...extra, resultCode, resultDesc });
    const { userId, channelConfigId, channel } = body;
    if (typeof userId !== 'string' || !USER_ID.test(userId)) return answer('1', 'userId must be 1–32 letters, digits or . _ - @ :');
    if (typeof channelConfigId !== 'string' || channelConfigId === '') return answer('1', 'channelConfigId is required.');
    if (channel !== 'WEB') return answer('1', 'channel must be "WEB".');
    let user = this.users.get(key(channelConfigId, userId));
    if (token) {
      try {
        const auth = this.authenticate(token);
        if (auth.user !== user) return answer('3', 'The ccmessaging-token belongs to another user or channel.');
        user = auth.user;
      } catch {
        return answer('3', 'The ccmessaging-token is not valid or has expired.');
      }
    }
    const s = user && this.latestSession(user);
    if (!user || !s) return answer('160004', 'No session: send CONNECT first.');
    if (s.phase === 'ended') {
      if (user.released.has(s.id)) return answer('6', 'The session was released: the customer stopped polling.');
      if (this.endedAtIvr(s)) return answer('160022', 'The session was transferred to an IVR.');
      return answer('5', 'The session has ended.');
    }
    if (s.phase === 'agent') return answer('160021', 'The session is with an agent.');
    if (s.phase !== 'queue' || !s.queueName) return answer('4', `Not queueing: the session is ${s.phase === 'bot' ? 'with the chatbot' : 'outside work time'}.`);
    const now = this.cc.clock.now();
    const waited = (x: Session) => Math.round((now - (x.enqueuedAt ?? now)) / 1000);
    const queue = this.cc.waiting(s.queueName);
    return answer('0', 'queue info success.', {
      position: this.cc.position(s),
      totalWaitTime: Math.round((now - (s.firstEnqueuedAt ?? s.startedAt)) / 1000),
      currentDeviceWaitTime: waited(s),
      configMaxcWaitTime: this.cc.queue(s.queueName).maxWaitTime,
      longestWaitTime: Math.max(0, ...queue.map(waited)),
      estimateWaitTime: this.cc.estimateWaitSeconds(s),
    });
  }

  /** Whether a session ended because a queue's policy sent it to an IVR. */
  private endedAtIvr(s: Session): boolean {
    const msgs = s.stream.messages.filter((m) => m.sessionId === s.id);
    const end = [...msgs].reverse().find((m) => m.event === 'session.ended');
    const reason = end?.data?.endReason;
    if (reason !== 'queue.timeout' && reason !== 'queue.busy' && reason !== 'queue.noAgents') return false;
    const lastQueue = [...msgs].reverse().find((m) => m.data?.queueName)?.data?.queueName;
    let queueName = lastQueue;
    if (!queueName) {
      try {
        queueName = this.cc.channelQueue(this.cc.channel(s.channelId)).name;
      } catch {
        return false;
      }
    }
    const q = this.cc.store.current.skillQueues.find((x) => x.name === queueName);
    const policy = q && (reason === 'queue.timeout' ? q.onTimeout : reason === 'queue.busy' ? q.onBusy : q.onNoAgents);
    return policy?.processMethod === 'transfer' && policy.deviceType === 'ivr';
  }

  // ── satisfaction ──────────────────────────────────────────────────────────

  /** `POST /getsatisfactionsurveymode {language?}` → the nested `satisfactionSurvey` answer. */
  surveyMode(user: CecUser, body: Record<string, unknown>): Record<string, unknown> {
    const lang = body.language;
    if (lang !== undefined && !['zh_CN', 'en_US', 'pt_BR', 'ar_SA', 'fr_FR', 'es_ES'].includes(lang as string)) {
      return { resultCode: '13', resultDesc: 'language must be one of zh_CN, en_US, pt_BR, ar_SA, fr_FR, es_ES.' };
    }
    const levels = this.cc.channel(user.channelId).satisfactionLevels;
    return {
      resultCode: '0',
      resultDesc: 'query satisfaction survey mode success.',
      satisfactionSurvey:
        levels.length === 0
          ? { surveyType: 'NO', satisfactionLevel: [], satisfactionQuestion: [] }
          : {
              surveyType: 'WEB',
              satisfactionLevel: levels.map((d, i) => ({ satisfactionLevelKey: String(i + 1), satisfactionLevelDesc: d })),
              satisfactionQuestion: ['CSAT', 'FCR', 'NPS'],
            },
    };
  }

  /** `POST /saveSatisfaction` → `{resultCode "0" | "13", resultDesc}`; the last rating of a session counts. */
  saveSatisfaction(user: CecUser, body: Record<string, unknown>): CecResult {
    const fail = (resultDesc: string): CecResult => ({ resultCode: '13', resultDesc });
    const { channel, userId, evaluation, comment, channelConfigId, npsScore, fcrValue } = body;
    if (channel !== 'WEB') return fail('channel must be "WEB".');
    if (userId !== user.userId) return fail('userId must be the userId of the ccmessaging-token.');
    if (channelConfigId !== user.channelId) return fail("channelConfigId must be the web channel's configuration id.");
    const levels = this.cc.channel(user.channelId).satisfactionLevels.length;
    if (typeof evaluation !== 'string' || !/^[1-5]$/.test(evaluation) || Number(evaluation) > levels) return fail(`evaluation must be "1" to "${Math.max(1, levels)}".`);
    if (typeof comment !== 'string' || comment.length >= 512) return fail('comment is required and must be under 512 characters.');
    if (npsScore !== undefined && (typeof npsScore !== 'string' || !/^[0-9]$/.test(npsScore))) return fail('npsScore must be "0" to "9".');
    if (fcrValue !== undefined && fcrValue !== '1' && fcrValue !== '2') return fail('fcrValue must be "1" (solved) or "2" (not solved).');
    try {
      this.cc.saveSatisfaction(this.identity(user), { userId: user.userId, channelId: user.channelId, evaluation: evaluation as '1', comment });
    } catch (e) {
      if (e instanceof ApiFailure) return fail(e.message);
      throw e;
    }
    const s = [...this.cc.allSessions()].reverse().find((x) => x.stream.userId === user.userId && x.channelId === user.channelId && x.hadAgent)!;
    this.ratings.push({
      channelId: user.channelId,
      userId: user.userId,
      sessionId: s.id,
      evaluation,
      comment,
      ...(npsScore !== undefined ? { npsScore: npsScore as string } : {}),
      ...(fcrValue !== undefined ? { fcrValue: fcrValue as string } : {}),
      at: this.cc.clock.now(),
    });
    return { resultCode: '0', resultDesc: 'Save satisfaction success.' };
  }

  // ── leave a message, history ──────────────────────────────────────────────

  /** `POST /doLeaveMessage {callId, caller, leaveMessage, channel}` → 0 saved, 3 bad parameters, 13 not saved. */
  doLeaveMessage(user: CecUser, body: Record<string, unknown>): CecResult {
    const bad = (why: string): CecResult => ({ resultCode: '3', resultDesc: `the leaveMessageParams is error: ${why}` });
    const { callId, caller, leaveMessage, channel } = body;
    if (channel !== 'WEB') return bad('channel must be "WEB".');
    if (callId !== user.userId) return bad('callId must be the userId of the ccmessaging-token.');
    if (typeof caller !== 'string' || !/^\+?[0-9][0-9 -]{2,31}$/.test(caller)) return bad('caller must be a phone number.');
    if (typeof leaveMessage !== 'string' || !leaveMessage.trim() || leaveMessage.length > 2000) return bad('leaveMessage must be 1–2000 characters.');
    if (this.activeSession(user)?.phase === 'agent') return { resultCode: '13', resultDesc: 'Save leaveMessage failed: an agent is serving this customer.' };
    this.cc.leaveMessage(this.identity(user), { userId: user.userId, channelId: user.channelId, content: leaveMessage, contact: caller });
    return { resultCode: '0', resultDesc: 'Save leaveMessage success!' };
  }

  /** `POST /queryHistoryChatMessage`: the customer's conversation on this channel, oldest first, by offset/limit. */
  history(user: CecUser, body: Record<string, unknown>): Record<string, unknown> {
    const fail = (resultDesc: string) => ({ resultCode: '1', resultDesc, messageList: [] });
    const { channelId, userId, channel, offset, limit, startTime, endTime } = body;
    if (channel !== 'WEB') return fail('channel must be "WEB".');
    if (channelId !== user.channelId) return fail("channelId must be the web channel's configuration id.");
    if (userId !== user.userId) return fail('userId must be the userId of the ccmessaging-token.');
    const int = (v: unknown, lo: number, hi: number) => {
      const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
      return typeof n === 'number' && Number.isInteger(n) && n >= lo && n <= hi ? n : null;
    };
    const off = int(offset ?? 0, 0, Number.MAX_SAFE_INTEGER);
    const lim = int(limit, 1, 100);
    if (off === null) return fail('offset must be a whole number ≥ 0.');
    if (lim === null) return fail('limit must be a whole number from 1 to 100.');
    const from = startTime === undefined || startTime === '' ? 0 : int(startTime, 0, Number.MAX_SAFE_INTEGER);
    const to = endTime === undefined || endTime === '' ? Number.MAX_SAFE_INTEGER : int(endTime, 0, Number.MAX_SAFE_INTEGER);
    if (from === null) return fail('startTime must be epoch milliseconds.');
    if (to === null) return fail('endTime must be epoch milliseconds.');
    const stream = this.cc.findStream(user.channelId, user.userId);
    const counters = new Map<string, number>();
    const ctx: TranslateContext = {
      ...this.context(user, false),
      nextIndex: (sid) => {
        const n = (counters.get(sid) ?? 0) + 1;
        counters.set(sid, n);
        return n;
      },
    };
    const all: CecHistoryMessage[] = (stream?.messages ?? []).flatMap((m: DownlinkMessage) => historyElements(m, ctx)).filter((m) => m.timestamp >= from && m.timestamp <= to);
    return { resultCode: '0', resultDesc: 'query history message success.', messageList: all.slice(off, off + lim) };
  }
}

const key = (channelId: string, userId: string) => `${channelId}\u0000${userId}`;

function runtimeMedia(m: CecMediaType): MediaType {
  return m === 'TEXT' ? 'TEXT' : m === 'IMAGE' || m === 'FILE_IMAGE' ? 'IMAGE' : 'FILE';
}

function oneOf<T extends string>(body: Record<string, unknown>, field: string, values: readonly T[], required: boolean): T | undefined {
  const v = body[field];
  if (v === undefined || v === null || v === '') {
    if (required) throw badRequest(`send.${field}.missing`, `${field} is required.`, field);
    return undefined;
  }
  if (typeof v !== 'string' || !values.includes(v as T)) throw badRequest(`send.${field}.invalid`, `${field} must be one of ${values.join(', ')}.`, field);
  return v as T;
}

function text(body: Record<string, unknown>, field: string, rule: { required?: boolean; max?: number }): string {
  const v = body[field];
  if (v === undefined || v === null || v === '') {
    if (rule.required) throw badRequest(`send.${field}.missing`, `${field} is required.`, field);
    return '';
  }
  if (typeof v !== 'string') throw badRequest(`send.${field}.invalid`, `${field} must be a string.`, field);
  if (rule.max !== undefined && v.length > rule.max) throw badRequest(`send.${field}.invalid`, `${field} must be at most ${rule.max} characters.`, field);
  return v;
}

/** Checks every setting of the face; throws a 400 naming the first invalid field. */
export function validateCecFaceConfig(c: CecFaceConfig): CecFaceConfig {
  const bad = (field: string, why: string) => badRequest(`cecFace.${field}.invalid`, `${field} ${why}`, field);
  const known = ['appKey', 'appSecret', 'pollHoldSeconds', 'releaseAfterSeconds', 'language', 'connectedText', 'downloadMaxBytes'];
  for (const k of Object.keys(c)) if (!known.includes(k)) throw bad(k, 'is not a setting of the CEC face.');
  for (const f of ['appKey', 'appSecret'] as const) {
    if (typeof c[f] !== 'string' || !/^[\x21-\x7e]{8,128}$/.test(c[f])) throw bad(f, 'must be 8–128 printable ASCII characters.');
  }
  const int = (f: 'pollHoldSeconds' | 'releaseAfterSeconds' | 'downloadMaxBytes', lo: number, hi: number) => {
    if (!Number.isInteger(c[f]) || c[f] < lo || c[f] > hi) throw bad(f, `must be a whole number from ${lo} to ${hi}.`);
  };
  int('pollHoldSeconds', 0, 60);
  int('releaseAfterSeconds', 10, 86_400);
  int('downloadMaxBytes', 1, 50 * 1024 * 1024);
  if (c.language !== 'en' && c.language !== 'zh') throw bad('language', 'must be "en" or "zh".');
  if (typeof c.connectedText !== 'object' || c.connectedText === null) throw bad('connectedText', 'must be an object {en, zh}.');
  for (const l of ['en', 'zh'] as const) {
    const t = c.connectedText[l];
    if (typeof t !== 'string' || !t.trim() || t.length > 500) throw bad(`connectedText.${l}`, 'must be 1–500 characters.');
  }
  return { ...c, connectedText: { en: c.connectedText.en, zh: c.connectedText.zh } };
}
