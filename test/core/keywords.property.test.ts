/**
 * Properties of the keyword matcher (widget/core/keywords.ts): case- and width-insensitive,
 * anywhere in the message, blank keywords never match. Fixed seed: a failure replays the same.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findKeyword } from '../../widget/core/keywords.js';

const SEED = 20261130;
const RUNS = 300;
const opts = { seed: SEED, numRuns: RUNS };

/** ASCII letters and digits, plus a few CJK ideographs: keywords as tenants write them. */
const keywordChar = fc.oneof(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), fc.constantFrom(...'转人工客服坐席'));
const keyword = fc.array(keywordChar, { minLength: 1, maxLength: 12 }).map((cs) => cs.join(''));
/** Text around the keyword: printable ASCII and CJK (nothing that NFKC folds into the keyword). */
const filler = fc.array(fc.oneof(fc.constantFrom(...' .,!?-abcXYZ019'), fc.constantFrom(...'我要你好谢谢')), { maxLength: 20 }).map((cs) => cs.join(''));

/** The full-width form of printable ASCII (U+FF01–FF5E), as a Chinese IME types it. */
const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const randomCase = (s: string, flips: boolean[]) => [...s].map((c, i) => (flips[i % flips.length] ? c.toUpperCase() : c.toLowerCase())).join('');

describe('findKeyword (properties, seed 20261130)', () => {
  it('finds a keyword anywhere in the text, whatever its case and width', () => {
    fc.assert(
      fc.property(keyword, filler, filler, fc.array(fc.boolean(), { minLength: 1 }), fc.boolean(), (k, before, after, flips, wide) => {
        const typed = randomCase(wide ? fullWidth(k) : k, flips);
        expect(findKeyword(`${before}${typed}${after}`, [k])).toBe(k);
      }),
      opts,
    );
  });

  it('returns one of the keywords given, the first that matches, or undefined', () => {
    fc.assert(
      fc.property(fc.array(keyword, { maxLength: 5 }), filler, (keys, text) => {
        const found = findKeyword(text, keys);
        if (found === undefined) return;
        expect(keys).toContain(found);
        expect(keys.slice(0, keys.indexOf(found)).some((k) => findKeyword(text, [k]) !== undefined)).toBe(false);
      }),
      opts,
    );
  });

  it('never matches a blank keyword, in any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.constantFrom('', ' ', '\t', '　', ' \n '), (text, blank) => {
        expect(findKeyword(text, [blank])).toBeUndefined();
      }),
      opts,
    );
  });
});
