/**
 * The customer's name as the agents see it. A name from the integrator's signature (the JWS
 * `name` claim) is verified and always wins; any other (applyToken's `userName`, a send's
 * `senderNickname`) is the customer's own claim: marked unverified in the agent API, and never
 * allowed to read as the system, the chatbot or an agent — such a claim is shown quoted with
 * "(unverified)" after it. Invisible and bidi control characters are removed from every name.
 */
import type { TenantView } from './tenant-view.js';

/** Names no unverified customer may appear under (compared by letters and digits, any case). */
const RESERVED = ['system', 'bot', 'robot', 'chatbot', 'agent', 'admin', 'administrator', 'support', 'operator', 'moderator', 'staff', 'service', 'customerservice', 'notice'];

// C0/C1 controls, soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width and
// bidi marks, embeddings, overrides and isolates, word joiner and invisible operators, BOM.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/g;

/** NFKC, invisible characters removed, spaces collapsed, at most 64 characters. */
export function cleanName(raw: string): string {
  return raw.normalize('NFKC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim().slice(0, 64);
}

const key = (name: string): string =>
  cleanName(name)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');

/** Keys of the tenant's staff names, computed once per configuration (it is replaced, never mutated, on change). */
const staffKeys = new WeakMap<object, ReadonlySet<string>>();

function staffOf(tenant: TenantView): ReadonlySet<string> {
  const cur = tenant.store.current;
  let keys = staffKeys.get(cur);
  if (!keys) {
    const names = [...cur.agents.flatMap((a) => [a.account, a.name ?? '']), ...cur.channels.flatMap((c) => (c.chatbot ? [c.chatbot.name] : []))];
    keys = new Set(names.filter((n) => n !== '').map(key));
    staffKeys.set(cur, keys);
  }
  return keys;
}

/** Whether `name` would read as the system, a chatbot or an agent of the tenant. */
export function readsAsStaff(name: string, tenant: TenantView): boolean {
  const k = key(name);
  return k === '' || RESERVED.includes(k) || k.startsWith('system') || staffOf(tenant).has(k);
}

/** The last answer per raw name (streams keep their names; this spares the work per message). */
const shown = new Map<string, { tenant: object; display: string }>();

/** What the agent side shows for a customer's name. */
export function customerDisplayName(name: string, verified: boolean, tenant: TenantView): string {
  if (verified) return cleanName(name);
  const hit = shown.get(name);
  if (hit && hit.tenant === tenant.store.current) return hit.display;
  const clean = cleanName(name);
  const display = readsAsStaff(clean, tenant) ? `“${clean}” (unverified)` : clean;
  if (shown.size >= 10_000) shown.delete(shown.keys().next().value!);
  shown.set(name, { tenant: tenant.store.current, display });
  return display;
}
