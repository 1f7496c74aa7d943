/**
 * The tenant configuration store. The runtime reads `current`, a snapshot replaced as a whole
 * on every successful change, so a rejected change never leaves half-saved configuration.
 */
import { seedTenant } from './seed.js';
import type { Tenant } from './types.js';

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
}
