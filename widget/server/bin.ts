/**
 * The package's command, `npx cec-web-chat <command> [options]`:
 * - `connector --config connector.json [--port 8788]`: the connector in front of a real CEC
 *   (README, "Going live with a real CEC");
 * - `mock [--port 8787]`: the mock contact center over plain HTTP, for an integrator's own tests
 *   and demos (README, "The mock contact center"); it needs `msw`, the mock's peer dependency.
 * Each command's `--help` lists its options. Exit codes: 0 done, 1 failed, 2 bad usage.
 */
const USAGE = `Usage: cec-web-chat <command> [options]

Commands:
  connector   the connector in front of a real CEC web channel (--config <file> [--port <n>])
  mock        the mock contact center over HTTP ([--port <n>]); needs the msw package

Run "cec-web-chat <command> --help" for a command's options.
`;

/** Runs the command named by argv[0]; resolves to the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'connector') {
    const { runConnectorCli } = await import('./connector/cli.js');
    return runConnectorCli(rest);
  }
  if (command === 'mock') {
    // The mock is built beside this file (dist/mock/cli.js); its source lives outside widget/.
    const mockCli = new URL('../mock/cli.js', import.meta.url).href;
    let run: (argv: string[]) => Promise<number>;
    try {
      ({ runMockCli: run } = (await import(mockCli)) as { runMockCli: (argv: string[]) => Promise<number> });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      process.stderr.write(
        code === 'ERR_MODULE_NOT_FOUND' && String(e).includes("'msw'") ? 'The mock needs the msw package: npm install --save-dev msw\n' : `The mock could not start: ${(e as Error).message}\n`,
      );
      return 1;
    }
    return run(rest);
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  process.stderr.write(`Unknown command "${command}": use "connector" or "mock" (see cec-web-chat --help).\n`);
  return 2;
}

process.exitCode = await runCli(process.argv.slice(2));
