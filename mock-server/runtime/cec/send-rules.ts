/**
 * The rules of `send` / `sendAsync`'s body on the real CEC face (reference §1.2): the documented
 * controlTypes and mediaTypes, TEXT at most 1 KB, and each mediaType's content format (FILE
 * "fileName,fileSizeBytes,objectKey,fileType", FILE_IMAGE "objectKey,jpg", WEBCARD JSON, …).
 */
import type { MediaType } from '../../../widget/core/protocol.js';
import { badRequest } from '../errors.js';

/** TEXT content limit in UTF-8 bytes (reference §1.2: "at most 1 KB"). */
export const TEXT_MAX_BYTES = 1024;
/** applyToken's userId (1–32 characters; the mock keeps to the characters its runtime accepts). */
export const USER_ID = /^[\w.@:-]{1,32}$/;

export const CONTROL_TYPES = ['CONNECT', 'CHAT', 'TRANS2AGENT', 'INPUT', 'DISCONNECT', 'READ'] as const;
export const MEDIA_TYPES = ['TEXT', 'IMAGE', 'AUDIO', 'VIDEO', 'FILE', 'FILE_IMAGE', 'FILE_VIDEO', 'WEBCARD'] as const;
export type CecControlType = (typeof CONTROL_TYPES)[number];
export type CecMediaType = (typeof MEDIA_TYPES)[number];

/**
 * Content rules by mediaType (reference §1.2); `uploaded` says whether an objectKey came from
 * uploadFileStream. Throws a 400 naming `content`.
 */
export function checkContent(mediaType: CecMediaType, content: string, uploaded: (objectKey: string) => boolean): void {
  const bad = (why: string) => badRequest('send.content.invalid', `content ${why}`, 'content');
  switch (mediaType) {
    case 'TEXT':
      if (!content.trim()) throw bad('must not be blank.');
      if (new TextEncoder().encode(content).length > TEXT_MAX_BYTES) throw bad(`must be at most ${TEXT_MAX_BYTES} bytes of text.`);
      return;
    case 'IMAGE':
    case 'AUDIO':
    case 'VIDEO':
      if (!uploaded(content)) throw bad('must be the objectKey of a file uploaded with uploadFileStream.');
      return;
    case 'FILE': {
      // "fileName,fileSizeBytes,objectKey,fileType": the name may itself hold commas.
      const parts = content.split(',');
      if (parts.length < 4) throw bad('of a FILE must be "fileName,fileSizeBytes,objectKey,fileType".');
      const [size, objectKey, type] = parts.slice(-3) as [string, string, string];
      const name = parts.slice(0, -3).join(',');
      if (!name.trim()) throw bad('of a FILE must start with the file name.');
      if (!/^\d+$/.test(size)) throw bad('of a FILE must give the size in bytes as its second part.');
      if (!uploaded(objectKey)) throw bad('of a FILE must give the objectKey of an upload as its third part.');
      if (!/^[A-Za-z0-9]{1,10}$/.test(type)) throw bad('of a FILE must end with the file type.');
      return;
    }
    case 'FILE_IMAGE':
    case 'FILE_VIDEO': {
      const m = /^(.+),([A-Za-z0-9]{1,10})$/.exec(content);
      if (!m || !uploaded(m[1]!)) throw bad(`of a ${mediaType} must be "objectKey,${mediaType === 'FILE_IMAGE' ? 'jpg' : 'mp4'}" with the objectKey of an upload.`);
      return;
    }
    case 'WEBCARD': {
      let card: unknown;
      try {
        card = JSON.parse(content);
      } catch {
        throw bad('of a WEBCARD must be a JSON object.');
      }
      if (typeof card !== 'object' || card === null || Array.isArray(card)) throw bad('of a WEBCARD must be a JSON object.');
      const c = card as Record<string, unknown>;
      for (const f of ['title', 'description', 'mediaFileId', 'mediaFileType', 'redirectUrl']) {
        if (c[f] !== undefined && typeof c[f] !== 'string') throw bad(`field ${f} of a WEBCARD must be a string.`);
      }
      if (!c.mediaFileId && !c.redirectUrl) throw bad('of a WEBCARD needs mediaFileId or redirectUrl.');
      if (c.mediaFileType !== undefined && !['img', 'img/png', 'img/jpg'].includes(c.mediaFileType as string)) throw bad('field mediaFileType of a WEBCARD must be img, img/png or img/jpg.');
      if (c.redirectUrl !== undefined && !/^https?:\/\//i.test(c.redirectUrl as string)) throw bad('field redirectUrl of a WEBCARD must be an http(s) URL.');
      return;
    }
  }
}

/** The runtime knows TEXT, IMAGE and FILE: the real face's other media travel as FILE (or IMAGE). */
export function runtimeMedia(m: CecMediaType): MediaType {
  return m === 'TEXT' ? 'TEXT' : m === 'IMAGE' || m === 'FILE_IMAGE' ? 'IMAGE' : 'FILE';
}

/** Reads one of `values` from a send body, or throws a 400 naming the field. */
export function oneOf<T extends string>(body: Record<string, unknown>, field: string, values: readonly T[], required: boolean): T | undefined {
  const v = body[field];
  if (v === undefined || v === null || v === '') {
    if (required) throw badRequest(`send.${field}.missing`, `${field} is required.`, field);
    return undefined;
  }
  if (typeof v !== 'string' || !values.includes(v as T)) throw badRequest(`send.${field}.invalid`, `${field} must be one of ${values.join(', ')}.`, field);
  return v as T;
}

/** Reads a string field of a send body, or throws a 400 naming it. */
export function text(body: Record<string, unknown>, field: string, rule: { required?: boolean; max?: number }): string {
  const v = body[field];
  if (v === undefined || v === null || v === '') {
    if (rule.required) throw badRequest(`send.${field}.missing`, `${field} is required.`, field);
    return '';
  }
  if (typeof v !== 'string') throw badRequest(`send.${field}.invalid`, `${field} must be a string.`, field);
  if (rule.max !== undefined && v.length > rule.max) throw badRequest(`send.${field}.invalid`, `${field} must be at most ${rule.max} characters.`, field);
  return v;
}
