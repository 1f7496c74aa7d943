/**
 * Files: the types the connector knows by extension, the check that bytes are what their type
 * says, safe names, and the record that lets a browser fetch a file the CEC sent at `/file/:key`.
 */
import type { MediaType } from '../../core/protocol.js';
import { cleanText } from '../../core/text.js';
import type { ConnectorContext, FileRecord } from './context.js';
import type { UpstreamMessage } from './derive.js';

/** How long a file's key (its `file:<random>` record) serves downloads. */
export const FILE_TTL_MS = 7 * 24 * 3600_000;

/** The extension of each MIME type the connector sends upstream. */
export const EXT: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/bmp': 'bmp',
  'audio/mpeg': 'mp3',
  'audio/aac': 'aac',
  'video/mp4': 'mp4',
  'text/plain': 'txt',
  'text/csv': 'csv',
};
/** The MIME type of a file the CEC sends, by its extension. */
export const MIME_BY_EXT: Record<string, string> = Object.fromEntries([
  ...Object.entries(EXT).map(([m, e]) => [e, m]),
  ['jpeg', 'image/jpeg'],
  ['pdf', 'application/pdf'],
  ['doc', 'application/msword'],
  ['zip', 'application/zip'],
]);

/** Checks that the bytes are what the declared type says (the first bytes of each format). */
export function bytesMatch(mime: string, b: Buffer): boolean {
  const starts = (...sig: number[]) => sig.every((x, i) => b[i] === x);
  switch (mime) {
    case 'image/png':
      return starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    case 'image/jpeg':
      return starts(0xff, 0xd8, 0xff);
    case 'image/bmp':
      return starts(0x42, 0x4d);
    case 'video/mp4':
      return b.length > 8 && b.toString('latin1', 4, 8) === 'ftyp';
    case 'audio/mpeg':
      return starts(0x49, 0x44, 0x33) || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0);
    case 'audio/aac':
      return b[0] === 0xff && ((b[1] ?? 0) & 0xf6) === 0xf0;
    case 'text/plain':
    case 'text/csv':
      return !b.includes(0);
    default:
      return false;
  }
}

/**
 * Names safe to show and to put in a URL path: the widget's own rule for hidden and bidi
 * characters (core/text.ts), and no slashes, tabs or line breaks.
 */
export function safeFileName(name: string): string {
  const cleaned = cleanText(name)
    .replace(/[\t\n/\\]/g, '')
    .trim()
    .slice(0, 120);
  return cleaned || 'file';
}

/**
 * Keeps a file the CEC sent (an IMAGE or FILE downlink) under a new random key and returns the
 * objectKey the browser gets (`<random>/<fileName>`, served at `/file/`).
 */
export async function fileKeyFor(ctx: ConnectorContext, id: string, m: UpstreamMessage, mediaType: MediaType): Promise<string> {
  const content = m.content ?? '';
  // "fileName,fileSizeBytes,objectKey,fileType" (the FILE format, §1.2) or a bare media id.
  const parts = content.split(',');
  const isFileFormat = parts.length === 4 && /^\d+$/.test(parts[1]!);
  const ext = (isFileFormat ? parts[3]! : String(m.mediaFileType ?? (mediaType === 'IMAGE' ? 'jpg' : 'bin'))).toLowerCase().replace(/^.*\//, '');
  const fileName = safeFileName(isFileFormat ? parts[0]! : `${mediaType === 'IMAGE' ? 'image' : 'file'}.${ext}`);
  const upstreamKey = isFileFormat ? parts[2]! : content;
  const local = m.contentType === '1';
  const rec: FileRecord = {
    customerId: id,
    fileId: local ? `local/${upstreamKey}` : upstreamKey,
    multiMedia: !local && !isFileFormat && m.contentType == null,
    fileName,
    size: isFileFormat ? Number(parts[1]) : 0,
    mime: MIME_BY_EXT[ext] ?? 'application/octet-stream',
    upstreamKey,
  };
  const random = ctx.newId();
  await ctx.store.setToken(`file:${random}`, JSON.stringify(rec), FILE_TTL_MS);
  return `${random}/${encodeURIComponent(fileName)}`;
}
