/**
 * The connector: the server half for integrators that puts `<cec-chat>` in front of a real CEC.
 *
 * Towards browsers it serves exactly the widget's channel API (docs/channel-api.md and the
 * README's extensions: gap-free `seq`, `cursor` replay, long poll up to 25 s, idempotent send on
 * `clientMessageId`, `event`/`data`, `queryChannelConfig`, uploads served at `/file/:key`,
 * click-to-dial with a `callId`, and contract C1's `resumeKey`). Towards the CEC it speaks the
 * real wire through `CecUpstream` (docs/cec-real-api.md).
 *
 * `createConnector(config)` returns a standard fetch handler `(Request) => Promise<Response>`
 * with a `close()`; mount it in any framework or with `serveConnector` (node:http).
 *
 * Rules that shape the code (and where they come from):
 * - A message taken from the consume-once upstream poll is appended to the store before anything
 *   else happens, so a browser that is gone loses nothing (issue 15).
 * - One upstream poll loop per active customer, owned through a store lease, so that several
 *   instances never consume one customer's messages twice (issue 16 builds on this).
 * - A CHAT send whose upstream outcome is unknown is never repeated blindly: the connector first
 *   looks for it in the CEC's history (`queryHistoryChatMessage`, matched by content and the
 *   `timestamp` it sent); only when the history proves it absent is it sent again. When the
 *   history cannot tell, the widget is answered `send.outcomeUnknown` (409) and the message is
 *   shown as not sent; a second request for it (the customer pressing Retry) sends it again.
 */
import { setMaxListeners } from 'node:events';
import { parseConfig, type ConnectorConfig, type ConnectorConfigInput } from './config.js';
import { b64url, type ConnectorContext } from './context.js';
import { corsFor, HttpError, json, toFailure } from './http.js';
import { applyToken } from './routes/apply-token.js';
import { channelConfig } from './routes/channel-config.js';
import { callEvents, createCall, dropCall } from './routes/click-to-call.js';
import { history } from './routes/history.js';
import { leaveMessage } from './routes/leave-message.js';
import { poll } from './routes/poll.js';
import { queueInfo } from './routes/queue.js';
import { saveSatisfaction, survey } from './routes/satisfaction.js';
import { send } from './routes/send.js';
import { download, upload } from './routes/upload.js';
import { openStore } from './store-config.js';
import type { ConnectorStore } from './store.js';
import { startSweeper, sweep } from './sweeper.js';
import { CecUpstream, type Timers } from './upstream.js';

/** Where the connector serves our contract (channel-api.md); requests are matched from this segment of the path on. */
export const API_PATH = '/apiaccess/ccmessaging';

export interface ConnectorOptions {
  /** Where all state lives; default a new in-memory store. */
  store?: ConnectorStore;
  /** Environment to read secrets from; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Upstream fetch; default the global one. */
  fetch?: typeof fetch;
  /** Epoch ms; default `Date.now`. */
  now?: () => number;
  timers?: Timers;
  random?: () => number;
  /** One structured record per upstream call and per failure; default one JSON line on stdout. */
  log?: (record: Record<string, unknown>) => void;
  /**
   * Instead of the channel signature: decides who the browser is (e.g. from your session cookie).
   * Return null to refuse (401). The returned userId must equal the body's userId.
   */
  authenticate?: (request: Request) => Promise<{ userId: string; userName?: string } | null>;
  /** This instance's name in leases; default a random id. */
  instanceId?: string;
  /** How often each instance looks for silent and unowned customers, ms (default 5000; 0 = never). */
  sweepMs?: number;
}

export type ConnectorHandler = ((request: Request) => Promise<Response>) & {
  /** Stops the poll loops and the sweeper (the store is closed only when the connector made it). */
  close(): Promise<void>;
  readonly store: ConnectorStore;
  /** Upstream poll loops running in this instance (for tests and metrics). */
  readonly loops: number;
  /** Runs one sweep now (silence and takeover); resolves when done. */
  sweep(): Promise<void>;
};

/** The browser face: `<METHOD> <path below API_PATH>` → its route (`GET /file/:key` apart). */
const ROUTES: Record<string, (ctx: ConnectorContext, request: Request) => Promise<unknown>> = {
  'POST /applyToken': applyToken,
  'GET /queryChannelConfig': channelConfig,
  'POST /send': send,
  'GET /poll': poll,
  'POST /queryQueueInfo': queueInfo,
  'GET /getsatisfactionsurveymode': survey,
  'POST /saveSatisfaction': saveSatisfaction,
  'POST /doLeaveMessage': leaveMessage,
  'POST /queryHistoryChatMessage': history,
  'POST /uploadFileStream': upload,
  'POST /createClickToCall': createCall,
  'GET /getClickToCallEvents': callEvents,
  'POST /dropClickToCall': dropCall,
};

/**
 * Builds the connector. `config` is the parsed `connector.json` (validated here as well: a bad
 * field throws ConfigError naming it). Reads the app key/secret from the environment variables
 * the config names; throws when they are missing.
 */
export function createConnector(configInput: ConnectorConfig | ConnectorConfigInput, options: ConnectorOptions = {}): ConnectorHandler {
  const config = parseConfig(configInput);
  const env = options.env ?? process.env;
  const appKey = env[config.upstream.appKeyEnv];
  const appSecret = env[config.upstream.appSecretEnv];
  if (!appKey) throw new Error(`The environment variable ${config.upstream.appKeyEnv} (the CEC app key) is not set.`);
  if (!appSecret) throw new Error(`The environment variable ${config.upstream.appSecretEnv} (the CEC app secret) is not set.`);
  const secretKeys = new Map<string, string>();
  for (const ch of config.channels) {
    if (!ch.secretKeyEnv) continue;
    const key = env[ch.secretKeyEnv];
    if (!key) throw new Error(`The environment variable ${ch.secretKeyEnv} (secretKey of channel ${ch.channelId}) is not set.`);
    secretKeys.set(ch.channelId, key);
  }
  const now = options.now ?? Date.now;
  const timers: Timers = options.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
  const random = options.random ?? Math.random;
  const log = options.log ?? ((r: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ at: new Date(now()).toISOString(), ...r })}\n`));
  const ownStore = !options.store;
  const store = options.store ?? openStore(config.store, { env, now, timers });
  const instanceId = options.instanceId ?? b64url(crypto.getRandomValues(new Uint8Array(9)));
  const upstream = new CecUpstream(config.upstream, { appKey, appSecret }, store, { fetch: options.fetch ?? ((...a) => globalThis.fetch(...a)), now, timers, random, log });
  const silenceMs = config.session.silenceSeconds * 1000;
  const retainMs = config.session.retainMinutes * 60_000;
  const closing = new AbortController();
  // Every upstream call and long poll listens to it: one listener per active customer is expected.
  setMaxListeners(0, closing.signal);
  const ctx: ConnectorContext = {
    config,
    channels: new Map(config.channels.map((c) => [c.channelId, c])),
    secretKeys,
    store,
    upstream,
    now,
    timers,
    random,
    log,
    fetch: options.fetch ?? ((...a) => fetch(...a)),
    authenticate: options.authenticate,
    instanceId,
    times: {
      silenceMs,
      retainMs,
      idempotencyTtlMs: silenceMs + retainMs + config.upstream.unknownSendGraceMs,
      sendHoldMs: (config.upstream.timeoutMs + 1000) * 2,
      resolveHoldMs: (config.upstream.timeoutMs + 1000) * 4,
      leaseMs: config.upstream.pollTimeoutMs + 15_000,
      pollLeaseMs: config.upstream.leaseMs,
    },
    newId: () => b64url(crypto.getRandomValues(new Uint8Array(16))),
    closing: closing.signal,
    closed: false,
    historyEnd: new Map(),
    loops: new Map(),
    callLoops: new Map(),
    disconnecting: new Set(),
  };
  const sweeper = startSweeper(ctx, options.sweepMs ?? 5000);
  const cors = corsFor(config, log);

  const handler = (async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const corsHeaders = cors(request);
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: corsHeaders });
    const at = url.pathname.indexOf(API_PATH);
    const path = at >= 0 ? url.pathname.slice(at + API_PATH.length) : null;
    const route = path === null ? null : `${request.method} ${path}`;
    try {
      if (ctx.closed) throw new HttpError(503, 'connector.closing', 'The connector is shutting down; try again.', undefined, 1);
      if (path !== null && request.method === 'GET' && path.startsWith('/file/')) {
        const [random] = path.slice('/file/'.length).split('/');
        const res = await download(ctx, random ?? '');
        for (const [k, val] of Object.entries(corsHeaders)) res.headers.set(k, val);
        return res;
      }
      const fn = route ? ROUTES[route] : undefined;
      if (!fn) throw new HttpError(404, 'route.notFound', `No route ${request.method} ${url.pathname}.`);
      return json(200, await fn(ctx, request), corsHeaders);
    } catch (e) {
      const [status, body, headers] = toFailure(e, route ?? url.pathname, log);
      return json(status, body, { ...headers, ...corsHeaders });
    }
  }) as ConnectorHandler;

  Object.defineProperties(handler, {
    store: { value: store },
    loops: { get: () => ctx.loops.size },
    sweep: { value: () => sweep(ctx) },
    close: {
      value: async () => {
        if (ctx.closed) return;
        ctx.closed = true;
        closing.abort();
        sweeper.stop();
        await Promise.allSettled([...ctx.loops.values(), ...ctx.callLoops.values(), ...ctx.disconnecting]);
        if (ownStore) await store.close();
      },
    },
  });
  return handler;
}
