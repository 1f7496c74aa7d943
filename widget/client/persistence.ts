/**
 * Everything the widget keeps in the browser, and every key it uses: nothing else in the widget
 * touches localStorage or sessionStorage. Written only once the visitor has opened the widget;
 * storage that is blocked or full is not an error (the chat works, it just does not resume).
 *
 * Keys (made in widget/core/storage-keys.ts; ids are URI-encoded, so no channel or user id can
 * reach another record's key):
 * - `cec-chat:<channelId>:session:<userId>` (localStorage): unsent messages, an open idle warning,
 *   the highest agent message reported read (so a reload sends no READ twice)
 *   and the resume key (the secret that lets this browser, and only it, resume). No poll cursor:
 *   after a reload the runner reads the history from the start, so the transcript comes back whole.
 * - `cec-chat:<channelId>:anon` (localStorage): the anonymous customer id.
 * - `cec-chat:<channelId>:activity` (localStorage): the time of the last activity; everything of
 *   the channel is forgotten 24 hours after it (EXPIRY_MS), on a shared computer too.
 * - `cec-chat:<channelId>:open` (sessionStorage, this tab): whether the panel was open.
 * - `cec-chat:<channelId>:draft` (sessionStorage, this tab): what was typed and not sent.
 */
import { channelPrefix, KEY_PREFIX, storageKeys } from '../core/storage-keys.js';

export { KEY_PREFIX, storageKeys } from '../core/storage-keys.js';

export interface SavedSession {
  /** Messages not yet acknowledged, resent with their ids (idempotent) after a reload. */
  outbox: Array<{ id: string; text: string; at: number }>;
  /** An unanswered idle warning (its seq) and its deadline on this browser's clock (epoch ms). */
  idle?: { seq: number; deadline: number };
  /** The key the server bound this browser's token to (contract C1); sent only in the applyToken body. */
  resumeKey?: string;
  /** The highest agent seq this browser told the contact center the customer has read (READ). */
  read?: number;
}

/** What the widget stores is forgotten this long after the last activity: 24 hours. */
export const EXPIRY_MS = 24 * 3600_000;

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

function read(storage: KeyValueStorage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(storage: KeyValueStorage | null, key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    /* full or blocked: the session still works, it just will not resume */
  }
}

function remove(storage: KeyValueStorage | null, key: string): void {
  try {
    storage?.removeItem(key);
  } catch {
    /* blocked */
  }
}

export class SessionStore {
  private readonly key: string;
  constructor(
    private readonly storage: KeyValueStorage | null,
    private readonly channelId: string,
    userId: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = storageKeys.session(channelId, userId);
  }

  load(): SavedSession | null {
    try {
      const raw = read(this.storage, this.key);
      if (!raw) return null;
      const v = JSON.parse(raw) as Partial<SavedSession>;
      return {
        outbox: Array.isArray(v.outbox) ? v.outbox.filter((m) => typeof m?.id === 'string' && typeof m.text === 'string') : [],
        ...(Number.isInteger(v.idle?.seq) && Number.isFinite(v.idle?.deadline) ? { idle: { seq: v.idle!.seq, deadline: v.idle!.deadline } } : {}),
        ...(typeof v.resumeKey === 'string' && /^[A-Za-z0-9_-]{22,128}$/.test(v.resumeKey) ? { resumeKey: v.resumeKey } : {}),
        ...(Number.isInteger(v.read) && v.read! > 0 ? { read: v.read } : {}),
      };
    } catch {
      return null;
    }
  }

  /** Saves the record, and counts it as activity (the 24-hour expiry starts again). */
  save(s: SavedSession): void {
    write(this.storage, this.key, JSON.stringify(s));
    touch(this.storage, this.channelId, this.now());
  }

  clear(): void {
    remove(this.storage, this.key);
  }
}

/**
 * The anonymous customer id of this browser for a channel, made on first open (never before)
 * from `crypto.getRandomValues` (128 bits, base64url) and kept in `storage`.
 */
export function anonymousId(storage: KeyValueStorage | null, channelId: string, now: number): string {
  const key = storageKeys.anonymousId(channelId);
  const stored = read(storage, key);
  if (stored && /^anon-[A-Za-z0-9_-]{22}$/.test(stored)) return stored;
  const id = `anon-${randomKey()}`;
  rememberAnonymousId(storage, channelId, id, now);
  return id;
}

/** Keeps `id` as the anonymous id of this browser (again: after a new chat in the same page). */
export function rememberAnonymousId(storage: KeyValueStorage | null, channelId: string, id: string, now: number): void {
  write(storage, storageKeys.anonymousId(channelId), id);
  touch(storage, channelId, now);
}

/** The next visitor of this browser is someone new: forgets the anonymous id. */
export function forgetAnonymousId(storage: KeyValueStorage | null, channelId: string): void {
  remove(storage, storageKeys.anonymousId(channelId));
}

/** Marks activity on the channel at `now` (epoch ms): the expiry counts from the last one. */
function touch(storage: KeyValueStorage | null, channelId: string, now: number): void {
  write(storage, storageKeys.activity(channelId), String(now));
}

/** Every key the widget wrote in `storage`, of one channel or (without `channelId`) of all. */
function ownKeys(storage: KeyValueStorage | null, channelId?: string): string[] {
  const prefix = channelId === undefined ? KEY_PREFIX : channelPrefix(channelId);
  try {
    const s = storage as Storage | null;
    if (!s || typeof s.key !== 'function') return [];
    const keys: string[] = [];
    for (let i = 0; i < s.length; i++) {
      const k = s.key(i);
      if (k?.startsWith(prefix)) keys.push(k);
    }
    return keys;
  } catch {
    return [];
  }
}

/**
 * Forgets what the widget stored for a channel when its last activity is more than EXPIRY_MS
 * (24 hours) before `now`. Called before anything stored is read.
 */
export function expireStale(storage: KeyValueStorage | null, channelId: string, now: number): void {
  if (!isStale(storage, channelId, now)) return;
  for (const k of ownKeys(storage, channelId)) remove(storage, k);
}

/** Whether a channel's last activity (or none at all) is more than EXPIRY_MS (24 hours) before `now`. */
export function isStale(storage: KeyValueStorage | null, channelId: string, now: number): boolean {
  const last = Number(read(storage, storageKeys.activity(channelId)));
  return !(Number.isFinite(last) && last > 0 && now - last <= EXPIRY_MS);
}

/**
 * Logout: removes everything the widget stored in these storages (every `cec-chat:` key, all
 * channels): ids, unsent messages, resume keys, drafts and panel state.
 */
export function forgetEverything(...storages: Array<KeyValueStorage | null>): void {
  for (const storage of storages) for (const k of ownKeys(storage)) remove(storage, k);
}

/** 128 random bits as 22 base64url characters. */
export function randomKey(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** Whether this tab had the panel open before a reload. */
export function wasOpen(storage: KeyValueStorage | null, channelId: string): boolean {
  return read(storage, storageKeys.open(channelId)) === '1';
}

export function saveOpen(storage: KeyValueStorage | null, channelId: string, open: boolean): void {
  write(storage, storageKeys.open(channelId), open ? '1' : '0');
}

/** What this tab had typed and not sent before a reload ('' when nothing). */
export function loadDraft(storage: KeyValueStorage | null, channelId: string): string {
  return read(storage, storageKeys.draft(channelId)) ?? '';
}

export function saveDraft(storage: KeyValueStorage | null, channelId: string, draft: string): void {
  if (draft) write(storage, storageKeys.draft(channelId), draft);
  else remove(storage, storageKeys.draft(channelId));
}

/** localStorage when the page may use it, else null (sandboxed iframes, privacy modes). */
export function defaultStorage(): KeyValueStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** sessionStorage: per tab, survives a reload of that tab only (the panel's open state). */
export function tabStorage(): KeyValueStorage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}
