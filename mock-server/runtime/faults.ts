/**
 * Fault injection: latency, dropped requests and server errors, globally or per route
 * (`send`, `poll`, …), settable at run time. A dropped request either never reaches the
 * contact center or is processed and its response lost — the case that proves sends are
 * idempotent.
 */
export interface FaultSettings {
  /** Added latency in ms (real time, not the mock clock). */
  latencyMs: number;
  /** Extra random latency, 0..jitterMs. */
  jitterMs: number;
  /** 0..1: share of requests that fail as a network error. */
  dropRate: number;
  /** 0..1: share of requests answered with a 5xx. */
  errorRate: number;
}

export interface FaultDecision {
  delayMs: number;
  drop: 'none' | 'request' | 'response';
  error: boolean;
}

export const NO_FAULTS: FaultSettings = { latencyMs: 0, jitterMs: 0, dropRate: 0, errorRate: 0 };

export class Faults {
  global: FaultSettings = { ...NO_FAULTS };
  routes: Record<string, Partial<FaultSettings>> = {};

  constructor(private random: () => number = Math.random) {}

  set(settings: Partial<FaultSettings>, route?: string): void {
    for (const [k, v] of Object.entries(settings)) {
      if (!(k in NO_FAULTS)) throw new RangeError(`Unknown fault setting "${k}".`);
      const rate = k === 'dropRate' || k === 'errorRate';
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (rate && v > 1) || (!rate && v > 60_000)) {
        throw new RangeError(`${k} must be a number from 0 to ${rate ? 1 : 60000}.`);
      }
    }
    if (route) this.routes[route] = { ...this.routes[route], ...settings };
    else this.global = { ...this.global, ...settings };
  }

  reset(): void {
    this.global = { ...NO_FAULTS };
    this.routes = {};
  }

  /** Uses a seeded random source (tests and soak runs). */
  seed(random: () => number): void {
    this.random = random;
  }

  settings(route: string): FaultSettings {
    return { ...this.global, ...this.routes[route] };
  }

  decide(route: string): FaultDecision {
    const f = this.settings(route);
    const delayMs = f.latencyMs + (f.jitterMs > 0 ? Math.round(this.random() * f.jitterMs) : 0);
    const dropped = f.dropRate > 0 && this.random() < f.dropRate;
    const drop = dropped ? (this.random() < 0.5 ? 'request' : 'response') : 'none';
    const error = !dropped && f.errorRate > 0 && this.random() < f.errorRate;
    return { delayMs, drop, error };
  }
}

/** A small seeded PRNG (mulberry32) so fault runs can be repeated exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
