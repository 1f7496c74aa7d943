/**
 * `npm run mock -- [options]`: the mock contact center over plain HTTP, seeded with the demo
 * tenant — the channel API at /apiaccess/ccmessaging, the real-CEC face at /cec, the control
 * and admin APIs at /mock. `--help` lists every option. With --auto-agents, agent "bob" accepts
 * and replies by himself. Browsers of other origins than localhost and the page's own need
 * --allowed-origin; the /mock control APIs reached by another host name than localhost need
 * --allowed-host (see access.ts).
 */
import { pathToFileURL } from 'node:url';
import { seedTenant } from '../config/seed.js';
import { TenantStore } from '../config/store.js';
import { CEC_API_PATH, CEC_TOKEN_PATH } from '../handlers/cec/index.js';
import { exposureWarning } from './access.js';
import { helpText, numberOption, parseCli, type CliOptions } from './cli-args.js';
import { createMockHttpServer } from './server.js';

export const MOCK_CLI_OPTIONS: CliOptions = {
  port: { type: 'string', default: '8787', value: 'PORT', description: 'TCP port to listen on, 0 for any free port' },
  host: { type: 'string', default: '127.0.0.1', value: 'HOST', description: 'Address to listen on (anything but loopback exposes the mock: a warning is printed)' },
  'auto-agents': { type: 'boolean', default: false, description: 'Agent "bob" accepts chats and replies by himself' },
  'allowed-origin': { type: 'string', multiple: true, default: [], value: 'URL', description: "A browser origin besides localhost and the page's own that may call the mock" },
  'allowed-host': { type: 'string', multiple: true, default: [], value: 'NAME[:PORT]', description: 'A Host name besides localhost under which the /mock control APIs answer' },
};

const USAGE = 'npm run mock -- [options]';
const ABOUT =
  'The mock contact center over plain HTTP, seeded with the demo tenant: the channel API at\n' +
  `/apiaccess/ccmessaging, the real-CEC face at /cec (its token at ${CEC_TOKEN_PATH}),\n` +
  'and the control and admin APIs at /mock. Stops on Ctrl-C.';

/** Where output goes (the process's streams by default; tests may pass their own). */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const stdio: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

/**
 * Runs the mock's CLI with `argv` (the arguments after the script). `--help`: prints every
 * option and resolves 0. A bad command line: one sentence on stderr, resolves 2. Otherwise
 * starts the server, prints a banner naming its URL and faces, and resolves 0 once the server
 * has closed (on SIGINT or SIGTERM, or `signal` aborting), or 1 when it cannot listen.
 */
export async function runMockCli(argv: string[], io: CliIo = stdio, signal?: AbortSignal): Promise<number> {
  const parsed = parseCli(argv, MOCK_CLI_OPTIONS);
  if (parsed.kind === 'help') {
    io.out(helpText(USAGE, ABOUT, MOCK_CLI_OPTIONS));
    return 0;
  }
  if (parsed.kind === 'error') {
    io.err(parsed.message);
    return 2;
  }
  const values = parsed.values;
  const port = numberOption(values, 'port', 0, 65535, true);
  if (typeof port === 'string') {
    io.err(port);
    return 2;
  }
  const host = values.host as string;
  const seed = () => {
    const t = seedTenant();
    if (values['auto-agents']) t.autoAgents = [{ account: 'bob', acceptAfterSeconds: 2, replies: ['Hello! How can I help?', 'Let me check that for you.', 'Done — anything else?'] }];
    return t;
  };
  const warning = exposureWarning(host);
  if (warning) io.err(warning);
  const { server } = createMockHttpServer({
    store: new TenantStore(seed),
    allowedOrigins: values['allowed-origin'] as string[],
    allowedHosts: values['allowed-host'] as string[],
  });
  return new Promise<number>((resolve) => {
    const stop = () => {
      server.close();
      server.closeAllConnections();
    };
    const onSignal = () => stop();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    signal?.addEventListener('abort', stop, { once: true });
    server.once('error', (e: NodeJS.ErrnoException) => {
      io.err(`The mock cannot listen on ${host}:${port}: ${e.code ?? e.message}.`);
      resolve(1);
    });
    server.once('close', () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(0);
    });
    server.listen(port, host, () => {
      const addr = server.address();
      const actual = typeof addr === 'object' && addr ? addr.port : port;
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${actual}`;
      io.out(
        `Mock contact center on ${url} (channel API at /apiaccess/ccmessaging, real-CEC face at ${CEC_API_PATH.replace(/\/apiaccess.*/, '')} with its API at ${CEC_API_PATH}, mock APIs at /mock)`,
      );
    });
  });
}

// Run as a program (`npm run mock`, `tsx mock-server/http/cli.ts`), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runMockCli(process.argv.slice(2));
}
