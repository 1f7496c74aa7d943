/**
 * A web channel as one customer reads it: every customer-facing text of the tenant (given as a
 * string or by language, see schema/fields.ts localText) resolved for the customer's locale by
 * the product's one fallback (widget/core/locale.ts): exact tag, language, the channel's
 * `defaultLocale`, the first text given.
 */
import { localize } from '../../widget/core/locale.js';
import type { LocalChannel, WebChannel } from './types.js';

const cache = new WeakMap<WebChannel, Map<string, LocalChannel>>();

/**
 * `ch` with each text in the language of `locale` (undefined: the channel's default language,
 * else the first text given). The tenant snapshot is replaced as a whole on every change, so
 * the answer is kept per channel object and locale.
 */
export function localizeChannel(ch: WebChannel, locale: string | undefined): LocalChannel {
  const key = (locale ?? '').toLowerCase();
  let byLocale = cache.get(ch);
  if (!byLocale) cache.set(ch, (byLocale = new Map()));
  let out = byLocale.get(key);
  if (!out) byLocale.set(key, (out = resolve(ch, locale)));
  return out;
}

function resolve(ch: WebChannel, locale: string | undefined): LocalChannel {
  const t = (text: Parameters<typeof localize>[0]) => localize(text, locale, ch.defaultLocale);
  return {
    ...ch,
    dialogEnd: ch.dialogEnd && { ...ch.dialogEnd, conclusion: t(ch.dialogEnd.conclusion) },
    workTime: ch.workTime && { ...ch.workTime, nonWorkingNotice: t(ch.workTime.nonWorkingNotice) },
    queueReminder: { ...ch.queueReminder, content: t(ch.queueReminder.content) },
    chatbot: ch.chatbot && {
      ...ch.chatbot,
      greeting: t(ch.chatbot.greeting),
      defaultReply: t(ch.chatbot.defaultReply),
      timeoutReply: t(ch.chatbot.timeoutReply),
      transferPrompt: t(ch.chatbot.transferPrompt),
      rules: ch.chatbot.rules.map((r) => ({ ...r, reply: t(r.reply) })),
    },
    satisfactionLevels: ch.satisfactionLevels.map(t),
  };
}
