/**
 * Issue 13, widget side: the next visitor sees nothing (case 1) and a user id is not a password
 * (case 2, contract C1): the resume key is kept with the session, sent only in the applyToken
 * body, and forgotten when the session ends; what is stored expires 24 hours after the last
 * activity. Against the mock contact center (msw/node).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SessionRunner, type RunnerOptions } from '../../widget/client/runner.js';
import { EXPIRY_MS, forgetEverything, storageKeys } from '../../widget/client/persistence.js';
import { fastClock, fastRunner, memoryStorage } from './helpers.js';
import { useNodeMock } from '../node-mock.js';

const { cc, clock: mockClock } = useNodeMock({ at: Date.parse('2026-11-25T08:00:00Z') });
const runners: SessionRunner[] = [];
afterEach(() => {
  for (const r of runners.splice(0)) r.destroy();
  if (cc.desk.snapshot('alice').session) {
    cc.desk.end('alice');
    mockClock.advance(10_000);
  }
});

interface Seen {
  url: string;
  headers: Record<string, string>;
  body: string;
}

function runner(userId: string, storage: ReturnType<typeof memoryStorage>, opts: Partial<RunnerOptions> = {}) {
  const seen: Seen[] = [];
  const r = new SessionRunner({
    baseUrl: 'http://mock.test',
    channelId: 'demo',
    userId,
    userName: userId,
    storage,
    pollWaitSeconds: 25,
    random: () => 0,
    requestTimeoutMs: fastRunner.requestTimeoutMs,
    clock: { ...fastClock, now: () => mockClock.now() },
    fetch: (input, init) => {
      seen.push({ url: String(input), headers: Object.fromEntries(new Headers(init?.headers).entries()), body: String(init?.body ?? '') });
      return fetch(input, init);
    },
    ...opts,
  });
  runners.push(r);
  return { r, seen };
}

const saved = (storage: ReturnType<typeof memoryStorage>, userId: string) => {
  const raw = storage.getItem(storageKeys.session('demo', userId));
  return raw ? (JSON.parse(raw) as { resumeKey?: string; cursor: number }) : null;
};
const texts = (r: SessionRunner) => r.state.transcript.map((m) => m.text);

describe('issue 13 case 2: a user id is not a password (contract C1, widget side)', () => {
  it('keeps the resume key with the session and sends it only in the applyToken body; a reload resumes with it', async () => {
    const storage = memoryStorage();
    const a = runner('victim-1', storage);
    a.r.start();
    await vi.waitFor(() => expect(a.r.state.phase).toBe('bot'));
    a.r.dispatch({ type: 'message.submit', id: 'v-1', text: 'my order number is 123', now: mockClock.now(), name: 'v' });
    await vi.waitFor(() => expect(a.r.state.transcript.find((m) => m.id === 'v-1')?.status).toBe('sent'));
    const key = saved(storage, 'victim-1')?.resumeKey;
    expect(key).toMatch(/^[A-Za-z0-9_-]{22,128}$/);
    a.r.destroy();

    const b = runner('victim-1', storage);
    b.r.start();
    await vi.waitFor(() => expect(texts(b.r)).toContain('my order number is 123'));
    const apply = b.seen.filter((s) => s.url.includes('/applyToken'));
    expect(apply.length).toBeGreaterThan(0);
    expect(JSON.parse(apply[0]!.body).resumeKey).toBe(key);
    for (const s of [...a.seen, ...b.seen]) {
      expect(s.url).not.toContain(key!);
      expect(JSON.stringify(s.headers)).not.toContain(key!);
      if (!s.url.includes('/applyToken')) expect(s.body).not.toContain(key!);
    }
  });

  it('another browser with the same user id (no resume key) sees nothing of that session', async () => {
    const first = runner('victim-2', memoryStorage());
    first.r.start();
    await vi.waitFor(() => expect(first.r.state.phase).toBe('bot'));
    first.r.dispatch({ type: 'message.submit', id: 'v2-1', text: 'my card ends 4242', now: mockClock.now(), name: 'v' });
    await vi.waitFor(() => expect(first.r.state.transcript.find((m) => m.id === 'v2-1')?.status).toBe('sent'));

    const attacker = runner('victim-2', memoryStorage());
    attacker.r.start();
    await vi.waitFor(() => expect(attacker.r.state.phase).toBe('bot'));
    expect(texts(attacker.r).join('\n')).not.toContain('4242');
  });
});

describe('issue 13 case 1: the next visitor sees nothing', () => {
  it('an ended session is forgotten at once (record and resume key): a reload starts a new chat', async () => {
    const storage = memoryStorage();
    cc.desk.signIn('alice');
    cc.desk.setReady('alice', true);
    const a = runner('shared-pc', storage);
    a.r.start();
    await vi.waitFor(() => expect(a.r.state.phase).toBe('bot'));
    a.r.dispatch({ type: 'message.submit', id: 's-1', text: 'my order number is 123', now: mockClock.now(), name: 'v' });
    a.r.dispatch({ type: 'transfer.request' });
    await vi.waitFor(() => expect(cc.desk.snapshot('alice').waiting.some((w) => w.customerName === 'shared-pc')).toBe(true));
    cc.desk.accept('alice', cc.desk.snapshot('alice').waiting.find((w) => w.customerName === 'shared-pc')!.sessionId);
    await vi.waitFor(() => expect(a.r.state.phase).toBe('agent'));
    expect(saved(storage, 'shared-pc')?.resumeKey).toBeTruthy();
    cc.desk.end('alice');
    mockClock.advance(10_000);
    await vi.waitFor(() => expect(a.r.state.phase).toBe('ended'));
    expect(saved(storage, 'shared-pc')).toBe(null);
    a.r.destroy();

    const next = runner('shared-pc', storage);
    next.r.start();
    await vi.waitFor(() => expect(next.r.state.phase).toBe('bot'));
    expect(texts(next.r).join('\n')).not.toContain('my order number is 123');
    expect(texts(next.r)[0]).toContain("I'm Ava");
  });

  it('what is stored expires 24 hours after the last activity', async () => {
    const storage = memoryStorage();
    const a = runner('expiring', storage);
    a.r.start();
    await vi.waitFor(() => expect(a.r.state.phase).toBe('bot'));
    a.r.dispatch({ type: 'message.submit', id: 'x-1', text: 'remember me', now: mockClock.now(), name: 'v' });
    await vi.waitFor(() => expect(a.r.state.transcript.find((m) => m.id === 'x-1')?.status).toBe('sent'));
    a.r.destroy();
    const last = Number(storage.getItem(storageKeys.activity('demo')));

    runner('expiring', storage, { clock: { now: () => last + EXPIRY_MS } });
    expect(saved(storage, 'expiring')?.resumeKey).toBeTruthy(); // 24 h to the ms: still kept
    runner('expiring', storage, { clock: { now: () => last + EXPIRY_MS + 1 } });
    expect(saved(storage, 'expiring')).toBe(null);
    expect([...storage.map.keys()].filter((k) => k.startsWith('cec-chat:demo:'))).toEqual([]);
  });

  it('logout removes every key the widget wrote, and nothing else', () => {
    const local = memoryStorage();
    const tab = memoryStorage();
    local.setItem(storageKeys.session('demo', 'u'), '{}');
    local.setItem(storageKeys.anonymousId('other'), 'anon-x');
    local.setItem('host-page-setting', 'keep');
    tab.setItem(storageKeys.draft('demo'), 'typed');
    forgetEverything(local, tab);
    expect([...local.map.keys()]).toEqual(['host-page-setting']);
    expect(tab.map.size).toBe(0);
  });
});
