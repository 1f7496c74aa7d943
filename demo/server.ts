/**
 * The demo's server: static files (the page, the built widget, MSW's worker script) plus the
 * mock contact center over plain HTTP on the same origin, for `?mock=http` (state that spans
 * tabs and reloads), plus a connector under `/connector` for `?mock=connector`: the widget talks
 * our contract to the connector, which talks the real CEC wire to this server's `/cec` face with
 * the seed tenant's AK/SK. By default the page runs the mock in MSW's service worker instead.
 * Every channel API request it serves (`/apiaccess/…`, `/connector/apiaccess/…`, `/cec/…`) is
 * kept in a short log the page reads (`GET /demo-log/requests?after=N`), so the page's event log
 * can say which face each request came through.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEED_CEC_APP_KEY, SEED_CEC_APP_SECRET } from '../mock-server/config/seed.js';
import { AccessPolicy } from '../mock-server/http/access.js';
import { createMockHttpServer } from '../mock-server/http/server.js';
import { createConnector, type ConnectorHandler } from '../widget/server/connector/connector.js';
import { CONNECTOR_ENV, connectorChannel, type ChannelLike } from './connector-config.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
/** URL prefix → folder. Only these are served. */
const MOUNTS: Array<[string, string]> = [
  ['/dist/', join(root, 'dist')],
  ['/demo/', join(root, 'demo')],
];

function serveStatic(req: IncomingMessage, res: ServerResponse): void {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  let file: string | undefined;
  if (path === '/' || path === '/index.html') file = join(root, 'demo', 'index.html');
  else if (path === '/mockServiceWorker.js') file = join(root, 'node_modules', 'msw', 'lib', 'mockServiceWorker.js');
  else {
    for (const [prefix, dir] of MOUNTS) {
      if (!path.startsWith(prefix)) continue;
      const candidate = normalize(join(dir, path.slice(prefix.length)));
      if (candidate.startsWith(dir)) file = candidate;
    }
  }
  if (!file || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
    // The demo proves the widget works under a strict policy: no inline scripts or styles.
    'content-security-policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; worker-src 'self'",
    // The widget's files, as a CDN must serve them: a page on another origin imports them as modules.
    ...(path.startsWith('/dist/') ? { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' } : {}),
  });
  createReadStream(file).pipe(res);
}

/** Where the demo's connector is mounted: the widget's baseUrl is `<origin>/connector`. */
export const CONNECTOR_PREFIX = '/connector';

/** The face a request came through, as the event log names it. */
export type Face = 'our contract' | 'our contract, to the connector' | 'real CEC wire';

/** One channel API request the server answered (path only: no query, no header, no body). */
export interface ServedRequest {
  seq: number;
  at: number;
  method: string;
  path: string;
  face: Face;
  status: number;
}

function faceOf(path: string): Face | null {
  if (path.startsWith('/apiaccess/')) return 'our contract';
  if (path.startsWith(`${CONNECTOR_PREFIX}/apiaccess/`)) return 'our contract, to the connector';
  if (path.startsWith('/cec/')) return 'real CEC wire';
  return null;
}

/** Keeps the last `max` served channel API requests, numbered from 1. */
class RequestLog {
  private items: ServedRequest[] = [];
  private seq = 0;
  constructor(private readonly max = 1000) {}
  add(r: Omit<ServedRequest, 'seq'>): void {
    this.items.push({ seq: ++this.seq, ...r });
    if (this.items.length > this.max) this.items.shift();
  }
  after(seq: number): { items: ServedRequest[]; last: number } {
    return { items: this.items.filter((r) => r.seq > seq), last: this.seq };
  }
}

/** An environment variable name for channel `id`'s secretKey, given to the demo's own connector. */
const secretEnvOf = (id: string) => `CEC_SECRET_KEY_${id.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`.slice(0, 64);

/**
 * The demo server: the page, the widget build, the mock contact center over HTTP and a
 * connector in front of the mock's real-CEC face. The connector is (re)made from the tenant's
 * web channels whenever they change, as an integrator would edit connector.json and restart it;
 * its AK/SK (the seed tenant's) and each channel's secretKey reach it as its environment
 * (`env`), never through a URL or the page. `close()` stops the connector, then the server.
 */
export function createDemoServer() {
  const requests = new RequestLog();
  const access = new AccessPolicy();
  const mock = createMockHttpServer({ fallback: serveStatic });
  const { server, cc } = mock;
  const mockListener = server.listeners('request')[0] as (req: IncomingMessage, res: ServerResponse) => void;
  server.removeAllListeners('request');

  let connector: ConnectorHandler | undefined;
  let connectorListener: ((req: IncomingMessage, res: ServerResponse) => unknown) | undefined;
  let madeFrom = '';
  let closed = false;
  /** The connector for the tenant's channels as they are now; null before the server listens. */
  const currentConnector = () => {
    const addr = server.address() as AddressInfo | null;
    if (!addr || closed) return undefined;
    const channels = cc.store.current.channels as unknown as ChannelLike[];
    const env: Record<string, string> = { [CONNECTOR_ENV.appKey]: SEED_CEC_APP_KEY, [CONNECTOR_ENV.appSecret]: SEED_CEC_APP_SECRET };
    const entries = channels.map((c) => {
      const entry = connectorChannel(c, secretEnvOf(String(c.id)));
      if (entry.secretKeyEnv && typeof c.secretKey === 'string') env[entry.secretKeyEnv as string] = c.secretKey;
      return entry;
    });
    const host = addr.family === 'IPv6' ? `[${addr.address === '::' ? '::1' : addr.address}]` : addr.address === '0.0.0.0' ? '127.0.0.1' : addr.address;
    const config = { upstream: { baseUrl: `http://${host}:${addr.port}/cec`, appKeyEnv: CONNECTOR_ENV.appKey, appSecretEnv: CONNECTOR_ENV.appSecret }, channels: entries };
    const key = JSON.stringify(config);
    if (key !== madeFrom || !connector) {
      void connector?.close();
      connector = createConnector(config as Parameters<typeof createConnector>[0], { env, log: () => undefined });
      const handler = connector;
      connectorListener = getRequestListener(handler, {
        errorHandler: () =>
          new Response(JSON.stringify({ errorCode: 'connector.internal', exceptionInfo: 'The chat service failed.' }), { status: 500, headers: { 'content-type': 'application/json' } }),
      });
      madeFrom = key;
    }
    return connectorListener;
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/demo-log/requests') {
      if (!access.hostAllowed(req.headers.host)) return void res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden');
      const after = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('after') ?? 0) || 0;
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(requests.after(after)));
      return;
    }
    const face = faceOf(path);
    if (face) {
      const at = Date.now();
      res.on('finish', () => requests.add({ at, method: req.method ?? 'GET', path, face, status: res.statusCode }));
    }
    if (path.startsWith(`${CONNECTOR_PREFIX}/`)) {
      let listener;
      try {
        listener = currentConnector();
      } catch (e) {
        res
          .writeHead(503, { 'content-type': 'application/json' })
          .end(JSON.stringify({ errorCode: 'connector.config', exceptionInfo: `The demo's connector could not start: ${(e as Error).message}` }));
        return;
      }
      if (!listener) return void res.writeHead(503).end();
      req.url = (req.url ?? '/').slice(CONNECTOR_PREFIX.length);
      void listener(req, res);
      return;
    }
    mockListener(req, res);
  });

  return {
    server,
    cc,
    /** Stops the connector's upstream poll loops (they hold connections to this server), then the server. */
    async close(): Promise<void> {
      closed = true;
      await connector?.close();
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
    },
  };
}
