/** Called routes (Table 2 of the admin guide): an access code (+ extension) leading to a skill queue. */
import type { AccessCodeType, SkillQueueType, Tenant } from '../types.js';
import { DIGITS, DIGITS_TEXT, Scope, fullCode } from './check.js';

export const ACCESS_CODE_TYPES: readonly AccessCodeType[] = ['multimedia', 'voice', 'video', 'clickToDial'];

/** Queue types an access code type may lead to ("the type of the skill queue is the same as that of the access code"). */
export const ROUTE_QUEUE_TYPES: Record<AccessCodeType, readonly SkillQueueType[]> = {
  multimedia: ['multimedia'],
  voice: ['voice'],
  video: ['video'],
  clickToDial: ['voiceClickToDial', 'videoClickToDial'],
};

export function validateRoute(t: Tenant, i: number): void {
  const s = Scope.of('route', `calledRoutes[${i}]`, t.calledRoutes[i]);
  s.known(['accessCode', 'accessCodeType', 'extensionCode', 'deviceType', 'skillQueue']);
  s.str('accessCode', { pattern: DIGITS, text: DIGITS_TEXT });
  const type = s.oneOf('accessCodeType', ACCESS_CODE_TYPES);
  const ext = s.str('extensionCode', { optional: true, pattern: DIGITS, text: `${DIGITS_TEXT} or left out` });
  const code = fullCode(t.calledRoutes[i]!);
  const j = t.calledRoutes.slice(0, i).findIndex((r) => fullCode(r) === code);
  if (j >= 0) {
    s.raise('route.fullCode.duplicate', ext === undefined ? 'accessCode' : 'extensionCode', `gives the full code ${code}, which calledRoutes[${j}] already resolves to`);
  }
  s.oneOf('deviceType', ['skillQueue']);
  const name = s.str('skillQueue', { max: 20, text: 'must be the name of a skill queue' });
  const q = t.skillQueues.find((x) => x.name === name);
  if (!q) return s.fail('skillQueue', 'unknown', `"${name}" is not a skill queue of the tenant`);
  if (!ROUTE_QUEUE_TYPES[type].includes(q.type)) {
    s.fail('skillQueue', 'typeMismatch', `"${name}" is a ${q.type} queue; a ${type} access code needs a ${ROUTE_QUEUE_TYPES[type].join(' or ')} queue`);
  }
}

export function validateRoutes(t: Tenant): void {
  t.calledRoutes.forEach((_, i) => validateRoute(t, i));
}
