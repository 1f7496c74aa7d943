/**
 * The HTTP plumbing of the connector's browser face: the error it answers with, request body and
 * parameter checks (each error names its field), JSON answers, CORS and the mapping of any
 * failure to the widget's `{errorCode, exceptionInfo, field}` answer.
 */
import type { ConnectorConfig } from './config.js';
import { UpstreamError } from './upstream.js';

/** A failure with the answer the browser gets: status, `errorCode`, message and the field at fault. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly field?: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** 400 `<route>.<field>.invalid`: `<field> <what>.` */
export const bad = (route: string, field: string, what: string) => new HttpError(400, `${route}.${field}.invalid`, `${field} ${what}.`, field);

/** The request's JSON object body, at most `maxBytes` (413 beyond, 400 when not a JSON object). */
export async function readBody(request: Request, route: string, maxBytes = 64 * 1024): Promise<Record<string, unknown>> {
  const len = Number(request.headers.get('content-length') ?? 0);
  if (len > maxBytes) throw new HttpError(413, `${route}.tooLarge`, `The request body may be at most ${maxBytes} bytes.`);
  let body: unknown;
  try {
    const text = await request.text();
    if (text.length > maxBytes) throw new Error('too large');
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'request.invalidJson', 'The request body must be a JSON object.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'request.invalidJson', 'The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

/** A string field of a body ('' when absent and not required); 400 naming the field otherwise. */
export const str = (body: Record<string, unknown>, field: string, route: string, o: { required?: boolean; max?: number; pattern?: RegExp; oneOf?: readonly string[] } = {}): string => {
  const val = body[field];
  if (val === undefined || val === null || val === '') {
    if (o.required) throw new HttpError(400, `${route}.${field}.missing`, `${field} is required.`, field);
    return '';
  }
  if (typeof val !== 'string') throw bad(route, field, 'must be a string');
  if (o.max !== undefined && val.length > o.max) throw bad(route, field, `must be at most ${o.max} characters`);
  if (o.pattern && !o.pattern.test(val)) throw bad(route, field, 'has characters that are not allowed');
  if (o.oneOf && !o.oneOf.includes(val)) throw bad(route, field, `must be one of ${o.oneOf.join(', ')}`);
  return val;
};

/** The rule of an id field (channelId, userId). */
export const ID = { required: true, max: 64, pattern: /^[\w.@:-]+$/ };

/** An integer query parameter from `min` to `max` (`min` when absent). */
export function intParam(url: URL, name: string, route: string, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return min;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new HttpError(400, `${route}.${name}.invalid`, `${name} must be an integer from ${min} to ${max}.`, name);
  return n;
}

/** A JSON answer that no cache keeps. */
export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers } });

/**
 * CORS answer headers for a browser call from another origin: only for an origin listed in
 * `allowedOrigins`. Another cross-origin caller gets none (the browser blocks it) and one
 * `cors.refused` log line naming the origin, so an integrator sees why a page cannot connect.
 * Each refused origin is logged once (at most 100, so no page can grow the set without limit).
 */
export function corsFor(config: ConnectorConfig, log: (record: Record<string, unknown>) => void): (request: Request) => Record<string, string> {
  const refusedOrigins = new Set<string>();
  return (request): Record<string, string> => {
    const origin = request.headers.get('origin');
    if (!origin) return {};
    if (!config.allowedOrigins.includes(origin)) {
      if (refusedOrigins.size < 100 && !refusedOrigins.has(origin) && origin !== new URL(request.url).origin) {
        refusedOrigins.add(origin);
        log({ event: 'cors.refused', origin: origin.slice(0, 200), hint: 'list this origin in allowedOrigins to let its pages call the connector' });
      }
      return {};
    }
    return {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET,POST,OPTIONS',
      'access-control-allow-headers': 'content-type,authorization,ccmessaging-token',
      'access-control-expose-headers': 'ccmessaging-token,retry-after',
      'access-control-max-age': '600',
      vary: 'origin',
    };
  };
}

/** Maps a failure to the widget's error answer: status, `{errorCode, exceptionInfo, field}`. */
export function toFailure(e: unknown, route: string, log: (record: Record<string, unknown>) => void): [number, unknown, Record<string, string>] {
  const headers: Record<string, string> = {};
  if (e instanceof HttpError) {
    if (e.retryAfter !== undefined) headers['retry-after'] = String(e.retryAfter);
    return [e.status, { errorCode: e.errorCode, exceptionInfo: e.message, ...(e.field ? { field: e.field } : {}) }, headers];
  }
  if (e instanceof UpstreamError) {
    log({ event: 'request.failed', route, upstream: e.route, kind: e.kind, status: e.status, resultCode: e.code });
    if (e.kind === 'rejected') {
      if (e.status === 401 || e.status === 403) return [502, { errorCode: 'upstream.auth', exceptionInfo: 'The connector could not sign in to the contact center.' }, headers];
      const name = e.route === 'send' ? 'send.rejected' : `${e.route}.rejected`;
      return [e.status >= 400 && e.status < 500 ? 422 : 409, { errorCode: name, exceptionInfo: `The contact center refused the request (code ${e.code ?? e.status}).` }, headers];
    }
    headers['retry-after'] = String(e.retryAfter ?? 2);
    return [503, { errorCode: 'upstream.unavailable', exceptionInfo: 'The contact center is not answering; try again shortly.' }, headers];
  }
  log({ event: 'request.failed', route, reason: e instanceof Error ? e.message : String(e) });
  headers['retry-after'] = '2';
  return [503, { errorCode: 'connector.unavailable', exceptionInfo: 'The chat service is having trouble; try again shortly.' }, headers];
}
