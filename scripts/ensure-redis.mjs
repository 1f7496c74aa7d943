// Finds a redis-server for the Redis tests; installs Debian's package when it can (root on
// Debian), otherwise says exactly what to install. Prints the path on success.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The redis-server binary: `REDIS_SERVER`, then the usual install paths; undefined when none. */
export function findRedisServer() {
  const candidates = [process.env.REDIS_SERVER, '/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server'];
  return candidates.find((p) => p && existsSync(p));
}

/** Returns the redis-server path, installing Debian's `redis-server` package when missing (root). Exits with a hint otherwise. */
export function ensureRedisServer() {
  let path = findRedisServer();
  if (path) return path;
  const root = process.getuid?.() === 0;
  if (root && existsSync('/usr/bin/apt-get')) {
    console.log('redis-server not found: installing Debian redis-server (apt-get)…');
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server', { stdio: 'inherit' });
    path = findRedisServer();
    if (path) return path;
  }
  console.error(
    'No redis-server found for the Redis tests.\n' +
      '  Debian/Ubuntu: sudo apt-get install -y --no-install-recommends redis-server\n' +
      '  macOS: brew install redis\n' +
      '  Or set REDIS_SERVER to a redis-server binary (Redis 6.2 or newer).',
  );
  process.exit(1);
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(ensureRedisServer());
