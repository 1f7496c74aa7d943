import { describe, expect, it } from 'vitest';
import { allTexts, localize, matchLocale } from '../../widget/core/locale.js';

describe('matchLocale: the one language fallback', () => {
  const tags = ['en', 'pt-BR', 'pt-PT', 'fr', 'zh-CN'];
  it.each([
    ['pt-BR', tags, 'pt-BR'], // exact
    ['PT-br', tags, 'pt-BR'], // case-insensitive, spelled as available
    ['pt', tags, 'pt-BR'], // a bare language takes the first tag of that language
    ['pt-PT', ['en', 'pt', 'pt-BR'], 'pt'], // a region falls back to the bare language first
    ['pt-AO', ['en', 'pt-BR'], 'pt-BR'], // then to any tag of the language
    ['fr-CA', tags, 'fr'],
    ['zh', tags, 'zh-CN'],
    ['de', tags, undefined], // no tag of the language
    ['', tags, undefined],
    [undefined, tags, undefined],
  ] as const)('%s of %j → %s', (wanted, available, expected) => {
    expect(matchLocale(available, wanted)).toBe(expected);
  });
});

describe('localize: the text a customer of a locale reads', () => {
  const notice = { en: 'We are closed.', 'pt-BR': 'Estamos fechados.', fr: 'Nous sommes fermés.' };
  it.each([
    ['a plain string serves every language', 'Closed.', 'fr', undefined, 'Closed.'],
    ['exact tag', notice, 'pt-BR', undefined, 'Estamos fechados.'],
    ['language (pt → pt-BR)', notice, 'pt', undefined, 'Estamos fechados.'],
    ['language (fr-FR → fr)', notice, 'fr-FR', 'en', 'Nous sommes fermés.'],
    ["the channel's default language", notice, 'de', 'fr', 'Nous sommes fermés.'],
    ["the channel's default language, by language", notice, 'de', 'pt-PT', 'Estamos fechados.'],
    ['the first text given when nothing matches', notice, 'ja', 'ko', 'We are closed.'],
    ['the first text given without a locale', { es: 'Cerrado.', en: 'Closed.' }, undefined, undefined, 'Cerrado.'],
    ['an empty map is empty', {}, 'en', 'en', ''],
  ] as const)('%s', (_, text, locale, defaultLocale, expected) => {
    expect(localize(text, locale, defaultLocale)).toBe(expected);
  });

  it('allTexts lists every language of a text', () => {
    expect(allTexts(notice)).toEqual(['We are closed.', 'Estamos fechados.', 'Nous sommes fermés.']);
    expect(allTexts('Closed.')).toEqual(['Closed.']);
    expect(allTexts(null)).toEqual([]);
  });
});
