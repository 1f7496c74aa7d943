/**
 * Files on the real CEC face: `uploadFileStream` (reference §1.9, api-cec/cec_07_0111) keeps a
 * customer's file under an unguessable objectKey; `downloadFileStream` (§1.10,
 * api-ccfs-cec/cec_07_2220) returns it as base64 with a temporary `fileUrl` (kept 24 h on the
 * mock clock), within the configured download limit (2 MB by default).
 */
import type { CecFaceConfig } from '../../config/types.js';
import type { Clock } from '../clock.js';
import { isUtf8Text, startsWithBytes as starts } from '../../../widget/core/file-type.js';
import { randomHex } from './gateway.js';

export const UPLOAD_FILE_TYPES = ['JPG', 'JPEG', 'PNG', 'BMP', 'MP3', 'AAC', 'MP4', 'TXT', 'CSV'] as const;
export const DOWNLOAD_FILE_TYPES = ['jpg', 'png', 'bpm', 'mp3', 'aac', 'mp4', 'txt', 'csv', 'richtext', 'doc', 'docx', 'pdf', 'zip'] as const;
/** Upload limit (not documented): the mock's own 5 MB. */
export const CEC_UPLOAD_MAX_BYTES = 5 * 1024 * 1024;
export const FILE_URL_HOURS = 24;
const MAX_FILES = 200;
const MAX_TOTAL_BYTES = 50 * 1024 * 1024;

interface CecFile {
  bytes: Uint8Array;
  /** Upper-case upload type, e.g. `PNG`. */
  fileType: string;
}

/** What each upload type's bytes must look like. */
const LOOKS_LIKE: Record<string, (b: Uint8Array) => boolean> = {
  JPG: (b) => starts(b, [0xff, 0xd8, 0xff]),
  JPEG: (b) => starts(b, [0xff, 0xd8, 0xff]),
  PNG: (b) => starts(b, [0x89, 0x50, 0x4e, 0x47]),
  BMP: (b) => starts(b, [0x42, 0x4d]),
  MP3: (b) => starts(b, [0x49, 0x44, 0x33]) || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0),
  AAC: (b) => b[0] === 0xff && ((b[1] ?? 0) & 0xf6) === 0xf0,
  MP4: (b) => String.fromCharCode(...b.slice(4, 8)) === 'ftyp',
  TXT: isUtf8Text,
  CSV: isUtf8Text,
};

export type UploadResult = { returnCode: '0'; objectKey: string } | { returnCode: '1'; resultDesc: string };
export type DownloadResult = { resultCode: '0'; resultDesc: string; fileStream: string; ticket: string } | { resultCode: '2' | '13' | '401'; resultDesc: string };

export class CecFiles {
  private files = new Map<string, CecFile>();
  private total = 0;
  /** Temporary download links: ticket → objectKey and expiry (epoch ms, mock clock). */
  private tickets = new Map<string, { objectKey: string; expiresAt: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly config: () => CecFaceConfig,
  ) {}

  reset(): void {
    this.files.clear();
    this.tickets.clear();
    this.total = 0;
  }

  has(objectKey: string): boolean {
    return this.files.has(objectKey);
  }

  /** `{fileType, fileStream (base64), channel}` → `{returnCode "0", objectKey}`, or returnCode "1" with the reason. */
  upload(body: Record<string, unknown>): UploadResult {
    const fail = (resultDesc: string): UploadResult => ({ returnCode: '1', resultDesc });
    const { fileType, fileStream, channel } = body;
    if (channel !== 'WEB') return fail('channel must be "WEB".');
    if (typeof fileType !== 'string' || !(UPLOAD_FILE_TYPES as readonly string[]).includes(fileType.toUpperCase())) {
      return fail(`fileType must be one of ${UPLOAD_FILE_TYPES.join(', ')}.`);
    }
    const type = fileType.toUpperCase();
    const bytes = typeof fileStream === 'string' ? decodeBase64(fileStream) : null;
    if (!bytes) return fail('fileStream must be base64.');
    if (bytes.length === 0) return fail('fileStream is empty.');
    if (bytes.length > CEC_UPLOAD_MAX_BYTES) return fail(`The file is larger than ${CEC_UPLOAD_MAX_BYTES / 1024 / 1024} MB.`);
    if (!LOOKS_LIKE[type]!(bytes)) return fail(`fileStream is not a ${type} file.`);
    const objectKey = `cec/${randomHex(16)}.${type.toLowerCase()}`;
    this.files.set(objectKey, { bytes, fileType: type });
    this.total += bytes.length;
    for (const [k, f] of this.files) {
      if (this.files.size <= MAX_FILES && this.total <= MAX_TOTAL_BYTES) break;
      this.files.delete(k);
      this.total -= f.bytes.length;
    }
    return { returnCode: '0', objectKey };
  }

  /**
   * `{fileId, channel, fileType, multiMedia?}`: 401 when fileId is missing, 2 when the session's
   * ids are (no ccmessaging-token), 13 when the type is out of range or does not match, the file
   * is missing or empty, or larger than the download limit.
   */
  download(body: Record<string, unknown>, hasSession: boolean): DownloadResult {
    const { fileId, fileType, channel, multiMedia } = body;
    if (typeof fileId !== 'string' || fileId === '') return { resultCode: '401', resultDesc: 'The objectKey (fileId) is null.' };
    if (!hasSession) return { resultCode: '2', resultDesc: 'channelId, userId or tenantId is null: send the ccmessaging-token.' };
    const fail = (resultDesc: string): DownloadResult => ({ resultCode: '13', resultDesc });
    if (channel !== 'WEB') return fail('channel must be "WEB".');
    if (multiMedia !== undefined && multiMedia !== 'multiMedia') return fail('multiMedia must be "multiMedia" when given.');
    if (typeof fileType !== 'string' || !(DOWNLOAD_FILE_TYPES as readonly string[]).includes(fileType)) {
      return fail(`fileType must be one of ${DOWNLOAD_FILE_TYPES.join(', ')}.`);
    }
    const objectKey = fileId.startsWith('local/') ? fileId.slice('local/'.length) : fileId;
    const f = this.files.get(objectKey);
    if (!f) return fail('Download failed: no file has this fileId.');
    if (!sameType(f.fileType, fileType)) return fail(`Download failed: the file is not of type ${fileType}.`);
    if (f.bytes.length === 0) return fail('Download failed: the file is empty.');
    const max = this.config().downloadMaxBytes;
    if (f.bytes.length > max) return fail(`Download failed: the file is larger than the ${max}-byte download limit.`);
    const ticket = randomHex(16);
    this.tickets.set(ticket, { objectKey, expiresAt: this.clock.now() + FILE_URL_HOURS * 3600_000 });
    return { resultCode: '0', resultDesc: 'download file success.', fileStream: encodeBase64(f.bytes), ticket };
  }

  /** The bytes behind a temporary link, or null when it is unknown or expired. */
  byTicket(ticket: string): { bytes: Uint8Array; contentType: string } | null {
    const t = this.tickets.get(ticket);
    if (!t) return null;
    if (t.expiresAt <= this.clock.now()) {
      this.tickets.delete(ticket);
      return null;
    }
    const f = this.files.get(t.objectKey);
    return f ? { bytes: f.bytes, contentType: CONTENT_TYPES[f.fileType] ?? 'application/octet-stream' } : null;
  }
}

const CONTENT_TYPES: Record<string, string> = {
  JPG: 'image/jpeg',
  JPEG: 'image/jpeg',
  PNG: 'image/png',
  BMP: 'image/bmp',
  MP3: 'audio/mpeg',
  AAC: 'audio/aac',
  MP4: 'video/mp4',
  TXT: 'text/plain; charset=utf-8',
  CSV: 'text/csv; charset=utf-8',
};

/** Upload type vs download type: jpg covers JPG and JPEG; the documented "bpm" is BMP. */
function sameType(upload: string, download: string): boolean {
  const u = upload === 'JPEG' ? 'jpg' : upload === 'BMP' ? 'bpm' : upload.toLowerCase();
  return u === download;
}

function decodeBase64(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return null;
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function encodeBase64(b: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < b.length; i += 0x8000) bin += String.fromCharCode(...b.subarray(i, i + 0x8000));
  return btoa(bin);
}
