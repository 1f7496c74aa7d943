/**
 * One connector instance in a process of its own, for the SIGKILL test: `connector-child.ts
 * CONFIG_JSON INSTANCE_ID` serves the connector on a free port, prints `listening URL`, then one
 * JSON line per log record, until it is killed.
 */
import { SEED_CEC_APP_KEY, SEED_CEC_APP_SECRET } from '../../../mock-server/config/seed.js';
import { createConnector } from '../../../widget/server/connector/connector.js';
import { serveFetch } from '../../../widget/server/connector/serve.js';

const [configJson, instanceId] = process.argv.slice(2) as [string, string];
const connector = createConnector(JSON.parse(configJson), {
  env: { CEC_APP_KEY: SEED_CEC_APP_KEY, CEC_APP_SECRET: SEED_CEC_APP_SECRET },
  instanceId,
  sweepMs: 300,
  log: (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
});
const served = await serveFetch(connector, { port: 0 });
process.stdout.write(`listening ${served.url}\n`);
