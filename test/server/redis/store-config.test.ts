/**
 * `store: {type: "redis", url}` in the connector's config selects the Redis store; a URL with a
 * password is refused in the file (it belongs in the environment); while Redis is unreachable the
 * connector answers 503 with Retry-After, and serves again once it is back.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, parseConfig } from '../../../widget/server/connector/config.js';
import { createConnector, type ConnectorHandler } from '../../../widget/server/connector/connector.js';
import { RedisStore } from '../../../widget/server/connector/redis-store.js';
import { MemoryStore } from '../../../widget/server/connector/memory-store.js';
import { APP_KEY, APP_SECRET, BASE, FakeCec } from '../connector/fake-cec.js';
import { freshPrefix, useRedisServer } from './helpers.js';
import { startTcpProxy } from './tcp-proxy.js';

const server = useRedisServer();
const base = { upstream: { baseUrl: `${BASE}/cec`, timeoutMs: 2000, pollTimeoutMs: 2000, pollIdleMs: 0 }, channels: [{ channelId: 'demo' }] };
const env = { CEC_APP_KEY: APP_KEY, CEC_APP_SECRET: APP_SECRET };

let connector: ConnectorHandler | null = null;
afterEach(async () => {
  await connector?.close();
  connector = null;
});

const applyToken = (c: ConnectorHandler, userId: string) =>
  c(
    new Request('http://connector.test/apiaccess/ccmessaging/applyToken', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channelId: 'demo', userId, userName: 'Wang', locale: 'en' }),
    }),
  );

describe('store selection in the config file', () => {
  it('defaults to memory; every bad field of store is named', () => {
    expect(parseConfig(base).store).toEqual({ type: 'memory' });
    expect(parseConfig({ ...base, store: { type: 'redis', url: 'redis://10.0.0.5:6379' } }).store).toEqual({ type: 'redis', url: 'redis://10.0.0.5:6379', urlEnv: 'CEC_REDIS_URL', keyPrefix: 'cec:' });
    const problem = (store: unknown) => {
      try {
        parseConfig({ ...base, store });
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).issues.join('; ');
      }
      throw new Error('accepted');
    };
    expect(problem({ type: 'mongo' })).toBe('store.type: must be "memory" or "redis"');
    expect(problem({ type: 'redis', url: 'http://10.0.0.5' })).toBe('store.url: must be a redis:// or rediss:// URL');
    expect(problem({ type: 'redis', url: 'redis://:secret@10.0.0.5:6379' })).toMatch(/^store\.url: must not contain a password/);
    expect(problem({ type: 'redis', urlEnv: 'lower' })).toMatch(/^store\.urlEnv: /);
    expect(problem({ type: 'redis', keyPrefix: 'a b' })).toMatch(/^store\.keyPrefix: /);
  });

  it('type "redis" makes the connector keep its state in Redis (URL from the environment), under the key prefix', async () => {
    const cec = new FakeCec();
    const keyPrefix = freshPrefix();
    connector = createConnector({ ...base, store: { type: 'redis', keyPrefix } }, { env: { ...env, CEC_REDIS_URL: server().url }, fetch: cec.fetch, log: () => {}, sweepMs: 0 });
    expect(connector.store).toBeInstanceOf(RedisStore);
    const res = await applyToken(connector, 'u1');
    expect(res.status).toBe(200);
    const raw = new Redis(server().url);
    try {
      expect(await raw.keys(`${keyPrefix}c:*`)).toEqual([`${keyPrefix}c:demo:u1`]);
    } finally {
      raw.disconnect();
    }
    expect(() => createConnector({ ...base, store: { type: 'redis' } }, { env, fetch: cec.fetch, log: () => {} })).toThrow(/CEC_REDIS_URL/);
    const memory = createConnector(base, { env, fetch: cec.fetch, log: () => {}, sweepMs: 0 });
    expect(memory.store).toBeInstanceOf(MemoryStore);
    await memory.close();
  });

  it('Redis unreachable: 503 with Retry-After, and served again once it is back', async () => {
    const proxy = await startTcpProxy(server().port);
    try {
      const cec = new FakeCec();
      const logs: Array<Record<string, unknown>> = [];
      connector = createConnector({ ...base, store: { type: 'redis', url: proxy.url, keyPrefix: freshPrefix() } }, { env, fetch: cec.fetch, log: (r) => logs.push(r), sweepMs: 0 });
      expect((await applyToken(connector, 'u1')).status).toBe(200);
      proxy.cut();
      const down = await applyToken(connector, 'u2');
      expect(down.status).toBe(503);
      expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await down.json()).toMatchObject({ errorCode: expect.any(String), exceptionInfo: expect.any(String) });
      // The failure is logged, never with a secret.
      expect(logs.some((r) => r.event === 'request.failed')).toBe(true);
      expect(JSON.stringify(logs)).not.toContain(APP_SECRET);
      proxy.restore();
      const c = connector;
      await vi.waitFor(async () => expect((await applyToken(c, 'u2')).status).toBe(200), { timeout: 10_000, interval: 50 });
    } finally {
      await proxy.close();
    }
  });
});
