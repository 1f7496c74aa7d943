/**
 * What the mock's handlers share: a request body left out reads as `{}`; UTF-8 lengths are
 * counted as the wire sends the text (the TEXT limit of `send`, every answer's content-length).
 */
import { getResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../mock-server/handlers/index.js';
import { utf8Length } from '../../mock-server/handlers/http-util.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { ContactCenter } from '../../mock-server/runtime/contact-center.js';
import { TEXT_MAX_BYTES } from '../../widget/core/protocol.js';
import { contractCustomer, mockHarness } from './harness.js';

async function post(path: string, body?: string) {
  const handlers = createHandlers(new ContactCenter({ clock: new Clock('manual', Date.UTC(2026, 0, 5, 10)) }), { servedBy: 'node' });
  const init: RequestInit = { method: 'POST', headers: { 'content-type': 'application/json' } };
  if (body !== undefined) init.body = body;
  const res = (await getResponse(handlers, new Request(`http://mock.test${path}`, init)))!;
  return { status: res.status, body: await res.json() };
}

describe('request bodies', () => {
  it('signs an agent in with no body, even when the request says it is JSON', async () => {
    const res = await post('/mock/agents/alice/sign-in');
    expect(res.status).toBe(200);
    expect(res.body.agent).toMatchObject({ account: 'alice' });
    expect((await post('/mock/agents/alice/sign-in', '{}')).status).toBe(200);
  });

  it('reads an empty body as {}, so the error names the missing field', async () => {
    expect(await post('/mock/admin/ivrs', '')).toMatchObject({ status: 400, body: { errorCode: 'ivr.accessCode.required', field: 'accessCode' } });
    expect((await post('/mock/admin/ivrs', '{x')).body.errorCode).toBe('request.invalidJson');
  });
});

describe('utf8Length', () => {
  it.each([
    ['ASCII', 'hello, world', 12],
    ['Chinese (3 bytes each)', '你好，世界', 15],
    ['an emoji (a surrogate pair: 4 bytes)', '😀', 4],
    ['a lone high surrogate (sent as U+FFFD: 3 bytes)', 'a\ud83db', 5],
    ['a lone low surrogate at the end (U+FFFD: 3 bytes)', 'ab\ude00', 5],
    ['the empty string', '', 0],
    ['two bytes a character (Latin-1 and Greek)', 'éλ', 4],
    ['a string longer than the scratch buffer', `${'你'.repeat(9000)}😀`, 27004],
  ])('%s', (_, s, bytes) => {
    expect(utf8Length(s)).toBe(bytes);
    expect(utf8Length(s)).toBe(new TextEncoder().encode(s).byteLength);
  });

  it(`sends text of exactly ${TEXT_MAX_BYTES} bytes and refuses one byte more, through the send handler`, async () => {
    const h = mockHarness();
    const customer = await contractCustomer(h, 'bytes');
    expect((await customer.send('CONNECT')).status).toBe(200);
    const cases: Array<[string, number]> = [
      [`${'你'.repeat(341)}a`, 200], // 1023 + 1 bytes
      [`${'你'.repeat(341)}ab`, 400],
      ['😀'.repeat(256), 200], // 4 bytes each: 1024
      [`${'😀'.repeat(256)}a`, 400],
      [`${'a'.repeat(TEXT_MAX_BYTES - 3)}\ud800`, 200], // the lone surrogate goes out as U+FFFD: 3 bytes
      [`${'a'.repeat(TEXT_MAX_BYTES - 2)}\ud800`, 400],
    ];
    for (const [content, status] of cases) {
      const res = await customer.send('CHAT', content);
      expect([utf8Length(content), res.status], `${content.slice(-3)} of ${content.length} units`).toEqual([status === 200 ? TEXT_MAX_BYTES : TEXT_MAX_BYTES + 1, status]);
      if (status === 400) expect(res.body).toMatchObject({ errorCode: 'send.content.tooLong', field: 'content' });
    }
  });

  it('gives an answer with Chinese and an emoji the content-length of its UTF-8 bytes', async () => {
    const h = mockHarness();
    const customer = await contractCustomer(h, 'length');
    await customer.send('CONNECT');
    await customer.send('CHAT', '你好 😀');
    const res = await customer.poll();
    expect(JSON.stringify(res.body)).toContain('你好 😀');
    expect(Number(res.headers.get('content-length'))).toBe(new TextEncoder().encode(JSON.stringify(res.body)).byteLength);
  });
});
