/**
 * Command-line options for the mock's CLI and its scripts, on node:util `parseArgs`: one table
 * of options gives both the parsing and the `--help` text, and a bad command line becomes one
 * sentence (never a stack trace) for the caller to print before exiting with status 2.
 */
import { parseArgs } from 'node:util';

/** One option: its type, default, the placeholder shown in `--help`, and what it does. */
export interface CliOption {
  type: 'string' | 'boolean';
  multiple?: boolean;
  default?: string | boolean | string[];
  /** Placeholder for the value in the help text, e.g. `PORT`. */
  value?: string;
  description: string;
}

export type CliOptions = Record<string, CliOption>;

/** What parsing gave: the values, or `help` (print `helpText`), or a one-sentence `error`. */
export type CliParse = { kind: 'ok'; values: Record<string, string | boolean | string[] | undefined> } | { kind: 'help' } | { kind: 'error'; message: string };

/** Parses `argv` (without the node and script paths). `--help`/`-h` always exists. */
export function parseCli(argv: string[], options: CliOptions): CliParse {
  const spec: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; default?: string | boolean | string[]; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
  };
  for (const [name, o] of Object.entries(options)) {
    spec[name] = { type: o.type };
    if (o.multiple) spec[name].multiple = true;
    if (o.default !== undefined) spec[name].default = o.default;
  }
  try {
    const { values } = parseArgs({ args: argv, options: spec, strict: true, allowPositionals: false });
    if (values.help) return { kind: 'help' };
    return { kind: 'ok', values: values as Record<string, string | boolean | string[] | undefined> };
  } catch (e) {
    return { kind: 'error', message: sentence(e) };
  }
}

/** The `--help` text: usage, what the program does, then each option with its default. */
export function helpText(usage: string, about: string, options: CliOptions): string {
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    const def = o.default === undefined || o.default === false || (Array.isArray(o.default) && o.default.length === 0) ? '' : ` (default ${String(o.default)})`;
    const many = o.multiple ? ' May be given more than once.' : '';
    return [flag, `${o.description}${def}.${many}`];
  });
  rows.push(['--help, -h', 'Prints this help.']);
  const width = Math.max(...rows.map(([f]) => f!.length)) + 2;
  return `Usage: ${usage}\n\n${about}\n\nOptions:\n${rows.map(([f, d]) => `  ${f!.padEnd(width)}${d}`).join('\n')}\n`;
}

/** One sentence for a parseArgs error (its own messages run to two, with advice about `--`). */
function sentence(e: unknown): string {
  const code = (e as { code?: string }).code;
  const message = e instanceof Error ? e.message : String(e);
  const quoted = /'([^']*)'/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown option ${quoted ?? ''}; see --help.`.replace(' ;', ';');
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Unexpected argument "${quoted ?? ''}": every option starts with --; see --help.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `${message.split(/(?<=\.)\s/)[0]!.replace(/\.$/, '')}; see --help.`;
    default:
      return `${message.split(/(?<=\.)\s/)[0]!.replace(/\.$/, '')}; see --help.`;
  }
}

/** A number option within [min, max] (integers only when `integer`), or a sentence saying what is wrong. */
export function numberOption(values: Record<string, unknown>, name: string, min: number, max: number, integer = false): number | string {
  const raw = values[name];
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    return `--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got "${String(raw)}").`;
  }
  return n;
}
