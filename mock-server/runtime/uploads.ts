/**
 * `uploadFileStream`: files and images the customer sends in the chat. Checked for type (the
 * declared one must match the bytes), size and name; kept in memory under an unguessable
 * objectKey that ends with the file name, so a link or an <img> can show it by key alone.
 *
 * File names are normalised at upload (NFC; bidi, invisible and control characters removed;
 * spaces at the ends trimmed) and refused when nothing usable is left, when they are a dot
 * segment (`.`, `..`: a URL cannot carry them) or contain a slash. The key carries the name
 * percent-encoded, so any accepted name — `with space.pdf`, `café.pdf`, `100%.txt` — makes a
 * URL that downloads it.
 */
import { contentMatchesType } from '../../widget/core/file-type.js';
import { ApiFailure, badRequest } from './errors.js';

export const UPLOAD_MAX_BYTES = 5 * 1024 * 1024;
export const UPLOAD_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'] as const;
const MAX_FILES = 200;
const MAX_TOTAL_BYTES = 50 * 1024 * 1024;

export interface StoredFile {
  bytes: Uint8Array;
  fileType: string;
  /** The name as normalised at upload (what downloads are called). */
  fileName: string;
}

/**
 * Bidi controls, zero-width and other invisible format characters, and C0/C1 controls: a name
 * like `photo\u202Egnp.exe` would otherwise read "photoexe.png" (Unicode TR #36).
 */
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|[\u{E0000}-\u{E007F}]/gu;

/**
 * The name a file is kept under, or null when the name cannot be one: NFC, hidden characters
 * removed, spaces at the ends trimmed; refused when empty, only dots, over 255 characters, or
 * with a slash or backslash (a path, not a name).
 */
export function normaliseFileName(name: string): string | null {
  const clean = name.normalize('NFC').replace(HIDDEN, '').trim();
  if (!clean || /^\.+$/.test(clean) || clean.length > 255 || /[\\/]/.test(clean)) return null;
  return clean;
}

function decodeBase64(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return null;
  try {
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

export class FileStore {
  /** By the random half of the objectKey; the name half is checked on the way out. */
  private files = new Map<string, StoredFile & { keyName: string }>();
  private total = 0;

  reset(): void {
    this.files.clear();
    this.total = 0;
  }

  upload(input: { fileType: string; fileName: string; fileStream: string }): string {
    if (!(UPLOAD_TYPES as readonly string[]).includes(input.fileType)) {
      throw badRequest('upload.fileType.invalid', `fileType must be one of ${UPLOAD_TYPES.join(', ')}.`, 'fileType');
    }
    const fileName = normaliseFileName(input.fileName);
    if (fileName === null) {
      throw badRequest('upload.fileName.invalid', 'fileName must be 1–255 visible characters, not only dots, without slashes.', 'fileName');
    }
    const bytes = decodeBase64(input.fileStream);
    if (!bytes) throw badRequest('upload.fileStream.invalid', 'fileStream must be base64.', 'fileStream');
    if (bytes.length === 0) throw badRequest('upload.fileStream.empty', 'The file is empty.', 'fileStream');
    if (bytes.length > UPLOAD_MAX_BYTES) throw badRequest('upload.fileStream.tooLarge', `Files may be at most ${UPLOAD_MAX_BYTES / 1024 / 1024} MB.`, 'fileStream');
    if (!contentMatchesType(input.fileType, bytes)) throw badRequest('upload.fileStream.typeMismatch', `The file's content is not ${input.fileType}.`, 'fileStream');
    const random = Array.from(crypto.getRandomValues(new Uint8Array(16)), (x) => x.toString(16).padStart(2, '0')).join('');
    const keyName = encodeURIComponent(fileName);
    this.files.set(random, { bytes, fileType: input.fileType, fileName, keyName });
    this.total += bytes.length;
    for (const [key, f] of this.files) {
      if (this.files.size <= MAX_FILES && this.total <= MAX_TOTAL_BYTES) break;
      this.files.delete(key);
      this.total -= f.bytes.length;
    }
    return `${random}/${keyName}`;
  }

  /**
   * A file by its objectKey, with the name half as in the key (percent-encoded) or decoded, as
   * a router hands it over after decoding the URL's path. Throws a 404 ApiFailure otherwise.
   */
  get(objectKey: string): StoredFile {
    const slash = objectKey.indexOf('/');
    const f = slash > 0 ? this.files.get(objectKey.slice(0, slash)) : undefined;
    const name = objectKey.slice(slash + 1);
    if (!f || (name !== f.keyName && encodeURIComponent(name) !== f.keyName)) throw new ApiFailure(404, 'file.notFound', 'No file has this key (it may have expired).', 'objectKey');
    return { bytes: f.bytes, fileType: f.fileType, fileName: f.fileName };
  }
}
