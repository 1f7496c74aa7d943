/** Request bodies of the mock's handlers: a body left out reads as `{}`. */
import { getResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../mock-server/handlers/index.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { ContactCenter } from '../../mock-server/runtime/contact-center.js';

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
