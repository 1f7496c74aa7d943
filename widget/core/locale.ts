/**
 * The one language fallback of the product: which of several languages serves a customer's
 * locale. The widget's own strings (ui/i18n), the mock contact center's system texts and the
 * connector's public texts all choose with it, so a customer reads the same language everywhere.
 *
 * The order (issue 19, item 4): the exact tag, then the same language (`pt` → `pt-BR`,
 * `pt-PT` → `pt`), then the channel's default language (by the same two steps), then the first
 * text given. Tags compare case-insensitively (`pt-br` is `pt-BR`), as BCP 47 says.
 */

/**
 * A customer-facing text: one string for every language, or one text per BCP 47 tag
 * (`{"en": "We are closed.", "pt-BR": "Estamos fechados."}`), the first entry being the last resort.
 */
export type LocalizedText = string | Readonly<Record<string, string>>;

/** The shape of a BCP 47 language tag as the product accepts it: `en`, `pt-BR`, `zh-Hans-CN`. */
export const LOCALE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

const language = (tag: string): string => tag.split('-')[0]!.toLowerCase();

/**
 * The best of `available` for `wanted`: the tag itself, else the bare language (`pt` for
 * `pt-PT`), else the first tag of that language (`pt-BR` for `pt`). Case-insensitive; returns
 * the tag as spelled in `available`, or undefined when no tag shares the language (or nothing is
 * wanted).
 */
export function matchLocale(available: Iterable<string>, wanted: string | undefined): string | undefined {
  if (!wanted) return undefined;
  const want = wanted.toLowerCase();
  const lang = language(want);
  let bare: string | undefined;
  let sameLanguage: string | undefined;
  for (const tag of available) {
    const t = tag.toLowerCase();
    if (t === want) return tag;
    if (t === lang) bare ??= tag;
    else if (language(t) === lang) sameLanguage ??= tag;
  }
  return bare ?? sameLanguage;
}

/**
 * The text of `text` for a customer of `locale`: a plain string as it is; of a map, the entry
 * chosen by matchLocale for `locale`, else for `defaultLocale` (the channel's language), else
 * the first entry. An empty map gives "" (schemas refuse one).
 */
export function localize(text: LocalizedText, locale: string | undefined, defaultLocale?: string): string {
  if (typeof text === 'string') return text;
  const tags = Object.keys(text);
  const tag = matchLocale(tags, locale) ?? matchLocale(tags, defaultLocale) ?? tags[0];
  return tag === undefined ? '' : (text[tag] ?? '');
}

/** Every language's text of `text` (a plain string is one): to recognise a text in any language. */
export function allTexts(text: LocalizedText | undefined | null): string[] {
  if (text == null) return [];
  return typeof text === 'string' ? [text] : Object.values(text);
}
