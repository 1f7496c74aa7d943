/** GET /queryChannelConfig: what the widget shows of the channel, in the customer's language. */
import { LOCALE_TAG, localize, type LocalizedText } from '../../../core/locale.js';
import { HttpError } from '../http.js';
import type { ConnectorContext } from '../context.js';
import { surveyLanguage } from './satisfaction.js';

export async function channelConfig(ctx: ConnectorContext, request: Request): Promise<unknown> {
  const { store, channels, secretKeys } = ctx;
  const query = new URL(request.url).searchParams;
  const channelId = query.get('channelId');
  if (!channelId) throw new HttpError(400, 'queryChannelConfig.channelId.missing', 'channelId is required.', 'channelId');
  const ch = channels.get(channelId);
  if (!ch) throw new HttpError(404, 'channel.notFound', 'No such channel on this connector.', 'channelId');
  // (ext) the customer's locale: the texts given by language answer in theirs.
  const locale = query.get('locale') || undefined;
  if (locale !== undefined && !LOCALE_TAG.test(locale)) throw new HttpError(400, 'queryChannelConfig.locale.invalid', 'locale must be a BCP 47 language tag.', 'locale');
  const t = (text: LocalizedText) => localize(text, locale, ch.defaultLocale);
  const cached = await store.getToken(`levels:${channelId}:${surveyLanguage(locale)}`);
  const levels = cached
    ? (JSON.parse(cached) as Array<{ satisfactionLevelKey: string; satisfactionLevelDesc: string }>)
    : ch.satisfactionLevels.map((d, i) => ({ satisfactionLevelKey: String(i + 1), satisfactionLevelDesc: t(d) }));
  return {
    resultCode: '0',
    channelId,
    useRobot: ch.useRobot && ch.chatbot !== null,
    toArtificialKeyWord: ch.toArtificialKeyWord,
    queueReminderInterval: ch.queueReminder.intervalSeconds,
    queueReminderContent: t(ch.queueReminder.content),
    dialogEnd: { ...ch.dialogEnd, conclusion: t(ch.dialogEnd.conclusion) },
    workTime: ch.workTime && { ...ch.workTime, nonWorkingNotice: t(ch.workTime.nonWorkingNotice) },
    chatbot: ch.chatbot && { name: ch.chatbot.name, avatar: ch.chatbot.avatar, gender: ch.chatbot.gender },
    clickToDial: ch.clickToDial,
    satisfactionLevels: levels,
    requiresSignature: secretKeys.has(channelId),
    upload: ch.upload,
  };
}
