/**
 * File names end to end: what the widget's client uploads, the objectKey the mock returns, and
 * the URL the client builds from it must download the same bytes, for any name the mock
 * accepts; names that cannot be a file name are refused at upload or normalised.
 */
import { getResponse } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import { ChannelClient } from '../../widget/client/channel-client.js';
import { ApiCallError } from '../../widget/client/errors.js';
import { createHandlers } from '../../mock-server/handlers/index.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { ContactCenter } from '../../mock-server/runtime/contact-center.js';
import { normaliseFileName } from '../../mock-server/runtime/uploads.js';

const PDF = new TextEncoder().encode('%PDF-1.4\n%µ¶\n');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
let client: ChannelClient;
let handlers: ReturnType<typeof createHandlers>;
const through = async (input: RequestInfo | URL, init?: RequestInit) => (await getResponse(handlers, new Request(input, init))) ?? new Response(null, { status: 404 });

beforeEach(() => {
  const cc = new ContactCenter({ clock: new Clock('manual', Date.parse('2026-11-25T03:00:00Z')) });
  handlers = createHandlers(cc, { servedBy: 'node' });
  client = new ChannelClient({ baseUrl: 'http://mock.test', channelId: 'demo', userId: `names-${Math.random()}`, fetch: through });
});

describe('file names that need escaping', () => {
  it.each([
    ['with space.pdf', 'with space.pdf'],
    ['café.pdf', 'café.pdf'],
    ['cafe\u0301.pdf (decomposed)', 'café.pdf (decomposed)'],
    ['100%.pdf', '100%.pdf'],
    ['a#b?c&d=e.pdf', 'a#b?c&d=e.pdf'],
    ["résumé (final) 'v2'.pdf", "résumé (final) 'v2'.pdf"],
    ['报告 2026.pdf', '报告 2026.pdf'],
    ['photo\u202Egnp.exe.pdf', 'photognp.exe.pdf'],
    ['  spaced.pdf  ', 'spaced.pdf'],
    ['...hidden.pdf', '...hidden.pdf'],
  ])('%s uploads, and its URL downloads it as %s', async (name, shown) => {
    const key = await client.upload('application/pdf', name, b64(PDF));
    const url = client.fileUrl(key);
    expect(url.startsWith('http://mock.test/apiaccess/ccmessaging/file/')).toBe(true);
    const res = await through(url);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PDF);
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toBe(shown);
    // RFC 8187 ext-value: only attr-chars and %XX escapes (encodeURIComponent alone leaves '()* bare).
    expect(disposition).toMatch(/^attachment; filename\*=UTF-8''(?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-F]{2})+$/);
    // The message that carries the key is accepted too.
    await client.send({ controlType: 'CHAT', mediaType: 'FILE', content: key, clientMessageId: `f${Date.now()}${Math.floor(Math.random() * 1e9)}` });
  });

  it.each(['..', '.', '....', '\u202E', '   ', 'a/b.pdf', 'a\\b.pdf'])('refuses %j at upload, naming fileName', async (name) => {
    const err = await client.upload('application/pdf', name, b64(PDF)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect([(err as ApiCallError).status, (err as ApiCallError).errorCode, (err as ApiCallError).field]).toEqual([400, 'upload.fileName.invalid', 'fileName']);
  });

  it('builds no URL for a key a URL cannot carry, and encodes a key sent unencoded', () => {
    expect(client.fileUrl('abc/..')).toBe('');
    expect(client.fileUrl('abc/.')).toBe('');
    expect(client.fileUrl('abc/%2e%2E')).toBe('');
    expect(client.fileUrl('abc/with space#1?.pdf')).toBe('http://mock.test/apiaccess/ccmessaging/file/abc/with%20space%231%3F.pdf');
    expect(client.fileUrl('abc/with%20space.pdf')).toBe('http://mock.test/apiaccess/ccmessaging/file/abc/with%20space.pdf');
    expect(client.fileUrl('abc/100%.pdf')).toBe('http://mock.test/apiaccess/ccmessaging/file/abc/100%25.pdf');
  });

  it('normaliseFileName: NFC, hidden characters out, refuses what is not a name', () => {
    expect(normaliseFileName('e\u0301\u200B\uFEFF.txt')).toBe('é.txt');
    expect([normaliseFileName('..'), normaliseFileName(''), normaliseFileName('a/b')]).toEqual([null, null, null]);
  });
});
