/**
 * Batch Configure (step 5 of the admin guide: "Select agents to be configured by employee ID
 * or employee ID segment", then set their agent information):
 *
 *   { "select": ["10021", "10030-10039"],
 *     "set": { "platformRole"?, "agentType"?, "skillQueues"?, "intelligentRecognition"?,
 *              "singlePhoneSignIn"?, "anonymization"? } }
 *
 * Every employee ID selected must be an agent's, segments included: a missing one is an error
 * (`batch.select.unknown`), never a silent skip. The changed agents are then validated with
 * the whole tenant like a single agent (store.ts), so all change or none.
 */
import * as v from 'valibot';
import { agentFields } from './schema/agents.js';
import { fail, list, object, parseOrThrow, rule } from './schema/fields.js';
import type { Tenant } from './types.js';

/** A bigger selection is surely a typo in a segment. */
export const MAX_SELECTED = 1000;
const SELECTOR_TEXT = 'must be an employee ID (digits) or a segment such as 10020-10029';

const setFields = object({
  platformRole: v.optional(agentFields.platformRole),
  agentType: v.optional(agentFields.agentType),
  skillQueues: v.optional(agentFields.skillQueues),
  intelligentRecognition: v.optional(agentFields.intelligentRecognition),
  singlePhoneSignIn: v.optional(agentFields.singlePhoneSignIn),
  anonymization: v.optional(agentFields.anonymization),
});

export const batchSchema = object({
  select: v.pipe(
    list(v.pipe(v.string(`invalid ${SELECTOR_TEXT}`), v.regex(/^\d{1,20}(-\d{1,20})?$/, `invalid ${SELECTOR_TEXT}`))),
    v.minLength(1, 'required must list at least one employee ID or segment'),
  ),
  set: v.pipe(
    setFields,
    rule<v.InferOutput<typeof setFields>>((s) => (Object.values(s).some((x) => x !== undefined) ? undefined : { path: [], message: 'required must set at least one field of agent information' })),
  ),
});

/** The employee IDs of a segment `from-to`, keeping leading zeros when both ends have the same length. */
function expand(segment: string, field: string): string[] {
  const [from, to = from] = segment.split('-') as [string, string?];
  const lo = BigInt(from);
  const hi = BigInt(to);
  if (lo > hi) fail('batch.select.invalid', field, `(${segment}) must run from the lower employee ID to the higher`);
  if (hi - lo >= BigInt(MAX_SELECTED)) fail('batch.select.tooMany', field, `(${segment}) selects more than ${MAX_SELECTED} employee IDs`);
  const width = from.length === to.length ? from.length : 0;
  const out: string[] = [];
  for (let id = lo; id <= hi; id++) out.push(id.toString().padStart(width, '0'));
  return out;
}

/**
 * Applies the batch in `input` to `t` (a candidate copy) and returns the indexes of the agents
 * it changed, in list order. Throws an ApiFailure (400) for a malformed body or an employee ID
 * that is not an agent's; the changed tenant still has to be validated.
 */
export function configureAgents(t: Tenant, input: unknown): { indexes: number[] } {
  const body = parseOrThrow(batchSchema, input, 'batch');
  const indexes = new Set<number>();
  body.select.forEach((selector, k) => {
    const field = `select[${k}]`;
    for (const id of expand(selector, field)) {
      const i = t.agents.findIndex((a) => a.employeeId === id);
      if (i < 0) {
        const where = selector.includes('-') ? ` (in the segment ${selector})` : '';
        fail('batch.select.unknown', field, `selects ${id}${where}, which is not the employee ID of an agent of the tenant`);
      }
      indexes.add(i);
      if (indexes.size > MAX_SELECTED) fail('batch.select.tooMany', field, `selects more than ${MAX_SELECTED} agents`);
    }
  });
  const set = Object.fromEntries(Object.entries(body.set).filter(([, x]) => x !== undefined));
  for (const i of indexes) t.agents[i] = { ...t.agents[i]!, ...structuredClone(set) };
  return { indexes: [...indexes].sort((a, b) => a - b) };
}
