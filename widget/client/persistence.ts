/**
 * Everything the widget keeps in the browser, and every key it uses: nothing else in the widget
 * touches localStorage or sessionStorage. Written only once the visitor has opened the widget;
 * storage that is blocked or full is not an error (the chat works, it just does not resume).
 *
 * Keys (ids are URI-encoded, so no channel or user id can reach another record's key):
 * - `cec-chat:<channelId>:session:<userId>` (localStorage): cursor and unsent messages.
 * - `cec-chat:<channelId>:anon` (localStorage): the anonymous customer id.
 * - `cec-chat:<channelId>:open` (sessionStorage, this tab): whether the panel was open.
 */
export interface SavedSession {
  cursor: number;
  /** Messages not yet acknowledged, resent with their ids (idempotent) after a reload. */
  outbox: Array<{ id: string; text: string; at: number }>;
}

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Every key prefix of the widget: `cec-chat:`. */
export const KEY_PREFIX = 'cec-chat:';
const enc = encodeURIComponent;

/** The widget's storage keys, in one place. */
export const storageKeys = {
  session: (channelId: string, userId: string) => `${KEY_PREFIX}${enc(channelId)}:session:${enc(userId)}`,
  anonymousId: (channelId: string) => `${KEY_PREFIX}${enc(channelId)}:anon`,
  open: (channelId: string) => `${KEY_PREFIX}${enc(channelId)}:open`,
  /** Not a storage key: the name of the Web Lock and BroadcastChannel the customer's tabs share. */
  tabs: (channelId: string, userId: string) => `${KEY_PREFIX}${enc(channelId)}:tabs:${enc(userId)}`,
};

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
    channelId: string,
    userId: string,
  ) {
    this.key = storageKeys.session(channelId, userId);
  }

  load(): SavedSession | null {
    try {
      const raw = read(this.storage, this.key);
      if (!raw) return null;
      const v = JSON.parse(raw) as Partial<SavedSession>;
      return {
        cursor: Number.isInteger(v.cursor) ? (v.cursor as number) : 0,
        outbox: Array.isArray(v.outbox) ? v.outbox.filter((m) => typeof m?.id === 'string' && typeof m.text === 'string') : [],
      };
    } catch {
      return null;
    }
  }

  save(s: SavedSession): void {
    write(this.storage, this.key, JSON.stringify(s));
  }

  clear(): void {
    remove(this.storage, this.key);
  }
}

/**
 * The anonymous customer id of this browser for a channel, made on first open (never before)
 * from `crypto.getRandomValues` (128 bits, base64url) and kept in `storage`.
 */
export function anonymousId(storage: KeyValueStorage | null, channelId: string): string {
  const key = storageKeys.anonymousId(channelId);
  const stored = read(storage, key);
  if (stored && /^anon-[A-Za-z0-9_-]{22}$/.test(stored)) return stored;
  const id = `anon-${randomKey()}`;
  write(storage, key, id);
  return id;
}

/** 128 random bits as 22 base64url characters. */
export function randomKey(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Whether this tab had the panel open before a reload. */
export function wasOpen(storage: KeyValueStorage | null, channelId: string): boolean {
  return read(storage, storageKeys.open(channelId)) === '1';
}

export function saveOpen(storage: KeyValueStorage | null, channelId: string, open: boolean): void {
  write(storage, storageKeys.open(channelId), open ? '1' : '0');
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
