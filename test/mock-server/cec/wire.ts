/**
 * Test helpers for the real-CEC face: the mock under msw/node on a manual clock, and a customer
 * that speaks only the real wire (tokenByAkSk → applyToken → send / poll …), as in the reference's
 * Postman test page. Not a test file itself.
 */
import { vi } from 'vitest';
import { SEED_CEC_APP_KEY, SEED_CEC_APP_SECRET } from '../../../mock-server/config/seed.js';
import type { Tenant } from '../../../mock-server/config/types.js';
import type { cecFaceOf } from '../../../mock-server/handlers/cec/index.js';
import type { Clock } from '../../../mock-server/runtime/clock.js';
import type { ContactCenter } from '../../../mock-server/runtime/contact-center.js';
import { startNodeMock } from '../../node-mock.js';

export const T0 = Date.parse('2026-11-25T02:00:00Z'); // a Wednesday, 10:00 in Shanghai
export const ORIGIN = 'http://cec.test';
export const API = `${ORIGIN}/cec/apiaccess/ccmessaging`;
export const TOKEN_URL = `${ORIGIN}/cec/apigovernance/api/oauth/tokenByAkSk`;

/** Every field the reference documents for a downlink message (§2). */
export const DOWNLINK_FIELDS = [
  'channel',
  'content',
  'from',
  'to',
  'mediaType',
  'senderNickname',
  'senderAvatar',
  'sourceType',
  'timestamp',
  'controlType',
  'simQuestions',
  'isOfflineStatus',
  'messageCode',
  'interIdx',
  'contentType',
  'mediaFileType',
  'associationContentId',
  'callId',
  'queueFlag',
  'receiveTime',
  'robotGender',
  'handlerType',
];

export interface Wire {
  cc: ContactCenter;
  clock: Clock;
  face: ReturnType<typeof cecFaceOf>;
  close(): void;
}

/** Starts the whole mock under msw/node (both faces) on a manual clock. */
export function startWire(edit?: (t: Tenant) => void): Wire {
  // The default origin '*', as the mock serves it (so a wildcard route of the other face would show).
  const { cc, clock, face, close } = startNodeMock({ at: T0, edit });
  return { cc, clock, face, close };
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

export async function request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

export async function accessToken(expire?: number): Promise<string> {
  const r = await request('POST', TOKEN_URL, { app_key: SEED_CEC_APP_KEY, app_secret: SEED_CEC_APP_SECRET }, expire ? { 'X-Token-Expire': String(expire) } : {});
  if (r.status !== 200) throw new Error(`tokenByAkSk answered ${r.status}`);
  return r.body.AccessToken;
}

/** A customer on the real wire only. */
export class CecCustomer {
  accessToken = '';
  token = '';
  received: any[] = [];

  constructor(
    readonly wire: Wire,
    readonly userId: string,
    readonly channelId = 'demo',
    readonly locale: string = 'en',
  ) {}

  gateway(): Record<string, string> {
    return { 'x-app-key': SEED_CEC_APP_KEY, authorization: `Bearer ${this.accessToken}` };
  }

  headers(): Record<string, string> {
    return { ...this.gateway(), 'ccmessaging-token': this.token };
  }

  async start(connect = true): Promise<this> {
    this.accessToken = await accessToken();
    const r = await request('POST', `${API}/applyToken`, { userId: this.userId, userName: `Name ${this.userId}`, channelId: this.channelId, locale: this.locale }, this.gateway());
    if (r.body?.resultCode !== '0') throw new Error(`applyToken: ${JSON.stringify(r.body)}`);
    this.token = r.body.token;
    if (connect) await this.send('CONNECT');
    return this;
  }

  post(path: string, body: unknown): Promise<Reply> {
    return request('POST', `${API}/${path}`, body, this.headers());
  }

  send(controlType: string, content = '', mediaType = 'TEXT', path = 'send'): Promise<Reply> {
    return this.post(path, {
      channel: 'WEB',
      content,
      controlType,
      from: this.userId,
      mediaType,
      senderNickname: `Name ${this.userId}`,
      sourceType: 'CUSTOMER',
      timestamp: String(this.wire.clock.now()),
      to: this.channelId,
      userAgent: 'test',
    });
  }

  /** One poll, started now; resolves when the server answers. */
  pollRaw(isNeedRead?: boolean): Promise<Reply> {
    const q = isNeedRead === undefined ? '' : `&isNeedRead=${isNeedRead}`;
    return request('GET', `${API}/poll?receiverId=${encodeURIComponent(this.userId)}&channel=WEB${q}`, undefined, this.headers());
  }

  /** A poll that must answer at once (something is waiting). */
  async poll(isNeedRead?: boolean): Promise<any[]> {
    const r = await this.pollRaw(isNeedRead);
    if (r.status !== 200) throw new Error(`poll: ${r.status} ${JSON.stringify(r.body)}`);
    this.received.push(...r.body.downlinkMessages);
    return r.body.downlinkMessages;
  }

  /** A poll that is expected to hold: waits until it is held, then moves the mock clock past the hold. */
  async pollThroughHold(isNeedRead?: boolean, holdMs = 5000): Promise<any[]> {
    const before = this.wire.face.heldPolls;
    const p = this.pollRaw(isNeedRead);
    await vi.waitFor(() => {
      if (this.wire.face.heldPolls <= before) throw new Error('poll not held yet');
    });
    this.wire.clock.advance(holdMs);
    const r = await p;
    this.received.push(...r.body.downlinkMessages);
    return r.body.downlinkMessages;
  }
}
