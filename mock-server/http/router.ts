/**
 * A direct router for the plain Node HTTP server over the mock's MSW handlers.
 *
 * MSW's `getResponse` runs every candidate handler through `RequestHandler.run`: it clones the
 * request, reads the cookie store (tough-cookie), compiles the handler's path pattern again
 * (path-to-regexp) and creates an AbortController and an abort DOMException per handler — most
 * of the server's time per request under load. This router calls the SAME resolvers
 * (`handler.resolver`: one implementation stays, the one the browser worker and msw/node use)
 * with the same semantics as MSW 2.x's `executeHandlers` / `HttpHandler`:
 *
 * - handlers are tried in their order; a handler matches when its method equals the request's
 *   (case-insensitive; `http.all` matches any) and its path matches the request's URL without
 *   query and hash, with MSW's path syntax (`coercePath` of
 *   msw/lib/core/utils/matching/matchRequestUrl, compiled ONCE here with the path-to-regexp
 *   version MSW uses, `decode: decodeURIComponent`: parameters decoded, letters of any case, an
 *   optional trailing slash). One difference, on purpose: a handler path `*` + `/path` matches that path
 *   on any origin, while MSW's `(.*)/path` also matches it after any prefix (`/x/mock/clock`);
 * - a resolver that returns nothing (undefined or null) falls through to the next matching
 *   handler; `passthrough()` (a Response marked `x-msw-intention: passthrough`) ends the search
 *   as in MSW, where the request then goes to the network: here, to the server's fallback;
 * - a resolver that throws a Response answers with it; anything else thrown rejects (500);
 * - the resolver gets `request`, `params`, `cookies` (parsed from the Cookie header on first
 *   read), `requestId` and `finalize` (its cleanups run once the resolver has settled, as MSW
 *   does for a response without a streamed body); `{ once: true }` handlers are used once.
 *
 * Not replicated, because no handler of the mock uses them: generator resolvers (refused with a
 * clear error), MSW's cookie store (cookies set by a mocked response are not replayed on later
 * requests), custom-predicate handlers (refused when the table is built).
 */
import { randomUUID } from 'node:crypto';
import { parse as parseCookie } from 'cookie';
import type { HttpHandler } from 'msw';
import { match, type MatchFunction } from 'path-to-regexp';
import { Answer, urlOf, type PlainRequest } from '../handlers/plain.js';

/**
 * The answer of the resolvers for one request, or undefined when none matched or all fell
 * through. Given a PlainRequest, the mock's JSON answers come back as an `Answer` (no Fetch
 * Response is made); any other answer is a Response.
 */
export type Route = (request: Request | PlainRequest) => Promise<Response | Answer | undefined>;

/**
 * The instance fields of an MSW 2.x RequestHandler this router reads besides its public `info`
 * and `isUsed`: `resolver` (protected in the typings, a plain field at run time since MSW 2.0)
 * and `options`. Checked when the table is built, so an MSW that changed them fails loudly.
 */
interface HandlerFields {
  resolver: (info: unknown) => unknown;
  options?: { once?: boolean };
}

interface Compiled {
  handler: HttpHandler;
  fields: HandlerFields;
  method: string | RegExp;
  match: MatchFunction<Record<string, string | string[]>>;
  /**
   * For a `*` + path handler whose path is plain text (no parameter, wildcard or group), the
   * path lower-cased: it matches a request path equal to it without regard to case, with or
   * without one trailing slash — what its path-to-regexp pattern matches, without the regex.
   */
  literal: string | null;
  /** `literal` with one trailing slash (made once, not per request). */
  literalSlash: string | null;
  /** Whether `match` runs on the path alone (a handler path of `*` + a path) or on origin + path. */
  onPath: boolean;
  /** First two path segments the pattern requires, lower-cased (`/apiaccess/ccmessaging`), or null when it may match any path. */
  head: string | null;
}

/**
 * MSW's own path coercion (msw 2.15 `coercePath`): `*` and `**` become `(.*)`, `name*` a
 * wildcard group, and a colon that is a port (`:8080`) or a protocol (`http://`) is escaped.
 */
function coercePath(path: string): string {
  return path
    .replace(/([:a-zA-Z_-]*)(\*{1,2})+/g, (_, parameterName: string, wildcard: string) => {
      const expression = '(.*)';
      if (!parameterName) return expression;
      return parameterName.startsWith(':') ? `${parameterName}${wildcard}` : `${parameterName}${expression}`;
    })
    .replace(/([^/])(:)(?=(?:\d+|\(\.\*\))(?=\/|$))/, '$1\\$2')
    .replace(/^([^/]+)(:)(?=\/\/)/, '$1\\$2');
}

/** MSW's `cleanUrl` of a handler path: drops a query and hash (unless the path ends in `?`). */
const cleanPath = (path: string): string => (path.endsWith('?') ? path : path.replace(/[?|#].*$/g, ''));

/**
 * `/a/b` of a request path, or of a handler path that begins with two literal segments; else
 * null. Lower-cased: MSW's patterns match without regard to case (path-to-regexp's default).
 */
function headOf(path: string): string | null {
  const parts = path.split('/', 3);
  return parts.length === 3 && parts[1] !== '' && parts[2] !== '' && !/[:*(?\\]/.test(parts[1]!) && !/[:*(?\\]/.test(parts[2]!) ? `/${parts[1]}/${parts[2]}`.toLowerCase() : null;
}

function compile(handler: HttpHandler): Compiled {
  const { path, method } = handler.info;
  if (typeof path === 'function') throw new TypeError(`The HTTP router cannot serve the custom-predicate handler "${handler.info.header}".`);
  if (typeof path === 'string' && !path.startsWith('*') && !/^[a-z][a-z\d+.-]*:\/\//i.test(path)) {
    // MSW resolves a relative path against `location` (browsers only); under Node it stays
    // relative and never matches an absolute URL. Refused rather than silently dead.
    throw new TypeError(`The HTTP router needs absolute or "*"-prefixed handler paths, not "${path}".`);
  }
  const fields = handler as unknown as HandlerFields;
  if (typeof fields.resolver !== 'function') throw new TypeError(`The HTTP router found no resolver on the handler "${handler.info.header}" (an MSW version it does not know).`);
  // `*` + `/mock/clock`: the `*` stands for any origin. MSW turns it into `(.*)` matched against
  // origin + path, which also lets `/anything/mock/clock` through; here it is any origin and
  // the path must be the handler's, so what the access policy sees is what is served.
  const onPath = typeof path === 'string' && path.startsWith('*/');
  const pattern = typeof path === 'string' ? coercePath(cleanPath(onPath ? path.slice(1) : path)) : path;
  const literal = typeof path === 'string' ? (onPath ? path.slice(1) : path.replace(/^[a-z][a-z\d+.-]*:\/\/[^/]*/i, '')) : null;
  const plain = onPath && typeof pattern === 'string' && /^[\w/.-]+$/.test(pattern) ? pattern.toLowerCase() : null;
  return {
    handler,
    fields,
    method,
    match: match<Record<string, string | string[]>>(pattern, { decode: decodeURIComponent }),
    literal: plain,
    literalSlash: plain === null ? null : `${plain}/`,
    onPath,
    head: literal !== null ? headOf(literal) : null,
  };
}

/**
 * Whether a value is a Fetch Response. Not `instanceof Response`: a library may replace the
 * global Response class (@hono/node-server does), and MSW's HttpResponse extends the one that
 * was global when MSW loaded.
 */
const isResponse = (x: unknown): x is Response =>
  typeof x === 'object' && x !== null && typeof (x as Response).status === 'number' && typeof (x as Response).headers?.get === 'function' && typeof (x as Response).arrayBuffer === 'function';

/** The Response of MSW's `passthrough()`: no mocked answer, and no further handler is asked. */
const isPassthrough = (r: Response): boolean => r.headers.get('x-msw-intention') === 'passthrough';

/**
 * The router over `handlers` (in their order). Handlers whose path begins with two literal
 * segments are indexed by them; the others (regular expressions, leading parameters or
 * wildcards) are tried for every path, keeping the original order among all candidates.
 */
export function createRouter(handlers: readonly HttpHandler[]): Route {
  const all = handlers.map(compile);
  const byHead = new Map<string, Compiled[]>();
  for (const c of all)
    if (c.head !== null && !byHead.has(c.head))
      byHead.set(
        c.head,
        all.filter((x) => x.head === null || x.head === c.head),
      );
  const anywhere = all.filter((c) => c.head === null);

  return async (request) => {
    const url = urlOf(request);
    const full = url.origin + url.pathname;
    const method = request.method;
    let lower: string | undefined;
    for (const c of byHead.get(headOf(url.pathname) ?? '') ?? anywhere) {
      const h = c.handler;
      if (h.isUsed && c.fields.options?.once) continue;
      if (typeof c.method === 'string' ? c.method.toLowerCase() !== method.toLowerCase() : !c.method.test(method)) continue;
      let params: Record<string, string | string[]>;
      if (c.literal !== null) {
        lower ??= url.pathname.toLowerCase();
        if (lower !== c.literal && lower !== c.literalSlash) continue;
        params = {};
      } else {
        const m = c.match(c.onPath ? url.pathname : full);
        if (!m) continue;
        params = m.params;
      }
      h.isUsed = true;
      // A resolver that answers synchronously (the path check that falls through on every
      // request) costs no extra turn of the microtask queue.
      let response = resolve(c, request, params);
      if (response instanceof Promise) response = await response;
      if (response) return response instanceof Answer ? response : isPassthrough(response) ? undefined : response;
    }
    return undefined;
  };
}

/** The cookies of the request's Cookie header, as MSW gives them to a resolver (MSW's cookie store aside). */
function cookiesOf(request: Request | PlainRequest): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const [k, v] of Object.entries(parseCookie(request.headers.get('cookie') ?? ''))) if (v !== undefined) cookies[k] = v;
  return cookies;
}

/** Runs the `finalize` callbacks of a resolver, latest first; as in MSW, a failing one does not change the answer. */
async function runCleanups(cleanups: Array<() => unknown>): Promise<void> {
  for (const fn of cleanups.splice(0)) {
    try {
      await fn();
    } catch {
      // ignored, as MSW does after logging it
    }
  }
}

/**
 * What a resolver is given, as MSW gives it: `request`, `params`, `cookies` (parsed from the
 * Cookie header on first read), `requestId` (made on first read) and `finalize`. A class, so
 * that a request's info costs one object and no closures.
 */
class ResolverInfo {
  private cookieJar: Record<string, string> | undefined;
  private id: string | undefined;
  /** The `finalize` callbacks, latest first; made on the first one. */
  cleanups: Array<() => unknown> | undefined;

  constructor(
    readonly request: Request | PlainRequest,
    readonly params: Record<string, string | string[]>,
  ) {}

  get cookies(): Record<string, string> {
    return (this.cookieJar ??= cookiesOf(this.request));
  }

  get requestId(): string {
    return (this.id ??= randomUUID());
  }

  /** A function of its own (a resolver may destructure it), made only when a resolver reads it. */
  get finalize(): (fn: () => unknown) => void {
    return (fn) => {
      (this.cleanups ??= []).unshift(fn);
    };
  }
}

type Resolved = Response | Answer | undefined;

const isThenable = (x: unknown): x is PromiseLike<unknown> => (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as PromiseLike<unknown>).then === 'function';

/**
 * Runs one resolver as MSW's `RequestHandler.run` does; its Response, or undefined to fall
 * through. Synchronous when the resolver is (and has no cleanups to await): a Promise only
 * when something had to be awaited.
 */
function resolve({ handler, fields }: Compiled, request: Request | PlainRequest, params: Record<string, string | string[]>): Resolved | Promise<Resolved> {
  const info = new ResolverInfo(request, params);
  let result: unknown;
  try {
    result = fields.resolver(info);
  } catch (e) {
    if (!isResponse(e)) return finish(info, () => Promise.reject(e));
    return finish(info, () => check(handler, e));
  }
  if (isThenable(result)) return settle(handler, info, result);
  return finish(info, () => check(handler, result));
}

/** An asynchronous resolver's answer, with the same rules (a thrown Response answers; cleanups run once it settled). */
async function settle(handler: HttpHandler, info: ResolverInfo, pending: PromiseLike<unknown>): Promise<Resolved> {
  let result: unknown;
  try {
    result = await pending;
  } catch (e) {
    if (!isResponse(e)) {
      if (info.cleanups) await runCleanups(info.cleanups);
      throw e;
    }
    result = e;
  }
  if (info.cleanups) await runCleanups(info.cleanups);
  return check(handler, result);
}

/** `answer()` once the resolver's cleanups (if any) have run; synchronous when there are none. */
function finish(info: ResolverInfo, answer: () => Resolved | Promise<never>): Resolved | Promise<Resolved> {
  if (!info.cleanups) return answer();
  return runCleanups(info.cleanups).then(answer);
}

/** A resolver's result as the router's answer: undefined or null falls through; anything but a Response or an Answer is refused. */
function check(handler: HttpHandler, result: unknown): Resolved {
  if (result === undefined || result === null) return undefined;
  if (result instanceof Answer || isResponse(result)) return result;
  throw new TypeError(`The handler "${handler.info.header}" returned something other than a Response (generator resolvers are not served by the HTTP router).`);
}
