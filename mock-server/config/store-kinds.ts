/**
 * What the store needs to know about each collection of the tenant: its key, the defaults a
 * new object gets (schema/defaults.ts), which nulls mean "off", and what still refers to an
 * object being removed.
 */
import * as v from 'valibot';
import { newAgent, newCalledRoute, newChannel, newIvr, newSkillQueue } from './schema/defaults.js';
import { fullCode, type Obj } from './schema/fields.js';
import { POLICY_KEYS } from './schema/queues.js';
import type { Tenant } from './types.js';

export type Kind = 'skillQueues' | 'calledRoutes' | 'agents' | 'channels' | 'ivrs';
export type ItemOf<K extends Kind> = Tenant[K][number];

/** Something that still refers to an object being removed. */
export interface Ref {
  errorCode: string;
  field: string;
  what: string;
}

export interface KindSpec {
  /** errorCode prefix: `queue`, `route`, `agent`, `channel`, `ivr`. */
  code: string;
  noun: string;
  /** Name of the key in errorCodes and messages. */
  keyName: string;
  /** Fields the key is made of (a route's full code is access + extension code). */
  keyFields: string[];
  keyOf(o: Obj): string;
  /** Fields where null is a value ("off"), not "left out". */
  nullable: string[];
  /** Optional string fields where "" means "left out". */
  optional: string[];
  /** Fills what a new object leaves out. */
  defaults(input: Obj, t: Tenant): Obj;
  refs(t: Tenant, key: string): Ref | undefined;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));
const fill = (schema: v.GenericSchema<unknown, object>) => (input: Obj) => v.parse(schema, input) as Obj;

function queueRefs(t: Tenant, name: string): Ref | undefined {
  for (const [i, r] of t.calledRoutes.entries()) {
    if (r.skillQueue === name) return { errorCode: 'queue.inUse.route', field: `calledRoutes[${i}].skillQueue`, what: `called route ${fullCode(r)}` };
  }
  for (const [i, a] of t.agents.entries()) {
    const j = a.skillQueues.indexOf(name);
    if (j >= 0) return { errorCode: 'queue.inUse.agent', field: `agents[${i}].skillQueues[${j}]`, what: `agent ${a.account}` };
  }
  for (const [i, q] of t.skillQueues.entries()) {
    for (const key of POLICY_KEYS) {
      const p = q[key];
      if (q.name !== name && p.processMethod === 'transfer' && p.deviceType === 'skillQueue' && p.target === name) {
        return { errorCode: 'queue.inUse.transfer', field: `skillQueues[${i}].${key}.target`, what: `the ${key} policy of skill queue ${q.name}` };
      }
    }
  }
  for (const [i, c] of t.channels.entries()) {
    if (c.clickToDial?.calledParty === 'agent' && c.clickToDial.skillQueue === name) {
      return { errorCode: 'queue.inUse.channel', field: `channels[${i}].clickToDial.skillQueue`, what: `the click-to-dial setting of channel ${c.id}` };
    }
  }
  return undefined;
}

function routeRefs(t: Tenant, code: string): Ref | undefined {
  for (const [i, c] of t.channels.entries()) {
    if (c.skillQueue === code) return { errorCode: 'route.inUse.channel', field: `channels[${i}].skillQueue`, what: `channel ${c.id}` };
    if (c.robotAssistant?.silentAgentSkillQueue === code) {
      return { errorCode: 'route.inUse.channel', field: `channels[${i}].robotAssistant.silentAgentSkillQueue`, what: `the robot assistant of channel ${c.id}` };
    }
  }
  return undefined;
}

function agentRefs(t: Tenant, account: string): Ref | undefined {
  const i = t.autoAgents.findIndex((a) => a.account === account);
  return i < 0 ? undefined : { errorCode: 'agent.inUse.autoAgent', field: `autoAgents[${i}].account`, what: 'a simulated auto-agent' };
}

function ivrRefs(t: Tenant, code: string): Ref | undefined {
  for (const [i, q] of t.skillQueues.entries()) {
    for (const key of POLICY_KEYS) {
      const p = q[key];
      if (p.processMethod === 'transfer' && p.deviceType === 'ivr' && p.target === code) {
        return { errorCode: 'ivr.inUse.transfer', field: `skillQueues[${i}].${key}.target`, what: `the ${key} policy of skill queue ${q.name}` };
      }
    }
  }
  for (const [i, c] of t.channels.entries()) {
    if (c.clickToDial?.calledParty === 'ivr' && c.clickToDial.ivrAccessCode === code) {
      return { errorCode: 'ivr.inUse.channel', field: `channels[${i}].clickToDial.ivrAccessCode`, what: `the click-to-dial setting of channel ${c.id}` };
    }
  }
  return undefined;
}

export const KINDS: Record<Kind, KindSpec> = {
  skillQueues: {
    code: 'queue',
    noun: 'skill queue',
    keyName: 'name',
    keyFields: ['name'],
    keyOf: (o) => str(o.name),
    nullable: [],
    optional: ['queuingMethod', 'keepingMethod'],
    defaults: fill(newSkillQueue),
    refs: queueRefs,
  },
  calledRoutes: {
    code: 'route',
    noun: 'called route',
    keyName: 'fullCode',
    keyFields: ['accessCode', 'extensionCode'],
    keyOf: (o) => fullCode(o),
    nullable: [],
    optional: ['extensionCode'],
    defaults: fill(newCalledRoute),
    refs: routeRefs,
  },
  agents: {
    code: 'agent',
    noun: 'agent',
    keyName: 'account',
    keyFields: ['account'],
    keyOf: (o) => str(o.account),
    nullable: [],
    optional: ['name', 'phone'],
    defaults: (input, t) => fill(newAgent(t))(input),
    refs: agentRefs,
  },
  channels: {
    code: 'channel',
    noun: 'web channel',
    keyName: 'id',
    keyFields: ['id'],
    keyOf: (o) => str(o.id),
    nullable: ['clickToDial', 'dialogEnd', 'secretKey', 'workTime', 'chatbot', 'robotAssistant'],
    optional: [],
    defaults: fill(newChannel),
    refs: () => undefined,
  },
  ivrs: {
    code: 'ivr',
    noun: 'IVR',
    keyName: 'accessCode',
    keyFields: ['accessCode'],
    keyOf: (o) => str(o.accessCode),
    nullable: [],
    optional: [],
    defaults: fill(newIvr),
    refs: ivrRefs,
  },
};

/**
 * Drops what means "left out": null (unless null is "off") and "" in optional strings. The copy
 * has no prototype, so a key such as `__proto__` stays a key (which validation then refuses as
 * an unknown field) instead of becoming the object's prototype.
 */
export function normalize(spec: KindSpec, o: Obj): Obj {
  const out: Obj = Object.create(null);
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || (v === null && !spec.nullable.includes(k))) continue;
    if (v === '' && spec.optional.includes(k)) continue;
    out[k] = v;
  }
  return out;
}

/** URL segment of each collection in the admin API. */
export const KIND_PATHS: Record<string, Kind> = {
  'skill-queues': 'skillQueues',
  'called-routes': 'calledRoutes',
  agents: 'agents',
  channels: 'channels',
  ivrs: 'ivrs',
};
