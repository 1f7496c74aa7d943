/**
 * Skill queues (Table 1 of the admin guide) and IVR flows. Fields of every queue are checked
 * before any queue's overflow targets, so a target is only compared with a well-formed queue.
 */
import type { SkillQueueType, Tenant } from '../types.js';
import { DIGITS, DIGITS_TEXT, Scope, isObj } from './check.js';

export const QUEUE_TYPES: readonly SkillQueueType[] = ['voice', 'multimedia', 'video', 'voiceClickToDial', 'videoClickToDial'];
export const POLICY_KEYS = ['onTimeout', 'onBusy', 'onNoAgents'] as const;
const QUEUE_FIELDS = [
  'name', 'maxWaitTime', 'maxCallsInQueue', 'description', 'type', 'arrangingDuration',
  ...POLICY_KEYS, 'queuingMethod', 'keepingMethod', 'answerMode',
];
/** Waiting tones exist for voice and video queues only (not multimedia, not click-to-dial). */
export const TONE_TYPES: readonly SkillQueueType[] = ['voice', 'video'];

const queueScope = (t: Tenant, i: number) => Scope.of('queue', `skillQueues[${i}]`, t.skillQueues[i]);

export function validateIvr(t: Tenant, i: number): void {
  const s = Scope.of('ivr', `ivrs[${i}]`, t.ivrs[i]);
  s.known(['accessCode', 'name']);
  const code = s.str('accessCode', { pattern: DIGITS, text: DIGITS_TEXT });
  const j = t.ivrs.slice(0, i).findIndex((x) => x.accessCode === code);
  if (j >= 0) s.fail('accessCode', 'duplicate', `${code} is already the access code of ivrs[${j}]`);
  s.str('name', { max: 50, text: 'must be 1–50 characters', rule: 'invalid' });
}

/** The queue's own fields (no references to other objects). */
export function validateQueueFields(t: Tenant, i: number): void {
  const s = queueScope(t, i);
  s.known(QUEUE_FIELDS);
  const name = s.str('name', { max: 20, pattern: /^\S+$/u, text: 'must be 1–20 characters without spaces' });
  const j = t.skillQueues.slice(0, i).findIndex((q) => q.name === name);
  if (j >= 0) s.fail('name', 'duplicate', `"${name}" is already the name of skillQueues[${j}]`);
  s.int('maxWaitTime', 1, 60000);
  s.int('maxCallsInQueue', 1, 10000);
  s.str('description', { max: 50 });
  const type = s.oneOf('type', QUEUE_TYPES);
  s.int('arrangingDuration', 0, 3600);
  for (const key of POLICY_KEYS) {
    const p = Scope.of('queue.policy', s.at(key), s.o[key]);
    p.known(['processMethod', 'deviceType', 'target']);
    const method = p.oneOf('processMethod', ['release', 'transfer']);
    const device = p.oneOf('deviceType', ['skillQueue', 'ivr']);
    // A target left over on a released policy (even "") is harmless; a transfer needs one.
    if (method === 'transfer') p.str('target', { max: 64, text: 'must be a skill queue name or an IVR access code' });
    else if (p.o.target !== undefined && typeof p.o.target !== 'string') p.fail('target', 'type', 'must be a string or left out');
    if (method === 'transfer' && device === 'ivr' && type === 'multimedia') {
      p.raise('queue.policy.ivrNotAllowed', 'deviceType', 'cannot be ivr: a multimedia queue can only transfer to a skill queue');
    }
  }
  for (const key of ['queuingMethod', 'keepingMethod'] as const) {
    if (s.o[key] !== undefined && !TONE_TYPES.includes(type)) {
      s.fail(key, 'notAllowed', `is only for voice and video queues, not ${type} (leave it out)`);
    }
  }
  s.oneOf('queuingMethod', ['defaultTone', 'customTone', 'ivr'], true);
  s.oneOf('keepingMethod', ['defaultTone', 'customTone'], true);
  s.oneOf('answerMode', ['reportEmployeeId', 'noVoice']);
}

/** Overflow targets: an existing, different queue of the same type, or an existing IVR. */
export function validateQueueTargets(t: Tenant, i: number): void {
  const q = t.skillQueues[i]!;
  for (const key of POLICY_KEYS) {
    const policy = q[key];
    if (policy.processMethod !== 'transfer') continue;
    const p: Scope = new Scope('queue.policy', `skillQueues[${i}].${key}`, policy as unknown as Record<string, unknown>);
    const target = policy.target!;
    if (policy.deviceType === 'ivr') {
      if (!t.ivrs.some((v) => v.accessCode === target)) p.fail('target', 'unknownIvr', `"${target}" is not the access code of an IVR of the tenant`);
      continue;
    }
    const other = t.skillQueues.find((x) => isObj(x) && x.name === target);
    if (!other) p.fail('target', 'unknown', `"${target}" is not a skill queue of the tenant`);
    if (other === q) p.fail('target', 'self', 'cannot be the queue itself');
    if (other.type !== q.type) p.fail('target', 'typeMismatch', `"${target}" is a ${other.type} queue; a ${q.type} queue can only transfer to a ${q.type} queue`);
  }
}

export function validateQueues(t: Tenant): void {
  t.ivrs.forEach((_, i) => validateIvr(t, i));
  t.skillQueues.forEach((_, i) => validateQueueFields(t, i));
  t.skillQueues.forEach((_, i) => validateQueueTargets(t, i));
}
