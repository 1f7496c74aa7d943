/** Drives the tenant administration API through its MSW handlers (no server needed). */
import { getResponse } from 'msw';
import { TenantStore } from '../../../mock-server/config/store.js';
import { adminHandlers } from '../../../mock-server/handlers/admin.js';

export interface Reply {
  status: number;
  body: any;
}

/** A fresh tenant store behind the admin handlers, and `call(method, path, body?)` on them. */
export function setUp() {
  const store = new TenantStore();
  const handlers = adminHandlers(store, '*/mock');
  let changes = 0;
  store.onChange(() => changes++);
  async function call(method: string, path: string, body?: unknown): Promise<Reply> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.headers = { 'content-type': 'application/json' };
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await getResponse(handlers, new Request(`http://localhost/mock/admin${path}`, init));
    if (!res) throw new Error(`no handler for ${method} ${path}`);
    return { status: res.status, body: res.status === 204 ? null : await res.json() };
  }
  return { store, call, changes: () => changes };
}
