/**
 * `npm run mock -- --port 8787 [--host 127.0.0.1] [--auto-agents] [--allowed-origin URL]…
 * [--allowed-host NAME[:PORT]]…`: the mock contact center over plain HTTP, seeded with the demo
 * tenant. With --auto-agents, agent "bob" accepts and replies by himself. Browsers of other
 * origins than localhost and the page's own need --allowed-origin; the /mock control APIs
 * reached by another host name than localhost need --allowed-host (see access.ts).
 */
import { parseArgs } from 'node:util';
import { seedTenant } from '../config/seed.js';
import { TenantStore } from '../config/store.js';
import { exposureWarning } from './access.js';
import { createMockHttpServer } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
    'auto-agents': { type: 'boolean', default: false },
    'allowed-origin': { type: 'string', multiple: true, default: [] },
    'allowed-host': { type: 'string', multiple: true, default: [] },
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
const warning = exposureWarning(values.host);
if (warning) console.warn(warning);
const { server } = createMockHttpServer({
  store: new TenantStore(seed),
  allowedOrigins: values['allowed-origin'],
  allowedHosts: values['allowed-host'],
});
server.listen(port, values.host, () => {
  const addr = server.address();
  const actual = typeof addr === 'object' && addr ? addr.port : port;
  console.log(`Mock contact center on http://${values.host}:${actual} (channel API at /apiaccess/ccmessaging, mock APIs at /mock)`);
});
