/**
 * The tenant configuration store. The runtime reads `current`, a snapshot replaced as a whole
 * on every successful change, so a rejected change never leaves half-saved configuration:
 * every change builds a candidate copy, validates the whole of it, and only then swaps it in.
 */
import { seedTenant } from './seed.js';
import { KINDS, normalize, type ItemOf, type Kind, type KindSpec } from './store-kinds.js';
import type { Tenant, TenantAllowances } from './types.js';
import { ALLOWANCE_OF } from './validate/agents.js';
import { ConfigError, isObj, type Obj } from './validate/check.js';
import { TONE_TYPES } from './validate/queues.js';
import { validateAllowances, validateTenant } from './validate.js';

export type { Kind, ItemOf } from './store-kinds.js';
export { KINDS, KIND_PATHS } from './store-kinds.js';

/** No object with that key: HTTP 404 with `{errorCode: "<kind>.notFound", exceptionInfo, field}`. */
export class NotFoundError extends Error {
  readonly status = 404;

  constructor(
    readonly errorCode: string,
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/**
 * An error found at `prefix` (e.g. `skillQueues[3]`), reported relative to it (`maxWaitTime`)
 * for calls about that one object; errors elsewhere keep their full path.
 */
function rebase(e: unknown, prefix: string): unknown {
  if (!(e instanceof ConfigError)) return e;
  if (e.field !== prefix && !e.field.startsWith(`${prefix}.`)) return e;
  const field = e.field.slice(prefix.length + 1);
  const rest = e.message.startsWith(e.field) ? e.message.slice(e.field.length) : ` ${e.message}`;
  return new ConfigError(e.errorCode, `${field || 'The object'}${rest}`, field);
}

const bodyError = (what: string) => new ConfigError('request.invalidBody', `The ${what} must be a JSON object.`, '');

export class TenantStore {
  private tenant: Tenant;
  private listeners = new Set<(t: Tenant) => void>();

  constructor(private readonly seed: () => Tenant = seedTenant) {
    this.tenant = seed();
  }

  get current(): Tenant {
    return this.tenant;
  }

  /** Back to the seeded tenant. */
  reset(): void {
    this.replace(this.seed());
  }

  onChange(fn: (t: Tenant) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  protected replace(next: Tenant): void {
    this.tenant = next;
    for (const fn of this.listeners) fn(next);
  }

  // ── reads (copies, so a caller cannot change the snapshot behind the store's back) ──

  list<K extends Kind>(kind: K): Array<ItemOf<K>> {
    return structuredClone(this.tenant[kind]) as Array<ItemOf<K>>;
  }

  get<K extends Kind>(kind: K, key: string): ItemOf<K> {
    return structuredClone(this.tenant[kind][this.indexOf(kind, key)]) as ItemOf<K>;
  }

  // ── changes ──

  /** Adds an object, filling defaults (see store-kinds.ts); returns it as stored. */
  create<K extends Kind>(kind: K, input: unknown): ItemOf<K> {
    const spec = KINDS[kind];
    if (!isObj(input)) throw bodyError(spec.noun);
    const next = structuredClone(this.tenant);
    const list = next[kind] as unknown as Obj[];
    const item = spec.defaults(normalize(spec, structuredClone(input)), next);
    list.push(item);
    this.commit(next, `${kind}[${list.length - 1}]`);
    return structuredClone(item) as unknown as ItemOf<K>;
  }

  /** Shallow-merges `patch` into the object; its key may not change. Null clears an optional field. */
  update<K extends Kind>(kind: K, key: string, patch: unknown): ItemOf<K> {
    const spec = KINDS[kind];
    if (!isObj(patch)) throw bodyError(`${spec.noun} patch`);
    const i = this.indexOf(kind, key);
    const next = structuredClone(this.tenant);
    const list = next[kind] as unknown as Obj[];
    const before = list[i]!;
    const merged = normalize(spec, { ...before, ...structuredClone(patch) });
    this.checkKey(spec, before, merged, patch, key);
    if (kind === 'skillQueues') dropTones(merged, patch);
    list[i] = merged;
    this.commit(next, `${kind}[${i}]`);
    return structuredClone(merged) as unknown as ItemOf<K>;
  }

  /** Removes an object nothing refers to any more. */
  remove(kind: Kind, key: string): void {
    const spec = KINDS[kind];
    const i = this.indexOf(kind, key);
    const ref = spec.refs(this.tenant, key);
    if (ref) {
      throw new ConfigError(ref.errorCode, `The ${spec.noun} "${key}" is still used by ${ref.what} (${ref.field}); change that first.`, ref.field);
    }
    const next = structuredClone(this.tenant);
    next[kind].splice(i, 1);
    this.commit(next, '');
  }

  /** Sets the tenant's allowances; fields left out keep their value. */
  setAllowances(patch: unknown): TenantAllowances {
    if (!isObj(patch)) throw bodyError('allowances');
    const next = structuredClone(this.tenant);
    next.allowances = { ...next.allowances, ...structuredClone(patch) };
    try {
      validateAllowances(next);
    } catch (e) {
      throw rebase(e, 'allowances');
    }
    // Below what the agents already use is reported on the allowance, not on an agent.
    for (const [field, used] of Object.entries(allowanceUsage(next))) {
      const max = next.allowances[field as keyof TenantAllowances];
      if (max < used) {
        throw new ConfigError('allowances.belowUsage', `${field} cannot be ${max}: ${used} agents of the tenant already count against it; change those agents first.`, field);
      }
    }
    this.commit(next, '');
    return structuredClone(next.allowances);
  }

  /** Replaces the whole configuration (all or nothing). */
  replaceAll(input: unknown): Tenant {
    if (!isObj(input)) throw bodyError('tenant');
    const next = structuredClone(input);
    for (const kind of Object.keys(KINDS) as Kind[]) {
      const list = next[kind];
      if (Array.isArray(list)) next[kind] = list.map((o) => (isObj(o) ? normalize(KINDS[kind], o) : o));
    }
    this.commit(next, '');
    return structuredClone(this.tenant);
  }

  // ── helpers ──

  private indexOf(kind: Kind, key: string): number {
    const spec = KINDS[kind];
    const i = (this.tenant[kind] as unknown as Obj[]).findIndex((o) => spec.keyOf(o) === key);
    if (i < 0) throw new NotFoundError(`${spec.code}.notFound`, `There is no ${spec.noun} with ${spec.keyName} "${key}".`, spec.keyName);
    return i;
  }

  private checkKey(spec: KindSpec, before: Obj, after: Obj, patch: Obj, key: string): void {
    if (spec.keyOf(after) === key) return;
    const field = spec.keyFields.find((f) => f in patch && after[f] !== before[f]) ?? spec.keyFields[0]!;
    throw new ConfigError(
      `${spec.code}.${spec.keyName}.immutable`,
      `${field} cannot change: it is part of the ${spec.noun}'s key "${key}" (delete it and create a new one instead).`,
      field,
    );
  }

  /** Validates the candidate; errors inside the changed object are made relative to it. */
  private commit(next: unknown, prefix: string): void {
    try {
      validateTenant(next);
    } catch (e) {
      throw prefix ? rebase(e, prefix) : e;
    }
    this.replace(next);
  }
}

/**
 * A queue changed to a type without waiting tones loses its tone settings, unless the patch
 * set them itself (then validation says why that is not allowed).
 */
function dropTones(merged: Obj, patch: Obj): void {
  if (!('type' in patch) || TONE_TYPES.includes(merged.type as never)) return;
  if (!('queuingMethod' in patch)) delete merged.queuingMethod;
  if (!('keepingMethod' in patch)) delete merged.keepingMethod;
}

/** How many agents count against each allowance. */
function allowanceUsage(t: Tenant): TenantAllowances {
  const used: TenantAllowances = { videoAgents: 0, multimediaAgents: 0, versatileAgents: 0, intelligentAgents: 0 };
  for (const a of t.agents) {
    const allowance = ALLOWANCE_OF[a.agentType];
    if (allowance) used[allowance.field]++;
    if (a.intelligentRecognition) used.intelligentAgents++;
  }
  return used;
}
