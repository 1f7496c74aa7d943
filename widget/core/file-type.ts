/**
 * Whether a file's bytes are the type it claims, for the types the channel takes. The same
 * check runs in the widget before an upload (so a text file named .png is refused with a
 * sentence at once) and in the mock's `uploadFileStream` (which refuses it with a 400).
 * Pure: bytes in, answer out.
 */

/** Whether `b` begins with the byte signature `sig` (a file type's magic number). */
export const startsWithBytes = (b: Uint8Array, sig: number[]): boolean => sig.every((x, i) => b[i] === x);
const starts = startsWithBytes;

/** Whether `b` is UTF-8 text without NUL bytes (what a text or CSV upload must be). */
export function isUtf8Text(b: Uint8Array): boolean {
  if (b.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

/** How many leading bytes decide each type; `text/plain` needs the whole file. */
export function bytesNeeded(type: string): number {
  return type === 'text/plain' ? Infinity : 12;
}

const MAGIC: Record<string, (b: Uint8Array) => boolean> = {
  'image/png': (b) => starts(b, [0x89, 0x50, 0x4e, 0x47]),
  'image/jpeg': (b) => starts(b, [0xff, 0xd8, 0xff]),
  'image/gif': (b) => starts(b, [0x47, 0x49, 0x46]),
  'image/webp': (b) => starts(b, [0x52, 0x49, 0x46, 0x46]) && starts(b.subarray(8), [0x57, 0x45, 0x42, 0x50]),
  'application/pdf': (b) => starts(b, [0x25, 0x50, 0x44, 0x46]),
  'text/plain': isUtf8Text,
};

/**
 * True when `bytes` (the file's first `bytesNeeded(type)` bytes, or all of it) start as `type`
 * requires (PNG, JPEG, GIF and WebP signatures, `%PDF`, UTF-8 text). Types not listed are not
 * judged here (true): the server decides.
 */
export function contentMatchesType(type: string, bytes: Uint8Array): boolean {
  const check = MAGIC[type];
  return check ? check(bytes) : true;
}
