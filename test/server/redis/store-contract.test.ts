/**
 * The Redis store passes the same conformance suite as the in-memory one, on a real
 * redis-server, with the cross-instance cases run between two stores (two connector instances:
 * each its own connections) over the same Redis. TTL cases run on Redis's clock (150 ms).
 */
import { describeStoreContract } from '../connector/store-contract.js';
import { freshPrefix, redisStore, useRedisServer } from './helpers.js';

const server = useRedisServer();

describeStoreContract('redis', async () => {
  const keyPrefix = freshPrefix();
  const store = redisStore(server().url, { keyPrefix });
  const peer = redisStore(server().url, { keyPrefix });
  return { store, peer, close: async () => void (await Promise.all([store.close(), peer.close()])) };
});
