/**
 * The satisfaction survey: GET /getsatisfactionsurveymode (the CEC's levels in the customer's
 * language when it has them, else the channel's own) and POST /saveSatisfaction.
 */
import { localize, matchLocale } from '../../../core/locale.js';
import { COMMENT_MAX_CHARS } from '../../../core/protocol.js';
import { refOf, session } from '../customers.js';
import { readBody, str } from '../http.js';
import type { ConnectorContext, CustomerRecord } from '../context.js';

/** The languages of the CEC's satisfaction survey (getsatisfactionsurveymode, cec-real-api.md). */
const SURVEY_LANGUAGES = ['en-US', 'zh-CN', 'pt-BR', 'ar-SA', 'fr-FR', 'es-ES'];
/** The survey language that serves a locale, by the product's fallback (core/locale), else en_US. */
export const surveyLanguage = (locale: string | undefined): string => (matchLocale(SURVEY_LANGUAGES, locale) ?? 'en-US').replace('-', '_');

/** Satisfaction levels from the CEC when it has them (cached 10 minutes per channel and language). */
export async function surveyLevels(ctx: ConnectorContext, id: string, c: CustomerRecord): Promise<Array<{ satisfactionLevelKey: string; satisfactionLevelDesc: string }> | null> {
  const { store, upstream } = ctx;
  const language = surveyLanguage(c.locale);
  const cached = await store.getToken(`levels:${c.channelId}:${language}`);
  if (cached) return JSON.parse(cached);
  const res = await upstream.call('getsatisfactionsurveymode', '/getsatisfactionsurveymode', {
    body: { language },
    customer: refOf(id, c),
    idempotent: true,
  });
  const survey = (res.satisfactionSurvey ?? res) as Record<string, unknown>;
  const list = Array.isArray(survey.satisfactionLevel) ? (survey.satisfactionLevel as Array<Record<string, unknown>>) : [];
  const levels = list
    .map((l) => ({ satisfactionLevelKey: String(l.satisfactionLevelKey ?? ''), satisfactionLevelDesc: String(l.satisfactionLevelDesc ?? '').slice(0, 64) }))
    .filter((l) => /^[1-5]$/.test(l.satisfactionLevelKey) && l.satisfactionLevelDesc);
  if (survey.surveyType === 'NO' || levels.length !== 5) return null;
  await store.setToken(`levels:${c.channelId}:${language}`, JSON.stringify(levels), 10 * 60_000);
  return levels;
}

export async function survey(ctx: ConnectorContext, request: Request): Promise<unknown> {
  const { id, c } = await session(ctx, request);
  const ch = ctx.channels.get(c.channelId)!;
  const levels =
    (await surveyLevels(ctx, id, c).catch(() => null)) ??
    ch.satisfactionLevels.map((d, i) => ({ satisfactionLevelKey: String(i + 1), satisfactionLevelDesc: localize(d, c.locale, ch.defaultLocale) }));
  return { resultCode: '0', surveyType: 'WEB', satisfactionLevel: levels };
}

export async function saveSatisfaction(ctx: ConnectorContext, request: Request): Promise<unknown> {
  const { id, c } = await session(ctx, request);
  const body = await readBody(request, 'saveSatisfaction');
  const evaluation = str(body, 'evaluation', 'saveSatisfaction', { required: true, oneOf: ['1', '2', '3', '4', '5'] });
  const comment = str(body, 'comment', 'saveSatisfaction', { max: COMMENT_MAX_CHARS });
  // The last rating counts (ours); repeating the same rating is harmless, so it is retried.
  await ctx.upstream.call('saveSatisfaction', '/saveSatisfaction', {
    body: { channel: 'WEB', userId: c.userId, evaluation, comment, channelConfigId: c.channelId },
    customer: refOf(id, c),
    idempotent: true,
  });
  return { resultCode: '0' };
}
