/**
 * What a new object gets for the fields it leaves out (POST of the admin API), as schemas that
 * only fill defaults; the object is then checked as a whole like any other.
 *
 * - skill queue: type voice, maxWaitTime 60, maxCallsInQueue 100, arrangingDuration 5, every
 *   policy release, answerMode noVoice (waiting tones and a policy's device type are defaults
 *   of the queue schema itself, so they apply to every change).
 * - called route: deviceType skillQueue.
 * - agent: platformRole commonAgent, the three switches off, employeeId the next free number
 *   (one above the highest numeric id, at least 10001).
 * - web channel: no transfer keywords, every optional feature off (null), a queue reminder
 *   every 10 s with a standard sentence, the five standard satisfaction level names.
 * - IVR: name "IVR <accessCode>".
 */
import * as v from 'valibot';
import type { Tenant } from '../types.js';

export const DEFAULT_QUEUE_REMINDER = { intervalSeconds: 10, content: 'Thanks for waiting, an agent will be with you shortly.' };
export const DEFAULT_SATISFACTION_LEVELS = ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'];

/** A field that gets `value` when left out; whatever is given is kept for the real schema to judge. */
const or = (value: unknown) => v.optional(v.unknown(), typeof value === 'object' && value !== null ? () => structuredClone(value) : value);
const release = { processMethod: 'release', deviceType: 'skillQueue' };

export const newSkillQueue = v.looseObject({
  type: or('voice'),
  maxWaitTime: or(60),
  maxCallsInQueue: or(100),
  arrangingDuration: or(5),
  onTimeout: or(release),
  onBusy: or(release),
  onNoAgents: or(release),
  answerMode: or('noVoice'),
});

export const newCalledRoute = v.looseObject({ deviceType: or('skillQueue') });

export function nextEmployeeId(t: Tenant): string {
  const ids = t.agents.map((a) => Number(a.employeeId)).filter(Number.isSafeInteger);
  return String(Math.max(10000, ...ids) + 1);
}

export const newAgent = (t: Tenant) =>
  v.looseObject({
    employeeId: v.optional(v.unknown(), () => nextEmployeeId(t)),
    platformRole: or('commonAgent'),
    intelligentRecognition: or(false),
    singlePhoneSignIn: or(false),
    anonymization: or(false),
  });

export const newChannel = v.looseObject({
  transferKeywords: or([]),
  clickToDial: or(null),
  dialogEnd: or(null),
  secretKey: or(null),
  workTime: or(null),
  // A reminder given in part gets the rest from the default one.
  queueReminder: v.optional(v.union([v.looseObject({ intervalSeconds: or(DEFAULT_QUEUE_REMINDER.intervalSeconds), content: or(DEFAULT_QUEUE_REMINDER.content) }), v.unknown()]), () => ({
    ...DEFAULT_QUEUE_REMINDER,
  })),
  chatbot: or(null),
  robotAssistant: or(null),
  satisfactionLevels: or(DEFAULT_SATISFACTION_LEVELS),
});

export const newIvr = v.pipe(
  v.looseObject({ accessCode: v.optional(v.unknown()) }),
  v.transform((o) => ({ name: `IVR ${String(o.accessCode ?? '')}`, ...o })),
);
