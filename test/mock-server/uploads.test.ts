/** uploadFileStream: limits and checks, each with its field; a valid image round-trips by key. */
import { getResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { createHandlers } from '../../mock-server/handlers/index.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { ContactCenter } from '../../mock-server/runtime/contact-center.js';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
let cc: ContactCenter;
let handlers: ReturnType<typeof createHandlers>;
let token: string;

async function req(method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'ccmessaging-token': token };
  const res = (await getResponse(handlers, new Request(`http://mock.test/apiaccess/ccmessaging${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })))!;
  return res;
}
const upload = async (fileType: string, fileName: string, fileStream: string) => {
  const res = await req('POST', '/uploadFileStream', { fileType, fileName, fileStream, channel: 'WEB' });
  return { status: res.status, body: await res.json() };
};

beforeEach(async () => {
  cc = new ContactCenter({ clock: new Clock('manual', Date.parse('2026-11-25T03:00:00Z')) });
  handlers = createHandlers(cc, { servedBy: 'node' });
  token = '';
  token = (await (await req('POST', '/applyToken', { channelId: 'demo', userId: 'up-1' })).json()).token;
});

describe('uploadFileStream', () => {
  it('stores a valid image under an unguessable key ending with its name, served with its type', async () => {
    const r = await upload('image/png', 'receipt.png', b64(PNG));
    expect(r.body.objectKey).toMatch(/^[0-9a-f]{32}\/receipt\.png$/);
    const file = await req('GET', `/file/${r.body.objectKey}`);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG);
    const sent = await req('POST', '/send', { controlType: 'CHAT', mediaType: 'IMAGE', content: r.body.objectKey, clientMessageId: 'img-1' });
    expect(sent.status).toBe(200);
  });

  it.each([
    ['a type that is not allowed', 'image/svg+xml', 'a.svg', b64(PNG), 'upload.fileType.invalid', 'fileType'],
    ['content that is not the declared type', 'application/pdf', 'a.pdf', b64(PNG), 'upload.fileStream.typeMismatch', 'fileStream'],
    ['text with a NUL byte', 'text/plain', 'a.txt', b64(Uint8Array.from([104, 0, 105])), 'upload.fileStream.typeMismatch', 'fileStream'],
    ['not base64', 'image/png', 'a.png', '%%%not', 'upload.fileStream.invalid', 'fileStream'],
    ['an empty file', 'text/plain', 'a.txt', '', 'uploadFileStream.fileStream.missing', 'fileStream'],
    ['a name with a slash', 'image/png', '../etc/passwd', b64(PNG), 'upload.fileName.invalid', 'fileName'],
    ['over 5 MB', 'text/plain', 'big.txt', b64(new Uint8Array(5 * 1024 * 1024 + 1).fill(97)), 'upload.fileStream.tooLarge', 'fileStream'],
  ])('rejects %s, naming the field', async (_n, type, name, stream, errorCode, field) => {
    const r = await upload(type, name, stream);
    expect([r.status, r.body.errorCode, r.body.field]).toEqual([400, errorCode, field]);
  });

  it('an image message must carry the key of an upload', async () => {
    const res = await req('POST', '/send', { controlType: 'CHAT', mediaType: 'IMAGE', content: 'made-up/key.png', clientMessageId: 'img-2' });
    expect(res.status).toBe(404);
    expect((await res.json()).errorCode).toBe('file.notFound');
  });
});
