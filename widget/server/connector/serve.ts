/**
 * Serves a fetch handler (the connector) on node:http. The fetch ↔ node:http bridge is
 * `@hono/node-server`'s request listener: a maintained, small adapter (Node ≥ 18.14) that streams
 * bodies both ways and aborts the Request's signal when the client goes away — which is what lets
 * a long poll end as soon as the browser leaves.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';

export interface Served {
  server: Server;
  /** e.g. http://127.0.0.1:8788 */
  url: string;
  close(): Promise<void>;
}

/** Listens on `host:port` (port 0 = a free one) and resolves once listening. */
export async function serveFetch(handler: (request: Request) => Promise<Response>, opts: { port: number; host?: string }): Promise<Served> {
  const listener = getRequestListener(handler, {
    errorHandler: () => new Response(JSON.stringify({ errorCode: 'connector.internal', exceptionInfo: 'The chat service failed.' }), { status: 500, headers: { 'content-type': 'application/json' } }),
  });
  const server = createServer(listener);
  // Long polls last up to 25 s; keep idle connections a little longer than that.
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  server.requestTimeout = 60_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
