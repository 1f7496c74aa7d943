/** Text from anyone else made safe to show: pure, shared by the widget's views and the connector. */

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
