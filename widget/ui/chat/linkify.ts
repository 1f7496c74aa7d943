/**
 * Splits message text into plain parts and http(s) links. Everything renders through Lit text
 * and attribute bindings, so remote content is never parsed as HTML; only http and https
 * become links (no `javascript:`, `data:` or other schemes), opened with `noopener`.
 */
export type Part = { text: string; href?: string };

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
/** Closing brackets and the opening ones they pair with. */
const PAIRS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

const count = (s: string, c: string) => s.split(c).length - 1;

/**
 * Where a matched URL really ends: punctuation that closes the sentence is not part of it
 * (`see https://a.example/x.`), and neither is a closing bracket without its opening one
 * inside the URL (`(https://a.example/x)`), while a balanced one is
 * (`https://en.wikipedia.org/wiki/Mercury_(planet)`).
 */
export function trimUrl(raw: string): string {
  let url = raw;
  for (;;) {
    const last = url.at(-1) ?? '';
    const open = PAIRS[last];
    if (/[.,;:!?*]/.test(last) || (open && count(url, open) < count(url, last))) url = url.slice(0, -1);
    else return url;
  }
}

export function linkify(text: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    const raw = trimUrl(m[0]);
    const start = m.index ?? 0;
    let href: string | undefined;
    try {
      const u = new URL(raw);
      if ((u.protocol === 'http:' || u.protocol === 'https:') && u.hostname) href = u.href;
    } catch {
      href = undefined;
    }
    if (!href) continue;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/**
 * Characters that change how text around them is ordered or that cannot be seen: C0/C1
 * controls (except tab and newline), the bidi marks, embeddings, overrides and isolates
 * (U+061C, U+200E–F, U+202A–E, U+2066–9), zero-width space and word joiners (U+200B,
 * U+2060–4), invisible operators, U+180E, the BOM (U+FEFF), interlinear annotations
 * (U+FFF9–B), and tag characters except inside an emoji flag sequence. Zero-width (non-)joiners
 * stay: emoji and several scripts need them. Source: Unicode UAX #9 and TR #36 (spoofing).
 */
const HIDDEN =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|(?<!\u{1F3F4}[\u{E0020}-\u{E007E}]*)[\u{E0000}-\u{E007F}]/gu;

/**
 * Text from anyone else (messages, names, titles, file names, queue names, reminders) as it is
 * safe to show: the characters above removed, so `photo\u202Egnp.exe` reads "photognp.exe",
 * not "photoexe.png". Line and paragraph separators become newlines.
 */
export function cleanText(text: string): string {
  return text.replace(HIDDEN, '').replace(/[\u2028\u2029]/g, '\n');
}
