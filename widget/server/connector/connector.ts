/**
 * The connector: the server half for integrators that puts `<cec-chat>` in front of a real CEC.
 *
 * Towards browsers it serves exactly the widget's channel API (docs/channel-api.md and the
 * README's extensions: gap-free `seq`, `cursor` replay, long poll up to 25 s, idempotent send on
 * `clientMessageId`, `event`/`data`, `queryChannelConfig`, uploads served at `/file/:key`,
 * click-to-dial with a `callId`, and contract C1's `resumeKey`). Towards the CEC it speaks the
 * real wire through `CecUpstream` (docs/cec-real-api.md).
 *
 * `createConnector(config)` returns a standard fetch handler `(Request) => Promise<Response>`
 * with a `close()`; mount it in any framework or with `serveConnector` (node:http).
 *
 * Rules that shape the code (and where they come from):
 * - A message taken from the consume-once upstream poll is appended to the store before anything
 *   else happens, so a browser that is gone loses nothing (issue 15).
 * - One upstream poll loop per active customer, owned through a store lease, so that several
 *   instances never consume one customer's messages twice (issue 16 builds on this).
 * - A CHAT send whose upstream outcome is unknown is never repeated blindly: the connector first
 *   looks for it in the CEC's history (`queryHistoryChatMessage`, matched by content and the
 *   `timestamp` it sent); only when the history proves it absent is it sent again. When the
 *   history cannot tell, the widget is answered `send.outcomeUnknown` (409) and the message is
 *   shown as not sent; a second request for it (the customer pressing Retry) sends it again.
 */
import { setMaxListeners } from 'node:events';
import { LOCALE_TAG, localize, matchLocale, type LocalizedText } from '../../core/locale.js';
import { COMMENT_MAX_CHARS, TEXT_MAX_BYTES, type DownlinkMessage, type MediaType } from '../../core/protocol.js';
import type { CallEvent } from '../../core/call.js';
import { cleanText } from '../../core/text.js';
import { parseConfig, UPLOAD_TYPES, type ConnectorConfig, type ConnectorConfigInput } from './config.js';
import { customerWrote, deriveDownlink, deriveIdle, deriveQueueInfo, systemLogMessage, type ConversationState, type UpstreamMessage } from './derive.js';
import { linkedSignal } from './linked-signal.js';
import { openStore } from './store-config.js';
import { verifySignature } from './signature.js';
import type { ConnectorStore, NewLogMessage } from './store.js';
import { CecUpstream, pickNumber, pickString, sleep, backoff, UpstreamError, type CustomerRef, type Timers } from './upstream.js';

/** The languages of the CEC's satisfaction survey (getsatisfactionsurveymode, cec-real-api.md). */
const SURVEY_LANGUAGES = ['en-US', 'zh-CN', 'pt-BR', 'ar-SA', 'fr-FR', 'es-ES'];
/** The survey language that serves a locale, by the product's fallback (core/locale), else en_US. */
const surveyLanguage = (locale: string | undefined): string => (matchLocale(SURVEY_LANGUAGES, locale) ?? 'en-US').replace('-', '_');

export const API_PATH = '/apiaccess/ccmessaging';
const MAX_WAIT_S = 25;
const BROWSER_TOKEN_TTL_MS = 3600_000;
const FILE_TTL_MS = 7 * 24 * 3600_000;
const LOG_LIFETIME_MS = 30 * 24 * 3600_000;
const READ_LIMIT = 500;

export interface ConnectorOptions {
  /** Where all state lives; default a new in-memory store. */
  store?: ConnectorStore;
  /** Environment to read secrets from; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Upstream fetch; default the global one. */
  fetch?: typeof fetch;
  /** Epoch ms; default `Date.now`. */
  now?: () => number;
  timers?: Timers;
  random?: () => number;
  /** One structured record per upstream call and per failure; default one JSON line on stdout. */
  log?: (record: Record<string, unknown>) => void;
  /**
   * Instead of the channel signature: decides who the browser is (e.g. from your session cookie).
   * Return null to refuse (401). The returned userId must equal the body's userId.
   */
  authenticate?: (request: Request) => Promise<{ userId: string; userName?: string } | null>;
  /** This instance's name in leases; default a random id. */
  instanceId?: string;
  /** How often each instance looks for silent and unowned customers, ms (default 5000; 0 = never). */
  sweepMs?: number;
}

export type ConnectorHandler = ((request: Request) => Promise<Response>) & {
  /** Stops the poll loops and the sweeper (the store is closed only when the connector made it). */
  close(): Promise<void>;
  readonly store: ConnectorStore;
  /** Upstream poll loops running in this instance (for tests and metrics). */
  readonly loops: number;
  /** Runs one sweep now (silence and takeover); resolves when done. */
  sweep(): Promise<void>;
};

/** A customer as kept in the store. */
interface CustomerRecord {
  channelId: string;
  userId: string;
  userName: string;
  locale: string;
  /** C1: the key the current conversation is bound to. */
  resumeKey: string;
  /** The current conversation's message log. */
  logId: string;
  /** CONNECT was sent upstream for this conversation. */
  connected: boolean;
  ended: boolean;
  conv: ConversationState;
  /** The click-to-dial call in progress, if any. */
  call?: { callId: string; ended: boolean; media: string };
}

interface BrowserSession {
  customerId: string;
  logId: string;
}

interface FileRecord {
  customerId: string;
  /** What the CEC's downloadFileStream wants as fileId. */
  fileId: string;
  multiMedia: boolean;
  fileName: string;
  size: number;
  mime: string;
  /** What an uplink FILE/IMAGE carries upstream. */
  upstreamKey: string;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly field?: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

const bad = (route: string, field: string, what: string) => new HttpError(400, `${route}.${field}.invalid`, `${field} ${what}.`, field);

function b64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

const EXT: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/bmp': 'bmp',
  'audio/mpeg': 'mp3',
  'audio/aac': 'aac',
  'video/mp4': 'mp4',
  'text/plain': 'txt',
  'text/csv': 'csv',
};
const MIME_BY_EXT: Record<string, string> = Object.fromEntries([
  ...Object.entries(EXT).map(([m, e]) => [e, m]),
  ['jpeg', 'image/jpeg'],
  ['pdf', 'application/pdf'],
  ['doc', 'application/msword'],
  ['zip', 'application/zip'],
]);

/** Checks that the bytes are what the declared type says (the first bytes of each format). */
function bytesMatch(mime: string, b: Buffer): boolean {
  const starts = (...sig: number[]) => sig.every((x, i) => b[i] === x);
  switch (mime) {
    case 'image/png':
      return starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    case 'image/jpeg':
      return starts(0xff, 0xd8, 0xff);
    case 'image/bmp':
      return starts(0x42, 0x4d);
    case 'video/mp4':
      return b.length > 8 && b.toString('latin1', 4, 8) === 'ftyp';
    case 'audio/mpeg':
      return starts(0x49, 0x44, 0x33) || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0);
    case 'audio/aac':
      return b[0] === 0xff && ((b[1] ?? 0) & 0xf6) === 0xf0;
    case 'text/plain':
    case 'text/csv':
      return !b.includes(0);
    default:
      return false;
  }
}

/**
 * Names safe to show and to put in a URL path: the widget's own rule for hidden and bidi
 * characters (core/text.ts), and no slashes, tabs or line breaks.
 */
function safeFileName(name: string): string {
  const cleaned = cleanText(name)
    .replace(/[\t\n/\\]/g, '')
    .trim()
    .slice(0, 120);
  return cleaned || 'file';
}

/**
 * Builds the connector. `config` is the parsed `connector.json` (validated here as well: a bad
 * field throws ConfigError naming it). Reads the app key/secret from the environment variables
 * the config names; throws when they are missing.
 */
export function createConnector(configInput: ConnectorConfig | ConnectorConfigInput, options: ConnectorOptions = {}): ConnectorHandler {
  const config = parseConfig(configInput);
  const env = options.env ?? process.env;
  const appKey = env[config.upstream.appKeyEnv];
  const appSecret = env[config.upstream.appSecretEnv];
  if (!appKey) throw new Error(`The environment variable ${config.upstream.appKeyEnv} (the CEC app key) is not set.`);
  if (!appSecret) throw new Error(`The environment variable ${config.upstream.appSecretEnv} (the CEC app secret) is not set.`);
  const secretKeys = new Map<string, string>();
  for (const ch of config.channels) {
    if (!ch.secretKeyEnv) continue;
    const key = env[ch.secretKeyEnv];
    if (!key) throw new Error(`The environment variable ${ch.secretKeyEnv} (secretKey of channel ${ch.channelId}) is not set.`);
    secretKeys.set(ch.channelId, key);
  }
  const channels = new Map(config.channels.map((c) => [c.channelId, c]));
  const now = options.now ?? Date.now;
  const timers: Timers = options.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
  const random = options.random ?? Math.random;
  const log = options.log ?? ((r: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ at: new Date(now()).toISOString(), ...r })}\n`));
  const ownStore = !options.store;
  const store = options.store ?? openStore(config.store, { env, now, timers });
  const instanceId = options.instanceId ?? b64url(crypto.getRandomValues(new Uint8Array(9)));
  const upstream = new CecUpstream(config.upstream, { appKey, appSecret }, store, { fetch: options.fetch ?? ((...a) => globalThis.fetch(...a)), now, timers, random, log });
  const silenceMs = config.session.silenceSeconds * 1000;
  const retainMs = config.session.retainMinutes * 60_000;
  /**
   * How long a send's idempotency record is kept after its last use: as long as the widget can
   * still ask for the same `clientMessageId` in this conversation. Every retry refreshes it. A
   * widget that stops asking for more than `silenceSeconds` ends the chat (its sends are then
   * refused as `session.ended`); an ended chat can be restarted in the same log for
   * `retainMinutes`, and an unknown send waits `unknownSendGraceMs` before it may be sent again.
   * Defaults: 90 s + 60 min + 60 s ≈ 62.5 min (it was 24 h).
   */
  const IDEMPOTENCY_TTL_MS = silenceMs + retainMs + config.upstream.unknownSendGraceMs;
  /**
   * How long a customer message's reserved place holds readers back while its /send is under
   * way: as long as a send is considered in progress (after that a retry treats it as stale).
   */
  const SEND_HOLD_MS = (config.upstream.timeoutMs + 1000) * 2;
  const leaseMs = config.upstream.pollTimeoutMs + 15_000;
  const pollLeaseMs = config.upstream.leaseMs;
  const newId = () => b64url(crypto.getRandomValues(new Uint8Array(16)));
  let closed = false;
  const closing = new AbortController();
  // Every upstream call and long poll listens to it: one listener per active customer is expected.
  setMaxListeners(0, closing.signal);

  /** Per conversation, an offset known not to pass the end of the CEC's history (saves paging). */
  const historyEnd = new Map<string, number>();

  // ---- customers -------------------------------------------------------------------------
  const customerIdOf = (channelId: string, userId: string) => `${channelId}:${userId}`;
  const refOf = (id: string, c: CustomerRecord): CustomerRef => ({ customerId: id, channelId: c.channelId, userId: c.userId, userName: c.userName, locale: c.locale });

  async function readCustomer(id: string): Promise<CustomerRecord> {
    const r = await store.getCustomer<CustomerRecord>(id);
    if (!r) throw new HttpError(401, 'auth.token.invalid', 'The session is unknown; apply for a new token.');
    return r.value;
  }

  /** Read-modify-write with compare-and-set; `fn` may run more than once. */
  async function updateCustomer(id: string, fn: (c: CustomerRecord) => CustomerRecord | null): Promise<CustomerRecord | null> {
    for (let i = 0; i < 50; i++) {
      const cur = await store.getCustomer<CustomerRecord>(id);
      if (!cur) return null;
      const next = fn(cur.value);
      if (!next) return cur.value;
      if ((await store.putCustomer(id, next, cur.version)) !== null) return next;
    }
    throw new HttpError(503, 'connector.busy', 'The session is changing too fast; try again.', undefined, 1);
  }

  // ---- browser auth ----------------------------------------------------------------------
  async function session(request: Request): Promise<{ id: string; c: CustomerRecord; s: BrowserSession }> {
    const token = request.headers.get('ccmessaging-token');
    if (!token) throw new HttpError(401, 'auth.token.missing', 'Send the session token in the ccmessaging-token header.');
    const raw = await store.getToken(`browser:${token}`);
    if (!raw) throw new HttpError(401, 'auth.token.expired', 'The session token has expired; apply for a new one.');
    const s = JSON.parse(raw) as BrowserSession;
    const c = await readCustomer(s.customerId);
    const t = now();
    await Promise.all([store.setToken(`seen:${s.customerId}`, String(t), silenceMs), store.touchActive(s.customerId, t)]);
    return { id: s.customerId, c, s };
  }

  /** The customer's current conversation must be the token's (C1: a token only sees its own). */
  function sameConversation(c: CustomerRecord, s: BrowserSession): boolean {
    return c.logId === s.logId;
  }

  // ---- appending ---------------------------------------------------------------------------
  function sysMessage(c: CustomerRecord, over: Partial<NewLogMessage>): NewLogMessage {
    return systemLogMessage({ messageId: newId(), sessionId: c.logId, to: c.userId, now: now() }, over);
  }

  /** Ends the conversation once: stores `session.ended`, expires the log, frees upstream state. */
  async function endConversation(id: string, logId: string, reason: 'customer' | 'idle', sendDisconnect: boolean): Promise<void> {
    let first = false;
    let ended: CustomerRecord | null = null;
    await updateCustomer(id, (c) => {
      if (c.logId !== logId || c.ended) return null;
      first = true;
      return (ended = { ...c, ended: true, conv: { ...c.conv, phase: 'ended' } });
    });
    if (!first || !ended) return;
    const c: CustomerRecord = ended;
    await store.append(logId, [sysMessage(c, { controlType: 'DISCONNECT', event: 'session.ended', data: { endReason: reason } })]);
    if (sendDisconnect && c.connected) disconnectUpstream(id, c);
    await afterEnd(id, c);
  }

  /** Upstream DISCONNECTs under way (in the background), so that close() waits for them. */
  const disconnecting = new Set<Promise<void>>();

  /**
   * Tells the CEC the customer's session ended, in the background: the customer's end is
   * answered once `session.ended` is stored, never held up by the CEC. The call is idempotent (a
   * second DISCONNECT of an ended session changes nothing upstream), so it is retried with
   * backoff up to `upstream.attempts` times; a failure is logged (`disconnect.failed`). Should
   * the process stop (or the connector close) before it is sent, the CEC ends the session by its
   * own idle timeout: nobody polls it for the customer any more.
   */
  function disconnectUpstream(id: string, c: CustomerRecord): void {
    const p = upstream
      .call('send', '/send', { body: uplink(c, 'DISCONNECT', 'TEXT', '', now()), customer: refOf(id, c), idempotent: true, signal: closing.signal })
      .then(
        () => {},
        (e) => log({ event: 'disconnect.failed', reason: e instanceof Error ? e.message : String(e) }),
      )
      .finally(() => disconnecting.delete(p));
    disconnecting.add(p);
  }

  /** The conversation ended: its log is kept `retainMinutes`, then the sweeper forgets the customer. */
  async function afterEnd(id: string, c: CustomerRecord): Promise<void> {
    historyEnd.delete(c.logId);
    await store.expireLog(c.logId, retainMs);
    await store.touchActive(id, now());
  }

  function uplink(c: CustomerRecord, controlType: string, mediaType: string, content: string, timestamp: number) {
    return {
      channel: 'WEB',
      content,
      controlType,
      from: c.userId,
      mediaType,
      senderNickname: c.userName || c.userId,
      sourceType: 'CUSTOMER',
      timestamp: String(timestamp),
      to: c.channelId,
    };
  }

  // ---- upstream poll loops -----------------------------------------------------------------
  const loops = new Map<string, Promise<void>>();

  function ensureLoop(id: string): void {
    if (closed || loops.has(id)) return;
    const p = (async () => {
      const acquiredAt = performance.now();
      if (!(await store.acquireLease(`poll:${id}`, instanceId, pollLeaseMs))) return;
      // The lease is renewed on its own beat, not once per upstream poll, so it can be short: a
      // dead instance's customers are taken over within pollLeaseMs. A lease found lost stops
      // this loop at once (another instance polls now).
      const lost = new AbortController();
      const held = { at: acquiredAt };
      let beat: unknown = null;
      const renew = () => {
        beat = timers.setTimeout(() => {
          const asked = performance.now();
          store.renewLease(`poll:${id}`, instanceId, pollLeaseMs).then(
            (ok) => (lost.signal.aborted ? undefined : ok ? ((held.at = asked), renew()) : lost.abort()),
            () => (lost.signal.aborted ? undefined : renew()),
          );
        }, pollLeaseMs / 3);
      };
      renew();
      try {
        await runLoop(id, lost.signal, held);
      } finally {
        lost.abort();
        timers.clearTimeout(beat);
        await store.releaseLease(`poll:${id}`, instanceId).catch(() => {});
      }
    })()
      .catch((e) => log({ event: 'loop.failed', reason: e instanceof Error ? e.message : String(e) }))
      .finally(() => loops.delete(id));
    loops.set(id, p);
  }

  async function fileKeyFor(id: string, m: UpstreamMessage, mediaType: MediaType): Promise<string> {
    const content = m.content ?? '';
    // "fileName,fileSizeBytes,objectKey,fileType" (the FILE format, §1.2) or a bare media id.
    const parts = content.split(',');
    const isFileFormat = parts.length === 4 && /^\d+$/.test(parts[1]!);
    const ext = (isFileFormat ? parts[3]! : String(m.mediaFileType ?? (mediaType === 'IMAGE' ? 'jpg' : 'bin'))).toLowerCase().replace(/^.*\//, '');
    const fileName = safeFileName(isFileFormat ? parts[0]! : `${mediaType === 'IMAGE' ? 'image' : 'file'}.${ext}`);
    const upstreamKey = isFileFormat ? parts[2]! : content;
    const local = m.contentType === '1';
    const rec: FileRecord = {
      customerId: id,
      fileId: local ? `local/${upstreamKey}` : upstreamKey,
      multiMedia: !local && !isFileFormat && m.contentType == null,
      fileName,
      size: isFileFormat ? Number(parts[1]) : 0,
      mime: MIME_BY_EXT[ext] ?? 'application/octet-stream',
      upstreamKey,
    };
    const random = newId();
    await store.setToken(`file:${random}`, JSON.stringify(rec), FILE_TTL_MS);
    return `${random}/${encodeURIComponent(fileName)}`;
  }

  /**
   * The upstream poll loop of one customer, run by the lease holder. `held.at` is when the lease
   * was last confirmed (real time: the store's lease expiry is real time); only its holder
   * writes it, so within half the lease time it is still ours without asking the store.
   */
  async function runLoop(id: string, lost: AbortSignal, held: { at: number }): Promise<void> {
    const linked = linkedSignal(closing.signal, lost);
    const stop = linked.signal;
    try {
      await pollUpstream(id, lost, held, stop);
    } finally {
      linked.dispose();
    }
  }

  /** runLoop's rounds: `stop` ends its waits (the connector closing or the lease lost). */
  async function pollUpstream(id: string, lost: AbortSignal, held: { at: number }, stop: AbortSignal): Promise<void> {
    let failures = 0;
    let lastQueueCheck = 0;
    while (!closed && !lost.aborted) {
      // acquire = renew while held, or take back a lapsed lease nobody else took.
      if (performance.now() - held.at >= pollLeaseMs / 2) {
        const asked = performance.now();
        if (!(await store.acquireLease(`poll:${id}`, instanceId, pollLeaseMs))) return;
        held.at = asked;
      }
      const c = (await store.getCustomer<CustomerRecord>(id))?.value;
      if (!c || c.ended || !c.connected) return;
      const ch = channels.get(c.channelId)!;
      if (!(await store.getToken(`seen:${id}`))) {
        log({ event: 'customer.silent', channelId: c.channelId });
        await endConversation(id, c.logId, 'customer', true);
        return;
      }
      await giveIdleWarning(id, c);
      // Queue facts, while queueing (at the reminder interval) or just after a transfer request.
      const queueEvery = c.conv.phase === 'transferring' ? Math.min(2000, ch.queueReminder.intervalSeconds * 1000) : ch.queueReminder.intervalSeconds * 1000;
      if ((c.conv.phase === 'queue' || c.conv.phase === 'transferring') && now() - lastQueueCheck >= queueEvery) {
        lastQueueCheck = now();
        await checkQueue(id).catch((e) => log({ event: 'queue.check.failed', reason: e instanceof Error ? e.message : String(e) }));
      }
      const started = now();
      let res: Record<string, unknown>;
      try {
        res = await upstream.call('poll', '/poll', {
          method: 'GET',
          query: { receiverId: c.userId, channel: 'WEB', isNeedRead: 'true' },
          customer: refOf(id, c),
          idempotent: true,
          timeoutMs: config.upstream.pollTimeoutMs,
          // Not cut when the lease is lost: what a poll in flight takes is still stored here.
          signal: closing.signal,
        });
        failures = 0;
      } catch {
        if (closed || lost.aborted) return;
        failures++;
        await sleep(timers, backoff(Math.min(failures, 6), random), stop);
        continue;
      }
      const list = Array.isArray(res.downlinkMessages) ? (res.downlinkMessages as UpstreamMessage[]) : [];
      if (list.length) await takeUntilStored(id, list);
      else if (now() - started < 200 && config.upstream.pollIdleMs > 0) await sleep(timers, config.upstream.pollIdleMs, stop);
    }
  }

  /**
   * What the consume-once upstream poll gave exists nowhere else: keep trying until it is stored,
   * through a store outage (Redis stopped or unreachable) of any length. The message ids of one
   * batch are the same on every try, so a try whose reply was lost stores nothing twice.
   */
  async function takeUntilStored(id: string, list: UpstreamMessage[]): Promise<void> {
    const batch = newId();
    for (let attempt = 1; ; attempt++) {
      try {
        return await take(id, list, batch);
      } catch (e) {
        if (closed) throw e;
        log({ event: 'store.retry', attempt, reason: e instanceof Error ? e.message : String(e) });
        await sleep(timers, backoff(Math.min(attempt, 5), random), closing.signal);
      }
    }
  }

  /** Stores what the upstream poll gave (before anything else), then records the new state. */
  async function take(id: string, list: UpstreamMessage[], batch: string): Promise<void> {
    let n = 0;
    const batchId = () => `${batch}.${n++}`;
    const c = (await store.getCustomer<CustomerRecord>(id))!.value;
    const ch = channels.get(c.channelId)!;
    let state = c.conv;
    const toStore: NewLogMessage[] = [];
    const lastSeq = await store.lastSeq(c.logId);
    for (const m of list) {
      const mediaType: MediaType | null =
        m.content && String(m.mediaType ?? 'TEXT').toUpperCase() !== 'TEXT' && String(m.mediaType).toUpperCase() !== 'LOCATE'
          ? String(m.mediaType).toUpperCase() === 'IMAGE'
            ? 'IMAGE'
            : 'FILE'
          : null;
      const key = mediaType ? await fileKeyFor(id, m, mediaType) : '';
      const r = deriveDownlink(state, m, { channel: ch, userId: c.userId, logId: c.logId, now: now(), lastSeq, newId: batchId, fileKey: () => key });
      state = r.state;
      toStore.push(...r.messages);
    }
    if (toStore.length) await store.append(c.logId, toStore);
    const endedNow = state.phase === 'ended' && !c.ended;
    await updateCustomer(id, (cur) => (cur.logId !== c.logId ? null : { ...cur, conv: cur.ended ? { ...state, phase: 'ended' } : state, ended: cur.ended || state.phase === 'ended' }));
    if (endedNow) await afterEnd(id, c);
  }

  /**
   * The idle warning the CEC does not send, once it is due (`deriveIdle`): claimed in the
   * customer record first (compare-and-set, so one instance gives it once), then stored.
   */
  async function giveIdleWarning(id: string, c: CustomerRecord): Promise<void> {
    const ch = channels.get(c.channelId)!;
    let messages: NewLogMessage[] = [];
    await updateCustomer(id, (cur) => {
      messages = [];
      if (cur.logId !== c.logId || cur.ended) return null;
      const r = deriveIdle(cur.conv, { channel: ch, userId: cur.userId, logId: cur.logId, now: now(), newId });
      if (!r.messages.length) return null;
      messages = r.messages;
      return { ...cur, conv: r.state };
    });
    if (messages.length) await store.append(c.logId, messages);
  }

  async function checkQueue(id: string): Promise<void> {
    const c = (await store.getCustomer<CustomerRecord>(id))!.value;
    const ch = channels.get(c.channelId)!;
    const res = await upstream.call('queryQueueInfo', '/queryQueueInfo', {
      body: { userId: c.userId, channelConfigId: c.channelId, channel: 'WEB' },
      customer: refOf(id, c),
      idempotent: true,
      acceptCodes: ['4', '5', '6', '160004', '160021', '160022'],
    });
    const info = { resultCode: pickString(res, ['resultCode', 'returnCode']) ?? '0', position: pickNumber(res, ['position']), estimateWaitTime: pickNumber(res, ['estimateWaitTime']) };
    const r = deriveQueueInfo(c.conv, info, { channel: ch, userId: c.userId, logId: c.logId, now: now(), newId, locale: c.locale });
    if (r.messages.length) await store.append(c.logId, r.messages);
    await updateCustomer(id, (cur) => (cur.logId !== c.logId || cur.ended ? null : { ...cur, conv: r.state, ended: r.state.phase === 'ended' }));
    if (r.state.phase === 'ended' && c.conv.phase !== 'ended') await afterEnd(id, c);
  }

  // ---- sweeper -------------------------------------------------------------------------------
  async function sweep(): Promise<void> {
    for (const { customerId } of await store.listActive(10_000)) {
      const c = (await store.getCustomer<CustomerRecord>(customerId))?.value;
      if (!c) {
        await store.removeActive(customerId);
        continue;
      }
      if (c.ended) {
        // Retention over (the log is gone) and no browser around: forget the customer.
        if ((await store.lastSeq(c.logId)) === 0 && !(await store.getToken(`seen:${customerId}`))) {
          await store.deleteCustomer(customerId);
          await store.removeActive(customerId);
        }
        continue;
      }
      if (c.connected) ensureLoop(customerId);
      else if (!(await store.getToken(`seen:${customerId}`))) await store.removeActive(customerId);
    }
  }
  let sweepTimer: unknown = null;
  const sweepMs = options.sweepMs ?? 5000;
  const scheduleSweep = () => {
    if (closed || sweepMs <= 0) return;
    sweepTimer = timers.setTimeout(() => {
      sweep()
        .catch((e) => log({ event: 'sweep.failed', reason: e instanceof Error ? e.message : String(e) }))
        .finally(scheduleSweep);
    }, sweepMs);
  };
  scheduleSweep();

  // ---- routes ------------------------------------------------------------------------------
  async function readBody(request: Request, route: string, maxBytes = 64 * 1024): Promise<Record<string, unknown>> {
    const len = Number(request.headers.get('content-length') ?? 0);
    if (len > maxBytes) throw new HttpError(413, `${route}.tooLarge`, `The request body may be at most ${maxBytes} bytes.`);
    let body: unknown;
    try {
      const text = await request.text();
      if (text.length > maxBytes) throw new Error('too large');
      body = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'request.invalidJson', 'The request body must be a JSON object.');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'request.invalidJson', 'The request body must be a JSON object.');
    return body as Record<string, unknown>;
  }

  const str = (body: Record<string, unknown>, field: string, route: string, o: { required?: boolean; max?: number; pattern?: RegExp; oneOf?: readonly string[] } = {}): string => {
    const val = body[field];
    if (val === undefined || val === null || val === '') {
      if (o.required) throw new HttpError(400, `${route}.${field}.missing`, `${field} is required.`, field);
      return '';
    }
    if (typeof val !== 'string') throw bad(route, field, 'must be a string');
    if (o.max !== undefined && val.length > o.max) throw bad(route, field, `must be at most ${o.max} characters`);
    if (o.pattern && !o.pattern.test(val)) throw bad(route, field, 'has characters that are not allowed');
    if (o.oneOf && !o.oneOf.includes(val)) throw bad(route, field, `must be one of ${o.oneOf.join(', ')}`);
    return val;
  };
  const ID = { required: true, max: 64, pattern: /^[\w.@:-]+$/ };

  async function applyToken(request: Request): Promise<unknown> {
    const body = await readBody(request, 'applyToken');
    const channelId = str(body, 'channelId', 'applyToken', ID);
    let userId = str(body, 'userId', 'applyToken', { ...ID, max: 32 });
    let userName = str(body, 'userName', 'applyToken', { max: 64 });
    const locale = str(body, 'locale', 'applyToken', { max: 35, pattern: /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/ }) || 'en';
    const resumeKey = str(body, 'resumeKey', 'applyToken', { pattern: /^[A-Za-z0-9_-]{22,128}$/ });
    const ch = channels.get(channelId);
    if (!ch) throw new HttpError(404, 'channel.notFound', 'No such channel on this connector.', 'channelId');
    if (options.authenticate) {
      const who = await options.authenticate(request);
      if (!who) throw new HttpError(401, 'auth.denied', 'The integrator did not recognise this customer.');
      if (who.userId !== userId) throw new HttpError(401, 'auth.signature.userMismatch', 'The signed-in customer is not the userId of the request.', 'userId');
      userId = who.userId;
      userName = who.userName ?? userName;
    } else {
      const secretKey = secretKeys.get(channelId);
      if (secretKey) {
        const verdict = await verifySignature(store, { authorization: request.headers.get('authorization'), secretKey, channelId, userId, now: Date.now() });
        if (!verdict.ok) throw new HttpError(401, verdict.errorCode, verdict.exceptionInfo);
        userName = verdict.name ?? userName;
      }
    }
    const id = customerIdOf(channelId, userId);
    let result: CustomerRecord | null = null;
    let previous: CustomerRecord | null = null;
    for (let i = 0; i < 50 && !result; i++) {
      const cur = await store.getCustomer<CustomerRecord>(id);
      previous = cur?.value ?? null;
      const resumes = cur && resumeKey && cur.value.resumeKey === resumeKey;
      const next: CustomerRecord = resumes
        ? { ...cur.value, userName: userName || cur.value.userName, locale }
        : {
            channelId,
            userId,
            userName: userName || userId,
            locale,
            resumeKey: newId() + newId().slice(0, 6),
            logId: `${id}:${newId()}`,
            connected: false,
            ended: false,
            conv: { phase: 'new', botMessages: 0 },
          };
      if ((await store.putCustomer(id, next, cur?.version ?? 0)) !== null) result = next;
    }
    if (!result) throw new HttpError(503, 'connector.busy', 'Try again.', undefined, 1);
    // A new key for a user whose earlier conversation is still open upstream: that one ends.
    if (previous && previous.logId !== result.logId && previous.connected && !previous.ended) {
      await store.append(previous.logId, [sysMessage(previous, { controlType: 'DISCONNECT', event: 'session.ended', data: { endReason: 'customer' } })]);
      await store.expireLog(previous.logId, retainMs);
      disconnectUpstream(id, previous);
    }
    // The widget sends CONNECT right after its token: get the customer's ccmessaging token from
    // the CEC now, in the background, so that CONNECT makes one upstream round trip, not two.
    if (!result.connected || result.ended) upstream.customerToken(refOf(id, result)).catch(() => {});
    const token = newId() + newId();
    await store.setToken(`browser:${token}`, JSON.stringify({ customerId: id, logId: result.logId } satisfies BrowserSession), BROWSER_TOKEN_TTL_MS);
    await store.setToken(`seen:${id}`, String(now()), silenceMs);
    return { resultCode: '0', token, expiresIn: BROWSER_TOKEN_TTL_MS / 1000, resumeKey: result.resumeKey };
  }

  async function channelConfig(request: Request): Promise<unknown> {
    const query = new URL(request.url).searchParams;
    const channelId = query.get('channelId');
    if (!channelId) throw new HttpError(400, 'queryChannelConfig.channelId.missing', 'channelId is required.', 'channelId');
    const ch = channels.get(channelId);
    if (!ch) throw new HttpError(404, 'channel.notFound', 'No such channel on this connector.', 'channelId');
    // (ext) the customer's locale: the texts given by language answer in theirs.
    const locale = query.get('locale') || undefined;
    if (locale !== undefined && !LOCALE_TAG.test(locale)) throw new HttpError(400, 'queryChannelConfig.locale.invalid', 'locale must be a BCP 47 language tag.', 'locale');
    const t = (text: LocalizedText) => localize(text, locale, ch.defaultLocale);
    const cached = await store.getToken(`levels:${channelId}:${surveyLanguage(locale)}`);
    const levels = cached
      ? (JSON.parse(cached) as Array<{ satisfactionLevelKey: string; satisfactionLevelDesc: string }>)
      : ch.satisfactionLevels.map((d, i) => ({ satisfactionLevelKey: String(i + 1), satisfactionLevelDesc: t(d) }));
    return {
      resultCode: '0',
      channelId,
      useRobot: ch.useRobot && ch.chatbot !== null,
      toArtificialKeyWord: ch.toArtificialKeyWord,
      queueReminderInterval: ch.queueReminder.intervalSeconds,
      queueReminderContent: t(ch.queueReminder.content),
      dialogEnd: { ...ch.dialogEnd, conclusion: t(ch.dialogEnd.conclusion) },
      workTime: ch.workTime && { ...ch.workTime, nonWorkingNotice: t(ch.workTime.nonWorkingNotice) },
      chatbot: ch.chatbot && { name: ch.chatbot.name, avatar: ch.chatbot.avatar, gender: ch.chatbot.gender },
      clickToDial: ch.clickToDial,
      satisfactionLevels: levels,
      requiresSignature: secretKeys.has(channelId),
      upload: ch.upload,
    };
  }

  /** Satisfaction levels from the CEC when it has them (cached 10 minutes per channel). */
  async function surveyLevels(id: string, c: CustomerRecord): Promise<Array<{ satisfactionLevelKey: string; satisfactionLevelDesc: string }> | null> {
    const language = surveyLanguage(c.locale);
    const cached = await store.getToken(`levels:${c.channelId}:${language}`);
    if (cached) return JSON.parse(cached);
    const res = await upstream.call('getsatisfactionsurveymode', '/getsatisfactionsurveymode', {
      body: { language },
      customer: refOf(id, c),
      idempotent: true,
    });
    const survey = (res.satisfactionSurvey ?? res) as Record<string, unknown>;
    const list = Array.isArray(survey.satisfactionLevel) ? (survey.satisfactionLevel as Array<Record<string, unknown>>) : [];
    const levels = list
      .map((l) => ({ satisfactionLevelKey: String(l.satisfactionLevelKey ?? ''), satisfactionLevelDesc: String(l.satisfactionLevelDesc ?? '').slice(0, 64) }))
      .filter((l) => /^[1-5]$/.test(l.satisfactionLevelKey) && l.satisfactionLevelDesc);
    if (survey.surveyType === 'NO' || levels.length !== 5) return null;
    await store.setToken(`levels:${c.channelId}:${language}`, JSON.stringify(levels), 10 * 60_000);
    return levels;
  }

  async function send(request: Request): Promise<unknown> {
    const { id, c, s } = await session(request);
    const body = await readBody(request, 'send', 16 * 1024);
    const controlType = str(body, 'controlType', 'send', { required: true, oneOf: ['CONNECT', 'CHAT', 'TRANS2AGENT', 'INPUT', 'DISCONNECT', 'READ'] });
    const mediaType = (str(body, 'mediaType', 'send', { oneOf: ['TEXT', 'FILE', 'IMAGE'] }) || 'TEXT') as MediaType;
    const content = str(body, 'content', 'send', { required: controlType === 'CHAT' });
    const clientMessageId = str(body, 'clientMessageId', 'send', { required: true, max: 64, pattern: /^[\w-]+$/ });
    if (mediaType === 'TEXT' && new TextEncoder().encode(content).length > TEXT_MAX_BYTES)
      throw new HttpError(400, 'send.content.tooLong', `content must be at most ${TEXT_MAX_BYTES} bytes of text.`, 'content');
    if (controlType === 'CHAT' && mediaType === 'TEXT' && !content.trim()) throw new HttpError(400, 'send.content.missing', 'content must not be blank.', 'content');
    const from = str(body, 'from', 'send', { max: 64 });
    if (from && from !== c.userId) throw new HttpError(400, 'send.from.mismatch', 'from must be the user id of the session token.', 'from');
    if (!sameConversation(c, s)) throw new HttpError(409, 'session.replaced', 'This chat was continued in another browser.');
    const ref = refOf(id, c);

    switch (controlType) {
      case 'CONNECT': {
        let cur = c;
        if (cur.ended) {
          // A new chat in the same conversation log (the widget's "start again").
          cur = (await updateCustomer(id, (x) => (x.logId === s.logId && x.ended ? { ...x, ended: false, connected: false, conv: { phase: 'new', botMessages: 0 } } : null)))!;
          await store.expireLog(cur.logId, LOG_LIFETIME_MS);
        }
        if (!cur.connected) {
          await upstream.call('send', '/send', { body: uplink(cur, 'CONNECT', 'TEXT', '', now()), customer: ref, idempotent: true });
          const ch = channels.get(cur.channelId)!;
          const startsQueued = !(ch.useRobot && ch.chatbot);
          await updateCustomer(id, (x) => (x.logId === s.logId ? { ...x, connected: true, conv: startsQueued && x.conv.phase === 'new' ? { ...x.conv, phase: 'transferring' } : x.conv } : null));
          surveyLevels(id, cur).catch(() => {});
        }
        ensureLoop(id);
        return { resultCode: '0', messageId: newId(), seq: 0 };
      }
      case 'INPUT':
        // Transient: one attempt, no retry; a lost typing notice is harmless.
        if (c.connected && !c.ended) await upstream.call('send', '/send', { body: uplink(c, 'INPUT', 'TEXT', content ? 'typing' : '', now()), customer: ref, idempotent: false }).catch(() => {});
        return { resultCode: '0', messageId: newId(), seq: 0 };
      case 'READ': {
        // content: the seq (in this connector's log) of the latest agent message the customer read.
        if (!/^[1-9]\d{0,14}$/.test(content)) throw new HttpError(400, 'send.content.invalid', 'content of a READ must be the seq of the latest agent message read (a positive integer).', 'content');
        if (c.connected && !c.ended) {
          // The CEC's READ names no message ("read what you gave me"), so it goes up only once the
          // customer has read the latest agent message this connector holds. Transient like INPUT:
          // one attempt; the next READ makes good a lost one.
          const last = await store.lastSeq(s.logId);
          const recent = await store.read(s.logId, Math.max(0, last - READ_LIMIT), READ_LIMIT);
          let latestAgent = 0;
          for (const m of recent) if (m.sourceType === 'AGENT' && m.controlType === 'CHAT') latestAgent = m.seq;
          if (latestAgent > 0 && Number(content) >= latestAgent) {
            await upstream.call('send', '/send', { body: uplink(c, 'READ', 'TEXT', '', now()), customer: ref, idempotent: false }).catch(() => {});
          }
        }
        return { resultCode: '0', messageId: newId(), seq: 0 };
      }
      case 'DISCONNECT':
        await endConversation(id, s.logId, 'customer', true);
        return { resultCode: '0', messageId: newId(), seq: 0 };
      case 'TRANS2AGENT': {
        if (c.ended) throw new HttpError(409, 'session.ended', 'The chat has ended.');
        const r = await idempotentSend(id, c, s, clientMessageId, 'TRANS2AGENT', 'TEXT', '', null);
        await updateCustomer(id, (x) => (x.logId === s.logId && (x.conv.phase === 'bot' || x.conv.phase === 'new') ? { ...x, conv: { ...x.conv, phase: 'transferring' } } : null));
        ensureLoop(id);
        return r;
      }
      default: {
        if (c.ended) throw new HttpError(409, 'session.ended', 'The chat has ended; start a new one to write again.');
        let upContent = content;
        if (mediaType !== 'TEXT') {
          const [random] = content.split('/');
          const raw = random && (await store.getToken(`file:${random}`));
          if (!raw) throw new HttpError(400, 'send.content.unknownFile', 'content must be the objectKey of an upload.', 'content');
          const f = JSON.parse(raw) as FileRecord;
          upContent = mediaType === 'FILE' ? [f.fileName.replace(/,/g, '_'), f.size, f.upstreamKey, EXT[f.mime] ?? 'bin'].join(',') : f.upstreamKey;
        }
        const r = await idempotentSend(id, c, s, clientMessageId, 'CHAT', mediaType, content, upContent);
        // The customer wrote: the CEC's no-reply countdown starts again (an answered warning included).
        const at = now();
        await updateCustomer(id, (x) => (x.logId === s.logId && !x.ended && (x.conv.phase === 'bot' || x.conv.phase === 'agent') ? { ...x, conv: customerWrote(x.conv, at) } : null));
        return r;
      }
    }
  }

  /**
   * A send that must happen once upstream. The idempotency record (shared by instances) answers
   * a retry with the first result; an unknown outcome is resolved through the CEC's history.
   */
  async function idempotentSend(
    id: string,
    c: CustomerRecord,
    s: BrowserSession,
    clientMessageId: string,
    controlType: 'CHAT' | 'TRANS2AGENT',
    mediaType: MediaType,
    content: string,
    upContent: string | null,
  ): Promise<unknown> {
    const key = `send:${s.logId}:${clientMessageId}`;
    const t = now();
    const claim = await store.claimIdempotencyKey(key, { state: 'pending', since: t, owner: instanceId }, IDEMPOTENCY_TTL_MS);
    let timestamp = t;
    let attempt = 1;
    if (!claim.claimed) {
      const r = claim.record;
      if (r.state === 'done') {
        // Still asked for: keep the answer as long again (see IDEMPOTENCY_TTL_MS).
        await store.setIdempotencyRecord(key, r, IDEMPOTENCY_TTL_MS);
        return { resultCode: '0', ...r.result };
      }
      const stale = r.state === 'pending' && t - r.since > SEND_HOLD_MS;
      if (r.state === 'pending' && !stale) throw new HttpError(503, 'send.inProgress', 'This message is being sent; ask again in a moment.', undefined, 1);
      // The instance that sent it may have stored the echo and died before recording the result.
      const last = await store.lastSeq(s.logId);
      const echo = (await store.read(s.logId, Math.max(0, last - READ_LIMIT), READ_LIMIT)).find((m) => m.clientMessageId === clientMessageId && m.sourceType === 'CUSTOMER');
      if (echo) {
        const result = { messageId: echo.messageId, seq: echo.seq };
        await store.setIdempotencyRecord(key, { state: 'done', result }, IDEMPOTENCY_TTL_MS);
        return { resultCode: '0', ...result };
      }
      const unknown = r.state === 'unknown' ? r : { state: 'unknown' as const, since: r.since, attempt: 1, timestamp: r.since, asked: false };
      // Resolve the unknown outcome: was it carried out?
      const found = controlType === 'CHAT' ? await findInHistory(id, c, upContent ?? '', unknown.timestamp) : 'unverifiable';
      const place = 'place' in unknown ? unknown.place : undefined;
      if (found === 'present') {
        // It arrived: shown at the place it took before the send (an answer to it already
        // stored stays after it), unless that place lapsed meanwhile.
        if (place && (await store.settle(s.logId, place.seq, 'confirmed'))) return done(key, place);
        return finish(key, c, s, clientMessageId, mediaType, content, unknown.timestamp);
      }
      if (found === 'unreachable') throw new HttpError(503, 'send.outcomeUnknown', 'Checking whether the message arrived; ask again in a moment.', undefined, 1);
      const askedBefore = (unknown as { asked?: boolean }).asked === true;
      if (found === 'unverifiable' && !askedBefore) {
        // The customer decides: nothing waits for this message any more.
        if (place) await store.settle(s.logId, place.seq, 'withdrawn');
        await store.setIdempotencyRecord(key, { ...unknown, place: undefined, asked: true } as never, IDEMPOTENCY_TTL_MS);
        throw new HttpError(409, 'send.outcomeUnknown', 'The contact center did not confirm this message; send it again if it did not arrive.');
      }
      if (found === 'absent' && t - unknown.since < config.upstream.unknownSendGraceMs) {
        throw new HttpError(503, 'send.outcomeUnknown', 'Checking whether the message arrived; ask again in a moment.', undefined, 1);
      }
      // Proven absent (or the customer asked again): send it once more, same timestamp, at a new place.
      if (place) await store.settle(s.logId, place.seq, 'withdrawn');
      timestamp = unknown.timestamp;
      attempt = unknown.attempt + 1;
      await store.setIdempotencyRecord(key, { state: 'pending', since: t, owner: instanceId }, IDEMPOTENCY_TTL_MS);
    }
    // The customer's message takes its place in the log BEFORE the CEC hears of it: an answer
    // the upstream poll takes while /send is under way is stored after it (readers wait for the
    // place to be settled). TRANS2AGENT shows nothing, so it needs no place.
    const place = controlType === 'CHAT' ? await store.reserve(s.logId, echoOf(c, s, clientMessageId, mediaType, content, timestamp), SEND_HOLD_MS) : null;
    try {
      await upstream.call('send', '/send', { body: uplink(c, controlType, mediaType, upContent ?? content, timestamp), customer: refOf(id, c), idempotent: false });
    } catch (e) {
      if (e instanceof UpstreamError && e.kind === 'unknown') {
        // Maybe in the CEC: the place stays reserved until a retry finds out (or its hold lapses).
        await store.setIdempotencyRecord(key, { state: 'unknown', since: now(), attempt, timestamp, ...(place ? { place: { seq: place.seq, messageId: place.messageId } } : {}) }, IDEMPOTENCY_TTL_MS);
        throw new HttpError(503, 'send.outcomeUnknown', 'The contact center did not answer; the message will be checked before it is sent again.', undefined, 1);
      }
      // Certainly not in the CEC: the place is withdrawn. A retry that gets through is shown at
      // its own, later place (see ConnectorStore.reserve).
      if (place) await store.settle(s.logId, place.seq, 'withdrawn');
      await store.deleteIdempotencyKey(key);
      throw e;
    }
    if (!place) {
      const result = { messageId: newId(), seq: 0 };
      await store.setIdempotencyRecord(key, { state: 'done', result }, IDEMPOTENCY_TTL_MS);
      return { resultCode: '0', ...result };
    }
    // Confirmed in its place; a place that lapsed meanwhile (the send outlived SEND_HOLD_MS) was
    // already read past, so the message is appended anew.
    if (await store.settle(s.logId, place.seq, 'confirmed')) return done(key, { messageId: place.messageId, seq: place.seq });
    return finish(key, c, s, clientMessageId, mediaType, content, timestamp);
  }

  /** The browser's copy of its own message, as stored in the log (with its clientMessageId). */
  function echoOf(c: CustomerRecord, s: BrowserSession, clientMessageId: string, mediaType: MediaType, content: string, timestamp: number): NewLogMessage {
    return {
      messageId: newId(),
      sessionId: s.logId,
      from: c.userId,
      to: c.channelId,
      channel: 'WEB',
      controlType: 'CHAT',
      mediaType,
      content,
      sourceType: 'CUSTOMER',
      senderNickname: c.userName,
      timestamp,
      queueFlag: c.conv.phase === 'queue' ? 'Y' : 'N',
      clientMessageId,
    };
  }

  /** Records a send's answer under its idempotency key (a retry gets the same), and gives it. */
  async function done(key: string, result: { messageId: string; seq: number }): Promise<unknown> {
    await store.setIdempotencyRecord(key, { state: 'done', result }, IDEMPOTENCY_TTL_MS);
    return { resultCode: '0', ...result };
  }

  /** The message is in the CEC: store the echo at the end of the log (the browser's copy, with its clientMessageId), then answer. */
  async function finish(key: string, c: CustomerRecord, s: BrowserSession, clientMessageId: string, mediaType: MediaType, content: string, timestamp: number): Promise<unknown> {
    const [stored] = await store.append(s.logId, [echoOf(c, s, clientMessageId, mediaType, content, timestamp)]);
    return done(key, { messageId: stored!.messageId, seq: stored!.seq });
  }

  const HISTORY_PAGE = 100;

  /**
   * Was a customer message with this content carried out? A conversation's sends are sequential
   * (the widget's outbox waits for each answer), so if it was, it is the CEC history's latest
   * customer message: the run of customer messages with this content at the end of the history
   * (oldest first, offset/limit, §1.8) is then longer than the same run at the end of what the
   * connector confirmed. The history is read from its end backwards, a page at a time. Elements
   * without `sourceType`/`content` (the shape is undocumented) make the answer `unverifiable`.
   */
  async function findInHistory(id: string, c: CustomerRecord, content: string, _timestamp: number): Promise<'present' | 'absent' | 'unverifiable' | 'unreachable'> {
    const page = async (offset: number) => {
      const res = await upstream.call('queryHistoryChatMessage', '/queryHistoryChatMessage', {
        body: { channelId: c.channelId, userId: c.userId, limit: HISTORY_PAGE, offset, channel: 'WEB' },
        customer: refOf(id, c),
        idempotent: true,
      });
      return Array.isArray(res.messageList) ? (res.messageList as Array<Record<string, unknown>>) : [];
    };
    let upstreamRun = 0;
    try {
      // Find the end, from the last known one.
      let offset = Math.floor((historyEnd.get(c.logId) ?? 0) / HISTORY_PAGE) * HISTORY_PAGE;
      let list = await page(offset);
      while (list.length === HISTORY_PAGE) {
        offset += HISTORY_PAGE;
        const next = await page(offset);
        if (next.length === 0) break;
        list = next;
      }
      if (list.length < HISTORY_PAGE && list.length === 0 && offset > 0) {
        offset -= HISTORY_PAGE;
        list = await page(offset);
      }
      historyEnd.set(c.logId, offset + list.length);
      // Walk back over the customer's messages until one with other content.
      for (;;) {
        if (list.some((m) => typeof m.sourceType !== 'string' || typeof m.content !== 'string')) return 'unverifiable';
        let stop = false;
        for (let i = list.length - 1; i >= 0; i--) {
          const m = list[i]!;
          if (m.sourceType !== 'CUSTOMER') continue;
          if (m.content === content) upstreamRun++;
          else {
            stop = true;
            break;
          }
        }
        if (stop || offset === 0) break;
        offset -= HISTORY_PAGE;
        list = await page(offset);
      }
    } catch {
      return 'unreachable';
    }
    let confirmedRun = 0;
    for (let upto = await store.lastSeq(c.logId); upto > 0; upto -= READ_LIMIT) {
      const chunk = await store.read(c.logId, Math.max(0, upto - READ_LIMIT), Math.min(READ_LIMIT, upto));
      let stop = false;
      for (let i = chunk.length - 1; i >= 0; i--) {
        const m = chunk[i]!;
        if (m.sourceType !== 'CUSTOMER' || m.controlType !== 'CHAT') continue;
        if (m.mediaType === 'TEXT' && m.content === content) confirmedRun++;
        else {
          stop = true;
          break;
        }
      }
      if (stop) break;
    }
    return upstreamRun > confirmedRun ? 'present' : 'absent';
  }

  /** A long poll's wait: ends with a message past `cursor`, after `wait` s, or when the browser or the connector goes. */
  async function waitWhileConnected(logId: string, cursor: number, wait: number, browser: AbortSignal): Promise<void> {
    const linked = linkedSignal(browser, closing.signal);
    try {
      await store.waitForMessages(logId, cursor, wait * 1000, linked.signal);
    } finally {
      linked.dispose();
    }
  }

  async function poll(request: Request): Promise<unknown> {
    const { id, c, s } = await session(request);
    const url = new URL(request.url);
    const receiverId = url.searchParams.get('receiverId');
    if (!receiverId) throw new HttpError(400, 'poll.receiverId.missing', 'receiverId is required.', 'receiverId');
    if (receiverId !== c.userId) throw new HttpError(403, 'poll.receiverId.mismatch', 'receiverId must be the user id of the session token.', 'receiverId');
    const cursor = intParam(url, 'cursor', 'poll', 0, Number.MAX_SAFE_INTEGER);
    const wait = intParam(url, 'wait', 'poll', 0, MAX_WAIT_S);
    const last = await store.lastSeq(s.logId);
    if (cursor > last) throw new HttpError(400, 'poll.cursor.ahead', `cursor ${cursor} is past the last message (${last}); the conversation was reset.`, 'cursor');
    if (c.connected && !c.ended && sameConversation(c, s)) ensureLoop(id);
    // Nothing to read (also while a customer message's place is held: what lies behind it waits
    // for it): the long poll waits for news.
    let downlinkMessages = cursor < last ? await store.read(s.logId, cursor, READ_LIMIT) : [];
    if (!downlinkMessages.length && wait > 0) {
      await waitWhileConnected(s.logId, cursor, wait, request.signal);
      downlinkMessages = await store.read(s.logId, cursor, READ_LIMIT);
    }
    return { resultCode: '0', downlinkMessages, cursor: cursor + downlinkMessages.length };
  }

  async function queueInfo(request: Request): Promise<unknown> {
    const { c, s } = await session(request);
    const phase = sameConversation(c, s) ? c.conv.phase : 'ended';
    const info = { position: c.conv.queue?.position ?? 0, estimateWaitTime: c.conv.queue?.estimateWaitSeconds ?? 0, configMaxcWaitTime: 0, totalWaitTime: 0 };
    const resultCode = phase === 'queue' || phase === 'transferring' ? '0' : phase === 'agent' ? '160021' : phase === 'bot' ? '160022' : '5';
    return { resultCode, ...info };
  }

  async function history(request: Request): Promise<unknown> {
    const { s } = await session(request);
    const messages: DownlinkMessage[] = [];
    let after = 0;
    for (;;) {
      const page = await store.read(s.logId, after, READ_LIMIT);
      messages.push(...page.filter((m) => m.controlType !== 'INPUT' && m.controlType !== 'READ'));
      if (page.length) after = page[page.length - 1]!.seq;
      if (page.length < READ_LIMIT) break;
    }
    // The last seq read, not the log's last: a place still held (and what is behind it) comes by poll.
    return { resultCode: '0', messages, cursor: after };
  }

  async function survey(request: Request): Promise<unknown> {
    const { id, c } = await session(request);
    const ch = channels.get(c.channelId)!;
    const levels =
      (await surveyLevels(id, c).catch(() => null)) ?? ch.satisfactionLevels.map((d, i) => ({ satisfactionLevelKey: String(i + 1), satisfactionLevelDesc: localize(d, c.locale, ch.defaultLocale) }));
    return { resultCode: '0', surveyType: 'WEB', satisfactionLevel: levels };
  }

  async function saveSatisfaction(request: Request): Promise<unknown> {
    const { id, c } = await session(request);
    const body = await readBody(request, 'saveSatisfaction');
    const evaluation = str(body, 'evaluation', 'saveSatisfaction', { required: true, oneOf: ['1', '2', '3', '4', '5'] });
    const comment = str(body, 'comment', 'saveSatisfaction', { max: COMMENT_MAX_CHARS });
    // The last rating counts (ours); repeating the same rating is harmless, so it is retried.
    await upstream.call('saveSatisfaction', '/saveSatisfaction', {
      body: { channel: 'WEB', userId: c.userId, evaluation, comment, channelConfigId: c.channelId },
      customer: refOf(id, c),
      idempotent: true,
    });
    return { resultCode: '0' };
  }

  async function leaveMessage(request: Request): Promise<unknown> {
    const { id, c, s } = await session(request);
    const body = await readBody(request, 'doLeaveMessage');
    const content = str(body, 'content', 'doLeaveMessage', { required: true, max: 2000 });
    const contact = str(body, 'contact', 'doLeaveMessage', { max: 200 });
    // Not idempotent upstream and no id from the widget: one attempt (plus auth refresh).
    await upstream.call('doLeaveMessage', '/doLeaveMessage', {
      body: { callId: c.userId, caller: contact, leaveMessage: content, channel: 'WEB' },
      customer: refOf(id, c),
      idempotent: false,
    });
    await store.append(s.logId, [sysMessage(c, { event: 'message.left' })]);
    return { resultCode: '0' };
  }

  async function upload(request: Request): Promise<unknown> {
    const { id, c } = await session(request);
    const ch = channels.get(c.channelId)!;
    const body = await readBody(request, 'uploadFileStream', Math.ceil((ch.upload.maxBytes * 4) / 3) + 4096);
    const fileType = str(body, 'fileType', 'uploadFileStream', { required: true, max: 100 });
    const fileName = safeFileName(str(body, 'fileName', 'uploadFileStream', { required: true, max: 255 }));
    const fileStream = str(body, 'fileStream', 'uploadFileStream', { required: true });
    if (!ch.upload.types.includes(fileType)) throw new HttpError(400, 'upload.fileType.notAllowed', `fileType must be one of ${ch.upload.types.join(', ')}.`, 'fileType');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(fileStream)) throw new HttpError(400, 'upload.fileStream.invalid', 'fileStream must be base64.', 'fileStream');
    const bytes = Buffer.from(fileStream, 'base64');
    if (bytes.length === 0) throw new HttpError(400, 'upload.fileStream.empty', 'The file is empty.', 'fileStream');
    if (bytes.length > ch.upload.maxBytes) throw new HttpError(400, 'upload.fileStream.tooLarge', `Files may be at most ${ch.upload.maxBytes} bytes.`, 'fileStream');
    if (!bytesMatch(fileType, bytes)) throw new HttpError(400, 'upload.fileStream.mismatch', `The file's bytes are not ${fileType}.`, 'fileStream');
    const res = await upstream.call('uploadFileStream', '/uploadFileStream', {
      body: { fileType: UPLOAD_TYPES[fileType], fileStream, channel: 'WEB' },
      customer: refOf(id, c),
      idempotent: true, // a repeated upload only leaves an unused copy upstream
    });
    const upstreamKey = pickString(res, ['objectKey']);
    if (!upstreamKey) throw new HttpError(502, 'upload.failed', 'The contact center did not store the file.');
    const random = newId();
    const rec: FileRecord = { customerId: id, fileId: upstreamKey, multiMedia: false, fileName, size: bytes.length, mime: fileType, upstreamKey };
    await store.setToken(`file:${random}`, JSON.stringify(rec), FILE_TTL_MS);
    return { resultCode: '0', objectKey: `${random}/${encodeURIComponent(fileName)}` };
  }

  async function download(random: string): Promise<Response> {
    const raw = await store.getToken(`file:${random}`);
    if (!raw) throw new HttpError(404, 'file.notFound', 'No such file (it may have expired).');
    const f = JSON.parse(raw) as FileRecord;
    const c = await readCustomer(f.customerId);
    const res = await upstream.call('downloadFileStream', '/downloadFileStream', {
      body: { fileId: f.fileId, channel: 'WEB', fileType: EXT[f.mime] ?? f.fileName.split('.').pop() ?? 'bin', ...(f.multiMedia ? { multiMedia: 'multiMedia' } : {}) },
      customer: refOf(f.customerId, c),
      idempotent: true,
    });
    const b64 = pickString(res, ['fileStream']);
    let bytes: Uint8Array;
    if (b64) bytes = Buffer.from(b64, 'base64');
    else {
      const link = pickString(res, ['fileUrl']);
      if (!link || !/^https?:\/\//.test(link)) throw new HttpError(502, 'file.unavailable', 'The contact center did not give the file.');
      const ac = new AbortController();
      const h = timers.setTimeout(() => ac.abort(), config.upstream.timeoutMs);
      try {
        const r = await (options.fetch ?? fetch)(link, { signal: ac.signal });
        if (!r.ok) throw new HttpError(502, 'file.unavailable', 'The contact center did not give the file.');
        bytes = new Uint8Array(await r.arrayBuffer());
      } finally {
        timers.clearTimeout(h);
      }
    }
    return new Response(bytes as BodyInit, {
      headers: {
        'content-type': f.mime,
        'content-disposition': `${f.mime.startsWith('image/') ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(f.fileName)}`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cache-control': 'private, max-age=3600',
      },
    });
  }

  // ---- click-to-dial ------------------------------------------------------------------------
  const callLoops = new Map<string, Promise<void>>();
  const callLog = (callId: string) => `call:${callId}`;
  const encodeCall = (callId: string, ev: Omit<CallEvent, 'seq' | 'callId'>): NewLogMessage => ({
    messageId: newId(),
    sessionId: callId,
    from: 'cec',
    to: '',
    channel: 'WEB',
    controlType: 'CHAT',
    mediaType: 'TEXT',
    content: JSON.stringify(ev),
    sourceType: 'SYSTEM',
    senderNickname: '',
    timestamp: ev.at,
    queueFlag: 'N',
  });

  async function createCall(request: Request): Promise<unknown> {
    const { id, c } = await session(request);
    const body = await readBody(request, 'createClickToCall');
    const mediaAbility = str(body, 'mediaAbility', 'createClickToCall', { required: true, oneOf: ['0', '1'] });
    const res = await upstream.call('createClickToCall', '/v1/createClickToCall', {
      body: { channel: 'WEB', mediaAbility },
      customer: refOf(id, c),
      idempotent: false,
      acceptCodes: ['7', '12', '13'],
    });
    const code = pickString(res, ['resultCode', 'returnCode']) ?? '0';
    if (code !== '0')
      return { resultCode: '13', exceptionInfo: code === '12' ? 'Agents are outside work hours.' : code === '7' ? 'This channel has no click-to-dial.' : 'No agent can take the call right now.' };
    // The CEC has no call id: the connector issues its own.
    const callId = newId();
    await updateCustomer(id, (x) => ({ ...x, call: { callId, ended: false, media: mediaAbility } }));
    ensureCallLoop(id, callId);
    return { resultCode: '0', callId };
  }

  function ensureCallLoop(id: string, callId: string): void {
    if (closed || callLoops.has(callId)) return;
    const p = (async () => {
      if (!(await store.acquireLease(`call:${callId}`, instanceId, leaseMs))) return;
      try {
        let failures = 0;
        while (!closed) {
          if (!(await store.acquireLease(`call:${callId}`, instanceId, leaseMs))) return;
          const c = (await store.getCustomer<CustomerRecord>(id))?.value;
          if (!c?.call || c.call.callId !== callId || c.call.ended) return;
          let res: Record<string, unknown>;
          try {
            res = await upstream.call('getClickToCallEvents', '/v1/getClickToCallEvents', {
              method: 'GET',
              query: { channel: 'WEB' },
              customer: refOf(id, c),
              idempotent: true,
              signal: closing.signal,
            });
            failures = 0;
          } catch {
            failures++;
            await sleep(timers, backoff(Math.min(failures, 6), random), closing.signal);
            continue;
          }
          const ev = callEventOf(res);
          if (ev) {
            await store.append(callLog(callId), [encodeCall(callId, { ...ev, at: now() })]);
            if (ev.type === 'ended') {
              await updateCustomer(id, (x) => (x.call?.callId === callId ? { ...x, call: { ...x.call, ended: true } } : null));
              await store.expireLog(callLog(callId), retainMs);
              return;
            }
          } else await sleep(timers, Math.max(config.upstream.pollIdleMs, 50), closing.signal);
        }
      } finally {
        await store.releaseLease(`call:${callId}`, instanceId).catch(() => {});
      }
    })()
      .catch((e) => log({ event: 'call.loop.failed', reason: e instanceof Error ? e.message : String(e) }))
      .finally(() => callLoops.delete(callId));
    callLoops.set(callId, p);
  }

  /** getClickToCallEvents (§1.11): the event is told by eventId 168101 or by resultDesc. */
  function callEventOf(res: Record<string, unknown>): Omit<CallEvent, 'seq' | 'callId' | 'at'> | null {
    const desc = String(res.resultDesc ?? '').toLowerCase();
    const eventId = pickNumber(res, ['eventId']);
    if (eventId === 168101 || desc.includes('call connected')) return { type: 'connected' };
    if (desc.includes('call in queue')) return { type: 'ringing' };
    if (desc.includes('queued timeout')) return { type: 'ended', cause: 'noAnswer' };
    if (desc.includes('call disconnected')) return { type: 'ended', cause: 'agent' };
    if (desc.includes('call failed')) return { type: 'ended', cause: 'failed' };
    return null;
  }

  async function callEvents(request: Request): Promise<unknown> {
    const { id, c } = await session(request);
    const url = new URL(request.url);
    const callId = url.searchParams.get('callId') ?? '';
    if (!c.call || c.call.callId !== callId) throw new HttpError(404, 'call.notFound', 'No such call for this customer.', 'callId');
    const cursor = intParam(url, 'cursor', 'getClickToCallEvents', 0, 1000);
    const wait = intParam(url, 'wait', 'getClickToCallEvents', 0, MAX_WAIT_S);
    if (!c.call.ended) ensureCallLoop(id, callId);
    await waitWhileConnected(callLog(callId), cursor, wait, request.signal);
    const msgs = await store.read(callLog(callId), cursor, 100);
    const events = msgs.map((m) => ({ ...(JSON.parse(m.content) as Omit<CallEvent, 'seq' | 'callId'>), seq: m.seq, callId }));
    return { resultCode: '0', events, cursor: cursor + events.length };
  }

  async function dropCall(request: Request): Promise<unknown> {
    const { id, c } = await session(request);
    const body = await readBody(request, 'dropClickToCall');
    const callId = str(body, 'callId', 'dropClickToCall', { required: true, max: 64 });
    if (!c.call || c.call.callId !== callId) throw new HttpError(404, 'call.notFound', 'No such call for this customer.', 'callId');
    if (c.call.ended) return { resultCode: '0' };
    await upstream.call('dropClickToCall', '/v1/dropClickToCall', { body: { channel: 'WEB' }, customer: refOf(id, c), idempotent: true });
    const r = await updateCustomer(id, (x) => (x.call?.callId === callId && !x.call.ended ? { ...x, call: { ...x.call, ended: true } } : null));
    if (r?.call?.ended) {
      await store.append(callLog(callId), [encodeCall(callId, { type: 'ended', cause: 'customer', at: now() })]);
      await store.expireLog(callLog(callId), retainMs);
    }
    return { resultCode: '0' };
  }

  // ---- dispatch ----------------------------------------------------------------------------
  const routes: Record<string, (request: Request) => Promise<unknown>> = {
    'POST /applyToken': applyToken,
    'GET /queryChannelConfig': channelConfig,
    'POST /send': send,
    'GET /poll': poll,
    'POST /queryQueueInfo': queueInfo,
    'GET /getsatisfactionsurveymode': survey,
    'POST /saveSatisfaction': saveSatisfaction,
    'POST /doLeaveMessage': leaveMessage,
    'POST /queryHistoryChatMessage': history,
    'POST /uploadFileStream': upload,
    'POST /createClickToCall': createCall,
    'GET /getClickToCallEvents': callEvents,
    'POST /dropClickToCall': dropCall,
  };

  /** Origins refused CORS so far: each is logged once (at most 100, so no page can grow it without limit). */
  const refusedOrigins = new Set<string>();

  /**
   * CORS answer headers for a browser call from another origin: only for an origin listed in
   * `allowedOrigins`. Another cross-origin caller gets none (the browser blocks it) and one
   * `cors.refused` log line naming the origin, so an integrator sees why a page cannot connect.
   */
  function cors(request: Request): Record<string, string> {
    const origin = request.headers.get('origin');
    if (!origin) return {};
    if (!config.allowedOrigins.includes(origin)) {
      if (refusedOrigins.size < 100 && !refusedOrigins.has(origin) && origin !== new URL(request.url).origin) {
        refusedOrigins.add(origin);
        log({ event: 'cors.refused', origin: origin.slice(0, 200), hint: 'list this origin in allowedOrigins to let its pages call the connector' });
      }
      return {};
    }
    return {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET,POST,OPTIONS',
      'access-control-allow-headers': 'content-type,authorization,ccmessaging-token',
      'access-control-expose-headers': 'ccmessaging-token,retry-after',
      'access-control-max-age': '600',
      vary: 'origin',
    };
  }

  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers } });

  const handler = (async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const corsHeaders = cors(request);
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: corsHeaders });
    const at = url.pathname.indexOf(API_PATH);
    const path = at >= 0 ? url.pathname.slice(at + API_PATH.length) : null;
    const route = path === null ? null : `${request.method} ${path}`;
    try {
      if (closed) throw new HttpError(503, 'connector.closing', 'The connector is shutting down; try again.', undefined, 1);
      if (path !== null && request.method === 'GET' && path.startsWith('/file/')) {
        const [random] = path.slice('/file/'.length).split('/');
        const res = await download(random ?? '');
        for (const [k, val] of Object.entries(corsHeaders)) res.headers.set(k, val);
        return res;
      }
      const fn = route ? routes[route] : undefined;
      if (!fn) throw new HttpError(404, 'route.notFound', `No route ${request.method} ${url.pathname}.`);
      return json(200, await fn(request), corsHeaders);
    } catch (e) {
      const [status, body, headers] = toFailure(e, route ?? url.pathname);
      return json(status, body, { ...headers, ...corsHeaders });
    }
  }) as ConnectorHandler;

  /** Maps a failure to the widget's error answer: status, `{errorCode, exceptionInfo, field}`. */
  function toFailure(e: unknown, route: string): [number, unknown, Record<string, string>] {
    const headers: Record<string, string> = {};
    if (e instanceof HttpError) {
      if (e.retryAfter !== undefined) headers['retry-after'] = String(e.retryAfter);
      return [e.status, { errorCode: e.errorCode, exceptionInfo: e.message, ...(e.field ? { field: e.field } : {}) }, headers];
    }
    if (e instanceof UpstreamError) {
      log({ event: 'request.failed', route, upstream: e.route, kind: e.kind, status: e.status, resultCode: e.code });
      if (e.kind === 'rejected') {
        if (e.status === 401 || e.status === 403) return [502, { errorCode: 'upstream.auth', exceptionInfo: 'The connector could not sign in to the contact center.' }, headers];
        const name = e.route === 'send' ? 'send.rejected' : `${e.route}.rejected`;
        return [e.status >= 400 && e.status < 500 ? 422 : 409, { errorCode: name, exceptionInfo: `The contact center refused the request (code ${e.code ?? e.status}).` }, headers];
      }
      headers['retry-after'] = String(e.retryAfter ?? 2);
      return [503, { errorCode: 'upstream.unavailable', exceptionInfo: 'The contact center is not answering; try again shortly.' }, headers];
    }
    log({ event: 'request.failed', route, reason: e instanceof Error ? e.message : String(e) });
    headers['retry-after'] = '2';
    return [503, { errorCode: 'connector.unavailable', exceptionInfo: 'The chat service is having trouble; try again shortly.' }, headers];
  }

  Object.defineProperties(handler, {
    store: { value: store },
    loops: { get: () => loops.size },
    sweep: { value: sweep },
    close: {
      value: async () => {
        if (closed) return;
        closed = true;
        closing.abort();
        if (sweepTimer !== null) timers.clearTimeout(sweepTimer);
        await Promise.allSettled([...loops.values(), ...callLoops.values(), ...disconnecting]);
        if (ownStore) await store.close();
      },
    },
  });
  return handler;
}

function intParam(url: URL, name: string, route: string, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return min;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new HttpError(400, `${route}.${name}.invalid`, `${name} must be an integer from ${min} to ${max}.`, name);
  return n;
}
