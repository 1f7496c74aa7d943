/**
 * What survives a reload: the customer's cursor and unsent messages (never the token).
 * Written only once the visitor has opened the widget (the runner exists only from then on);
 * storage that is blocked or full is not an error.
 */
export interface SavedSession {
  cursor: number;
  /** Messages not yet acknowledged, resent with their ids (idempotent) after a reload. */
  outbox: Array<{ id: string; text: string; at: number }>;
}

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export class SessionStore {
  constructor(
    private readonly storage: KeyValueStorage | null,
    private readonly key: string,
  ) {}

  static keyFor(channelId: string, userId: string): string {
    return `cec-chat:${channelId}:${userId}`;
  }

  load(): SavedSession | null {
    try {
      const raw = this.storage?.getItem(this.key);
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
    try {
      this.storage?.setItem(this.key, JSON.stringify(s));
    } catch {
      /* full or blocked: the session still works, it just will not resume */
    }
  }

  clear(): void {
    try {
      this.storage?.removeItem(this.key);
    } catch {
      /* ignore */
    }
  }
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
