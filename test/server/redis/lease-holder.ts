/**
 * A stand-in connector instance for the lease tests, run as a child process:
 * `lease-holder.ts URL PREFIX LEASE OWNER TTL_MS` takes the lease, prints `held`, and renews it
 * every TTL/3 until it is killed.
 */
import { RedisStore } from '../../../widget/server/connector/redis-store.js';

const [url, keyPrefix, lease, owner, ttlArg] = process.argv.slice(2) as [string, string, string, string, string];
const ttlMs = Number(ttlArg);
const store = new RedisStore({ url, keyPrefix });
while (!(await store.acquireLease(lease, owner, ttlMs))) await new Promise((r) => setTimeout(r, ttlMs / 5));
console.log('held');
setInterval(() => {
  store.renewLease(lease, owner, ttlMs).then(
    (ok) => ok || console.log('lost'),
    () => {},
  );
}, ttlMs / 3);
