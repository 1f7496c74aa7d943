/**
 * The agent API (mock-only), what the demo's agent workbench uses:
 * `GET  /mock/agents`                       every agent's snapshot
 * `GET  /mock/agents/:account?version=&wait=&waiting=` one agent; long-polls until something changes
 * `POST /mock/agents/:account/{sign-in|sign-out|ready|not-ready|accept|send|typing|transfer|end}`
 * (`send {content}` one line, or `send {contents: [...]}` 1–AGENT_SEND_MAX_LINES lines at once)
 *
 * Every snapshot lists at most AGENT_WAITING_SHOWN waiting customers (the GETs' `?waiting=` asks
 * for up to AGENT_WAITING_MAX; an action's answer lists AGENT_WAITING_SHOWN) and counts all of them in `waitingTotal`: under load ~50 customers wait, and
 * serialising and sending all of them on every agent call was most of an agent answer's cost.
 */
import { http, type HttpHandler } from 'msw';
import * as v from 'valibot';
import { AGENT_WAITING_SHOWN } from '../runtime/agents.js';
import type { ContactCenter } from '../runtime/contact-center.js';
import { intParam, ok, readFields, readJson, readQuery, text, urlOf, withErrors } from './http-util.js';

/** The most waiting customers `?waiting=` may ask for. */
export const AGENT_WAITING_MAX = 500;

// Field tables declared once: their schemas are built once, not per request.
const AGENT_QUERY = {
  version: intParam(0, Number.MAX_SAFE_INTEGER, 0),
  wait: intParam(0, 25, 0),
  waiting: intParam(0, AGENT_WAITING_MAX, AGENT_WAITING_SHOWN),
};
const LIST_QUERY = { waiting: intParam(0, AGENT_WAITING_MAX, AGENT_WAITING_SHOWN) };
const ACCEPT_FIELDS = { sessionId: text({ max: 64 }) };
/** Most lines one `send` may carry in `contents`. */
export const AGENT_SEND_MAX_LINES = 1000;
/** One line of the agent, as `content` or as an item of `contents` (the desk refuses a blank one). */
const LINE = text({ required: true, max: 1024 });
const SEND_FIELDS = { content: LINE };
const LINES_TEXT = `must be a list of 1–${AGENT_SEND_MAX_LINES} lines`;
/** `send {contents}`: many lines in one request (a long chat for QA in one call, not one per line); `content` then stays out. */
const SEND_LINES_FIELDS = {
  content: v.optional(
    v.pipe(
      v.unknown(),
      v.check((x) => x === null || x === '', 'conflict must be left out when contents is given'),
    ),
  ),
  contents: v.pipe(v.array(LINE, `invalid ${LINES_TEXT}`), v.minLength(1, `invalid ${LINES_TEXT}`), v.maxLength(AGENT_SEND_MAX_LINES, `invalid ${LINES_TEXT}`)),
};
const TRANSFER_FIELDS = { queueName: text({ required: true, max: 20 }) };

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
      withErrors(({ request }) => {
        const { waiting } = readQuery(urlOf(request), 'agents', LIST_QUERY);
        return ok({ agents: cc.store.current.agents.map((a) => cc.desk.snapshot(a.account, { waitingLimit: waiting })) });
      }),
    ),
    http.get(
      `${base}/:account`,
      withErrors(async ({ request, params }) => {
        const { version, wait, waiting } = readQuery(urlOf(request), 'agent', AGENT_QUERY);
        cc.desk.requireAgent(account(params)); // an unknown agent is a 404 before any wait
        await cc.desk.wait(version, wait * 1000, () => request.signal);
        return ok({ agent: cc.desk.snapshot(account(params), { markRead: true, waitingLimit: waiting }) });
      }),
    ),
    action('sign-in', (a) => cc.desk.signIn(a)),
    action('sign-out', (a) => cc.desk.signOut(a)),
    action('ready', (a) => cc.desk.setReady(a, true)),
    action('not-ready', (a) => cc.desk.setReady(a, false)),
    action('accept', (a, body) => cc.desk.accept(a, readFields(body, 'agent.accept', ACCEPT_FIELDS).sessionId || undefined)),
    action('send', (a, body) =>
      body.contents == null ? cc.desk.send(a, readFields(body, 'agent.send', SEND_FIELDS).content) : cc.desk.sendLines(a, readFields(body, 'agent.send', SEND_LINES_FIELDS).contents),
    ),
    action('typing', (a, body) => cc.desk.typing(a, body.typing !== false)),
    action('transfer', (a, body) => cc.desk.transfer(a, readFields(body, 'agent.transfer', TRANSFER_FIELDS).queueName)),
    action('end', (a) => cc.desk.end(a)),
  ];
}
