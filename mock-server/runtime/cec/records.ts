/**
 * The calls around a conversation on the real CEC face (reference §1.5–§1.8): the satisfaction
 * survey mode (POST, nested answer), the rating (0 / 13), leave-a-message (0 / 3 / 13) and the
 * history paged by offset / limit. Business failures are HTTP 200 with a non-zero resultCode.
 */
import type { DownlinkMessage } from '../../../widget/core/protocol.js';
import { ApiFailure } from '../errors.js';
import { historyElements, type CecHistoryMessage, type TranslateContext } from './downlink.js';
import type { CecFaceHost, CecResult, CecUser } from './user.js';

export class CecRecords {
  constructor(private readonly face: CecFaceHost) {}

  /** `POST /getsatisfactionsurveymode {language?}` → the nested `satisfactionSurvey` answer. */
  surveyMode(user: CecUser, body: Record<string, unknown>): Record<string, unknown> {
    const lang = body.language;
    if (lang !== undefined && !['zh_CN', 'en_US', 'pt_BR', 'ar_SA', 'fr_FR', 'es_ES'].includes(lang as string)) {
      return { resultCode: '13', resultDesc: 'language must be one of zh_CN, en_US, pt_BR, ar_SA, fr_FR, es_ES.' };
    }
    // The survey's language when asked for one (pt_BR → pt-BR), else the customer's locale.
    const levels = this.face.cc.channel(user.channelId, typeof lang === 'string' ? lang.replace('_', '-') : user.locale).satisfactionLevels;
    return {
      resultCode: '0',
      resultDesc: 'query satisfaction survey mode success.',
      satisfactionSurvey:
        this.face.config.satisfactionSurvey === 'NO' || levels.length === 0
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
    const levels = this.face.cc.channel(user.channelId).satisfactionLevels.length;
    if (typeof evaluation !== 'string' || !/^[1-5]$/.test(evaluation) || Number(evaluation) > levels) return fail(`evaluation must be "1" to "${Math.max(1, levels)}".`);
    if (typeof comment !== 'string' || comment.length >= 512) return fail('comment is required and must be under 512 characters.');
    if (npsScore !== undefined && (typeof npsScore !== 'string' || !/^[0-9]$/.test(npsScore))) return fail('npsScore must be "0" to "9".');
    if (fcrValue !== undefined && fcrValue !== '1' && fcrValue !== '2') return fail('fcrValue must be "1" (solved) or "2" (not solved).');
    try {
      this.face.cc.saveSatisfaction(this.face.identity(user), { userId: user.userId, channelId: user.channelId, evaluation: evaluation as '1', comment });
    } catch (e) {
      if (e instanceof ApiFailure) return fail(e.message);
      throw e;
    }
    const s = user.stream.latestWithAgent!;
    this.face.ratings.push({
      channelId: user.channelId,
      userId: user.userId,
      sessionId: s.id,
      evaluation,
      comment,
      ...(npsScore !== undefined ? { npsScore: npsScore as string } : {}),
      ...(fcrValue !== undefined ? { fcrValue: fcrValue as string } : {}),
      at: this.face.cc.clock.now(),
    });
    return { resultCode: '0', resultDesc: 'Save satisfaction success.' };
  }

  // ── leave a message, history ──────────────────────────────────────────────

  /**
   * `POST /doLeaveMessage {callId, caller, leaveMessage, channel}` → 0 saved, 3 bad parameters,
   * 13 not saved (the contact center takes messages only outside work time or after a queue
   * released the chat: "when connecting to an agent failed").
   */
  doLeaveMessage(user: CecUser, body: Record<string, unknown>): CecResult {
    const bad = (why: string): CecResult => ({ resultCode: '3', resultDesc: `the leaveMessageParams is error: ${why}` });
    const { callId, caller, leaveMessage, channel } = body;
    if (channel !== 'WEB') return bad('channel must be "WEB".');
    if (callId !== user.userId) return bad('callId must be the userId of the ccmessaging-token.');
    if (typeof caller !== 'string' || !/^\+?[0-9][0-9 -]{2,31}$/.test(caller)) return bad('caller must be a phone number.');
    if (typeof leaveMessage !== 'string' || !leaveMessage.trim() || leaveMessage.length > 2000) return bad('leaveMessage must be 1–2000 characters.');
    try {
      // The contact center's rule: only outside work time or after a queue released the chat.
      this.face.cc.leaveMessage(this.face.identity(user), { userId: user.userId, channelId: user.channelId, content: leaveMessage, contact: caller });
    } catch (e) {
      if (e instanceof ApiFailure) return { resultCode: '13', resultDesc: `Save leaveMessage failed: ${e.message}` };
      throw e;
    }
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
    const stream = user.stream;
    const counters = new Map<string, number>();
    const ctx: TranslateContext = {
      ...this.face.context(user, false),
      sentMedia: (id) => user.sentMedia.get(id),
      nextIndex: (sid) => {
        const n = (counters.get(sid) ?? 0) + 1;
        counters.set(sid, n);
        return n;
      },
    };
    const all: CecHistoryMessage[] = stream.messages.flatMap((m: DownlinkMessage) => historyElements(m, ctx)).filter((m) => m.timestamp >= from && m.timestamp <= to);
    return { resultCode: '0', resultDesc: 'query history message success.', messageList: all.slice(off, off + lim) };
  }
}
