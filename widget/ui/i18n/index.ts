/** Picks the translation for a locale: exact tag, then language, then English. */
import { ar } from './ar.js';
import { en } from './en.js';
import type { Translation } from './translation.js';
import { zhCN } from './zh-cn.js';

export type { Translation };

const TABLE: Record<string, Translation> = { en, 'zh-cn': zhCN, zh: zhCN, ar };

/** Adds or replaces a language at run time (`CecChat.addTranslation`). */
export function registerTranslation(code: string, t: Translation): void {
  TABLE[code.toLowerCase()] = t;
}

export function translationFor(locale: string | undefined): Translation {
  const tag = (locale ?? '').toLowerCase();
  return TABLE[tag] ?? TABLE[tag.split('-')[0]!] ?? en;
}
