/**
 * The mock as a plain Node HTTP server, for QA and load tests: each request becomes a Fetch
 * `Request` answered by the same MSW handlers (`getResponse`), so there is one implementation.
 * CORS is open so a page on another origin (or port) can use it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getResponse, type HttpHandler } from 'msw';
import { createHandlers } from '../handlers/index.js';
import { ContactCenter, type ContactCenterOptions } from '../runtime/contact-center.js';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
  'access-control-allow-headers': 'content-type,authorization,ccmessaging-token,x-app-key,x-token-expire',
  'access-control-expose-headers': 'ccmessaging-token',
  'access-control-max-age': '600',
};

export interface MockHttpServerOptions extends ContactCenterOptions {
  /** Answers requests no handler matched (e.g. static files of the demo); 404 otherwise. */
  fallback?: (req: IncomingMessage, res: ServerResponse) => void;
}

export function createMockHttpServer(opts: MockHttpServerOptions = {}): { server: Server; cc: ContactCenter } {
  const cc = new ContactCenter(opts);
  cc.desk.startAutoAgents();
  const handlers = createHandlers(cc);
  const server = createServer((req, res) => {
    handle(handlers, req, res, opts.fallback).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json', ...CORS });
      res.end(JSON.stringify({ errorCode: 'mock.internal', exceptionInfo: String(e instanceof Error ? e.message : e) }));
    });
  });
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  return { server, cc };
}

async function handle(
  handlers: HttpHandler[],
  req: IncomingMessage,
  res: ServerResponse,
  fallback?: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<void> {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, CORS).end();
    return;
  }
  const abort = new AbortController();
  // Abort only what the client gave up on (a finished response needs no DOMException).
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const url = `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  const body = hasBody ? new Uint8Array(await readBody(req)) : undefined;
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  const request = new Request(url, { method: req.method, headers, body, signal: abort.signal });
  const response = await getResponse(handlers, request);
  if (!response) {
    if (fallback) return fallback(req, res);
    res.writeHead(404, { 'content-type': 'application/json', ...CORS });
    res.end(JSON.stringify({ errorCode: 'mock.notFound', exceptionInfo: `No mock route for ${req.method} ${req.url}.` }));
    return;
  }
  if (response.type === 'error') {
    res.destroy();
    return;
  }
  const out: Record<string, string> = { ...CORS };
  response.headers.forEach((v, k) => (out[k] = v));
  const buf = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, out).end(buf);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 16 * 1024 * 1024) {
        reject(new Error('request body larger than 16 MiB'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
