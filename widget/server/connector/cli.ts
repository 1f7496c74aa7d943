/**
 * The connector's command line: `cec-web-chat connector --config connector.json --port 8788`
 * (also `npm run connector -- …` or `npx tsx widget/server/connector/cli.ts …`).
 * Secrets come from the environment only (see `--help`). A bad option or config prints one
 * sentence naming it, never a stack trace, and exits with 2.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ConfigError, parseConfig } from './config.js';
import { createConnector } from './connector.js';
import { serveFetch } from './serve.js';

export const HELP = `Usage: cec-web-chat connector --config <file> [--port <n>] [--host <addr>]

Serves the widget's channel API in front of a real CEC web channel.

Options:
  --config <file>   the connector's JSON config (required): upstream.baseUrl, channels, …
  --port <n>        port to listen on, 0 to 65535 (default 8788; 0 = any free port)
  --host <addr>     address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --quiet           no log line per upstream call
  --help            this text

Environment (never in the config file):
  CEC_APP_KEY, CEC_APP_SECRET   the tenant's API Fabric AK/SK (names can be changed with
                                upstream.appKeyEnv / upstream.appSecretEnv)
  <channels[i].secretKeyEnv>    a channel's secretKey, when the channel signs its customers
`;

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  env?: Record<string, string | undefined>;
  /** Resolves when the process should stop (default: SIGINT or SIGTERM). */
  stopped?: Promise<void>;
  /** Called once listening, with the URL. */
  onListening?: (url: string) => void;
}

/** Runs the CLI; resolves with the exit code (0 after a clean stop, 2 on bad input, 1 on failure). */
export async function runConnectorCli(argv: string[], io: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  let values: { config?: string; port?: string; host?: string; quiet?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { config: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    io.err(`${(e as Error).message.split('\n')[0]!.replace(/\.?$/, '.')} Run with --help to see the options.\n`);
    return 2;
  }
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  if (!values.config) {
    io.err('The option --config <file> is required (the connector config). Run with --help to see the options.\n');
    return 2;
  }
  const port = values.port === undefined ? 8788 : Number(values.port);
  if (!/^\d+$/.test(values.port ?? '0') || !Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`--port must be a whole number from 0 to 65535, not "${values.port}".\n`);
    return 2;
  }
  let raw: string;
  try {
    raw = await readFile(values.config, 'utf8');
  } catch {
    io.err(`Cannot read the config file "${values.config}".\n`);
    return 2;
  }
  let connector: ReturnType<typeof createConnector>;
  try {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (e) {
      io.err(`The config file "${values.config}" is not valid JSON: ${(e as Error).message}.\n`);
      return 2;
    }
    const config = parseConfig(parsed);
    connector = createConnector(config, {
      env: io.env ?? process.env,
      log: values.quiet ? () => {} : (r) => io.out(`${JSON.stringify({ at: new Date().toISOString(), ...r })}\n`),
    });
  } catch (e) {
    io.err(`${e instanceof ConfigError ? e.message : (e as Error).message}\n`);
    return 2;
  }
  let served;
  try {
    served = await serveFetch(connector, { port, host: values.host });
  } catch (e) {
    await connector.close();
    io.err(`Cannot listen on ${values.host ?? '127.0.0.1'}:${port}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.\n`);
    return 1;
  }
  io.out(`Connector listening on ${served.url} (channel API at ${served.url}/apiaccess/ccmessaging)\n`);
  io.onListening?.(served.url);
  await (io.stopped ??
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }));
  await connector.close();
  await served.close();
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  const args = process.argv.slice(2);
  // `cec-web-chat connector …`: the sub-command name is optional.
  runConnectorCli(args[0] === 'connector' ? args.slice(1) : args).then((code) => process.exit(code));
}
