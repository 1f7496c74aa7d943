/**
 * The `store` section of the connector's config file, and the store it selects:
 *
 *   "store": { "type": "memory" }                                  (the default: one process)
 *   "store": { "type": "redis", "url": "redis://10.0.0.5:6379" }   (any number of instances)
 *
 * A Redis URL with a password is a secret: it belongs in the environment (the variable named by
 * `urlEnv`, default `CEC_REDIS_URL`), never in the file, so the file refuses one. When `url` is
 * absent the connector reads the variable.
 */
import * as v from 'valibot';
import { MemoryStore } from './memory-store.js';
import { RedisStore } from './redis-store.js';
import type { ConnectorStore } from './store.js';

const REDIS_URL = v.pipe(
  v.string(),
  v.regex(/^rediss?:\/\/[^\s]+$/, 'must be a redis:// or rediss:// URL'),
  v.check((url) => {
    try {
      return new URL(url).password === '';
    } catch {
      return false;
    }
  }, 'must not contain a password: put the whole URL in the environment variable named by urlEnv (default CEC_REDIS_URL)'),
);

export const StoreConfigSchema = v.optional(
  v.variant(
    'type',
    [
      v.strictObject({ type: v.literal('memory') }),
      v.strictObject({
        type: v.literal('redis'),
        /** The Redis server, without credentials; absent = read from the environment variable `urlEnv`. */
        url: v.optional(REDIS_URL),
        /** The environment variable holding the URL when `url` is absent (it may carry a password). */
        urlEnv: v.optional(v.pipe(v.string(), v.regex(/^[A-Z_][A-Z0-9_]{0,63}$/, 'must be an environment variable name (A-Z, 0-9, _)')), 'CEC_REDIS_URL'),
        /** Prefix of every key, so several connectors (tenants, environments) can share one Redis. */
        keyPrefix: v.optional(v.pipe(v.string(), v.regex(/^[\w:.-]{1,64}$/, 'must be 1–64 letters, digits or _ : . -')), 'cec:'),
      }),
    ],
    'must be "memory" or "redis"',
  ),
  { type: 'memory' },
);

export type StoreConfig = v.InferOutput<typeof StoreConfigSchema>;

/**
 * Opens the store the config selects. `now` and `timers` are the connector's clock (the memory
 * store's TTLs and every long-poll wait follow them; the Redis store's TTLs run on Redis's clock).
 * Throws when a Redis store has neither `url` nor its environment variable.
 */
export function openStore(
  config: StoreConfig,
  opts: { env: Record<string, string | undefined>; now: () => number; timers: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void } },
): ConnectorStore {
  if (config.type === 'memory') return new MemoryStore({ now: opts.now, timers: opts.timers });
  const url = config.url ?? opts.env[config.urlEnv];
  if (!url) throw new Error(`The Redis store needs store.url in the config file or the environment variable ${config.urlEnv}.`);
  if (!/^rediss?:\/\//.test(url)) throw new Error(`The environment variable ${config.urlEnv} must hold a redis:// or rediss:// URL.`);
  return new RedisStore({ url, keyPrefix: config.keyPrefix, timers: opts.timers });
}
