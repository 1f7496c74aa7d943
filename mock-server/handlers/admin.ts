/**
 * Tenant administration API (mock-only): part A of docs/requirements.md over HTTP.
 *
 * `GET    {prefix}/admin/tenant`          `{resultCode, item: tenant}`
 * `PUT    {prefix}/admin/tenant`          replace the whole configuration (all or nothing)
 * `POST   {prefix}/admin/reset`           back to the seeded tenant (sessions are kept; `POST {prefix}/reset` clears those too)
 * `PUT    {prefix}/admin/allowances`      `{videoAgents?, multimediaAgents?, versatileAgents?, intelligentAgents?}`
 * and for `<kind>` = `skill-queues` | `called-routes` | `agents` | `channels` | `ivrs`:
 * `GET    {prefix}/admin/<kind>`          `{resultCode, items}`
 * `GET    {prefix}/admin/<kind>/:key`     `{resultCode, item}`
 * `POST   {prefix}/admin/<kind>`          201 `{resultCode, item}` with defaults filled
 * `PATCH  {prefix}/admin/<kind>/:key`     shallow merge; the key cannot change
 * `DELETE {prefix}/admin/<kind>/:key`     204; 400 while something still refers to it
 * `POST   {prefix}/admin/agents/batch-configure` `{select, set}` → `{resultCode, items}` (see config/batch.ts)
 *
 * Keys: a queue's name, a route's full code (access + extension), an agent's account, a
 * channel's id, an IVR's access code. Failures: 400 / 404 `{errorCode, exceptionInfo, field}`.
 * The admin owns the channels' secret keys, so they are returned here (never logged).
 */
import { http, HttpResponse, type HttpHandler } from 'msw';
import { KIND_PATHS, type TenantStore } from '../config/store.js';
import { ok, readJson, withErrors, type Resolver } from './http-util.js';

const keyParam = (params: Parameters<Resolver>[0]['params']): string => {
  const v = params.key;
  return Array.isArray(v) ? v.join('/') : String(v ?? '');
};

export function adminHandlers(store: TenantStore, prefix: string): HttpHandler[] {
  const base = `${prefix}/admin`;
  const handlers: HttpHandler[] = [
    http.get(
      `${base}/tenant`,
      withErrors(() => ok({ item: store.current })),
    ),
    http.put(
      `${base}/tenant`,
      withErrors(async ({ request }) => ok({ item: store.replaceAll(await readJson(request)) })),
    ),
    http.post(
      `${base}/reset`,
      withErrors(() => {
        store.reset();
        return ok({ item: store.current });
      }),
    ),
    http.put(
      `${base}/allowances`,
      withErrors(async ({ request }) => ok({ item: store.setAllowances(await readJson(request)) })),
    ),
  ];
  // Before `agents/:key`, so that "batch-configure" is never read as an account.
  handlers.push(
    http.post(
      `${base}/agents/batch-configure`,
      withErrors(async ({ request }) => ok({ items: store.configureAgents(await readJson(request)) })),
    ),
  );
  for (const [path, kind] of Object.entries(KIND_PATHS)) {
    const url = `${base}/${path}`;
    handlers.push(
      http.get(
        url,
        withErrors(() => ok({ items: store.list(kind) })),
      ),
      http.get(
        `${url}/:key`,
        withErrors(({ params }) => ok({ item: store.get(kind, keyParam(params)) })),
      ),
      http.post(
        url,
        withErrors(async ({ request }) => {
          const item = store.create(kind, await readJson(request));
          return HttpResponse.json({ resultCode: '0', item }, { status: 201 });
        }),
      ),
      http.patch(
        `${url}/:key`,
        withErrors(async ({ request, params }) => {
          const key = keyParam(params);
          return ok({ item: store.update(kind, key, await readJson(request)) });
        }),
      ),
      http.delete(
        `${url}/:key`,
        withErrors(({ params }) => {
          store.remove(kind, keyParam(params));
          return new HttpResponse(null, { status: 204 });
        }),
      ),
    );
  }
  return handlers;
}
