/** What a message's text becomes on screen: which parts are links, and what is never shown. */
import { describe, expect, it } from 'vitest';
import { cleanText } from '../../widget/core/text.js';
import { linkify } from '../../widget/ui/chat/linkify.js';

const links = (text: string) =>
  linkify(text)
    .filter((p) => p.href)
    .map((p) => p.text);

describe('linkify', () => {
  it.each([
    ['https://en.wikipedia.org/wiki/Mercury_(planet)', 'https://en.wikipedia.org/wiki/Mercury_(planet)'],
    ['See https://en.wikipedia.org/wiki/Mercury_(planet).', 'https://en.wikipedia.org/wiki/Mercury_(planet)'],
    ['(see https://en.wikipedia.org/wiki/Mercury_(planet))', 'https://en.wikipedia.org/wiki/Mercury_(planet)'],
    ['(https://example.com/help)', 'https://example.com/help'],
    ['[https://example.com/a]', 'https://example.com/a'],
    ['https://example.com/f(x)?q=(1,2)#(top), then', 'https://example.com/f(x)?q=(1,2)#(top)'],
    ['Really? https://example.com/a_(b)_c)!?', 'https://example.com/a_(b)_c'],
    ['https://example.com/path...', 'https://example.com/path'],
    ['go to https://example.com/x;', 'https://example.com/x'],
  ])('%s links to %s', (text, href) => {
    expect(links(text)).toEqual([href]);
    // Nothing of the text is lost: the parts put back together are the message.
    expect(
      linkify(text)
        .map((p) => p.text)
        .join(''),
    ).toBe(text);
  });

  it.each(['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://example.com/f', 'https://', 'http://:80/', 'file:///etc/passwd'])('makes no link of %s', (text) => {
    expect(links(text)).toEqual([]);
  });
});

describe('cleanText', () => {
  it('shows a file name with a right-to-left override as its real name', () => {
    expect(cleanText('photo\u202Egnp.exe')).toBe('photognp.exe');
  });

  it.each([
    ['bidi marks, embeddings, overrides and isolates', 'a\u200E\u200F\u061C\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069b'],
    ['zero-width space, word joiner, invisible operators, BOM', 'a\u200B\u2060\u2061\u2062\u2063\u2064\uFEFF\u180Eb'],
    ['C0 and C1 controls', 'a\u0000\u0007\u001B\u007F\u0085\u009Fb'],
    ['interlinear annotations and tag characters', 'a\uFFF9\uFFFA\uFFFB\u{E0001}\u{E0041}b'],
  ])('removes %s', (_what, text) => {
    expect(cleanText(text)).toBe('ab');
  });

  it('keeps tab, newline, joiners that emoji and scripts need, and emoji flag tags', () => {
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
    const scotland = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}';
    const persian = 'می\u200Cخواهم';
    const text = `a\tb\n${family} ${scotland} ${persian} مرحبا 你好`;
    expect(cleanText(text)).toBe(text);
  });

  it('turns line and paragraph separators into newlines', () => {
    expect(cleanText('a\u2028b\u2029c')).toBe('a\nb\nc');
  });
});
