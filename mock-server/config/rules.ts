/**
 * The rules between objects of a tenant whose every object already has valid fields (see
 * schema/): unique keys, references between queues, routes, agents, channels and IVRs, the
 * media types of an agent's queues, and the tenant's allowances. Explicit steps in a fixed
 * order (IVRs, skill queues, called routes, agents, channels, auto-agents), so the same input
 * always gets the same first error.
 *
 * Within a collection, each object is compared with the ones checked before it, so a
 * duplicate is reported on the later copy and an allowance on the first agent past it. The
 * objects being changed (`focus`) are checked last: an error they cause is reported on them,
 * never on an untouched object that merely came first.
 */
import { fail, fullCode } from './schema/fields.js';
import { POLICY_KEYS } from './schema/queues.js';
import type { Agent, AccessCodeType, SkillQueueType, Tenant, TenantAllowances } from './types.js';

export type Collection = 'ivrs' | 'skillQueues' | 'calledRoutes' | 'agents' | 'channels' | 'autoAgents';

/** The objects being changed: indexes into one collection. */
export interface Focus {
  kind: Collection;
  indexes: readonly number[];
}

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

/** Agent types that use up a tenant allowance ("must have been applied during tenant resource application"). */
export const ALLOWANCE_OF: Partial<Record<Agent['agentType'], keyof TenantAllowances>> = {
  video: 'videoAgents',
  multimedia: 'multimediaAgents',
  versatile: 'versatileAgents',
};

/** Queue types an access code type may lead to ("the type of the skill queue is the same as that of the access code"). */
export const ROUTE_QUEUE_TYPES: Record<AccessCodeType, readonly SkillQueueType[]> = {
  multimedia: ['multimedia'],
  voice: ['voice'],
  video: ['video'],
  clickToDial: ['voiceClickToDial', 'videoClickToDial'],
};

/**
 * Each object of `list` with the ones checked before it: the untouched ones in list order,
 * then the focused ones.
 */
function inOrder<T>(list: readonly T[], kind: Collection, focus?: Focus): Array<[T, number, Array<[T, number]>]> {
  const last = focus?.kind === kind ? focus.indexes : [];
  const order = [...list.keys()].filter((i) => !last.includes(i)).concat([...last].sort((a, b) => a - b));
  return order.map((i, n) => [list[i]!, i, order.slice(0, n).map((j): [T, number] => [list[j]!, j])]);
}

/** The first of `before` with the same `key`, as its index. */
const sameAs = <T>(before: Array<[T, number]>, key: (x: T) => unknown, x: T): number | undefined => before.find(([y]) => key(y) === key(x))?.[1];

function queues(t: Tenant, focus?: Focus): void {
  for (const [ivr, i, before] of inOrder(t.ivrs, 'ivrs', focus)) {
    const j = sameAs(before, (x) => x.accessCode, ivr);
    if (j !== undefined) fail('ivr.accessCode.duplicate', `ivrs[${i}].accessCode`, `${ivr.accessCode} is already the access code of ivrs[${j}]`);
  }
  for (const [q, i, before] of inOrder(t.skillQueues, 'skillQueues', focus)) {
    const j = sameAs(before, (x) => x.name, q);
    if (j !== undefined) fail('queue.name.duplicate', `skillQueues[${i}].name`, `"${q.name}" is already the name of skillQueues[${j}]`);
  }
  // Overflow targets: an existing, different queue of the same type, or an existing IVR.
  for (const [q, i] of inOrder(t.skillQueues, 'skillQueues', focus)) {
    for (const key of POLICY_KEYS) {
      const p = q[key];
      if (p.processMethod !== 'transfer') continue;
      const field = `skillQueues[${i}].${key}.target`;
      if (p.deviceType === 'ivr') {
        if (!t.ivrs.some((v) => v.accessCode === p.target)) fail('queue.policy.target.unknownIvr', field, `"${p.target}" is not the access code of an IVR of the tenant`);
        continue;
      }
      const other = t.skillQueues.find((x) => x.name === p.target);
      if (!other) return fail('queue.policy.target.unknown', field, `"${p.target}" is not a skill queue of the tenant`);
      if (other === q) fail('queue.policy.target.self', field, 'cannot be the queue itself');
      if (other.type !== q.type) fail('queue.policy.target.typeMismatch', field, `"${p.target}" is a ${other.type} queue; a ${q.type} queue can only transfer to a ${q.type} queue`);
    }
  }
}

function routes(t: Tenant, focus?: Focus): void {
  for (const [r, i, before] of inOrder(t.calledRoutes, 'calledRoutes', focus)) {
    const j = sameAs(before, fullCode, r);
    const at = `calledRoutes[${i}]`;
    if (j !== undefined) {
      fail('route.fullCode.duplicate', `${at}.${r.extensionCode === undefined ? 'accessCode' : 'extensionCode'}`, `gives the full code ${fullCode(r)}, which calledRoutes[${j}] already resolves to`);
    }
    const q = t.skillQueues.find((x) => x.name === r.skillQueue);
    if (!q) return fail('route.skillQueue.unknown', `${at}.skillQueue`, `"${r.skillQueue}" is not a skill queue of the tenant`);
    const types = ROUTE_QUEUE_TYPES[r.accessCodeType];
    if (!types.includes(q.type))
      fail('route.skillQueue.typeMismatch', `${at}.skillQueue`, `"${r.skillQueue}" is a ${q.type} queue; a ${r.accessCodeType} access code needs a ${types.join(' or ')} queue`);
  }
}

/** One agent's skill queues: they exist, none twice, and one media family unless versatile. */
function agentQueues(t: Tenant, a: Agent, at: string): void {
  let first: { family: Family; name: string } | undefined;
  for (const [k, name] of a.skillQueues.entries()) {
    const field = `${at}.skillQueues[${k}]`;
    const q = t.skillQueues.find((x) => x.name === name);
    if (!q) return fail('agent.skillQueues.unknown', field, `"${name}" is not a skill queue of the tenant`);
    if (a.skillQueues.indexOf(name) < k) return fail('agent.skillQueues.duplicate', field, `"${name}" is listed twice`);
    const family = QUEUE_FAMILY[q.type];
    first ??= { family, name };
    if (a.agentType === 'versatile') continue;
    if (family !== first.family) {
      fail('agent.skillQueues.mixedMedia', field, `"${name}" is a ${q.type} queue but "${first.name}" is ${first.family}: only a versatile agent may mix media types`);
    }
    if (family !== a.agentType) {
      fail('agent.agentType.mismatch', `${at}.agentType`, `${a.agentType} cannot serve ${q.type} queue "${name}" (${family} agents or versatile agents can)`);
    }
  }
}

function agents(t: Tenant, focus?: Focus): void {
  for (const [a, i, before] of inOrder(t.agents, 'agents', focus)) {
    const at = `agents[${i}]`;
    let j = sameAs(before, (x) => x.account, a);
    if (j !== undefined) fail('agent.account.duplicate', `${at}.account`, `"${a.account}" is already the account of agents[${j}]`);
    j = sameAs(before, (x) => x.employeeId, a);
    if (j !== undefined) fail('agent.employeeId.duplicate', `${at}.employeeId`, `${a.employeeId} is already the employee id of agents[${j}]`);
    agentQueues(t, a, at);
    // The allowance is used up in order: the first agent past it is the one rejected.
    const allowance = ALLOWANCE_OF[a.agentType];
    if (allowance) {
      const nth = before.filter(([x]) => x.agentType === a.agentType).length + 1;
      const max = t.allowances[allowance];
      if (nth > max) {
        fail(`agent.allowance.${a.agentType}`, `${at}.agentType`, `${a.agentType} would be ${a.agentType} agent number ${nth}, past the tenant's allowance of ${max} (allowances.${allowance})`);
      }
    }
    if (a.intelligentRecognition) {
      const nth = before.filter(([x]) => x.intelligentRecognition).length + 1;
      const max = t.allowances.intelligentAgents;
      if (nth > max) {
        fail('agent.allowance.intelligent', `${at}.intelligentRecognition`, `true would make ${nth} intelligent agents, past the tenant's allowance of ${max} (allowances.intelligentAgents)`);
      }
    }
  }
}

/** `code` must be the full code of a multimedia called route ("a multimedia called party"). */
function multimediaParty(t: Tenant, code: string, field: string, prefix: string): void {
  const route = t.calledRoutes.find((r) => fullCode(r) === code);
  if (!route) return fail(`${prefix}.unknown`, field, `"${code}" is not the full code (access + extension) of a called route of the tenant`);
  if (route.accessCodeType !== 'multimedia') fail(`${prefix}.notMultimedia`, field, `"${code}" is a ${route.accessCodeType} called route; a multimedia one is needed`);
}

function channels(t: Tenant, focus?: Focus): void {
  for (const [c, i, before] of inOrder(t.channels, 'channels', focus)) {
    const at = `channels[${i}]`;
    let j = sameAs(before, (x) => x.id, c);
    if (j !== undefined) fail('channel.id.duplicate', `${at}.id`, `"${c.id}" is already the id of channels[${j}]`);
    j = sameAs(before, (x) => x.channelAccessCode, c);
    if (j !== undefined) fail('channel.channelAccessCode.duplicate', `${at}.channelAccessCode`, `"${c.channelAccessCode}" is already the access code of channels[${j}]`);
    multimediaParty(t, c.skillQueue, `${at}.skillQueue`, 'channel.skillQueue');
    // Click-to-dial: a voice click-to-dial queue takes voice calls only; a video one takes video and voice.
    const d = c.clickToDial;
    if (d?.calledParty === 'ivr' && !t.ivrs.some((v) => v.accessCode === d.ivrAccessCode)) {
      fail('channel.clickToDial.ivrAccessCode.unknownIvr', `${at}.clickToDial.ivrAccessCode`, `"${d.ivrAccessCode}" is not the access code of an IVR of the tenant`);
    }
    if (d?.calledParty === 'agent') {
      const field = `${at}.clickToDial.skillQueue`;
      const q = t.skillQueues.find((x) => x.name === d.skillQueue);
      if (!q) return fail('channel.clickToDial.skillQueue.unknown', field, `"${d.skillQueue}" is not a skill queue of the tenant`);
      if (q.type !== 'voiceClickToDial' && q.type !== 'videoClickToDial') {
        fail('channel.clickToDial.skillQueue.notClickToDial', field, `"${d.skillQueue}" is a ${q.type} queue; a voiceClickToDial or videoClickToDial queue is needed`);
      }
      if (q.type === 'voiceClickToDial' && d.media.includes('video')) {
        fail('channel.clickToDial.media.mismatch', `${at}.clickToDial.media`, `cannot include video: "${d.skillQueue}" is a voice click-to-dial queue`);
      }
    }
    if (c.robotAssistant) {
      multimediaParty(t, c.robotAssistant.silentAgentSkillQueue, `${at}.robotAssistant.silentAgentSkillQueue`, 'channel.robotAssistant.silentAgentSkillQueue');
    }
  }
}

function autoAgents(t: Tenant): void {
  for (const [a, i, before] of inOrder(t.autoAgents, 'autoAgents')) {
    const field = `autoAgents[${i}].account`;
    if (!t.agents.some((x) => x.account === a.account)) fail('autoAgent.account.unknown', field, `"${a.account}" is not the account of an agent of the tenant`);
    const j = sameAs(before, (x) => x.account, a);
    if (j !== undefined) fail('autoAgent.account.duplicate', field, `"${a.account}" is already simulated by autoAgents[${j}]`);
  }
}

/** Throws the first rule between objects that `t` breaks (an ApiFailure naming the field). */
export function checkRules(t: Tenant, focus?: Focus): void {
  queues(t, focus);
  routes(t, focus);
  agents(t, focus);
  channels(t, focus);
  autoAgents(t);
}

/** How many agents count against each allowance. */
export function allowanceUsage(t: Tenant): TenantAllowances {
  const used: TenantAllowances = { videoAgents: 0, multimediaAgents: 0, versatileAgents: 0, intelligentAgents: 0 };
  for (const a of t.agents) {
    const allowance = ALLOWANCE_OF[a.agentType];
    if (allowance) used[allowance]++;
    if (a.intelligentRecognition) used.intelligentAgents++;
  }
  return used;
}
