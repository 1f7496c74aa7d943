/**
 * Validation of the tenant configuration (part A of docs/requirements.md, from Tables 1–4 of
 * the admin guide), in two steps: the schemas (schema/, valibot) check every object's own
 * fields and fill the defaults they declare; then rules.ts checks the rules between objects.
 * Pure: the first rule broken is thrown as an ApiFailure (400) naming the field, and the same
 * input always gets the same error.
 */
import { checkRules, type Focus } from './rules.js';
import { parseOrThrow } from './schema/fields.js';
import { tenantSchema } from './schema/tenant.js';
import type { Tenant } from './types.js';

export { toApiError } from '../runtime/errors.js';
export { isTimeZone } from './schema/channels.js';
export { QUEUE_FAMILY } from './rules.js';
export type { Focus } from './rules.js';

/**
 * The tenant as stored: `input` checked and with the schemas' defaults filled (waiting tones
 * of voice and video queues, a policy's device type). Errors caused by the objects in `focus`
 * are reported on them.
 */
export function parseTenant(input: unknown, focus?: Focus): Tenant {
  const t = parseOrThrow(tenantSchema, input, 'tenant');
  checkRules(t, focus);
  return t;
}

/** Throws the first rule the tenant breaks, as an ApiFailure naming the field. */
export function validateTenant(input: unknown): asserts input is Tenant {
  parseTenant(input);
}
