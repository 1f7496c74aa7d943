/**
 * Redis test helpers: a real redis-server per test file (Debian's package, on a free port, no
 * persistence unless asked), stopped in afterAll.
 */
import { afterAll, beforeAll } from 'vitest';
import { startRedisServer, type RedisServer, type RedisServerOptions } from '../../../scripts/redis-server.mjs';
import { RedisStore, type RedisStoreOptions } from '../../../widget/server/connector/redis-store.js';

/** Starts a redis-server before the file's tests and stops it after; returns a getter. */
export function useRedisServer(options: RedisServerOptions = {}): () => RedisServer {
  let server: RedisServer | undefined;
  beforeAll(async () => {
    server = await startRedisServer(options);
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('redis-server not started (call useRedisServer at file level)');
    return server;
  };
}

let prefixes = 0;
/** A key prefix no other test of this process uses, so tests share one server without a flush. */
export function freshPrefix(): string {
  return `t${process.pid}-${(prefixes++).toString(36)}:`;
}

/** A RedisStore on `url` with test-friendly timeouts. */
export function redisStore(url: string, opts: Partial<RedisStoreOptions> = {}): RedisStore {
  return new RedisStore({ url, unavailableAfterMs: 2000, ...opts });
}
