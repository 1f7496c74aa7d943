/**
 * Picks the translation for a locale with the product's one fallback (core/locale.ts): exact tag,
 * then language (`pt` → `pt-BR`, `fr-CA` → `fr`), then English. English ships
 * with the launcher; other languages are separate chunks loaded when a page asks for them.
 */
import { matchLocale } from '../../core/locale.js';
import { en } from './en.js';
import type { Translation } from './translation.js';

export type { Translation };

const LOADERS: Record<string, () => Promise<Translation>> = {
  'zh-cn': () => import('./zh-cn.js').then((m) => m.zhCN),
  zh: () => import('./zh-cn.js').then((m) => m.zhCN),
  ar: () => import('./ar.js').then((m) => m.ar),
  'pt-br': () => import('./pt-br.js').then((m) => m.ptBR),
  pt: () => import('./pt-br.js').then((m) => m.ptBR),
  fr: () => import('./fr.js').then((m) => m.fr),
  es: () => import('./es.js').then((m) => m.es),
  de: () => import('./de.js').then((m) => m.de),
  ja: () => import('./ja.js').then((m) => m.ja),
  ko: () => import('./ko.js').then((m) => m.ko),
};

/** The language tags bundled with the widget (each also matches by language: `pt` → `pt-BR`). */
export const BUNDLED_LOCALES = ['en', 'zh-CN', 'ar', 'pt-BR', 'fr', 'es', 'de', 'ja', 'ko'] as const;
const TABLE: Record<string, Translation> = { en };

/**
 * Adds or replaces a language at run time: its table, or a function that loads it (a dynamic
 * import), called the first time a widget asks for that language. Until a loader has resolved
 * the widget shows nothing in another language: see translationPending.
 */
export function registerTranslation(code: string, t: Translation | (() => Promise<Translation>)): void {
  const key = code.toLowerCase();
  if (typeof t === 'function') {
    delete TABLE[key];
    LOADERS[key] = t;
  } else TABLE[key] = t;
}

/** The registered tag (lower case) that serves `locale`, loaded or not: the product's one fallback (core/locale). */
const tagFor = (locale: string | undefined): string | undefined => matchLocale([...Object.keys(TABLE), ...Object.keys(LOADERS)], locale?.toLowerCase());

/** The translation if it is loaded, else English (see loadTranslation). */
export function translationFor(locale: string | undefined): Translation {
  const k = tagFor(locale);
  return (k !== undefined && TABLE[k]) || en;
}

/**
 * Whether the locale has a language that is not loaded yet (bundled or registered). While it is
 * pending the widget lays itself out in the locale's direction (directionOf) and shows no text
 * in another language, and no session starts, so the first frame a customer sees is right.
 */
export function translationPending(locale: string | undefined): boolean {
  const k = tagFor(locale);
  return k !== undefined && !TABLE[k] && LOADERS[k] !== undefined;
}

/** Loads a bundled language if the locale has one; resolves to what translationFor now returns. */
export async function loadTranslation(locale: string | undefined): Promise<Translation> {
  const k = tagFor(locale);
  if (k === undefined) return en;
  if (TABLE[k]) return TABLE[k];
  const load = LOADERS[k];
  if (!load) return en;
  try {
    return (TABLE[k] = await load());
  } catch (e) {
    // A language that cannot load must not leave the widget blank: English stands in.
    console.error(`CecChat: the "${k}" strings could not load; showing English.`, e);
    return (TABLE[k] = en);
  }
}
