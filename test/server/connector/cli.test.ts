/**
 * The connector's command line and config file: --help lists every option, bad input is one
 * sentence naming the option or field (never a stack trace), and a good config serves the
 * channel API on a free port until stopped.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELP, runConnectorCli } from '../../../widget/server/connector/cli.js';
import { ConfigError, parseConfig } from '../../../widget/server/connector/config.js';

const dir = mkdtempSync(join(tmpdir(), 'connector-cli-'));
const file = (name: string, body: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
  return p;
};
const GOOD = { upstream: { baseUrl: 'http://127.0.0.1:9/cec' }, channels: [{ channelId: 'demo' }] };

async function run(argv: string[], env: Record<string, string> = { CEC_APP_KEY: 'k', CEC_APP_SECRET: 's' }, stopped?: Promise<void>) {
  let out = '';
  let err = '';
  let url = '';
  const code = await runConnectorCli(argv, { out: (s) => (out += s), err: (s) => (err += s), env, stopped, onListening: (u) => (url = u) });
  return { code, out, err, url };
}

describe('connector CLI', () => {
  it('--help prints every option and the environment variables', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const opt of ['--config', '--port', '--host', '--quiet', '--help', 'CEC_APP_KEY', 'CEC_APP_SECRET', 'secretKeyEnv']) expect(r.out).toContain(opt);
    expect(r.out).toBe(HELP);
  });

  it('bad options and files give one sentence, exit 2, no stack trace', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--bogus'], /Unknown option '--bogus'\. Run with --help/],
      [[], /--config <file> is required/],
      [['--config', file('ok.json', GOOD), '--port', 'abc'], /--port must be a whole number from 0 to 65535/],
      [['--config', join(dir, 'missing.json')], /Cannot read the config file/],
      [['--config', file('bad.json', '{nope')], /is not valid JSON/],
      [['--config', file('field.json', { upstream: { baseUrl: 'ftp://x' }, channels: [] })], /upstream\.baseUrl: must start with http:\/\/ or https:\/\/; channels: must list at least one channel/],
    ];
    for (const [argv, pattern] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(pattern);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    const noKey = await run(['--config', file('ok2.json', GOOD)], {});
    expect(noKey.code).toBe(2);
    expect(noKey.err).toBe('The environment variable CEC_APP_KEY (the CEC app key) is not set.\n');
  });

  it('serves the channel API on a free port until stopped', async () => {
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    let url = '';
    let out = '';
    const running = runConnectorCli(['--config', file('serve.json', GOOD), '--port', '0', '--quiet'], {
      out: (s) => (out += s),
      err: (s) => (out += s),
      env: { CEC_APP_KEY: 'k', CEC_APP_SECRET: 's' },
      stopped,
      onListening: (u) => (url = u),
    });
    await expect.poll(() => url, { timeout: 10_000 }).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/apiaccess/ccmessaging/queryChannelConfig?channelId=demo`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ resultCode: '0', channelId: 'demo' });
    stop();
    expect(await running).toBe(0);
    expect(out).toContain(`Connector listening on ${url}`);
  });
});

describe('connector config', () => {
  it('names every bad field, with its path', () => {
    try {
      parseConfig({
        upstream: { baseUrl: 'https://cec.example', timeoutMs: 5, extra: 1 },
        channels: [
          { channelId: 'a b', queueReminder: { intervalSeconds: 1, content: '' }, satisfactionLevels: ['x'] },
          { channelId: 'ok', workTime: { timeZone: 'Mars/Base', workdays: [8], workday: [{ start: '25:00', end: '24:00' }], nonWorkingNotice: '' } },
        ],
      });
      throw new Error('should have failed');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const issues = (e as ConfigError).issues.join('\n');
      for (const field of [
        'upstream.timeoutMs',
        'upstream.extra',
        'channels[0].channelId',
        'channels[0].queueReminder.intervalSeconds',
        'channels[0].satisfactionLevels',
        'channels[1].workTime.timeZone',
        'channels[1].workTime.workdays[0]',
        'channels[1].workTime.workday[0].start',
      ])
        expect(issues).toContain(`${field}:`);
    }
    expect(() => parseConfig({ upstream: { baseUrl: 'https://x.example' }, channels: [{ channelId: 'a' }, { channelId: 'a' }] })).toThrow('channels[1].channelId: "a" is listed twice');
    const ok = parseConfig(GOOD);
    expect(ok.upstream).toMatchObject({ appKeyEnv: 'CEC_APP_KEY', appSecretEnv: 'CEC_APP_SECRET', timeoutMs: 10_000 });
    expect(ok.channels[0]!.satisfactionLevels).toHaveLength(5);
  });

  it('work time follows the rule of requirements A: each segment starts before it ends, none overlaps, at most 4 a day', () => {
    type Segment = { start: string; end: string };
    const withWorkTime =
      (workday: Segment[], nonWorkday: Segment[] = []) =>
      () =>
        parseConfig({
          upstream: { baseUrl: 'https://x.example' },
          channels: [{ channelId: 'a', workTime: { timeZone: 'UTC', workdays: [1, 2, 3, 4, 5], workday, nonWorkday, nonWorkingNotice: 'Closed.' } }],
        });
    const overlapping = [
      { start: '09:00', end: '12:00' },
      { start: '11:00', end: '13:00' },
    ];
    expect(withWorkTime([{ start: '18:00', end: '09:00' }])).toThrow('channels[0].workTime.workday[0].end: must be later than start (18:00)');
    expect(withWorkTime([{ start: '24:00', end: '24:00' }])).toThrow('channels[0].workTime.workday[0].');
    expect(withWorkTime([], overlapping)).toThrow('channels[0].workTime.nonWorkday[1]: 11:00–13:00 overlaps nonWorkday[0]');
    const five = ['08', '10', '12', '14', '16'].map((h) => ({ start: `${h}:00`, end: `${h}:30` }));
    expect(withWorkTime(five)).toThrow('channels[0].workTime.workday: must have at most 4 time segments');
    expect(withWorkTime(five.slice(0, 4), [{ start: '00:00', end: '24:00' }])).not.toThrow();
  });
});
