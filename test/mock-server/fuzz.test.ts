/**
 * Fuzzing every route of the mock (the channel API and everything under /mock), through the
 * MSW handlers with `getResponse` (no network). Each route gets 200 seeded-random requests —
 * random bytes, truncated JSON, JSON of the wrong type, known fields with wrong values, huge
 * strings, deep nesting, unicode and control characters, prototype keys, random query strings
 * and path parameters, with a valid, a foreign, a garbage or no token — and must answer every
 * one with a status below 500: a 4xx with a JSON `{errorCode, exceptionInfo}` body, or a 2xx.
 * Faults are off, so an injected 503 or a dropped response is a failure too. Afterwards the
 * tenant configuration must still be valid and a normal conversation must still work. A
 * failure names the route, the input and the answer; run with the same seed to replay it.
 */
import { getResponse, type HttpHandler } from 'msw';
import { describe, expect, it } from 'vitest';
import { SEED_CEC_APP_KEY, SEED_CEC_APP_SECRET, seedTenant } from '../../mock-server/config/seed.js';
import { validateTenant } from '../../mock-server/config/validate.js';
import { createHandlers } from '../../mock-server/handlers/index.js';
import { Clock } from '../../mock-server/runtime/clock.js';
import { ContactCenter } from '../../mock-server/runtime/contact-center.js';
import { seededRandom } from '../../mock-server/runtime/faults.js';

const SEED = 20261125;
const PER_ROUTE = 200;
const MIXED = 400;
const ORIGIN = 'http://mock.test';
const API = '/apiaccess/ccmessaging';
/** The real-CEC face: the same calls under /cec, behind the API gateway's app key and AccessToken. */
const CEC = '/cec';
const CEC_API = `${CEC}${API}`;
const CEC_TOKEN_URL = `${CEC}/apigovernance/api/oauth/tokenByAkSk`;
/** A long poll held open is released (as when a client goes away) after this much real time. */
const RELEASE_MS = 5;

// ── the routes, read from the handlers themselves so that a new one is fuzzed too ────────────

interface Route {
  method: string;
  path: string;
}

function routesOf(handlers: HttpHandler[]): Route[] {
  // Catch-all guards (a RegExp path, such as the undecodable-path check) are not routes of their own.
  return handlers.filter((h) => typeof h.info.path === 'string').map((h) => ({ method: String(h.info.method), path: String(h.info.path).replace(/^\*/, '') }));
}

const ROUTES = routesOf(createHandlers(new ContactCenter({ clock: new Clock('manual', 0) }), { servedBy: 'node' }));

// ── random input ─────────────────────────────────────────────────────────────────────────────

type Rng = () => number;

class Gen {
  constructor(readonly r: Rng) {}
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }

  /** Strings that break things: empty, blank, long, huge, unicode, control characters, lone surrogates, markup, numbers. */
  string(): string {
    switch (this.int(14)) {
      case 0:
        return '';
      case 1:
        return ' \t\n ';
      case 2:
        return 'x'.repeat(65 + this.int(2000));
      case 3:
        return this.chance(0.25) ? 'y'.repeat(100_000 + this.int(100_000)) : 'z'.repeat(1025 + this.int(5000));
      case 4:
        return `人工客服😀\u200b\u202e${'🏳️‍🌈'.repeat(this.int(300))}`;
      case 5:
        return Array.from({ length: 1 + this.int(40) }, () => String.fromCharCode(this.int(32))).join('');
      case 6:
        return '\ud800' + 'a' + '\udfff';
      case 7:
        return '<script>alert(1)</script>';
      case 8:
        return String(this.pick([-1, 0, 1e21, NaN, Infinity, 1.5, -0]));
      case 9:
        return this.pick(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty']);
      case 10:
        return this.pick(['demo', 'signed', 'alice', 'bob', 'WebSupport', 'Billing', 'WebCallback', '123451', '9001', 'CHAT', 'CONNECT', 'TEXT', 'WEB', 'agent', 'en']);
      case 11:
        return `${'../'.repeat(this.int(10))}%00%2F%ZZ`;
      case 12:
        return Array.from({ length: this.int(30) }, () => String.fromCharCode(this.int(0x10000))).join('');
      default:
        return Math.abs(this.int(1e9)).toString(36);
    }
  }

  number(): number {
    return this.pick([0, -1, 1, 2, 5, 25, 26, 60, 3600, 1e6, 1e12, -1e12, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 31, 1.0000001]);
  }

  /** Any JSON value, `depth` levels at most. */
  value(depth = 3): unknown {
    switch (this.int(depth > 0 ? 9 : 6)) {
      case 0:
        return null;
      case 1:
        return this.chance(0.5);
      case 2:
        return this.number();
      case 3:
      case 4:
        return this.string();
      case 5:
        return this.pick([[], {}, '', 0]);
      case 6:
        return Array.from({ length: this.int(5) }, () => this.value(depth - 1));
      default:
        return this.object(FIELDS, depth - 1);
    }
  }

  object(fields: readonly string[], depth = 2): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (let i = this.int(6); i > 0; i--) o[this.chance(0.85) ? this.pick(fields) : this.string().slice(0, 50)] = this.value(depth);
    return o;
  }

  /** `template` with some fields given random values, removed, or added. */
  mutate(template: unknown, depth = 0): unknown {
    if (Array.isArray(template)) {
      if (template.length === 0 || this.chance(0.2)) return this.value(1);
      const copy = [...template];
      const i = this.int(copy.length);
      copy[i] = this.mutate(copy[i], depth + 1);
      return copy;
    }
    if (template === null || typeof template !== 'object') return this.value(1);
    const copy: Record<string, unknown> = { ...(template as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const n = 1 + this.int(2);
    for (let k = 0; k < n && keys.length; k++) {
      const key = this.pick(keys);
      const roll = this.int(10);
      if (roll === 0) delete copy[key];
      else if (roll === 1) copy[this.pick(FIELDS)] = this.value(1);
      else if (roll < 5 && depth < 4 && copy[key] !== null && typeof copy[key] === 'object') copy[key] = this.mutate(copy[key], depth + 1);
      else copy[key] = this.value(1);
    }
    return copy;
  }

  /** Text that is nested `depth` levels deep, written directly (JSON.stringify would recurse). */
  nested(): { text: string; shown: string } {
    const depth = this.pick([50, 1000, 10_000]);
    const open = this.chance(0.5) ? '[' : '{"a":';
    const close = open === '[' ? ']' : '}';
    const field = this.pick(FIELDS);
    return {
      text: `{"${field}":${open.repeat(depth)}1${close.repeat(depth)}}`,
      shown: `{"${field}": ${open}${open}${open}… 1 …${close}${close}${close}} (${open === '[' ? 'arrays' : 'objects'} nested ${depth} deep)`,
    };
  }

  bytes(): Uint8Array {
    return Uint8Array.from({ length: this.int(300) }, () => this.int(256));
  }
}

/** Every field name the handlers and the tenant know, so random objects hit real code paths. */
const FIELDS = [
  'channelId',
  'userId',
  'userName',
  'locale',
  'channel',
  'controlType',
  'mediaType',
  'content',
  'from',
  'to',
  'senderNickname',
  'sourceType',
  'timestamp',
  'clientMessageId',
  'evaluation',
  'comment',
  'contact',
  'cursor',
  'sessionId',
  'queueName',
  'typing',
  'ms',
  'seconds',
  'latencyMs',
  'jitterMs',
  'dropRate',
  'errorRate',
  'route',
  'name',
  'account',
  'employeeId',
  'agentType',
  'skillQueues',
  'platformRole',
  'allowances',
  'multimediaAgents',
  'videoAgents',
  'versatileAgents',
  'intelligentAgents',
  'calledRoutes',
  'channels',
  'ivrs',
  'agents',
  'autoAgents',
  'accessCode',
  'extensionCode',
  'accessCodeType',
  'deviceType',
  'skillQueue',
  'maxWaitTime',
  'maxCallsInQueue',
  'arrangingDuration',
  'onTimeout',
  'onBusy',
  'onNoAgents',
  'processMethod',
  'target',
  'type',
  'answerMode',
  'queuingMethod',
  'keepingMethod',
  'secretKey',
  'workTime',
  'chatbot',
  'dialogEnd',
  'queueReminder',
  'transferKeywords',
  'clickToDial',
  'robotAssistant',
  'satisfactionLevels',
  'timeZone',
  'workdays',
  'workday',
  'nonWorkday',
  'start',
  'end',
  'rules',
  'keywords',
  'reply',
  'greeting',
  'acceptAfterSeconds',
  'replies',
  '__proto__',
  'constructor',
] as const;

/** A plausible body for each route, to mutate: random changes near valid input reach deep code. */
function template(route: Route): unknown {
  const t = seedTenant();
  const p = route.path;
  const tail = p.split('/').pop()!;
  if (p === CEC_TOKEN_URL) return { app_key: SEED_CEC_APP_KEY, app_secret: SEED_CEC_APP_SECRET };
  if (p.startsWith(CEC_API)) {
    switch (tail) {
      case 'applyToken':
        return { channelId: 'demo', userId: 'fuzz-cec', userName: 'Fuzz', locale: 'en' };
      case 'send':
      case 'sendAsync':
        return {
          channel: 'WEB',
          controlType: 'CHAT',
          mediaType: 'TEXT',
          content: 'hello',
          from: 'fuzz-cec',
          to: 'demo',
          senderNickname: 'Fuzz',
          sourceType: 'CUSTOMER',
          timestamp: '0',
          userAgent: 'fuzz',
        };
      case 'saveSatisfaction':
        return { userId: 'fuzz-cec', channelId: 'demo', satisfactionLevel: '4', comment: 'ok' };
      case 'doLeaveMessage':
        return { userId: 'fuzz-cec', channelId: 'demo', content: 'call me', contact: '123' };
      case 'uploadFileStream':
        return { fileType: 'png', fileStream: 'iVBORw0KGgo=', channel: 'WEB' };
      case 'downloadFileStream':
        return { objectKey: 'nothing', channel: 'WEB' };
      case 'createClickToCall':
        return { mediaAbility: '0', channel: 'WEB' };
      case 'dropClickToCall':
        return { callId: 'c1', channel: 'WEB' };
      default:
        return { userId: 'fuzz-cec', channelId: 'demo', channel: 'WEB' };
    }
  }
  if (p === '/mock/cec/config') return { pollHoldSeconds: 1, releaseAfterSeconds: 60, language: 'zh', connectedText: { en: 'Hi', zh: '你好' } };
  if (p === '/mock/admin/agents/batch-configure') return { select: ['10021-10023', '10025'], set: { agentType: 'video', skillQueues: ['Video'], platformRole: 'qualityChecker' } };
  if (p.startsWith(API)) {
    switch (tail) {
      case 'applyToken':
        return { channelId: 'demo', userId: 'fuzz-u', userName: 'Fuzz', locale: 'en' };
      case 'send':
        return {
          channel: 'WEB',
          controlType: 'CHAT',
          mediaType: 'TEXT',
          content: 'hello',
          from: 'fuzz-c',
          to: 'demo',
          senderNickname: 'Fuzz',
          sourceType: 'CUSTOMER',
          timestamp: 0,
          clientMessageId: 'm-1',
        };
      case 'saveSatisfaction':
        return { userId: 'fuzz-c', channelId: 'demo', evaluation: '4', comment: 'ok' };
      case 'doLeaveMessage':
        return { userId: 'fuzz-c', channelId: 'demo', content: 'call me', contact: '123' };
      default:
        return { userId: 'fuzz-c', channelId: 'demo' };
    }
  }
  if (p.startsWith('/mock/agents/')) {
    return { accept: { sessionId: 's1' }, send: { content: 'hi' }, typing: { typing: true }, transfer: { queueName: 'Billing' } }[tail] ?? {};
  }
  if (p.startsWith('/mock/admin/')) {
    const kind = p.split('/')[3];
    switch (kind) {
      case 'tenant':
        return t;
      case 'allowances':
        return { ...t.allowances };
      case 'skill-queues':
        return { ...t.skillQueues[1], name: 'FuzzQueue' };
      case 'called-routes':
        return { ...t.calledRoutes[1], extensionCode: '7' };
      case 'agents':
        return { ...t.agents[0], account: 'fuzz-agent', employeeId: '77777' };
      case 'channels':
        return { ...t.channels[1], id: 'fuzz-channel', channelAccessCode: 'web_fuzz' };
      case 'ivrs':
        return { accessCode: '9009', name: 'Fuzz IVR' };
    }
  }
  return { '/mock/clock/advance': { seconds: 1 }, '/mock/faults': { latencyMs: 0, dropRate: 0 }, '/mock/sign': { channelId: 'signed', userId: 'fuzz-u', name: 'Fuzz' } }[p] ?? {};
}

function body(g: Gen, route: Route): { body?: BodyInit; contentType?: string; shown: string } {
  const json = (v: unknown) => ({ body: JSON.stringify(v), contentType: 'application/json', shown: '' });
  let b: { body?: BodyInit; contentType?: string; shown: string };
  switch (g.int(11)) {
    case 0: {
      const bytes = g.bytes();
      return {
        body: bytes.buffer as ArrayBuffer,
        contentType: g.pick(['application/json', 'application/octet-stream', undefined] as const),
        shown: `bytes ${Buffer.from(bytes).toString('hex').slice(0, 120)}`,
      };
    }
    case 1: {
      const text = JSON.stringify(template(route));
      b = { body: text.slice(0, g.int(text.length)), contentType: 'application/json', shown: '' };
      break;
    }
    case 2:
      b = json(g.pick([[], [1, 2], 0, -1, 'str', null, true, [{}]]));
      break;
    case 3:
      b = json(g.object(FIELDS));
      break;
    case 4: {
      const n = g.nested();
      b = { body: n.text, contentType: 'application/json', shown: n.shown };
      break;
    }
    case 5:
      b = json({ ...(template(route) as object), [g.pick(FIELDS)]: g.string() });
      break;
    case 6:
      b = { body: '{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}', contentType: 'application/json', shown: '' };
      break;
    case 7:
      b = { body: undefined, contentType: g.pick(['application/json', undefined] as const), shown: '(none)' };
      break;
    default:
      b = json(g.mutate(template(route)));
      break;
  }
  if (!b.shown) b.shown = String(b.body).length > 300 ? `${String(b.body).slice(0, 300)}… (${String(b.body).length} chars)` : String(b.body);
  if (g.chance(0.05)) b.contentType = g.pick(['text/plain', 'application/x-www-form-urlencoded', 'json; charset=utf-8']);
  return b;
}

/** encodeURIComponent, except that a lone surrogate becomes bytes that are not UTF-8 at all. */
function enc(s: string): string {
  return s
    .replace(/[\ud800-\udfff]/g, (c, i: number) => {
      const pair = /[\ud800-\udbff][\udc00-\udfff]/.test(s.slice(i, i + 2)) || /[\ud800-\udbff][\udc00-\udfff]/.test(s.slice(i - 1, i + 1));
      return pair ? c : '\u0000LONE';
    })
    .split('\u0000LONE')
    .map(encodeURIComponent)
    .join('%ED%A0%80');
}

/** A path parameter: a real key, a random string, encoded characters, or something long. */
function param(g: Gen): string {
  const known = ['alice', 'bob', 'demo', 'signed', 'WebSupport', 'Billing', 'WebCallback', '123451', '123452', '12346', '9001', 'nobody'];
  const raw = g.chance(0.4) ? g.pick(known) : g.string().slice(0, 300);
  return enc(raw);
}

function query(g: Gen): string {
  const names = ['receiverId', 'channel', 'cursor', 'wait', 'channelId', 'version', 'callId', 'limit', 'after', 'isNeedRead', 'include', 'ticket', g.string().slice(0, 20)];
  const values = (): string => {
    switch (g.int(6)) {
      case 0:
        return String(g.number());
      case 1:
        return g.pick(['0', '1', '25', '26', '-1', '1e3', '0x10', '1.5', ' 3', '', 'NaN', '99999999999999999999', 's1', 's999999', 'true', 'false', 'appSecret']);
      case 2:
        return 'fuzz-c';
      default:
        return g.string().slice(0, 200);
    }
  };
  const parts: string[] = [];
  for (let i = g.int(5); i > 0; i--) {
    const name = g.pick(names);
    // Mostly no long-poll wait: with the manual clock a wait only ends when the request is released.
    const v = (name === 'wait' || name === 'version') && g.chance(0.8) ? '0' : values();
    parts.push(`${enc(name)}=${g.chance(0.1) ? '%E0%A4%A' : enc(v)}`);
  }
  if (g.chance(0.05)) parts.push('&&==&=%');
  return parts.length ? `?${parts.join('&')}` : '';
}

// ── calling the handlers ─────────────────────────────────────────────────────────────────────

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: BodyInit;
  shown: string;
}

interface Outcome {
  status: number | 'no route' | 'network error' | 'exception';
  text: string;
}

async function send(handlers: HttpHandler[], c: Call): Promise<Outcome> {
  const release = new AbortController();
  const timer = setTimeout(() => release.abort(), RELEASE_MS);
  try {
    const hasBody = c.method !== 'GET' && c.method !== 'HEAD';
    const req = new Request(ORIGIN + c.url, { method: c.method, headers: c.headers, body: hasBody ? c.body : undefined, signal: release.signal });
    const res = await getResponse(handlers, req);
    if (!res) return { status: 'no route', text: '' };
    if (res.type === 'error') return { status: 'network error', text: '' };
    // A drop under Node answers with a body that fails on its first read (droppedAnswer).
    const text = await res.text().catch(() => null);
    return text === null ? { status: 'network error', text: '' } : { status: res.status, text };
  } catch (e) {
    return { status: 'exception', text: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  } finally {
    clearTimeout(timer);
  }
}

/** What is wrong with an outcome, or null. */
function verdict(o: Outcome): string | null {
  if (o.status === 'no route') return null; // the HTTP server answers 404 mock.notFound
  if (typeof o.status !== 'number') return `${o.status}${o.text ? `: ${o.text}` : ''}`;
  if (o.status >= 500) return `HTTP ${o.status} ${o.text.slice(0, 300)}`;
  if (o.status < 400) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(o.text);
  } catch {
    return `HTTP ${o.status} without a JSON body: ${o.text.slice(0, 100)}`;
  }
  const e = parsed as { errorCode?: unknown; exceptionInfo?: unknown };
  if (typeof e.errorCode !== 'string' || typeof e.exceptionInfo !== 'string' || !e.errorCode) {
    return `HTTP ${o.status} without {errorCode, exceptionInfo}: ${o.text.slice(0, 200)}`;
  }
  return null;
}

/** A contact center with some life in it: a customer chatting with alice, bob signed in. */
async function world() {
  const cc = new ContactCenter({ clock: new Clock('manual', Date.parse('2026-11-25T02:00:00Z')) });
  cc.desk.startAutoAgents();
  const handlers = createHandlers(cc, { servedBy: 'node' });
  const token = async (userId: string) => {
    const r = await send(handlers, { method: 'POST', url: `${API}/applyToken`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ channelId: 'demo', userId }), shown: '' });
    expect(r.status).toBe(200);
    return (JSON.parse(r.text) as { token: string }).token;
  };
  const chat = async (tok: string, userId: string, controlType: string, content: string, id: string) => {
    const r = await send(handlers, {
      method: 'POST',
      url: `${API}/send`,
      headers: { 'content-type': 'application/json', 'ccmessaging-token': tok },
      body: JSON.stringify({ channel: 'WEB', controlType, mediaType: 'TEXT', content, from: userId, to: 'demo', senderNickname: userId, sourceType: 'CUSTOMER', timestamp: 0, clientMessageId: id }),
      shown: '',
    });
    expect(r.status, r.text).toBe(200);
  };
  cc.desk.signIn('alice');
  cc.desk.setReady('alice', true);
  cc.desk.signIn('bob');
  const mine = await token('fuzz-c');
  const other = await token('fuzz-other');
  await chat(mine, 'fuzz-c', 'CONNECT', '', 'c-0');
  await chat(mine, 'fuzz-c', 'CHAT', 'agent', 'c-1');
  cc.desk.accept('alice');
  await chat(other, 'fuzz-other', 'CONNECT', '', 'o-0');
  // A customer of the real-CEC face, connected: its gateway AccessToken and ccmessaging-token.
  const at = await send(handlers, {
    method: 'POST',
    url: CEC_TOKEN_URL,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ app_key: SEED_CEC_APP_KEY, app_secret: SEED_CEC_APP_SECRET }),
    shown: '',
  });
  expect(at.status, at.text).toBe(200);
  const gateway = { 'x-app-key': SEED_CEC_APP_KEY, authorization: `Bearer ${(JSON.parse(at.text) as { AccessToken: string }).AccessToken}` };
  const applied = await send(handlers, {
    method: 'POST',
    url: `${CEC_API}/applyToken`,
    headers: { ...gateway, 'content-type': 'application/json' },
    body: JSON.stringify({ channelId: 'demo', userId: 'fuzz-cec', userName: 'Fuzz' }),
    shown: '',
  });
  const cecToken = (JSON.parse(applied.text) as { token: string }).token;
  expect(cecToken).toBeTruthy();
  const connected = await send(handlers, {
    method: 'POST',
    url: `${CEC_API}/send`,
    headers: { ...gateway, 'ccmessaging-token': cecToken, 'content-type': 'application/json' },
    body: JSON.stringify(template({ method: 'POST', path: `${CEC_API}/send` })).replace('"CHAT"', '"CONNECT"'),
    shown: '',
  });
  expect(connected.status, connected.text).toBe(200);
  return { cc, handlers, tokens: { mine, other, cec: cecToken }, gateway, token, chat };
}

type World = Awaited<ReturnType<typeof world>>;

function randomCall(g: Gen, route: Route, w: World): Call {
  const method = g.chance(0.9) ? route.method : g.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
  const path = route.path.replace(/:[A-Za-z]+\*?/g, () => param(g));
  const headers: Record<string, string> = {};
  const cec = route.path.startsWith(CEC);
  if (cec) {
    // The gateway's headers: valid, half there, or garbage.
    const gw = g.int(4);
    if (gw < 2) Object.assign(headers, w.gateway);
    else if (gw === 2)
      headers['x-app-key'] = g.chance(0.5)
        ? w.gateway['x-app-key']
        : g
            .string()
            .replace(/[^\x20-\x7e]/g, '')
            .slice(0, 200);
  }
  const tok = g.int(6);
  if (cec && tok < 2) headers['ccmessaging-token'] = w.tokens.cec;
  else if (tok < 3) headers['ccmessaging-token'] = w.tokens.mine;
  else if (tok === 3) headers['ccmessaging-token'] = w.tokens.other;
  else if (tok === 4)
    headers['ccmessaging-token'] =
      g
        .string()
        .replace(/[^\x20-\x7e]/g, '')
        .slice(0, 200) || 'x';
  // Random extra headers, the names the mock reads among them.
  for (let n = g.chance(0.3) ? 1 + g.int(3) : 0; n > 0; n--) {
    const name = g.pick(['x-token-expire', 'x-app-key', 'accept', 'accept-language', 'if-none-match', 'range', 'x-forwarded-for', 'x-fuzz']);
    const value = g.chance(0.5) ? g.pick(['0', '-1', '1e9', '86400', 'NaN', 'bytes=0-1', '*', '*/*', 'zh-CN', ' ']) : g.string();
    const clean = value
      .replace(/[^\x20-\x7e]/g, '')
      .slice(0, 500)
      .trim();
    if (clean) headers[name] = clean;
  }
  if (g.chance(0.3))
    headers.authorization = g.pick(['Bearer ', 'Bearer a.b.c', 'Bearer eyJhbGciOiJub25lIn0.e30.', 'Basic Zm9vOmJhcg==', `Bearer ${'x'.repeat(5000)}`, 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.AAAA']);
  const b = method === 'GET' || method === 'HEAD' ? { shown: '(none)' } : body(g, route);
  if ('contentType' in b && b.contentType) headers['content-type'] = b.contentType;
  return { method, url: path + query(g), headers, body: 'body' in b ? b.body : undefined, shown: b.shown };
}

function describeCall(c: Call): string {
  const tok = c.headers['ccmessaging-token'];
  const h = Object.entries(c.headers)
    .map(([k, v]) => `${k}: ${k === 'ccmessaging-token' ? (tok && tok.length === 48 ? '<valid token>' : JSON.stringify(v.slice(0, 40))) : JSON.stringify(v.slice(0, 60))}`)
    .join(', ');
  return `${c.method} ${c.url.length > 300 ? `${c.url.slice(0, 300)}…` : c.url}\n    headers: {${h}}\n    body: ${c.shown}`;
}

/** After fuzzing: the configuration is still valid, and a new customer can still chat. */
async function stillWorks(w: World): Promise<void> {
  expect(() => validateTenant(w.cc.store.current), 'the tenant configuration was left invalid').not.toThrow();
  // Legitimate changes the fuzzing may have made (a channel reconfigured, faults set) are undone;
  // the runtime (tokens, sessions, agents, clock) is kept as the fuzzing left it.
  w.cc.store.reset();
  w.cc.faults.reset();
  const id = 'after-fuzz';
  const tok = await w.token(id);
  await w.chat(tok, id, 'CONNECT', '', `${id}-0`);
  await w.chat(tok, id, 'CHAT', 'What are your opening hours?', `${id}-1`);
  const r = await send(w.handlers, { method: 'GET', url: `${API}/poll?receiverId=${id}&cursor=0`, headers: { 'ccmessaging-token': tok }, shown: '' });
  expect(r.status).toBe(200);
  expect(r.text).toContain('Monday to Friday');
}

interface Problem {
  /** What went wrong, e.g. `HTTP 500 {...}`. */
  answer: string;
  /** The route, the request number and the whole input. */
  request: string;
}

async function fuzz(w: World, g: Gen, pickRoute: () => Route, n: number): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (let i = 0; i < n; i++) {
    const route = pickRoute();
    const c = randomCall(g, route, w);
    const outcome = await send(w.handlers, c);
    // A valid faults setting is legitimate input; it must not leak into the next requests.
    if (route.path === '/mock/faults') w.cc.faults.reset();
    const wrong = verdict(outcome);
    if (wrong) problems.push({ answer: `[${route.method} ${route.path}] ${wrong}`, request: `#${i} ${describeCall(c)}` });
  }
  return problems;
}

describe(`fuzzing every mock route (${ROUTES.length} routes × ${PER_ROUTE} requests, seed ${SEED})`, () => {
  it('finds every route of the channel API and of /mock', () => {
    const paths = new Set(ROUTES.map((r) => r.path));
    for (const p of [
      `${API}/applyToken`,
      `${API}/send`,
      `${API}/poll`,
      '/mock/agents/:account',
      '/mock/faults',
      '/mock/admin/tenant',
      '/mock/admin/agents/:key',
      // Routes added with the real-CEC face, the batch configuration and the paged sessions listing.
      CEC_TOKEN_URL,
      `${CEC_API}/applyToken`,
      `${CEC_API}/send`,
      `${CEC_API}/sendAsync`,
      `${CEC_API}/poll`,
      `${CEC_API}/v1/createClickToCall`,
      `${CEC}/files/:ticket`,
      '/mock/admin/agents/batch-configure',
      '/mock/sessions',
      '/mock/cec/config',
    ]) {
      expect(paths).toContain(p);
    }
    expect(ROUTES.length).toBeGreaterThanOrEqual(50);
  });

  for (const [i, route] of ROUTES.entries()) {
    it(`${route.method} ${route.path}`, async () => {
      const w = await world();
      const g = new Gen(seededRandom(SEED + i));
      const problems = await fuzz(w, g, () => route, PER_ROUTE);
      expect(problems.length, report(problems)).toBe(0);
      await stillWorks(w);
    });
  }

  it(`${MIXED} requests at random routes on one contact center, then a normal conversation`, async () => {
    const w = await world();
    const g = new Gen(seededRandom(SEED - 1));
    const problems = await fuzz(w, g, () => g.pick(ROUTES), MIXED);
    expect(problems.length, report(problems)).toBe(0);
    await stillWorks(w);
  });
});

/** One example of each kind of answer that went wrong, with how often it happened. */
function report(problems: Problem[]): string {
  const kinds = new Map<string, { n: number; first: Problem }>();
  for (const p of problems) {
    const k = kinds.get(p.answer) ?? { n: 0, first: p };
    k.n++;
    kinds.set(p.answer, k);
  }
  const lines = [...kinds.values()].map(({ n, first }) => `${n}× ${first.answer}\n  first: ${first.request}`);
  return `\n${problems.length} request(s) answered wrongly (replay: same SEED):\n${lines.join('\n')}\n`;
}
