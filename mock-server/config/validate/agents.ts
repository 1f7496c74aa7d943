/** Agents (Table 3 of the admin guide): role, type, account, skill queues and tenant allowances. */
import type { Agent, SkillQueueType, Tenant, TenantAllowances } from '../types.js';
import { Scope, isObj } from './check.js';

type AgentType = Agent['agentType'];
type Family = 'audio' | 'video' | 'multimedia';

/**
 * The media family of a queue. Click-to-dial queues carry calls, so they belong with their
 * call media: voice + voiceClickToDial are audio, video + videoClickToDial are video. A
 * non-versatile agent's queues must all be of one family, and it must be the agent's own
 * (an audio agent serves audio queues, a video agent video ones, a multimedia agent
 * multimedia ones); a versatile agent may mix any.
 */
export const QUEUE_FAMILY: Record<SkillQueueType, Family> = {
  voice: 'audio',
  voiceClickToDial: 'audio',
  video: 'video',
  videoClickToDial: 'video',
  multimedia: 'multimedia',
};

/** Agent types that use up a tenant allowance, with the allowance and the errorCode suffix. */
export const ALLOWANCE_OF: Partial<Record<AgentType, { field: keyof TenantAllowances; code: string }>> = {
  video: { field: 'videoAgents', code: 'video' },
  multimedia: { field: 'multimediaAgents', code: 'multimedia' },
  versatile: { field: 'versatileAgents', code: 'versatile' },
};

const AGENT_FIELDS = [
  'account', 'name', 'employeeId', 'platformRole', 'agentType', 'phone',
  'intelligentRecognition', 'singlePhoneSignIn', 'anonymization', 'skillQueues',
];

export function validateAgent(t: Tenant, i: number): void {
  const s = Scope.of('agent', `agents[${i}]`, t.agents[i]);
  const before = t.agents.slice(0, i);
  s.known(AGENT_FIELDS);
  const account = s.str('account', { max: 64, pattern: /^\S+$/u, text: 'must be 1–64 characters without spaces' });
  let j = before.findIndex((a) => a.account === account);
  if (j >= 0) s.fail('account', 'duplicate', `"${account}" is already the account of agents[${j}]`);
  s.str('name', { optional: true, max: 50, text: 'must be 1–50 characters or left out', rule: 'invalid' });
  const employeeId = s.str('employeeId', { pattern: /^\d{1,20}$/, text: 'must be 1–20 digits' });
  j = before.findIndex((a) => a.employeeId === employeeId);
  if (j >= 0) s.fail('employeeId', 'duplicate', `${employeeId} is already the employee id of agents[${j}]`);
  s.oneOf('platformRole', ['commonAgent', 'qualityChecker', 'calloutAgent']);
  const type = s.oneOf('agentType', ['audio', 'video', 'multimedia', 'versatile'] as const);
  s.str('phone', { optional: true, pattern: /^(?=.*\d)[\d+\- ]{1,32}$/, text: 'must be up to 32 digits, +, - and spaces, or left out' });
  const intelligent = s.bool('intelligentRecognition');
  s.bool('singlePhoneSignIn');
  s.bool('anonymization');

  const names = s.arr('skillQueues');
  if (names.length === 0) s.fail('skillQueues', 'required', 'must list at least one skill queue');
  let first: { family: Family; name: string } | undefined;
  names.forEach((name, k) => {
    const key = `skillQueues[${k}]`;
    if (typeof name !== 'string') return s.raise('agent.skillQueues.type', key, 'must be a skill queue name (a string)');
    const q = t.skillQueues.find((x) => x.name === name);
    if (!q) return s.raise('agent.skillQueues.unknown', key, `"${name}" is not a skill queue of the tenant`);
    if (names.indexOf(name) < k) return s.raise('agent.skillQueues.duplicate', key, `"${name}" is listed twice`);
    const family = QUEUE_FAMILY[q.type];
    first ??= { family, name };
    if (type === 'versatile') return;
    if (family !== first.family) {
      s.raise('agent.skillQueues.mixedMedia', key, `"${name}" is a ${q.type} queue but "${first.name}" is ${first.family}: only a versatile agent may mix media types`);
    }
    if (family !== type) s.raise('agent.agentType.mismatch', 'agentType', `${type} cannot serve ${q.type} queue "${name}" (${family} agents or versatile agents can)`);
  });

  // The allowance is used up in list order: the first agent past it is the one rejected.
  const allowance = ALLOWANCE_OF[type];
  if (allowance) {
    const nth = before.filter((a) => isObj(a) && a.agentType === type).length + 1;
    const max = t.allowances[allowance.field];
    if (nth > max) s.raise(`agent.allowance.${allowance.code}`, 'agentType', `${type} would be ${type} agent number ${nth}, past the tenant's allowance of ${max} (allowances.${allowance.field})`);
  }
  if (intelligent) {
    const nth = before.filter((a) => isObj(a) && a.intelligentRecognition === true).length + 1;
    const max = t.allowances.intelligentAgents;
    if (nth > max) s.raise('agent.allowance.intelligent', 'intelligentRecognition', `true would make ${nth} intelligent agents, past the tenant's allowance of ${max} (allowances.intelligentAgents)`);
  }
}

export function validateAgents(t: Tenant): void {
  t.agents.forEach((_, i) => validateAgent(t, i));
}
