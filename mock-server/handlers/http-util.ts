/**
 * What every mock handler shares: JSON in and out, one error shape, request fields read with
 * valibot schemas (the config's issue mapping names the field), and fault injection.
 * Cross-cutting behaviour wraps resolvers (MSW's higher-order resolver pattern) instead of
 * being repeated in each one. JSON answers (`json`, `ok`, `errorResponse`) are `Answer`s: the
 * wrappers (`withErrors`, `withFaults`) hand them to MSW as Fetch Responses and to the plain
 * server as they are (see plain.ts); a resolver that returns one must be wrapped.
 */
import { HttpResponse, delay, http } from 'msw';
import * as v from 'valibot';
import { parseOrThrow } from '../config/schema/fields.js';
import { TOKEN_HEADER, type ApiError } from '../../widget/core/protocol.js';
import type { ContactCenter, Identity } from '../runtime/contact-center.js';
import { ApiFailure, badRequest } from '../runtime/errors.js';
import type { FaultDecision, Faults } from '../runtime/faults.js';
import { Answer, PlainRequest, urlOf, type MockRequest } from './plain.js';

/** Anything thrown with a status and an errorCode (an ApiFailure) is an API error. */
interface Failure {
  status: number;
  errorCode: string;
  message: string;
  field?: string;
}

function isFailure(e: unknown): e is Failure {
  return typeof e === 'object' && e !== null && typeof (e as Failure).status === 'number' && typeof (e as Failure).errorCode === 'string';
}

/** Strings up to this many UTF-16 units are counted in `scratch` (3 bytes a unit at most: 24 KiB). */
const SCRATCH_UNITS = 8192;
const encoder = new TextEncoder();
const scratch = new Uint8Array(SCRATCH_UNITS * 3);

/**
 * The number of bytes of `s` in UTF-8, as it goes on the wire: a lone surrogate counts as the
 * U+FFFD that replaces it (3 bytes), as `TextEncoder` (and so `fetch` and Node's `http`) sends
 * it. One implementation for every place the mock runs (the page behind MSW's browser worker,
 * msw/node, the plain HTTP server): the standard `TextEncoder`, no environment check. A string
 * that fits the scratch buffer is encoded into it (`encodeInto`: no allocation per call, about
 * as fast as Node's native count); a longer one is encoded once into a new array.
 */
export function utf8Length(s: string): number {
  return s.length <= SCRATCH_UNITS ? encoder.encodeInto(s, scratch).written : encoder.encode(s).byteLength;
}

/**
 * A JSON answer with `content-type: application/json` and `content-length` (counted by
 * utf8Length: MSW measures it with a Blob, the costliest part of a response under load). An `Answer`: the
 * wrappers below turn it into a Fetch Response for MSW (`served`), the plain server writes it.
 */
export function json(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Answer {
  const text = JSON.stringify(body);
  const headers: Record<string, string> = {};
  if (init.headers) for (const k of Object.keys(init.headers)) headers[k.toLowerCase()] = init.headers[k]!;
  headers['content-type'] ??= 'application/json';
  headers['content-length'] = String(utf8Length(text));
  return new Answer(init.status ?? 200, headers, text);
}

/** The Fetch Response of an Answer: `HttpResponse` with the same status, headers and JSON text. */
export function toResponse(a: Answer): Response {
  return new HttpResponse(a.text, { status: a.status, headers: a.headers });
}

/**
 * What a resolver hands back to whoever asked: an Answer stays an Answer for the plain server's
 * PlainRequest (the router writes it out; the cast is this contract, the router checks for
 * `instanceof Answer` before anything else), and becomes a Fetch Response for MSW.
 */
export function served(request: MockRequest, result: Response | Answer): Response {
  if (!(result instanceof Answer)) return result;
  return request instanceof PlainRequest ? (result as unknown as Response) : toResponse(result);
}

/** Sets a response header on an Answer or a Response. */
export function setHeader(res: Response | Answer, name: string, value: string): void {
  if (res instanceof Answer) res.headers[name.toLowerCase()] = value;
  else res.headers.set(name, value);
}

export function errorResponse(status: number, errorCode: string, exceptionInfo: string, field?: string): Answer {
  const body: ApiError = { errorCode, exceptionInfo };
  if (field) body.field = field;
  return json(body, { status });
}

/** What a resolver of the mock is given: a Fetch Request (MSW) or a PlainRequest (the plain server), and the path parameters. */
export interface ResolverInfo {
  request: MockRequest;
  params: Record<string, string | readonly string[] | undefined>;
}

/** A resolver inside the wrappers: may answer with an Answer or a Response. */
export type InnerResolver = (info: ResolverInfo) => Promise<Response | Answer> | Response | Answer;

/** A resolver as MSW takes it (an Answer only ever reaches the plain server: see `served`). */
export type Resolver = (info: ResolverInfo) => Promise<Response>;

/** The error answer of anything a resolver threw: an ApiFailure as `{errorCode, exceptionInfo, field}`, anything else a 500 that says so. */
function failed(request: MockRequest, e: unknown): Response {
  if (isFailure(e)) return served(request, errorResponse(e.status, e.errorCode, e.message, e.field));
  const message = e instanceof Error ? e.message : String(e);
  return served(request, errorResponse(500, 'mock.internal', `The mock contact center failed: ${message}`));
}

/**
 * Turns thrown failures into `{errorCode, exceptionInfo, field}` and anything else into a 500
 * that says so. Not an async function: the resolver's promise is mapped directly (one
 * generator and await fewer per request than `try { await }` — the wrappers stack up).
 */
export function withErrors(resolver: InnerResolver): Resolver {
  return (info) => {
    let result: ReturnType<InnerResolver>;
    try {
      result = resolver(info);
    } catch (e) {
      return Promise.resolve(failed(info.request, e));
    }
    if (isThenable(result)) {
      return Promise.resolve(result).then(
        (r) => served(info.request, r),
        (e) => failed(info.request, e),
      );
    }
    return Promise.resolve(served(info.request, result));
  };
}

const isThenable = <T>(x: T | PromiseLike<T>): x is PromiseLike<T> => typeof (x as PromiseLike<T> | null)?.then === 'function';

/**
 * Who serves the handlers, chosen by whoever creates them (createHandlers); it decides how a
 * dropped request is answered (droppedAnswer):
 * - `worker`: MSW's browser worker (`setupWorker` from msw/browser);
 * - `node`: msw/node (`setupServer`), `getResponse` under Node, or the plain HTTP server.
 */
export type ServedBy = 'worker' | 'node';

/**
 * Applies the configured latency, drop and error faults of a route around a resolver; a drop
 * is answered as `servedBy` needs (droppedAnswer). With no fault decided (the usual case) the
 * resolver's answer is passed on as it is, without an async frame of its own.
 */
export function withFaults(faults: Faults, route: string, servedBy: ServedBy, resolver: InnerResolver): Resolver {
  const faulty = withDecidedFaults(resolver, servedBy);
  return (info) => {
    const d = faults.decide(route);
    if (d.delayMs > 0 || d.drop !== 'none' || d.error) return faulty(info, d);
    let result: ReturnType<InnerResolver>;
    try {
      result = resolver(info);
    } catch (e) {
      return Promise.reject(e);
    }
    if (isThenable(result)) return Promise.resolve(result).then((r) => served(info.request, r));
    return Promise.resolve(served(info.request, result));
  };
}

/**
 * The answer of a dropped request: no answer the client can read, on the serving path named.
 * Served by MSW's browser worker, MSW's network error (`HttpResponse.error()`): fetch rejects.
 * Served under Node (msw/node, the plain server), a Response whose body fails on its first
 * read (the client sees a connection cut before the body, as a real network does): msw/node's fetch interceptor rejects its pending response
 * at once for a network error, and a client that aborts the same request before the
 * interceptor has finished with it makes fetch reject with another error, leaving that first
 * rejection unhandled ("Failed to fetch" after every test passed). A Response resolves it
 * instead; the plain server destroys the socket when the body fails (http/server.ts).
 */
export function droppedAnswer(servedBy: ServedBy): Response {
  if (servedBy === 'worker') return HttpResponse.error();
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.error(new TypeError('Failed to fetch: the connection was dropped (fault injection is on).'));
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
}

/** The resolver under a decision that has a fault (latency, a drop or an error). */
function withDecidedFaults(resolver: InnerResolver, servedBy: ServedBy): (info: ResolverInfo, d: FaultDecision) => Promise<Response> {
  return async (info, d) => {
    // A request its client has already given up on (timeout, wake-up, page gone) gets no network
    // error: nobody awaits that fetch any more, so MSW's rejection of it would be unhandled.
    const dropped = () => !info.request.signal?.aborted;
    if (d.delayMs > 0) await delay(d.delayMs);
    if (d.drop === 'request') return dropped() ? droppedAnswer(servedBy) : served(info.request, errorResponse(503, 'fault.injected', 'Injected drop of a request already abandoned.'));
    if (d.error) return served(info.request, errorResponse(503, 'fault.injected', 'Injected server error (fault injection is on).'));
    const res = await resolver(info);
    return d.drop === 'response' && dropped() ? droppedAnswer(servedBy) : served(info.request, res);
  };
}

/**
 * A channel API resolver that needs the session token (`ccmessaging-token`), with the route's
 * faults (a drop answered as `servedBy` needs); hands a rotated token back in the response
 * header when the old one is close to expiry.
 */
export function withToken(cc: ContactCenter, route: string, servedBy: ServedBy, fn: (id: Identity, request: MockRequest) => Promise<Response | Answer> | Response | Answer): Resolver {
  return withFaults(
    cc.faults,
    route,
    servedBy,
    withErrors(({ request }) => {
      const id = cc.authenticate(request.headers.get(TOKEN_HEADER));
      const res = fn(id, request);
      if (!id.rotated) return res;
      const rotated = id.rotated;
      const withHeader = (r: Response | Answer) => {
        setHeader(r, TOKEN_HEADER, rotated);
        return r;
      };
      return isThenable(res) ? Promise.resolve(res).then(withHeader) : withHeader(res);
    }),
  );
}

/**
 * The JSON object of a request body; an empty body (none sent) is `{}`. Errors (400):
 * `request.invalidJson` (not a JSON object), `request.tooDeep` (nesting past MAX_JSON_DEPTH),
 * `request.forbiddenKey` naming the field (a key among FORBIDDEN_KEYS at any depth: copied into
 * an object by assignment, `__proto__` would set its prototype, and no field of the mock or of
 * CEC has such a name); `forbiddenKeyCode` replaces that errorCode where a route has its own.
 */
export async function readJson(request: MockRequest, forbiddenKeyCode = 'request.forbiddenKey'): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    const text = await request.text();
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw badRequest('request.invalidJson', 'The request body must be a JSON object.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('request.invalidJson', 'The request body must be a JSON object.');
  }
  checkShape(body, forbiddenKeyCode);
  return body as Record<string, unknown>;
}

/** No configuration is deeper than this; a deeper body is hostile (and would overflow the stack later). */
const MAX_JSON_DEPTH = 32;

/** Keys that name an object's prototype machinery rather than data; refused in every request body. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Checks the nesting depth and the keys of a parsed body, iteratively (a hostile body cannot
 * overflow the stack). A field's path (`a.b[2].c`) is only spelled out for a nested object or
 * list, or for the refused key itself: a flat body of strings builds no strings.
 */
function checkShape(v: unknown, forbiddenKeyCode: string): void {
  const stack: Array<[object, number, string]> = [];
  if (typeof v === 'object' && v !== null) stack.push([v, 1, '']);
  while (stack.length) {
    const [x, d, path] = stack.pop()!;
    if (d > MAX_JSON_DEPTH) throw badRequest('request.tooDeep', `The request body may nest at most ${MAX_JSON_DEPTH} levels.`);
    const isList = Array.isArray(x);
    const fieldOf = (k: string) => (isList ? `${path}[${k}]` : path ? `${path}.${k}` : k);
    for (const k of Object.keys(x)) {
      if (!isList && FORBIDDEN_KEYS.has(k)) {
        const field = fieldOf(k);
        throw badRequest(forbiddenKeyCode, `${field} is not a field: "${k}" is never accepted as a key.`, field);
      }
      const child = (x as Record<string, unknown>)[k];
      if (typeof child === 'object' && child !== null) stack.push([child, d + 1, fieldOf(k)]);
    }
  }
}

/**
 * First of all handlers: a path that does not decode (`/mock/agents/%E0%A4%A`) is a 400, not a
 * crash in MSW's path matching. Anything else falls through to the real handlers.
 */
export const rejectUndecodablePaths = http.all(/.*/, ({ request }) => {
  try {
    decodeURIComponent(urlOf(request).pathname);
    return undefined;
  } catch {
    return served(request, errorResponse(400, 'request.badPath', 'The request path is not valid percent-encoded UTF-8.'));
  }
});

export function ok<T extends object>(body: T, headers?: Record<string, string>): Answer {
  return json({ resultCode: '0', ...body }, { headers });
}

interface TextRule {
  required?: boolean;
  /** In UTF-16 units, like the widget's own limits. */
  max?: number;
  pattern?: RegExp;
  /** Explains the pattern in the error message. */
  patternText?: string;
}

const present = (x: unknown) => x !== undefined && x !== null && x !== '';

/**
 * Schemas are immutable: each rule's schema is built once and reused (handlers declare their
 * fields inline, so without this every request built its schemas again). A rule whose pattern
 * keeps state between matches (flag g or y) is built each time.
 */
const schemaCache = new Map<string, unknown>();
function cached<T>(key: string | null, build: () => T): T {
  if (key === null) return build();
  let s = schemaCache.get(key) as T | undefined;
  if (s === undefined) schemaCache.set(key, (s = build()));
  return s;
}
const patternKey = (p: RegExp | undefined): string | null => (p === undefined ? '' : /[gy]/.test(p.flags) ? null : `${p.source}/${p.flags}`);

/**
 * A string field of a request: left out, null and "" read as "" (or `<call>.<field>.missing`
 * when required); anything else that breaks the rule is `<call>.<field>.invalid`.
 */
export function text(rule: TextRule = {}) {
  const p = patternKey(rule.pattern);
  return cached(p === null ? null : `text\u0000${rule.required}\u0000${rule.max}\u0000${p}\u0000${rule.patternText}`, () =>
    v.optional(
      v.pipe(
        v.unknown(),
        v.check((x) => !rule.required || present(x), 'missing is required'),
        v.transform((x) => (present(x) ? x : '')),
        v.string('invalid must be a string'),
        v.check((s) => rule.max === undefined || s.length <= rule.max, `invalid must be at most ${rule.max} characters`),
        v.check((s) => s === '' || !rule.pattern || rule.pattern.test(s), `invalid ${rule.patternText ?? `must match ${rule.pattern}`}`),
      ),
      '',
    ),
  );
}

/** One of `values` (or "" when left out and not required). */
export function choice<const T extends readonly string[]>(values: T, rule: { required?: boolean } = {}) {
  return cached(`choice\u0000${rule.required}\u0000${values.join('\u0000')}`, () =>
    v.pipe(
      text(rule),
      v.check((s) => s === '' || values.includes(s), `invalid must be one of ${values.join(', ')}`),
      v.transform((s) => s as T[number] | ''),
    ),
  );
}

/** An integer query parameter from `min` to `max`; `fallback` when left out or empty. */
export function intParam(min: number, max: number, fallback: number) {
  const bad = `invalid must be an integer from ${min} to ${max}`;
  return cached(`int\u0000${min}\u0000${max}\u0000${fallback}`, () =>
    v.optional(
      v.pipe(
        v.string(),
        v.transform((raw) => (raw === '' ? fallback : Number(raw))),
        v.number(bad),
        v.integer(bad),
        v.minValue(min, bad),
        v.maxValue(max, bad),
      ),
      String(fallback),
    ),
  );
}

/** The object schema of each field table (tables declared once, outside the resolver, are compiled once). */
const objectSchemas = new WeakMap<v.ObjectEntries, v.GenericSchema>();

/**
 * The fields of a request body (other fields are ignored); the first broken one is a 400 naming
 * it. Declare `entries` once (a module or handler constant) where it does not depend on the
 * request: its object schema is then built once, not per request.
 */
export function readFields<const E extends v.ObjectEntries>(body: Record<string, unknown>, call: string, entries: E) {
  let schema = objectSchemas.get(entries);
  if (!schema) objectSchemas.set(entries, (schema = v.looseObject(entries)));
  return parseOrThrow(schema, body, call) as v.InferOutput<v.ObjectSchema<E, undefined>>;
}

/** The query parameters of `url` with the same rules as body fields. */
export function readQuery<const E extends v.ObjectEntries>(url: URL, call: string, entries: E) {
  return readFields(Object.fromEntries(url.searchParams), call, entries);
}

export { ApiFailure, Answer, PlainRequest, urlOf, type MockRequest };

/**
 * A `Content-Disposition` value for a download: `inline` or `attachment`, with the file name as
 * an RFC 8187 ext-value (`filename*=UTF-8''…`, RFC 6266 §4.3). Every byte outside the RFC 8187
 * attr-char set is percent-encoded — encodeURIComponent alone leaves `'()*` bare, which that
 * grammar does not allow.
 */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const value = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename*=UTF-8''${value}`;
}
