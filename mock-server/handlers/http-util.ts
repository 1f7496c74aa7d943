/**
 * What every mock handler shares: JSON in and out, one error shape, field validation that
 * names the field, and fault injection. Cross-cutting behaviour wraps resolvers (MSW's
 * higher-order resolver pattern) instead of being repeated in each one.
 */
import { HttpResponse, delay, http } from 'msw';
import { TOKEN_HEADER, type ApiError } from '../../widget/core/protocol.js';
import type { ContactCenter, Identity } from '../runtime/contact-center.js';
import { ApiFailure, badRequest } from '../runtime/errors.js';
import type { Faults } from '../runtime/faults.js';

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

export function errorResponse(status: number, errorCode: string, exceptionInfo: string, field?: string): Response {
  const body: ApiError = { errorCode, exceptionInfo };
  if (field) body.field = field;
  return HttpResponse.json(body, { status });
}

export type Resolver = (info: { request: Request; params: Record<string, string | readonly string[] | undefined> }) => Promise<Response> | Response;

/** Turns thrown failures into `{errorCode, exceptionInfo, field}` and anything else into a 500 that says so. */
export function withErrors(resolver: Resolver): Resolver {
  return async (info) => {
    try {
      return await resolver(info);
    } catch (e) {
      if (isFailure(e)) return errorResponse(e.status, e.errorCode, e.message, e.field);
      const message = e instanceof Error ? e.message : String(e);
      return errorResponse(500, 'mock.internal', `The mock contact center failed: ${message}`);
    }
  };
}

/** Applies the configured latency, drop and error faults of a route around a resolver. */
export function withFaults(faults: Faults, route: string, resolver: Resolver): Resolver {
  return async (info) => {
    const d = faults.decide(route);
    if (d.delayMs > 0) await delay(d.delayMs);
    if (d.drop === 'request') return HttpResponse.error();
    if (d.error) return errorResponse(503, 'fault.injected', 'Injected server error (fault injection is on).');
    const res = await resolver(info);
    return d.drop === 'response' ? HttpResponse.error() : res;
  };
}

/**
 * A channel API resolver that needs the session token (`ccmessaging-token`), with the route's
 * faults; hands a rotated token back in the response header when the old one is close to expiry.
 */
export function withToken(cc: ContactCenter, route: string, fn: (id: Identity, request: Request) => Promise<Response> | Response): Resolver {
  return withFaults(
    cc.faults,
    route,
    withErrors(async ({ request }) => {
      const id = cc.authenticate(request.headers.get(TOKEN_HEADER));
      const res = await fn(id, request);
      if (id.rotated) res.headers.set(TOKEN_HEADER, id.rotated);
      return res;
    }),
  );
}

export async function readJson(request: Request): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw badRequest('request.invalidJson', 'The request body must be a JSON object.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('request.invalidJson', 'The request body must be a JSON object.');
  }
  if (depth(body) > MAX_JSON_DEPTH) throw badRequest('request.tooDeep', `The request body may nest at most ${MAX_JSON_DEPTH} levels.`);
  return body as Record<string, unknown>;
}

/** No configuration is deeper than this; a deeper body is hostile (and would overflow the stack later). */
const MAX_JSON_DEPTH = 32;

function depth(v: unknown): number {
  // Iterative, so a hostile body cannot overflow the stack here either.
  let max = 0;
  const stack: Array<[unknown, number]> = [[v, 1]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (typeof x !== 'object' || x === null) continue;
    if (d > max) max = d;
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Object.values(x)) stack.push([child, d + 1]);
  }
  return max;
}

/**
 * First of all handlers: a path that does not decode (`/mock/agents/%E0%A4%A`) is a 400, not a
 * crash in MSW's path matching. Anything else falls through to the real handlers.
 */
export const rejectUndecodablePaths = http.all(/.*/, ({ request }) => {
  try {
    decodeURIComponent(new URL(request.url).pathname);
    return undefined;
  } catch {
    return errorResponse(400, 'request.badPath', 'The request path is not valid percent-encoded UTF-8.');
  }
});

export function ok<T extends object>(body: T, headers?: Record<string, string>): Response {
  return HttpResponse.json({ resultCode: '0', ...body }, { headers });
}

interface StringRule {
  required?: boolean;
  max?: number;
  pattern?: RegExp;
  oneOf?: readonly string[];
  /** Explains the pattern in the error message. */
  patternText?: string;
}

/** Reads a string field, or throws a 400 naming it (`call.field.invalid`). */
export function str(body: Record<string, unknown>, field: string, call: string, rule: StringRule = {}): string {
  const v = body[field];
  const code = `${call}.${field}.invalid`;
  if (v === undefined || v === null || v === '') {
    if (rule.required) throw badRequest(`${call}.${field}.missing`, `${field} is required.`, field);
    return '';
  }
  if (typeof v !== 'string') throw badRequest(code, `${field} must be a string.`, field);
  if (rule.max !== undefined && v.length > rule.max) throw badRequest(code, `${field} must be at most ${rule.max} characters.`, field);
  if (rule.oneOf && !rule.oneOf.includes(v)) throw badRequest(code, `${field} must be one of ${rule.oneOf.join(', ')}.`, field);
  if (rule.pattern && !rule.pattern.test(v)) throw badRequest(code, `${field} ${rule.patternText ?? `must match ${rule.pattern}`}.`, field);
  return v;
}

/** Reads an integer query parameter, or throws a 400 naming it. */
export function intParam(url: URL, name: string, call: string, min: number, max: number, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw badRequest(`${call}.${name}.invalid`, `${name} must be an integer from ${min} to ${max}.`, name);
  }
  return n;
}

export { ApiFailure };
