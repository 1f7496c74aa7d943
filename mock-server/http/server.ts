/**
 * The mock as a plain Node HTTP server, for QA and load tests: each request is answered by the
 * resolvers of the same MSW handlers, so there is one implementation; the direct router
 * (router.ts) matches them as MSW does, without MSW's per-request overhead. A resolver gets a
 * PlainRequest (handlers/plain.ts: the part of a Fetch Request it reads, made from Node's
 * request without undici) and its JSON answer comes back as an Answer, written with one
 * `writeHead` + `end(text)`; other answers (files, a dropped answer) are Fetch Responses: a
 * network error or a body that fails to read closes the socket with nothing written.
 * Who may call it is decided by the AccessPolicy (access.ts): CORS for the page's own origin,
 * localhost and configured origins; the `/mock` control APIs only for those and only on a
 * loopback or configured Host. Bodies over MAX_BODY_BYTES get 413 with the error envelope.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHandlers } from '../handlers/index.js';
import { Answer, PlainRequest } from '../handlers/plain.js';
import { ContactCenter, type ContactCenterOptions } from '../runtime/contact-center.js';
import { AccessPolicy, type AccessOptions } from './access.js';
import { createRouter, type Route } from './router.js';

/** Largest request body read (an upload of 5 MB is about 6.7 MB of base64 JSON). */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** A larger body is read and thrown away up to this size, so the client hears the 413; past it the socket is closed. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

export interface MockHttpServerOptions extends ContactCenterOptions, AccessOptions {
  /** Answers requests no handler matched (e.g. static files of the demo); 404 otherwise. */
  fallback?: (req: IncomingMessage, res: ServerResponse) => void;
}

class TooLarge extends Error {}

export function createMockHttpServer(opts: MockHttpServerOptions = {}): { server: Server; cc: ContactCenter } {
  const cc = new ContactCenter(opts);
  cc.desk.startAutoAgents();
  const route = createRouter(createHandlers(cc, { servedBy: 'node' }));
  const access = new AccessPolicy(opts);
  const server = createServer((req, res) => {
    handle(route, access, req, res, opts.fallback).catch((e) => {
      sendError(res, 500, 'mock.internal', `The mock contact center failed: ${e instanceof Error ? e.message : String(e)}`);
    });
  });
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  return { server, cc };
}

function sendError(res: ServerResponse, status: number, errorCode: string, exceptionInfo: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ errorCode, exceptionInfo }));
}

async function handle(route: Route, access: AccessPolicy, req: IncomingMessage, res: ServerResponse, fallback?: (req: IncomingMessage, res: ServerResponse) => void): Promise<void> {
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  const verdict = access.check(path, req.headers);
  if ('refuse' in verdict) {
    req.resume(); // read and drop the body, so the client hears the answer
    return sendError(res, 403, 'mock.forbidden', verdict.refuse);
  }
  const cors = verdict.cors;
  if (req.method === 'OPTIONS') {
    const allowed = Object.keys(cors).length > 0;
    res.writeHead(allowed ? 204 : 403, cors).end();
    return;
  }
  const url = `http://${req.headers.host ?? 'localhost'}${target}`;
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  let body: Buffer | undefined;
  try {
    body = hasBody ? await readBody(req) : undefined;
  } catch (e) {
    if (!(e instanceof TooLarge)) throw e;
    // The answer a client can read, then the connection closes (nothing half-read stays on it).
    return sendError(res, 413, 'request.tooLarge', `The request body may be at most ${MAX_BODY_BYTES / 1024 / 1024} MiB.`, { ...cors, connection: 'close' });
  }
  // Node has joined repeated headers already (set-cookie aside, an array: not a request header).
  // Abort only what the client gave up on (a finished response needs no DOMException). Watched
  // from the moment a resolver reads the request's signal (a long poll), not for every request.
  const request = new PlainRequest(url, req.method ?? 'GET', req.headers, body, (abort) => {
    if (res.destroyed || req.socket.destroyed) return abort();
    res.once('close', () => {
      if (!res.writableFinished) abort();
    });
  });
  const response = await route(request);
  if (!response) {
    if (fallback) return fallback(req, res);
    return sendError(res, 404, 'mock.notFound', `No mock route for ${req.method} ${path}.`, cors);
  }
  // The handlers' JSON answers: one writeHead and one end with the text (no Fetch Response).
  if (response instanceof Answer) {
    res.writeHead(response.status, hasKeys(cors) ? { ...cors, ...response.headers } : response.headers).end(response.text);
    return;
  }
  if (response.type === 'error') {
    res.destroy();
    return;
  }
  // The body is read before the head is written: a body that fails (a dropped answer, see
  // droppedAnswer in handlers/http-util.ts) closes the connection with nothing sent, not a
  // truncated 200 the client would read as an empty answer.
  let bytes: Buffer;
  try {
    bytes = Buffer.from(await response.arrayBuffer());
  } catch {
    res.destroy();
    return;
  }
  const out: Record<string, string> = { ...cors };
  response.headers.forEach((v, k) => {
    out[k] = v;
  });
  res.writeHead(response.status, out).end(bytes);
}

function hasKeys(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

/**
 * The whole body, or TooLarge once it passes MAX_BODY_BYTES — after the rest was read and
 * dropped (up to MAX_DRAIN_BYTES), so the 413 reaches a client that is still sending.
 */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_DRAIN_BYTES) {
      reject(new TooLarge());
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_DRAIN_BYTES) req.destroy();
      else if (size <= MAX_BODY_BYTES) chunks.push(c);
      else chunks.length = 0;
    });
    // One chunk (most bodies) is the body as it is, not a copy.
    req.on('end', () => (size > MAX_BODY_BYTES ? reject(new TooLarge()) : resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))));
    req.on('error', reject);
  });
}
