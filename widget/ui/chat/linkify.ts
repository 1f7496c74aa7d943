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
