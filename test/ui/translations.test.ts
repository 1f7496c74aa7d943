/**
 * Every bundled language is complete: the same keys as English, nothing empty, every function
 * answering a sentence for sample values; locales fall back by language, then to English; plurals
 * follow each language's CLDR rules.
 */
import { expect } from '@open-wc/testing';
import { en } from '../../widget/ui/i18n/en.js';
import { BUNDLED_LOCALES, loadTranslation } from '../../widget/ui/i18n/index.js';
import type { Translation } from '../../widget/ui/i18n/translation.js';

/** Walks a table: a list of [path, value] for every leaf (strings and functions). */
function leaves(t: unknown, path = ''): [string, unknown][] {
  if (typeof t !== 'object' || t === null) return [[path, t]];
  return Object.entries(t).flatMap(([k, v]) => leaves(v, path ? `${path}.${k}` : k));
}

const SAMPLE_ARGS = [0, 1, 2, 3, 11, 101];

describe('translations', () => {
  for (const locale of BUNDLED_LOCALES) {
    it(`${locale}: every key of English, none empty, every function answers`, async () => {
      const t: Translation = await loadTranslation(locale);
      expect(t.$code.toLowerCase()).to.equal(locale.toLowerCase());
      const mine = new Map(leaves(t));
      for (const [path, enValue] of leaves(en)) {
        expect(mine.has(path), `${locale} lacks ${path}`).to.equal(true);
        const value = mine.get(path);
        expect(typeof value, `${locale} ${path}`).to.equal(typeof enValue);
        if (typeof value === 'string') expect(value.trim(), `${locale} ${path}`).to.not.equal('');
        if (typeof value === 'function') {
          for (const n of SAMPLE_ARGS) {
            const out = (value as (...a: unknown[]) => unknown)(n, 'Alice');
            expect(typeof out === 'string' && out.trim() !== '', `${locale} ${path}(${n})`).to.equal(true);
            expect(String(out), `${locale} ${path}(${n}) leaks a placeholder`).to.not.match(/\{n\}|undefined|NaN/);
          }
        }
      }
      expect(
        [...mine.keys()].filter((k) => !leaves(en).some(([p]) => p === k)),
        `${locale} has keys English lacks`,
      ).to.deep.equal([]);
    });
  }

  it('falls back by language, then to English', async () => {
    expect((await loadTranslation('pt')).$code).to.equal('pt-BR');
    expect((await loadTranslation('pt-PT')).$code).to.equal('pt-BR');
    expect((await loadTranslation('fr-CA')).$code).to.equal('fr');
    expect((await loadTranslation('es-MX')).$code).to.equal('es');
    expect((await loadTranslation('xx-YY')).$code).to.equal('en');
    expect((await loadTranslation(undefined)).$code).to.equal('en');
  });

  it('plurals follow each language: French 0 and 1 are singular, Arabic has dual and few forms', async () => {
    const fr = await loadTranslation('fr');
    expect(fr.unread(0)).to.equal('0 message non lu');
    expect(fr.unread(2)).to.equal('2 messages non lus');
    const ar = await loadTranslation('ar');
    const forms = new Set([1, 2, 3, 11, 100].map((n) => ar.unread(n)));
    expect(forms.size, [...forms].join(' | ')).to.equal(5);
    const ja = await loadTranslation('ja');
    expect(ja.unread(1)).to.equal('未読メッセージ 1 件');
  });
});
