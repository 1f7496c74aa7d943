/**
 * What the store needs to know about each collection of the tenant: its key, the defaults a
 * new object gets, which nulls mean "off", and what still refers to an object being removed.
 *
 * Defaults on create (a field left out, or sent as null / "" where null is not "off"):
 * - skill queue: skillQueueDefaults() (maxWaitTime 60, maxCallsInQueue 100, arrangingDuration 5,
 *   every policy release, answerMode noVoice), type voice, and for voice / video queues
 *   queuingMethod and keepingMethod defaultTone; a policy sent without processMethod or
 *   deviceType gets release / skillQueue.
 * - called route: deviceType skillQueue.
 * - agent: platformRole commonAgent, the three switches off, employeeId the next free number
 *   (one above the highest numeric id, at least 10001).
 * - web channel: no transfer keywords, every optional feature off (clickToDial, dialogEnd,
 *   secretKey, workTime, chatbot, robotAssistant: null), queueReminder every 10 s with a
 *   standard sentence, the five standard satisfaction level names.
 * - IVR: name "IVR <accessCode>".
 */
import { skillQueueDefaults } from './seed.js';
import type { Tenant } from './types.js';
import { fullCode, isObj, type Obj } from './validate/check.js';
import { TONE_TYPES, POLICY_KEYS } from './validate/queues.js';

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
  defaults(input: Obj, t: Tenant): Obj;
  refs(t: Tenant, key: string): Ref | undefined;
}

export const DEFAULT_QUEUE_REMINDER = { intervalSeconds: 10, content: 'Thanks for waiting, an agent will be with you shortly.' };
export const DEFAULT_SATISFACTION_LEVELS = ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'];

/** `input` with `defaults` added for the fields it leaves out (the input's own order first). */
function fill(input: Obj, defaults: Obj): Obj {
  const out: Obj = { ...input };
  for (const [k, v] of Object.entries(defaults)) if (!(k in out)) out[k] = v;
  return out;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));

function nextEmployeeId(t: Tenant): string {
  const ids = t.agents.map((a) => Number(a.employeeId)).filter(Number.isSafeInteger);
  return String(Math.max(10000, ...ids) + 1);
}

function queueDefaults(input: Obj): Obj {
  const base = skillQueueDefaults();
  const type = input.type ?? 'voice';
  const tones = TONE_TYPES.includes(type as never) ? { queuingMethod: 'defaultTone', keepingMethod: 'defaultTone' } : {};
  const out = fill(input, { ...base, type, ...tones });
  for (const key of POLICY_KEYS) {
    const p = input[key];
    if (isObj(p)) out[key] = { ...base[key], ...p };
  }
  return out;
}

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
    defaults: queueDefaults,
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
    defaults: (input) => fill(input, { deviceType: 'skillQueue' }),
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
    defaults: (input, t) =>
      fill(input, {
        employeeId: nextEmployeeId(t),
        platformRole: 'commonAgent',
        intelligentRecognition: false,
        singlePhoneSignIn: false,
        anonymization: false,
      }),
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
    defaults: (input) => {
      const out = fill(input, {
        transferKeywords: [],
        clickToDial: null,
        dialogEnd: null,
        secretKey: null,
        workTime: null,
        queueReminder: { ...DEFAULT_QUEUE_REMINDER },
        chatbot: null,
        robotAssistant: null,
        satisfactionLevels: [...DEFAULT_SATISFACTION_LEVELS],
      });
      if (isObj(out.queueReminder)) out.queueReminder = fill(out.queueReminder, DEFAULT_QUEUE_REMINDER);
      return out;
    },
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
    defaults: (input) => fill(input, { name: `IVR ${str(input.accessCode)}` }),
    refs: ivrRefs,
  },
};

/** Drops what means "left out": null (unless null is "off") and "" in optional strings. */
export function normalize(spec: KindSpec, o: Obj): Obj {
  const out: Obj = {};
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
