/**
 * A scripted stand-in for the real CEC wire (docs/cec-real-api.md), for tests that need exact
 * control of one upstream answer: expired tokens, HTTP 200 with a non-zero resultCode, a lost
 * response, a rotated token. Whole conversations run against the mock's real-CEC face instead.
 * `fetch` is a plain function (no network): pass it to the connector as its upstream fetch.
 */
import type { ConnectorConfigInput } from '../../../widget/server/connector/config.js';

export const BASE = 'http://cec.test';
export const APP_KEY = 'test-app-key';
export const APP_SECRET = 'test-app-secret-0123456789';

/** A connector config for the fake CEC: one channel with a chatbot, fast timeouts. */
export const CHANNEL_CONFIG: ConnectorConfigInput = {
  upstream: { baseUrl: BASE, timeoutMs: 2000, pollTimeoutMs: 2000, pollIdleMs: 0, attempts: 3, unknownSendGraceMs: 5000 },
  channels: [
    {
      channelId: 'demo',
      toArtificialKeyWord: ['agent'],
      queueReminder: { intervalSeconds: 10, content: 'Please hold on, you are in the queue.' },
      dialogEnd: { noReplyMinutes: 10, conclusion: 'The chat has ended. Thank you.' },
      chatbot: { name: 'Ava', transferPrompt: 'Connecting you to an agent now…', timeoutReply: 'Closed for silence.' },
      texts: { agentConnected: ['已接通座席。'], idleWarning: ['Are you still there?'], queueTimeout: [], queueBusy: [], noAgents: [] },
    },
  ],
};

type Fault = 'drop-request' | 'drop-response' | { status: number; body?: unknown } | { resultCode: string };

export interface Recorded {
  route: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  query: Record<string, string>;
}

export class FakeCec {
  calls: Recorded[] = [];
  accessTokens = new Set<string>();
  customerTokens = new Map<string, string>(); // token → userId
  downlink = new Map<string, Array<Record<string, unknown>>>();
  sent: Array<Record<string, unknown>> = [];
  history: Array<Record<string, unknown>> = [];
  queueInfo: Record<string, unknown> = { resultCode: '160022' };
  faults: Array<{ route: string; fault: Fault }> = [];
  /**
   * Runs before a /send is answered (after it was recorded as sent): a test makes the CEC do
   * something meanwhile (a bot answering at once), and may return the answer to give instead.
   */
  onSend: ((body: Record<string, unknown>) => Promise<Response | undefined>) | null = null;
  /** Give this token in the response header of the next call that carries a customer token. */
  rotateNext: string | null = null;
  private n = 0;
  private waiters: Array<() => void> = [];

  routes(route: string): Recorded[] {
    return this.calls.filter((c) => c.route === route);
  }

  push(userId: string, ...msgs: Array<Record<string, unknown>>): void {
    const q = this.downlink.get(userId) ?? [];
    q.push(...msgs);
    this.downlink.set(userId, q);
    for (const w of this.waiters.splice(0)) w();
  }

  fail(route: string, fault: Fault): void {
    this.faults.push({ route, fault });
  }

  /** Makes every access token and customer token invalid (the next call gets 401). */
  expireAll(): void {
    this.accessTokens.clear();
    this.customerTokens.clear();
  }

  fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const path = url.pathname;
    const route = path.replace(/^.*\//, '');
    const headers: Record<string, string> = {};
    for (const [k, v] of new Headers(init?.headers)) headers[k] = v;
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : {};
    const query = Object.fromEntries(url.searchParams);
    this.calls.push({ route, headers, body, query });
    const i = this.faults.findIndex((f) => f.route === route);
    const fault = i >= 0 ? this.faults.splice(i, 1)[0]!.fault : null;
    if (fault === 'drop-request') throw new TypeError('fetch failed');
    if (fault && typeof fault === 'object' && 'status' in fault) return json(fault.body ?? { errorCode: 'fault', exceptionInfo: 'injected' }, fault.status);
    if (fault && typeof fault === 'object' && 'resultCode' in fault) return json({ resultCode: fault.resultCode, resultDesc: 'refused' });
    const res = await this.answer(route, path, headers, body, query, init?.signal ?? undefined);
    if (fault === 'drop-response') throw new TypeError('fetch failed');
    return res;
  };

  private async answer(route: string, path: string, headers: Record<string, string>, body: Record<string, unknown>, _query: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    if (path.endsWith('/apigovernance/api/oauth/tokenByAkSk')) {
      if (body.app_key !== APP_KEY || body.app_secret !== APP_SECRET) return json({ errorCode: 'auth', exceptionInfo: 'bad aksk' }, 401);
      const t = `AT-${++this.n}`;
      this.accessTokens.add(t);
      return json({ AccessToken: t, expiresIn: 600 });
    }
    if (headers['x-app-key'] !== APP_KEY || !this.accessTokens.has((headers.authorization ?? '').replace(/^Bearer /, ''))) {
      return json({ errorCode: 'auth', exceptionInfo: 'auth fail! illegal or expired token info' }, route === 'applyToken' ? 403 : 401);
    }
    if (route === 'applyToken') {
      const t = `CM-${++this.n}`;
      this.customerTokens.set(t, String(body.userId));
      return json({ resultCode: '0', token: t });
    }
    const userId = this.customerTokens.get(headers['ccmessaging-token'] ?? '');
    if (!userId) return json({ errorCode: 'auth', exceptionInfo: 'token expired' }, 401);
    const extra: Record<string, string> = {};
    if (this.rotateNext) {
      this.customerTokens.set(this.rotateNext, userId);
      extra['ccmessaging-token'] = this.rotateNext;
      this.rotateNext = null;
    }
    switch (route) {
      case 'send': {
        this.sent.push(body);
        if (body.controlType === 'CHAT') this.history.push({ content: body.content, timestamp: Number(body.timestamp), sourceType: 'CUSTOMER' });
        const instead = await this.onSend?.(body);
        return instead ?? json({ resultCode: '0', resultDesc: 'ok' }, 200, extra);
      }
      case 'poll': {
        const q = this.downlink.get(userId) ?? [];
        if (!q.length)
          await new Promise<void>((r) => {
            const t = setTimeout(r, 50);
            this.waiters.push(() => {
              clearTimeout(t);
              r();
            });
            signal?.addEventListener('abort', () => r());
          });
        const out = (this.downlink.get(userId) ?? []).splice(0);
        return json({ resultCode: '0', resultDesc: 'query user messages success.', downlinkMessages: out }, 200, extra);
      }
      case 'queryQueueInfo':
        return json(this.queueInfo, 200, extra);
      case 'queryHistoryChatMessage':
        return json({ resultCode: '0', messageList: this.history }, 200, extra);
      case 'getsatisfactionsurveymode':
        return json(
          {
            resultCode: '0',
            satisfactionSurvey: { surveyType: 'WEB', satisfactionLevel: ['Awful', 'Bad', 'OK', 'Good', 'Great'].map((d, i) => ({ satisfactionLevelKey: String(i + 1), satisfactionLevelDesc: d })) },
          },
          200,
          extra,
        );
      case 'saveSatisfaction':
        return json({ returnCode: '0' }, 200, extra);
      case 'doLeaveMessage':
        return json({ resultCode: '0', resultDesc: 'Save leaveMessage success!' }, 200, extra);
      case 'uploadFileStream':
        return json({ returnCode: '0', objectKey: `obs/${++this.n}` }, 200, extra);
      case 'downloadFileStream':
        return json({ resultCode: '0', fileStream: Buffer.from('\x89PNG\r\n\x1a\nfake').toString('base64') }, 200, extra);
      default:
        return json({ errorCode: 'notFound', exceptionInfo: path }, 404);
    }
  }
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}
