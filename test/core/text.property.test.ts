/**
 * Properties of the text neutralisation every shown string goes through (cleanText and linkify in
 * widget/ui/chat/linkify.ts, pure functions): no bidi or invisible control survives, whatever
 * surrounds it; cleaning twice changes nothing more; plain text passes untouched; links keep the
 * text and are only http(s). Fixed seed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText } from '../../widget/core/text.js';
import { linkify } from '../../widget/ui/chat/linkify.js';

const opts = { seed: 20261130, numRuns: 400 };

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));
/** Every character that must never be shown (UAX #9 bidi controls, invisibles, C0/C1 controls but tab and newline). */
const HIDDEN = [
  ...range(0x00, 0x08),
  ...range(0x0b, 0x1f),
  ...range(0x7f, 0x9f),
  '\u061c',
  '\u180e',
  '\u200b',
  '\u200e',
  '\u200f',
  ...range(0x202a, 0x202e),
  ...range(0x2060, 0x2064),
  ...range(0x2066, 0x206f),
  '\ufeff',
  ...range(0xfff9, 0xfffb),
  '\u2028',
  '\u2029',
];
const TAGS = range(0xe0000, 0xe007f);
const hidden = new Set(HIDDEN);
const BLACK_FLAG = '\u{1F3F4}';

/** Text as an attacker would mix it: any Unicode, hidden controls, tag characters, flags, links. */
const hostile = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
      fc.constantFrom(...HIDDEN),
      fc.constantFrom(...TAGS),
      fc.constantFrom(BLACK_FLAG, '\u200d', '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}', 'https://a.example/x', ' http://b.example/(y) '),
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''));

/** Tag characters are kept only inside an emoji tag sequence: right after U+1F3F4 and other tags. */
function strayTag(s: string): boolean {
  const cps = [...s];
  return cps.some((c, i) => {
    const cp = c.codePointAt(0)!;
    if (cp < 0xe0000 || cp > 0xe007f) return false;
    let j = i - 1;
    while (j >= 0 && cps[j]!.codePointAt(0)! >= 0xe0020 && cps[j]!.codePointAt(0)! <= 0xe007e) j--;
    return cps[j] !== BLACK_FLAG;
  });
}

describe('text neutralisation (properties, seed 20261130)', () => {
  it('no bidi control, invisible character or stray tag character survives cleanText', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const out = cleanText(s);
        expect([...out].filter((c) => hidden.has(c))).toEqual([]);
        expect(strayTag(out)).toBe(false);
      }),
      opts,
    );
  });

  it('cleaning is idempotent: what is shown once cleaned is clean', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        expect(cleanText(cleanText(s))).toBe(cleanText(s));
      }),
      opts,
    );
  });

  it('text without hidden characters passes untouched', () => {
    const safe = fc.string({ unit: 'grapheme' }).filter((s) => ![...s].some((c) => hidden.has(c) || TAGS.includes(c)));
    fc.assert(
      fc.property(safe, (s) => {
        expect(cleanText(s)).toBe(s);
      }),
      opts,
    );
  });

  it('linkify keeps every character, and only http(s) URLs become links, each the URL its text shows', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const parts = linkify(s);
        expect(parts.map((p) => p.text).join('')).toBe(s);
        for (const p of parts)
          if (p.href !== undefined) {
            expect(p.href).toMatch(/^https?:\/\//);
            expect(p.href).toBe(new URL(p.text).href);
          }
      }),
      opts,
    );
  });
});
