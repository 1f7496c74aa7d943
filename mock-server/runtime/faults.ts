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
/** The decision when no fault is set: shared, so treat it as read-only. */
const NO_FAULT: FaultDecision = Object.freeze({ delayMs: 0, drop: 'none', error: false });

/** The setting names, and nothing inherited from Object.prototype. */
const SETTING_NAMES: ReadonlySet<string> = new Set(Object.keys(NO_FAULTS));
/** A route name: a channel API call like `send` or `poll` (letters and digits). */
const ROUTE_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;
/** Names that are never a route or a setting, whatever their shape. */
const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** A refused fault setting, naming the field. */
export class FaultSettingError extends RangeError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class Faults {
  global: FaultSettings = { ...NO_FAULTS };
  /** Per-route settings, by route name (a Map: no name can reach a prototype). */
  private readonly perRoute = new Map<string, Partial<FaultSettings>>();

  constructor(private random: () => number = Math.random) {}

  /**
   * Changes the global settings, or one route's. Throws FaultSettingError naming the field for
   * an unknown setting (`__proto__`, `constructor`, `toString` included), a value out of range,
   * or a route name that is not one (letters and digits, not an Object.prototype name).
   */
  set(settings: Partial<FaultSettings>, route?: string): void {
    if (route !== undefined && (!ROUTE_NAME.test(route) || FORBIDDEN_NAMES.has(route))) {
      throw new FaultSettingError('route', 'route must be the name of a channel API call, such as "send" or "poll".');
    }
    const clean: Partial<FaultSettings> = {};
    for (const [k, v] of Object.entries(settings)) {
      if (!SETTING_NAMES.has(k)) throw new FaultSettingError(k, `Unknown fault setting "${k}"; the settings are ${[...SETTING_NAMES].join(', ')}.`);
      const rate = k === 'dropRate' || k === 'errorRate';
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (rate && v > 1) || (!rate && v > 60_000)) {
        throw new FaultSettingError(k, `${k} must be a number from 0 to ${rate ? 1 : 60000}.`);
      }
      clean[k as keyof FaultSettings] = v;
    }
    if (route) this.perRoute.set(route, { ...this.perRoute.get(route), ...clean });
    else this.global = { ...this.global, ...clean };
  }

  /** Per-route settings as a plain JSON object (null prototype). */
  get routes(): Record<string, Partial<FaultSettings>> {
    const out: Record<string, Partial<FaultSettings>> = Object.create(null);
    for (const [k, v] of this.perRoute) out[k] = { ...v };
    return out;
  }

  reset(): void {
    this.global = { ...NO_FAULTS };
    this.perRoute.clear();
  }

  /** Uses a seeded random source (tests and soak runs). */
  seed(random: () => number): void {
    this.random = random;
  }

  settings(route: string): FaultSettings {
    return { ...this.global, ...this.perRoute.get(route) };
  }

  /** Decides the faults of one request of `route`; with no fault set anywhere, the one shared NO_FAULT (nothing built, no random drawn). */
  decide(route: string): FaultDecision {
    if (this.perRoute.size === 0 && this.global.latencyMs === 0 && this.global.jitterMs === 0 && this.global.dropRate === 0 && this.global.errorRate === 0) return NO_FAULT;
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
