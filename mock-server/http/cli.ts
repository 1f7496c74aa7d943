/**
 * `npm run mock -- --port 8787 [--auto-agents]`: the mock contact center over plain HTTP, seeded
 * with the demo tenant. With --auto-agents, agent "bob" accepts and replies by himself.
 */
import { parseArgs } from 'node:util';
import { seedTenant } from '../config/seed.js';
import { TenantStore } from '../config/store.js';
import { createMockHttpServer } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    'auto-agents': { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer from 0 to 65535 (got "${values.port}")`);
  process.exit(2);
}
const seed = () => {
  const t = seedTenant();
  if (values['auto-agents']) t.autoAgents = [{ account: 'bob', acceptAfterSeconds: 2, replies: ['Hello! How can I help?', 'Let me check that for you.', 'Done — anything else?'] }];
  return t;
};
const { server } = createMockHttpServer({ store: new TenantStore(seed) });
server.listen(port, values.host, () => {
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  console.log(`Mock contact center on http://${values.host}:${actual} (channel API at /apiaccess/ccmessaging, mock APIs at /mock)`);
});
