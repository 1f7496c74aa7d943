/**
 * The channels' secretKeys stay in the mock unless asked for (issue 13 case 4). Wraps the
 * admin API: every answer shows a set secretKey as HIDDEN_SECRET_KEY, unless the request says
 * `?include=secretKey`; a write that sends HIDDEN_SECRET_KEY back (a form that loaded, edited
 * and saved a channel, or the whole tenant) keeps the key the channel has. A key is still set
 * or turned off by sending a new value or null.
 */
import { getResponse, http, HttpResponse, type HttpHandler } from 'msw';
import type { TenantStore } from '../config/store.js';
import { PlainRequest, urlOf } from './plain.js';

/** What the admin API shows instead of a channel's secretKey. Not a valid key, so it is never stored. */
export const HIDDEN_SECRET_KEY = '(hidden)';

type Json = unknown;

function redact(v: Json, depth = 0): Json {
  if (depth > 8 || typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map((x) => redact(x, depth + 1));
  const out: Record<string, Json> = Object.create(null);
  for (const [k, x] of Object.entries(v)) {
    out[k] = k === 'secretKey' && typeof x === 'string' && x !== '' ? HIDDEN_SECRET_KEY : redact(x, depth + 1);
  }
  return out;
}

/** Puts back the channel's own key wherever a write echoes HIDDEN_SECRET_KEY. */
function restore(body: Record<string, Json>, path: string, store: TenantStore, base: string): Record<string, Json> {
  const keyOf = (id: unknown) => store.current.channels.find((c) => c.id === id)?.secretKey;
  const one = new RegExp(`^${base}/channels/([^/]+)$`).exec(path);
  if (one && body.secretKey === HIDDEN_SECRET_KEY) {
    const { secretKey: _hidden, ...rest } = body; // PATCH is a shallow merge: leaving it out keeps the key
    return rest;
  }
  if (path === `${base}/tenant` && Array.isArray(body.channels)) {
    const channels = body.channels.map((c: Json) => {
      if (typeof c !== 'object' || c === null || (c as Record<string, Json>).secretKey !== HIDDEN_SECRET_KEY) return c;
      const key = keyOf((c as Record<string, Json>).id);
      return key ? { ...(c as Record<string, Json>), secretKey: key } : c;
    });
    return channels.some((c, i) => c !== (body.channels as Json[])[i]) ? { ...body, channels } : body;
  }
  return body;
}

/**
 * Each admin handler, same method and path, behind a resolver that hides secretKeys in its
 * answers and restores them in writes.
 */
export function hideSecretKeys(admin: HttpHandler[], store: TenantStore): HttpHandler[] {
  return admin.map((h) => {
    const method = String(h.info.method).toLowerCase() as 'get' | 'put' | 'post' | 'patch' | 'delete';
    return http[method](h.info.path as string, async ({ request: given }) => {
      // MSW's getResponse below needs a Fetch Request (the plain server gives a PlainRequest).
      const plain: unknown = given;
      const request = plain instanceof PlainRequest ? plain.toRequest() : given;
      const url = urlOf(request);
      const path = url.pathname;
      const adminBase = path.slice(0, path.indexOf('/admin') + '/admin'.length);
      let forward = request;
      if (method === 'put' || method === 'patch' || method === 'post') {
        const text = await request.clone().text();
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined; // the admin handler answers request.invalidJson
        }
        if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
          const fixed = restore(body as Record<string, Json>, path, store, adminBase);
          // Only a body that echoed a hidden key is rewritten; any other goes as it came.
          if (fixed !== body) forward = new Request(request.url, { method: request.method, headers: request.headers, body: JSON.stringify(fixed), signal: request.signal });
        }
      }
      const res = await getResponse([h], forward);
      if (!res) return undefined;
      const wanted = url.searchParams.getAll('include').some((v) => v.split(',').includes('secretKey'));
      if (wanted || !res.headers.get('content-type')?.includes('json')) return res;
      const headers = new Headers(res.headers);
      headers.delete('content-length');
      return new HttpResponse(JSON.stringify(redact(await res.json())), { status: res.status, headers });
    });
  });
}
