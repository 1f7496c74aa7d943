/**
 * The agent API (mock-only), what the demo's agent workbench uses:
 * `GET  /mock/agents`                       every agent's snapshot
 * `GET  /mock/agents/:account?version=&wait=` one agent; long-polls until something changes
 * `POST /mock/agents/:account/{sign-in|sign-out|ready|not-ready|accept|send|typing|transfer|end}`
 */
import { http, type HttpHandler } from 'msw';
import type { ContactCenter } from '../runtime/contact-center.js';
import { intParam, ok, readJson, str, withErrors } from './http-util.js';

export function agentHandlers(cc: ContactCenter, prefix: string): HttpHandler[] {
  const base = `${prefix}/agents`;
  const account = (params: Record<string, unknown>) => String(params.account);
  const action = (name: string, fn: (account: string, body: Record<string, unknown>) => unknown) =>
    http.post(
      `${base}/:account/${name}`,
      withErrors(async ({ request, params }) => {
        const body = request.headers.get('content-type')?.includes('json') ? await readJson(request) : {};
        return ok({ agent: fn(account(params), body) });
      }),
    );

  return [
    http.get(
      base,
      withErrors(() => ok({ agents: cc.store.current.agents.map((a) => cc.desk.snapshot(a.account)) })),
    ),
    http.get(
      `${base}/:account`,
      withErrors(async ({ request, params }) => {
        const url = new URL(request.url);
        const version = intParam(url, 'version', 'agent', 0, Number.MAX_SAFE_INTEGER, 0);
        const wait = intParam(url, 'wait', 'agent', 0, 25, 0);
        cc.desk.snapshot(account(params));
        await cc.desk.wait(version, wait * 1000, request.signal);
        return ok({ agent: cc.desk.snapshot(account(params), { markRead: true }) });
      }),
    ),
    action('sign-in', (a) => cc.desk.signIn(a)),
    action('sign-out', (a) => cc.desk.signOut(a)),
    action('ready', (a) => cc.desk.setReady(a, true)),
    action('not-ready', (a) => cc.desk.setReady(a, false)),
    action('accept', (a, body) => cc.desk.accept(a, str(body, 'sessionId', 'agent.accept', { max: 64 }) || undefined)),
    action('send', (a, body) => cc.desk.send(a, str(body, 'content', 'agent.send', { required: true, max: 1024 }))),
    action('typing', (a, body) => cc.desk.typing(a, body.typing !== false)),
    action('transfer', (a, body) => cc.desk.transfer(a, str(body, 'queueName', 'agent.transfer', { required: true, max: 20 }))),
    action('end', (a) => cc.desk.end(a)),
  ];
}
