/** Shared by the client tests: storage in memory, and timers that do not make tests wait. */
export function memoryStorage() {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

/** Backoff waits shortened to a tick (a Clock with instant timers): these tests are about delivery, not about waiting. */
export const fastTimers = {
  setTimeout: (fn: () => void) => setTimeout(fn, 0),
  clearTimeout: (h: unknown) => clearTimeout(h as number),
};
