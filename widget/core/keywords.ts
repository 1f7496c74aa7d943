/**
 * Keyword matching shared by the widget (to show "connecting you to an agent" at once) and the
 * mock's chatbot (which is authoritative). Case-insensitive, anywhere in the message, any
 * script: "Agent please", "I need an AGENT" and "转人工客服" all match their keywords.
 */
function normalize(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

/** The first keyword contained in `text`, or undefined. Blank keywords never match. */
export function findKeyword(text: string, keywords: readonly string[]): string | undefined {
  const haystack = normalize(text);
  return keywords.find((k) => {
    const needle = normalize(k).trim();
    return needle.length > 0 && haystack.includes(needle);
  });
}
