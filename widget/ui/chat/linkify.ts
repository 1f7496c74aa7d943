/**
 * Splits message text into plain parts and http(s) links. Everything renders through Lit text
 * and attribute bindings, so remote content is never parsed as HTML; only http and https
 * become links (no `javascript:`, `data:` or other schemes), opened with `noopener`.
 */
export type Part = { text: string; href?: string };

const URL_RE = /\bhttps?:\/\/[^\s<>"'`]+/gi;

export function linkify(text: string): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    // Trailing punctuation belongs to the sentence, not the link.
    const raw = m[0].replace(/[.,;:!?)\]}]+$/, '');
    const start = m.index ?? 0;
    let href: string | undefined;
    try {
      const u = new URL(raw);
      if (u.protocol === 'http:' || u.protocol === 'https:') href = u.href;
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

/** Drops control characters (except tab and newline) that could garble the layout. */
export function cleanText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
}
