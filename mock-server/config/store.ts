/**
 * The tenant configuration store. The runtime reads `current`, a snapshot replaced as a whole
 * on every successful change, so a rejected change never leaves half-saved configuration:
 * every change builds a candidate copy, validates the whole of it, and only then swaps it in.
 */
import { ApiFailure, badRequest, notFound } from '../runtime/errors.js';
import { configureAgents } from './batch.js';
import { allowanceUsage, type Focus } from './rules.js';
import { isObj, parseOrThrow, type Obj } from './schema/fields.js';
import { TONE_TYPES } from './schema/queues.js';
import { allowancesSchema } from './schema/tenant.js';
import { seedTenant } from './seed.js';
import { KINDS, normalize, type ItemOf, type Kind, type KindSpec } from './store-kinds.js';
import type { Agent, Tenant, TenantAllowances } from './types.js';
import { parseTenant } from './validate.js';

export type { Kind, ItemOf } from './store-kinds.js';
export { KINDS, KIND_PATHS } from './store-kinds.js';

/**
 * An error found at `prefix` (e.g. `skillQueues[3]`), reported relative to it (`maxWaitTime`)
 * for calls about that one object, or under `as` (`10023.agentType`); errors elsewhere keep
 * their full path.
 */
function rebase(e: unknown, prefix: string, as = ''): unknown {
  if (!(e instanceof ApiFailure) || e.field === undefined) return e;
  if (e.field !== prefix && !e.field.startsWith(`${prefix}.`)) return e;
  const rest = e.field.slice(prefix.length + 1);
  const field = as && rest ? `${as}.${rest}` : as || rest;
  const sentence = e.message.startsWith(e.field) ? e.message.slice(e.field.length) : ` ${e.message}`;
  return new ApiFailure(e.status, e.errorCode, `${field || 'The object'}${sentence}`, field);
}

const bodyError = (what: string) => badRequest('request.invalidBody', `The ${what} must be a JSON object.`, '');

export class TenantStore {
  private tenant: Tenant;
  private listeners = new Set<(t: Tenant) => void>();

  constructor(private readonly seed: () => Tenant = seedTenant) {
    this.tenant = parseTenant(seed());
  }

  get current(): Tenant {
    return this.tenant;
  }

  /** Back to the seeded tenant. */
  reset(): void {
    this.replace(parseTenant(this.seed()));
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
    list.push(spec.defaults(normalize(spec, structuredClone(input)), next));
    const i = list.length - 1;
    const stored = this.commit(next, { kind, indexes: [i] });
    return structuredClone(stored[kind][i]) as ItemOf<K>;
  }

  /**
   * Changes only the fields `patch` gives (a shallow merge): a nested object given replaces the
   * old one whole and gets the defaults of a new one for what it leaves out. The key may not
   * change; null clears an optional field (or turns a feature off).
   */
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
    list[i] = spec.defaults(merged, next);
    const stored = this.commit(next, { kind, indexes: [i] });
    return structuredClone(stored[kind][i]) as ItemOf<K>;
  }

  /** Removes an object nothing refers to any more. */
  remove(kind: Kind, key: string): void {
    const spec = KINDS[kind];
    const i = this.indexOf(kind, key);
    const ref = spec.refs(this.tenant, key);
    if (ref) {
      throw badRequest(ref.errorCode, `The ${spec.noun} "${key}" is still used by ${ref.what} (${ref.field}); change that first.`, ref.field);
    }
    const next = structuredClone(this.tenant);
    next[kind].splice(i, 1);
    this.commit(next);
  }

  /**
   * Batch Configure (step 5 of the admin guide): sets agent information on every agent
   * selected by employee ID or segment — all of them or none. See batch.ts for the body.
   */
  configureAgents(input: unknown): Agent[] {
    if (!isObj(input)) throw bodyError('batch');
    const next = structuredClone(this.tenant);
    const { indexes } = configureAgents(next, input);
    let stored: Tenant;
    try {
      stored = parseTenant(next, { kind: 'agents', indexes });
    } catch (e) {
      // An error in a selected agent names that agent by employee ID: `10023.agentType`.
      const i = indexes.find((k) => e instanceof ApiFailure && (e.field === `agents[${k}]` || e.field?.startsWith(`agents[${k}].`)));
      if (i === undefined) throw e;
      const a = next.agents[i]!;
      const named = rebase(e, `agents[${i}]`, a.employeeId) as ApiFailure;
      throw new ApiFailure(named.status, named.errorCode, `Agent ${a.account} (employee ID ${a.employeeId}): ${named.message.slice(a.employeeId.length + 1)}`, named.field);
    }
    this.replace(stored);
    return indexes.map((i) => structuredClone(stored.agents[i]!));
  }

  /** Sets the tenant's allowances; fields left out keep their value. */
  setAllowances(patch: unknown): TenantAllowances {
    if (!isObj(patch)) throw bodyError('allowances');
    const next = structuredClone(this.tenant);
    next.allowances = parseOrThrow(allowancesSchema, { ...next.allowances, ...structuredClone(patch) }, 'allowances');
    // Below what the agents already use is reported on the allowance, not on an agent.
    for (const [field, used] of Object.entries(allowanceUsage(next))) {
      const max = next.allowances[field as keyof TenantAllowances];
      if (max < used) {
        throw badRequest('allowances.belowUsage', `${field} cannot be ${max}: ${used} agents of the tenant already count against it; change those agents first.`, field);
      }
    }
    return structuredClone(this.commit(next).allowances);
  }

  /** Replaces the whole configuration (all or nothing). */
  replaceAll(input: unknown): Tenant {
    if (!isObj(input)) throw bodyError('tenant');
    const next = structuredClone(input);
    for (const kind of Object.keys(KINDS) as Kind[]) {
      const list = next[kind];
      if (Array.isArray(list)) next[kind] = list.map((o) => (isObj(o) ? normalize(KINDS[kind], o) : o));
    }
    return structuredClone(this.commit(next));
  }

  // ── helpers ──

  private indexOf(kind: Kind, key: string): number {
    const spec = KINDS[kind];
    const i = (this.tenant[kind] as unknown as Obj[]).findIndex((o) => spec.keyOf(o) === key);
    if (i < 0) throw notFound(`${spec.code}.notFound`, `There is no ${spec.noun} with ${spec.keyName} "${key}".`, spec.keyName);
    return i;
  }

  private checkKey(spec: KindSpec, before: Obj, after: Obj, patch: Obj, key: string): void {
    if (spec.keyOf(after) === key) return;
    const field = spec.keyFields.find((f) => f in patch && after[f] !== before[f]) ?? spec.keyFields[0]!;
    throw badRequest(`${spec.code}.${spec.keyName}.immutable`, `${field} cannot change: it is part of the ${spec.noun}'s key "${key}" (delete it and create a new one instead).`, field);
  }

  /**
   * Validates the candidate and swaps it in (as parsed, with the schemas' defaults); errors
   * the changed object causes are reported on it, relative to it.
   */
  private commit(next: unknown, focus?: Focus): Tenant {
    let stored: Tenant;
    try {
      stored = parseTenant(next, focus);
    } catch (e) {
      throw focus ? rebase(e, `${focus.kind}[${focus.indexes[0]}]`) : e;
    }
    this.replace(stored);
    return stored;
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
