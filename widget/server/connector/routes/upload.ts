/**
 * Files both ways: POST /uploadFileStream (checked against the channel's types, size and the
 * bytes' own signature, then stored upstream) and GET /file/:key (a file of the conversation,
 * fetched from the CEC, served so a page cannot run it).
 */
import { readCustomer, refOf, session } from '../customers.js';
import { UPLOAD_TYPES } from '../config.js';
import { bytesMatch, EXT, FILE_TTL_MS, safeFileName } from '../files.js';
import { HttpError, readBody, str } from '../http.js';
import type { ConnectorContext, FileRecord } from '../context.js';
import { pickString } from '../upstream.js';

export async function upload(ctx: ConnectorContext, request: Request): Promise<unknown> {
  const { store, upstream, channels, newId } = ctx;
  const { id, c } = await session(ctx, request);
  const ch = channels.get(c.channelId)!;
  const body = await readBody(request, 'uploadFileStream', Math.ceil((ch.upload.maxBytes * 4) / 3) + 4096);
  const fileType = str(body, 'fileType', 'uploadFileStream', { required: true, max: 100 });
  const fileName = safeFileName(str(body, 'fileName', 'uploadFileStream', { required: true, max: 255 }));
  const fileStream = str(body, 'fileStream', 'uploadFileStream', { required: true });
  if (!ch.upload.types.includes(fileType)) throw new HttpError(400, 'upload.fileType.notAllowed', `fileType must be one of ${ch.upload.types.join(', ')}.`, 'fileType');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(fileStream)) throw new HttpError(400, 'upload.fileStream.invalid', 'fileStream must be base64.', 'fileStream');
  const bytes = Buffer.from(fileStream, 'base64');
  if (bytes.length === 0) throw new HttpError(400, 'upload.fileStream.empty', 'The file is empty.', 'fileStream');
  if (bytes.length > ch.upload.maxBytes) throw new HttpError(400, 'upload.fileStream.tooLarge', `Files may be at most ${ch.upload.maxBytes} bytes.`, 'fileStream');
  if (!bytesMatch(fileType, bytes)) throw new HttpError(400, 'upload.fileStream.mismatch', `The file's bytes are not ${fileType}.`, 'fileStream');
  const res = await upstream.call('uploadFileStream', '/uploadFileStream', {
    body: { fileType: UPLOAD_TYPES[fileType], fileStream, channel: 'WEB' },
    customer: refOf(id, c),
    idempotent: true, // a repeated upload only leaves an unused copy upstream
  });
  const upstreamKey = pickString(res, ['objectKey']);
  if (!upstreamKey) throw new HttpError(502, 'upload.failed', 'The contact center did not store the file.');
  const random = newId();
  const rec: FileRecord = { customerId: id, fileId: upstreamKey, multiMedia: false, fileName, size: bytes.length, mime: fileType, upstreamKey };
  await store.setToken(`file:${random}`, JSON.stringify(rec), FILE_TTL_MS);
  return { resultCode: '0', objectKey: `${random}/${encodeURIComponent(fileName)}` };
}

/** The file kept under `random` (the first part of its objectKey); 404 when unknown or expired. */
export async function download(ctx: ConnectorContext, random: string): Promise<Response> {
  const { store, upstream, config, timers } = ctx;
  const raw = await store.getToken(`file:${random}`);
  if (!raw) throw new HttpError(404, 'file.notFound', 'No such file (it may have expired).');
  const f = JSON.parse(raw) as FileRecord;
  const c = await readCustomer(ctx, f.customerId);
  const res = await upstream.call('downloadFileStream', '/downloadFileStream', {
    body: { fileId: f.fileId, channel: 'WEB', fileType: EXT[f.mime] ?? f.fileName.split('.').pop() ?? 'bin', ...(f.multiMedia ? { multiMedia: 'multiMedia' } : {}) },
    customer: refOf(f.customerId, c),
    idempotent: true,
  });
  const b64 = pickString(res, ['fileStream']);
  let bytes: Uint8Array;
  if (b64) bytes = Buffer.from(b64, 'base64');
  else {
    const link = pickString(res, ['fileUrl']);
    if (!link || !/^https?:\/\//.test(link)) throw new HttpError(502, 'file.unavailable', 'The contact center did not give the file.');
    const ac = new AbortController();
    const h = timers.setTimeout(() => ac.abort(), config.upstream.timeoutMs);
    try {
      const r = await ctx.fetch(link, { signal: ac.signal });
      if (!r.ok) throw new HttpError(502, 'file.unavailable', 'The contact center did not give the file.');
      bytes = new Uint8Array(await r.arrayBuffer());
    } finally {
      timers.clearTimeout(h);
    }
  }
  return new Response(bytes as BodyInit, {
    headers: {
      'content-type': f.mime,
      'content-disposition': `${f.mime.startsWith('image/') ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(f.fileName)}`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, max-age=3600',
    },
  });
}
