/** The connector's races on Redis (a real redis-server), two instances each with its own RedisStore. */
import { describeConnectorRaces } from '../connector/races.js';
import { freshPrefix, redisStore, useRedisServer } from './helpers.js';

const server = useRedisServer();

describeConnectorRaces('redis', async () => {
  const keyPrefix = freshPrefix();
  const a = redisStore(server().url, { keyPrefix });
  const b = redisStore(server().url, { keyPrefix });
  return { stores: [a, b], close: async () => void (await Promise.all([a.close(), b.close()])) };
});
