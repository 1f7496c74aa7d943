/**
 * Skill queues (Table 1 of the admin guide), called routes (Table 2) and IVR flows: the fields
 * of each object. References between objects are checked in ../rules.ts.
 */
import * as v from 'valibot';
import { DIGITS, DIGITS_TEXT, int, object, oneOf, optStr, rule, str } from './fields.js';

export const QUEUE_TYPES = ['voice', 'multimedia', 'video', 'voiceClickToDial', 'videoClickToDial'] as const;
export type SkillQueueType = (typeof QUEUE_TYPES)[number];
export const POLICY_KEYS = ['onTimeout', 'onBusy', 'onNoAgents'] as const;
/** "The waiting tones can be set only for voice and video skill queues." */
export const TONE_TYPES: readonly SkillQueueType[] = ['voice', 'video'];

/**
 * What happens when a customer cannot be served (timeout, busy, no agents). Device type and
 * target matter only for a transfer: a policy of `{processMethod: "release"}` is complete.
 */
const policyFields = object({
  processMethod: v.optional(oneOf(['release', 'transfer']), 'release'),
  deviceType: v.optional(oneOf(['skillQueue', 'ivr']), 'skillQueue'),
  /** Skill queue name or IVR access code; required for `transfer`. */
  target: v.optional(v.string('type must be a string or left out')),
});

export const overflowPolicySchema = v.pipe(
  policyFields,
  rule<v.InferOutput<typeof policyFields>>((p) => {
    if (p.processMethod !== 'transfer') return undefined;
    if ((p.target ?? '').trim() === '') return { path: ['target'], message: 'required is required for a transfer' };
    if (p.target!.length > 64) return { path: ['target'], message: 'tooLong must be a skill queue name or an IVR access code' };
    return undefined;
  }),
);

const queueFields = object({
  name: str({ max: 20, pattern: /^\S+$/u, text: 'must be 1–20 characters without spaces' }),
  /** Seconds, 1–60000 (60 on create). */
  maxWaitTime: int(1, 60000),
  maxCallsInQueue: int(1, 10000),
  description: str({ max: 50 }),
  type: oneOf(QUEUE_TYPES),
  /** Wrap-up seconds after a session, 0–3600. */
  arrangingDuration: int(0, 3600),
  onTimeout: overflowPolicySchema,
  onBusy: overflowPolicySchema,
  onNoAgents: overflowPolicySchema,
  /** Voice and video queues only, where they default to the default tones. */
  queuingMethod: v.optional(oneOf(['defaultTone', 'customTone', 'ivr'])),
  keepingMethod: v.optional(oneOf(['defaultTone', 'customTone'])),
  answerMode: oneOf(['reportEmployeeId', 'noVoice']),
});

export const skillQueueSchema = v.pipe(
  queueFields,
  rule<v.InferOutput<typeof queueFields>>((q) => {
    for (const key of POLICY_KEYS) {
      // "Calls in multimedia skill queues can be transferred only to skill queues."
      const p = q[key];
      if (q.type === 'multimedia' && p.processMethod === 'transfer' && p.deviceType === 'ivr') {
        return { path: [key, 'deviceType'], message: 'queue.policy.ivrNotAllowed cannot be ivr: a multimedia queue can only transfer to a skill queue' };
      }
    }
    for (const key of ['queuingMethod', 'keepingMethod'] as const) {
      if (q[key] !== undefined && !TONE_TYPES.includes(q.type)) {
        return { path: [key], message: `notAllowed is only for voice and video queues, not ${q.type} (leave it out)` };
      }
    }
    return undefined;
  }),
  v.transform((q) => (TONE_TYPES.includes(q.type) ? { ...q, queuingMethod: q.queuingMethod ?? 'defaultTone', keepingMethod: q.keepingMethod ?? 'defaultTone' } : q)),
);

export const ACCESS_CODE_TYPES = ['multimedia', 'voice', 'video', 'clickToDial'] as const;
export type AccessCodeType = (typeof ACCESS_CODE_TYPES)[number];

export const calledRouteSchema = object({
  accessCode: str({ pattern: DIGITS, text: DIGITS_TEXT }),
  accessCodeType: oneOf(ACCESS_CODE_TYPES),
  extensionCode: optStr({ pattern: DIGITS, text: `${DIGITS_TEXT} or left out` }),
  deviceType: oneOf(['skillQueue']),
  skillQueue: str({ max: 20, text: 'must be the name of a skill queue' }),
});

export const ivrSchema = object({
  accessCode: str({ pattern: DIGITS, text: DIGITS_TEXT }),
  name: str({ max: 50, text: 'must be 1–50 characters', rule: 'invalid' }),
});
