/** Storage keys, the anonymous id and the backoff: the small pieces the session stands on. */
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../widget/client/backoff.js';
import { anonymousId, SessionStore, storageKeys } from '../../widget/client/persistence.js';
import { memoryStorage } from './helpers.js';

describe('storage keys', () => {
  it('a user id never reaches another record: "user", "anon", "open" and ids with ":" get their own keys', () => {
    const ids = ['user', 'anon', 'open', 'a:anon', 'x:session:y'];
    const keys = [storageKeys.anonymousId('demo'), storageKeys.open('demo'), ...ids.map((u) => storageKeys.session('demo', u)), storageKeys.session('demo:session', 'x')];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('a customer whose id is "user" keeps the anonymous id of the browser intact', () => {
    const storage = memoryStorage();
    const anon = anonymousId(storage, 'demo', 0);
    new SessionStore(storage, 'demo', 'user').save({ outbox: [{ id: 'u-1', text: 'mine', at: 7 }] });
    new SessionStore(storage, 'demo', 'anon').save({ outbox: [{ id: 'a-1', text: 'theirs', at: 8 }] });
    expect(anonymousId(storage, 'demo', 0)).toBe(anon);
    expect(new SessionStore(storage, 'demo', 'user').load()?.outbox).toEqual([{ id: 'u-1', text: 'mine', at: 7 }]);
  });
});

describe('anonymous id', () => {
  it('is 128 random bits from crypto.getRandomValues, kept per channel', () => {
    const storage = memoryStorage();
    const a = anonymousId(storage, 'demo', 0);
    expect(a).toMatch(/^anon-[A-Za-z0-9_-]{22}$/);
    expect(anonymousId(storage, 'demo', 0)).toBe(a);
    expect(anonymousId(storage, 'other', 0)).not.toBe(a);
    expect(anonymousId(memoryStorage(), 'demo', 0)).not.toBe(a);
  });
});

describe('backoff (full jitter)', () => {
  it('waits a uniform time in [0, ceiling): the ceiling doubles from 500 ms up to 30 s', () => {
    expect(backoffDelay(0, () => 0)).toBe(0);
    expect(backoffDelay(0, () => 0.999)).toBe(499);
    expect(backoffDelay(3, () => 0.5)).toBe(2000);
    expect(backoffDelay(20, () => 0.999)).toBe(29_970);
  });
});
