/**
 * Request data never reaches a prototype: `__proto__`, `constructor` and `prototype` keys in a
 * body, at any depth, are a 400 naming the field, on every route that reads a JSON body (admin,
 * control, CEC face settings, channel API); and the store's own copy of an item keeps such a key
 * as a key (refused as an unknown field), never as the object's prototype.
 */
import { getResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { normalize, KINDS } from '../../mock-server/config/store-kinds.js';
import { seedTenant } from '../../mock-server/config/seed.js';
import { TenantStore } from '../../mock-server/config/store.js';
import { createHandlers } from '../../mock-server/handlers/index.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { ContactCenter } from '../../mock-server/runtime/contact-center.js';

const KEYS = ['__proto__', 'constructor', 'prototype'] as const;
/** A body with `key` as a real own key (what JSON.parse makes of `{"__proto__": …}`). */
const withKey = (base: Record<string, unknown>, key: string, value: unknown = { polluted: true }) =>
  `${JSON.stringify(base).slice(0, -1)}${Object.keys(base).length ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(value)}}`;

function setUp() {
  const cc = new ContactCenter({ clock: new Clock('manual', Date.parse('2026-11-25T02:00:00Z')), store: new TenantStore() });
  const handlers = createHandlers(cc, { servedBy: 'node' });
  async function call(method: string, path: string, body: string) {
    const res = (await getResponse(handlers, new Request(`http://mock.test${path}`, { method, headers: { 'content-type': 'application/json' }, body })))!;
    return { status: res.status, body: await res.json() };
  }
  return { cc, call };
}

const newChannel = { ...structuredClone(seedTenant().channels[0]!), id: 'proto-ch', channelAccessCode: 'web_proto1' } as Record<string, unknown>;
const ROUTES: Array<[string, string, Record<string, unknown>]> = [
  ['POST', '/mock/admin/channels', newChannel],
  ['PATCH', '/mock/admin/channels/demo', { transferKeywords: ['human'] }],
  ['PUT', '/mock/admin/allowances', {}],
  ['POST', '/mock/admin/agents/batch-configure', { select: ['10023'], set: { agentType: 'video' } }],
  ['PUT', '/mock/faults', { latencyMs: 0 }],
  ['PUT', '/mock/cec/config', { pollHoldSeconds: 5 }],
  ['POST', '/apiaccess/ccmessaging/applyToken', { channelId: 'demo', userId: 'u-1' }],
];

afterEach(() => {
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('a forbidden key in a request body is a 400 naming the field', () => {
  for (const [method, path, base] of ROUTES) {
    it.each(KEYS)(`${method} ${path} with "%s"`, async (key) => {
      const { call } = setUp();
      const r = await call(method, path, withKey(base, key));
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ errorCode: path === '/mock/faults' ? 'faults.invalid' : 'request.forbiddenKey', field: key });
    });
  }

  it.each(KEYS)('nested: the field is named by its path ("%s")', async (key) => {
    const { call } = setUp();
    const body = `{"select":["10023"],"set":${withKey({ agentType: 'video' }, key)}}`;
    const r = await call('POST', '/mock/admin/agents/batch-configure', body);
    expect(r.body).toMatchObject({ errorCode: 'request.forbiddenKey', field: `set.${key}` });
    const list = `{"channels":[{"id":"a"},${withKey({ id: 'b' }, key)}]}`;
    const t = await call('PUT', '/mock/admin/tenant', list);
    expect(t.body).toMatchObject({ errorCode: 'request.forbiddenKey', field: `channels[1].${key}` });
  });

  it('the same words as values (not keys) are fine', async () => {
    const { call } = setUp();
    const r = await call('PATCH', '/mock/admin/channels/demo', JSON.stringify({ transferKeywords: ['__proto__ constructor'] }));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.item.transferKeywords).toEqual(['__proto__ constructor']);
  });
});

describe("the store's copy of an item", () => {
  it('normalize keeps __proto__ as a key, with no prototype set', () => {
    const input = JSON.parse('{"id":"x","__proto__":{"secretKey":"inherited"}}');
    const out = normalize(KINDS.channels, input);
    expect(Object.keys(out)).toContain('__proto__');
    expect(out.secretKey).toBeUndefined();
  });

  it.each(KEYS)('creating an item with "%s" straight through the store ignores the key and sets no prototype', (key) => {
    const store = new TenantStore();
    expect(() => store.create('channels', JSON.parse(JSON.stringify(newChannel)))).not.toThrow();
    const input = JSON.parse(withKey({ ...newChannel, id: 'proto-2', channelAccessCode: 'web_proto2' }, key));
    store.create('channels', input);
    const stored = store.current.channels.find((c) => c.id === 'proto-2')! as unknown as Record<string, unknown>;
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
    expect(Object.keys(stored)).not.toContain(key);
    expect(stored.polluted).toBeUndefined();
  });
});
