/**
 * Every rule of requirements.md part A, table-driven: each row starts from the seeded tenant,
 * applies a small mutation that keeps it valid (usually the boundary value) and one that
 * breaks exactly that rule, and checks the errorCode and the field of the first error.
 */
import { describe, expect, it } from 'vitest';
import { seedTenant, skillQueueDefaults } from '../../../mock-server/config/seed.js';
import type { Tenant } from '../../../mock-server/config/types.js';
import { toApiError, validateTenant } from '../../../mock-server/config/validate.js';
import { ApiFailure } from '../../../mock-server/runtime/errors.js';

// Mutations write wrong JavaScript types on purpose (input comes from JSON).
type Mut = (t: any) => void;
interface Row {
  rule: string;
  ok: Mut;
  bad: Mut;
  code: string;
  field: string;
}

function errorOf(t: unknown): ApiFailure | undefined {
  try {
    validateTenant(t);
    return undefined;
  } catch (e) {
    if (e instanceof ApiFailure) return e;
    throw e;
  }
}

const x = (n: number) => 'x'.repeat(n);
/** Adds skillQueues[3], a voice queue nothing refers to. */
const extra =
  (patch: object = {}): Mut =>
  (t) =>
    t.skillQueues.push({ ...skillQueueDefaults(), name: 'Extra', description: 'Extra queue', type: 'voice', ...patch });
const set =
  (get: (t: any) => any, key: string, value: unknown): Mut =>
  (t) =>
    void (get(t)[key] = value);
const del =
  (get: (t: any) => any, key: string): Mut =>
  (t) =>
    void delete get(t)[key];
const both =
  (...fs: Mut[]): Mut =>
  (t) => {
    for (const f of fs) f(t);
  };

const q3 = (t: any) => t.skillQueues[3];
const billing = (t: any) => t.skillQueues[1];
const route = (i: number) => (t: any) => t.calledRoutes[i];
const alice = (t: any) => t.agents[0];
const bob = (t: any) => t.agents[1];
const demo = (t: any) => t.channels[0];
const bot = (t: any) => t.channels[0].chatbot;
const policy =
  (queue: (t: any) => any, key: string, p: object): Mut =>
  (t) =>
    void (queue(t)[key] = { processMethod: 'transfer', deviceType: 'skillQueue', ...p });
const seg = (start: string, end: string) => ({ start, end });
const workTime = (patch: object = {}): Mut =>
  set(demo, 'workTime', {
    timeZone: 'Asia/Shanghai',
    workdays: [1, 2, 3, 4, 5],
    workday: [seg('09:00', '12:00'), seg('13:00', '18:00')],
    nonWorkday: [],
    nonWorkingNotice: 'We are closed.',
    ...patch,
  });
const clickToDial = (p: object): Mut => set(demo, 'clickToDial', { calledParty: 'agent', skillQueue: 'WebCallback', media: ['voice'], ...p });
const addVideoAgent = both(extra({ name: 'VideoQ', type: 'video' }), (t) => t.agents.push({ ...t.agents[0], account: 'carol', employeeId: '10023', agentType: 'video', skillQueues: ['VideoQ'] }));
const rule = (i: number) => (t: any) => t.channels[0].chatbot.rules[i];

const rows: Row[] = [
  // tenant
  { rule: 'collections are arrays', ok: set((t) => t, 'autoAgents', []), bad: set((t) => t, 'autoAgents', 'none'), code: 'tenant.autoAgents.type', field: 'autoAgents' },
  { rule: 'no unknown top-level field', ok: () => {}, bad: set((t) => t, 'extra', 1), code: 'tenant.unknownField', field: 'extra' },
  {
    rule: 'allowances are non-negative integers',
    ok: set((t) => t.allowances, 'videoAgents', 0),
    bad: set((t) => t.allowances, 'videoAgents', -1),
    code: 'allowances.videoAgents.range',
    field: 'allowances.videoAgents',
  },
  {
    rule: 'allowance is a number',
    ok: set((t) => t.allowances, 'intelligentAgents', 5),
    bad: set((t) => t.allowances, 'intelligentAgents', '2'),
    code: 'allowances.intelligentAgents.type',
    field: 'allowances.intelligentAgents',
  },
  // IVR
  { rule: 'IVR access code is digits', ok: set((t) => t.ivrs[0], 'accessCode', '9002'), bad: set((t) => t.ivrs[0], 'accessCode', '90a1'), code: 'ivr.accessCode.invalid', field: 'ivrs[0].accessCode' },
  {
    rule: 'IVR access code is unique',
    ok: (t) => t.ivrs.push({ accessCode: '9002', name: 'B' }),
    bad: (t) => t.ivrs.push({ accessCode: '9001', name: 'B' }),
    code: 'ivr.accessCode.duplicate',
    field: 'ivrs[1].accessCode',
  },
  { rule: 'IVR name 1–50 characters', ok: set((t) => t.ivrs[0], 'name', x(50)), bad: set((t) => t.ivrs[0], 'name', x(51)), code: 'ivr.name.invalid', field: 'ivrs[0].name' },
  // skill queue fields
  { rule: 'queue is an object', ok: extra(), bad: (t) => t.skillQueues.push('Extra'), code: 'queue.notObject', field: 'skillQueues[3]' },
  { rule: 'name required', ok: extra({ name: 'E' }), bad: extra({ name: '' }), code: 'queue.name.required', field: 'skillQueues[3].name' },
  { rule: 'name is a string', ok: extra({ name: '42' }), bad: extra({ name: 42 }), code: 'queue.name.type', field: 'skillQueues[3].name' },
  { rule: 'name at most 20 characters', ok: extra({ name: x(20) }), bad: extra({ name: x(21) }), code: 'queue.name.invalid', field: 'skillQueues[3].name' },
  { rule: 'name without spaces', ok: extra({ name: 'No_space' }), bad: extra({ name: 'Has space' }), code: 'queue.name.invalid', field: 'skillQueues[3].name' },
  { rule: 'name unique', ok: extra({ name: 'billing' }), bad: extra({ name: 'Billing' }), code: 'queue.name.duplicate', field: 'skillQueues[3].name' },
  { rule: 'maxWaitTime ≥ 1', ok: extra({ maxWaitTime: 1 }), bad: extra({ maxWaitTime: 0 }), code: 'queue.maxWaitTime.range', field: 'skillQueues[3].maxWaitTime' },
  { rule: 'maxWaitTime ≤ 60000', ok: extra({ maxWaitTime: 60000 }), bad: extra({ maxWaitTime: 60001 }), code: 'queue.maxWaitTime.range', field: 'skillQueues[3].maxWaitTime' },
  { rule: 'maxWaitTime integer', ok: extra({ maxWaitTime: 2 }), bad: extra({ maxWaitTime: 1.5 }), code: 'queue.maxWaitTime.range', field: 'skillQueues[3].maxWaitTime' },
  { rule: 'maxWaitTime is a number', ok: extra({ maxWaitTime: 60 }), bad: extra({ maxWaitTime: '60' }), code: 'queue.maxWaitTime.type', field: 'skillQueues[3].maxWaitTime' },
  { rule: 'maxWaitTime required', ok: extra(), bad: both(extra(), del(q3, 'maxWaitTime')), code: 'queue.maxWaitTime.required', field: 'skillQueues[3].maxWaitTime' },
  { rule: 'maxCallsInQueue 1–10000', ok: extra({ maxCallsInQueue: 10000 }), bad: extra({ maxCallsInQueue: 10001 }), code: 'queue.maxCallsInQueue.range', field: 'skillQueues[3].maxCallsInQueue' },
  { rule: 'description required', ok: extra({ description: 'd' }), bad: extra({ description: ' ' }), code: 'queue.description.required', field: 'skillQueues[3].description' },
  { rule: 'description at most 50', ok: extra({ description: x(50) }), bad: extra({ description: x(51) }), code: 'queue.description.tooLong', field: 'skillQueues[3].description' },
  { rule: 'type enum', ok: extra({ type: 'video' }), bad: extra({ type: 'chat' }), code: 'queue.type.invalid', field: 'skillQueues[3].type' },
  { rule: 'arrangingDuration ≥ 0', ok: extra({ arrangingDuration: 0 }), bad: extra({ arrangingDuration: -1 }), code: 'queue.arrangingDuration.range', field: 'skillQueues[3].arrangingDuration' },
  {
    rule: 'arrangingDuration ≤ 3600',
    ok: extra({ arrangingDuration: 3600 }),
    bad: extra({ arrangingDuration: 3601 }),
    code: 'queue.arrangingDuration.range',
    field: 'skillQueues[3].arrangingDuration',
  },
  { rule: 'policy is an object', ok: extra(), bad: extra({ onTimeout: null }), code: 'queue.policy.notObject', field: 'skillQueues[3].onTimeout' },
  {
    rule: 'processMethod enum',
    ok: extra({ onBusy: { processMethod: 'release', deviceType: 'ivr' } }),
    bad: extra({ onBusy: { processMethod: 'drop', deviceType: 'ivr' } }),
    code: 'queue.policy.processMethod.invalid',
    field: 'skillQueues[3].onBusy.processMethod',
  },
  {
    rule: 'deviceType enum',
    ok: extra({ onBusy: { processMethod: 'release', deviceType: 'ivr' } }),
    bad: extra({ onBusy: { processMethod: 'release', deviceType: 'agent' } }),
    code: 'queue.policy.deviceType.invalid',
    field: 'skillQueues[3].onBusy.deviceType',
  },
  {
    rule: 'transfer needs a target',
    ok: policy(billing, 'onNoAgents', { target: 'WebSupport' }),
    bad: policy(billing, 'onNoAgents', {}),
    code: 'queue.policy.target.required',
    field: 'skillQueues[1].onNoAgents.target',
  },
  {
    rule: 'multimedia transfers only to a queue',
    ok: extra({ onTimeout: { processMethod: 'transfer', deviceType: 'ivr', target: '9001' } }),
    bad: policy(billing, 'onTimeout', { deviceType: 'ivr', target: '9001' }),
    code: 'queue.policy.ivrNotAllowed',
    field: 'skillQueues[1].onTimeout.deviceType',
  },
  {
    rule: 'target queue exists',
    ok: policy(billing, 'onTimeout', { target: 'WebSupport' }),
    bad: policy(billing, 'onTimeout', { target: 'Nope' }),
    code: 'queue.policy.target.unknown',
    field: 'skillQueues[1].onTimeout.target',
  },
  {
    rule: 'target is another queue',
    ok: policy(billing, 'onBusy', { target: 'WebSupport' }),
    bad: policy(billing, 'onBusy', { target: 'Billing' }),
    code: 'queue.policy.target.self',
    field: 'skillQueues[1].onBusy.target',
  },
  {
    rule: 'target queue of the same type',
    ok: policy(billing, 'onBusy', { target: 'WebSupport' }),
    bad: policy(billing, 'onBusy', { target: 'WebCallback' }),
    code: 'queue.policy.target.typeMismatch',
    field: 'skillQueues[1].onBusy.target',
  },
  {
    rule: 'IVR target exists',
    ok: extra({ onTimeout: { processMethod: 'transfer', deviceType: 'ivr', target: '9001' } }),
    bad: extra({ onTimeout: { processMethod: 'transfer', deviceType: 'ivr', target: '9009' } }),
    code: 'queue.policy.target.unknownIvr',
    field: 'skillQueues[3].onTimeout.target',
  },
  {
    rule: 'queuingMethod only on voice/video',
    ok: extra({ queuingMethod: 'customTone' }),
    bad: set(billing, 'queuingMethod', 'defaultTone'),
    code: 'queue.queuingMethod.notAllowed',
    field: 'skillQueues[1].queuingMethod',
  },
  {
    rule: 'keepingMethod not on click-to-dial',
    ok: extra({ type: 'video', keepingMethod: 'customTone' }),
    bad: set((t) => t.skillQueues[2], 'keepingMethod', 'defaultTone'),
    code: 'queue.keepingMethod.notAllowed',
    field: 'skillQueues[2].keepingMethod',
  },
  { rule: 'queuingMethod enum', ok: extra({ queuingMethod: 'ivr' }), bad: extra({ queuingMethod: 'music' }), code: 'queue.queuingMethod.invalid', field: 'skillQueues[3].queuingMethod' },
  { rule: 'keepingMethod enum', ok: extra({ keepingMethod: 'defaultTone' }), bad: extra({ keepingMethod: 'ivr' }), code: 'queue.keepingMethod.invalid', field: 'skillQueues[3].keepingMethod' },
  { rule: 'answerMode enum', ok: extra({ answerMode: 'reportEmployeeId' }), bad: extra({ answerMode: 'beep' }), code: 'queue.answerMode.invalid', field: 'skillQueues[3].answerMode' },
  { rule: 'no unknown queue field', ok: extra(), bad: extra({ priority: 1 }), code: 'queue.unknownField', field: 'skillQueues[3].priority' },
  // called routes
  { rule: 'accessCode required', ok: set(route(2), 'accessCode', '1'), bad: del(route(2), 'accessCode'), code: 'route.accessCode.required', field: 'calledRoutes[2].accessCode' },
  { rule: 'accessCode digits', ok: set(route(2), 'accessCode', '555'), bad: set(route(2), 'accessCode', '12a46'), code: 'route.accessCode.invalid', field: 'calledRoutes[2].accessCode' },
  { rule: 'accessCodeType enum', ok: () => {}, bad: set(route(0), 'accessCodeType', 'sms'), code: 'route.accessCodeType.invalid', field: 'calledRoutes[0].accessCodeType' },
  { rule: 'extensionCode digits', ok: set(route(2), 'extensionCode', '7'), bad: set(route(2), 'extensionCode', 'x1'), code: 'route.extensionCode.invalid', field: 'calledRoutes[2].extensionCode' },
  { rule: 'full code unique (extension)', ok: set(route(1), 'extensionCode', '3'), bad: set(route(1), 'extensionCode', '1'), code: 'route.fullCode.duplicate', field: 'calledRoutes[1].extensionCode' },
  {
    rule: 'full code unique (12345 + 1 = 123451)',
    ok: (t) => t.calledRoutes.push({ accessCode: '123453', accessCodeType: 'multimedia', deviceType: 'skillQueue', skillQueue: 'Billing' }),
    bad: (t) => t.calledRoutes.push({ accessCode: '123451', accessCodeType: 'multimedia', deviceType: 'skillQueue', skillQueue: 'Billing' }),
    code: 'route.fullCode.duplicate',
    field: 'calledRoutes[3].accessCode',
  },
  { rule: 'deviceType skillQueue', ok: set(route(0), 'deviceType', 'skillQueue'), bad: set(route(0), 'deviceType', 'ivr'), code: 'route.deviceType.invalid', field: 'calledRoutes[0].deviceType' },
  { rule: 'skillQueue required', ok: set(route(0), 'skillQueue', 'Billing'), bad: del(route(0), 'skillQueue'), code: 'route.skillQueue.required', field: 'calledRoutes[0].skillQueue' },
  { rule: 'skillQueue exists', ok: set(route(0), 'skillQueue', 'Billing'), bad: set(route(0), 'skillQueue', 'Nope'), code: 'route.skillQueue.unknown', field: 'calledRoutes[0].skillQueue' },
  {
    rule: 'multimedia code → multimedia queue',
    ok: set(route(0), 'skillQueue', 'Billing'),
    bad: set(route(0), 'skillQueue', 'WebCallback'),
    code: 'route.skillQueue.typeMismatch',
    field: 'calledRoutes[0].skillQueue',
  },
  {
    rule: 'clickToDial code → click-to-dial queue',
    ok: both(extra({ name: 'VideoCb', type: 'videoClickToDial' }), set(route(2), 'skillQueue', 'VideoCb')),
    bad: set(route(2), 'skillQueue', 'Billing'),
    code: 'route.skillQueue.typeMismatch',
    field: 'calledRoutes[2].skillQueue',
  },
  {
    rule: 'voice code → voice queue',
    ok: both(extra(), set(route(2), 'accessCodeType', 'voice'), set(route(2), 'skillQueue', 'Extra')),
    bad: set(route(2), 'accessCodeType', 'voice'),
    code: 'route.skillQueue.typeMismatch',
    field: 'calledRoutes[2].skillQueue',
  },
  // agents
  { rule: 'account required', ok: set(bob, 'account', 'bobby'), bad: set(bob, 'account', ''), code: 'agent.account.required', field: 'agents[1].account' },
  { rule: 'account without spaces', ok: set(bob, 'account', 'bob.b'), bad: set(bob, 'account', 'bob b'), code: 'agent.account.invalid', field: 'agents[1].account' },
  { rule: 'account unique', ok: set(bob, 'account', 'Alice'), bad: set(bob, 'account', 'alice'), code: 'agent.account.duplicate', field: 'agents[1].account' },
  { rule: 'name optional, 1–50', ok: del(bob, 'name'), bad: set(bob, 'name', ''), code: 'agent.name.invalid', field: 'agents[1].name' },
  { rule: 'employeeId required', ok: set(bob, 'employeeId', '1'), bad: del(bob, 'employeeId'), code: 'agent.employeeId.required', field: 'agents[1].employeeId' },
  { rule: 'employeeId digits', ok: set(bob, 'employeeId', '20001'), bad: set(bob, 'employeeId', 'E1'), code: 'agent.employeeId.invalid', field: 'agents[1].employeeId' },
  { rule: 'employeeId unique', ok: set(bob, 'employeeId', '10023'), bad: set(bob, 'employeeId', '10021'), code: 'agent.employeeId.duplicate', field: 'agents[1].employeeId' },
  { rule: 'platformRole enum', ok: set(bob, 'platformRole', 'qualityChecker'), bad: set(bob, 'platformRole', 'admin'), code: 'agent.platformRole.invalid', field: 'agents[1].platformRole' },
  { rule: 'agentType enum', ok: () => {}, bad: set(bob, 'agentType', 'robot'), code: 'agent.agentType.invalid', field: 'agents[1].agentType' },
  { rule: 'phone digits, +, -, spaces', ok: set(bob, 'phone', '+86 755-1234'), bad: set(bob, 'phone', 'call me'), code: 'agent.phone.invalid', field: 'agents[1].phone' },
  {
    rule: 'intelligentRecognition boolean',
    ok: set(bob, 'intelligentRecognition', true),
    bad: set(bob, 'intelligentRecognition', 'yes'),
    code: 'agent.intelligentRecognition.type',
    field: 'agents[1].intelligentRecognition',
  },
  { rule: 'singlePhoneSignIn required', ok: set(bob, 'singlePhoneSignIn', true), bad: del(bob, 'singlePhoneSignIn'), code: 'agent.singlePhoneSignIn.required', field: 'agents[1].singlePhoneSignIn' },
  { rule: 'anonymization boolean', ok: set(bob, 'anonymization', true), bad: set(bob, 'anonymization', 1), code: 'agent.anonymization.type', field: 'agents[1].anonymization' },
  { rule: 'at least one skill queue', ok: set(alice, 'skillQueues', ['Billing']), bad: set(alice, 'skillQueues', []), code: 'agent.skillQueues.required', field: 'agents[0].skillQueues' },
  { rule: 'skillQueues is an array', ok: () => {}, bad: set(alice, 'skillQueues', 'Billing'), code: 'agent.skillQueues.type', field: 'agents[0].skillQueues' },
  { rule: 'skill queues exist', ok: () => {}, bad: set(alice, 'skillQueues', ['Billing', 'Nope']), code: 'agent.skillQueues.unknown', field: 'agents[0].skillQueues[1]' },
  { rule: 'skill queues not repeated', ok: () => {}, bad: set(alice, 'skillQueues', ['Billing', 'Billing']), code: 'agent.skillQueues.duplicate', field: 'agents[0].skillQueues[1]' },
  {
    rule: 'one media type unless versatile',
    ok: set(bob, 'skillQueues', ['Billing', 'WebCallback']),
    bad: set(alice, 'skillQueues', ['Billing', 'WebCallback']),
    code: 'agent.skillQueues.mixedMedia',
    field: 'agents[0].skillQueues[1]',
  },
  {
    rule: 'agentType fits the queues',
    ok: both(set(alice, 'agentType', 'audio'), set(alice, 'skillQueues', ['WebCallback'])),
    bad: set(alice, 'agentType', 'audio'),
    code: 'agent.agentType.mismatch',
    field: 'agents[0].agentType',
  },
  {
    rule: 'video agents ≤ allowance',
    ok: both(
      addVideoAgent,
      set((t) => t.allowances, 'videoAgents', 1),
    ),
    bad: both(
      addVideoAgent,
      set((t) => t.allowances, 'videoAgents', 0),
    ),
    code: 'agent.allowance.video',
    field: 'agents[2].agentType',
  },
  {
    rule: 'multimedia agents ≤ allowance',
    ok: set((t) => t.allowances, 'multimediaAgents', 1),
    bad: set((t) => t.allowances, 'multimediaAgents', 0),
    code: 'agent.allowance.multimedia',
    field: 'agents[0].agentType',
  },
  {
    rule: 'versatile agents ≤ allowance',
    ok: set((t) => t.allowances, 'versatileAgents', 1),
    bad: set((t) => t.allowances, 'versatileAgents', 0),
    code: 'agent.allowance.versatile',
    field: 'agents[1].agentType',
  },
  {
    rule: 'intelligent agents ≤ allowance',
    ok: both(
      set(alice, 'intelligentRecognition', true),
      set((t) => t.allowances, 'intelligentAgents', 1),
    ),
    bad: both(
      set(alice, 'intelligentRecognition', true),
      set(bob, 'intelligentRecognition', true),
      set((t) => t.allowances, 'intelligentAgents', 1),
    ),
    code: 'agent.allowance.intelligent',
    field: 'agents[1].intelligentRecognition',
  },
  { rule: 'no unknown agent field', ok: () => {}, bad: set(bob, 'password', 'x'), code: 'agent.unknownField', field: 'agents[1].password' },
  // web channels
  { rule: 'id letters, digits, _ and -', ok: set(demo, 'id', 'demo-2_B'), bad: set(demo, 'id', 'demo 2'), code: 'channel.id.invalid', field: 'channels[0].id' },
  { rule: 'id at most 64', ok: set(demo, 'id', x(64)), bad: set(demo, 'id', x(65)), code: 'channel.id.invalid', field: 'channels[0].id' },
  { rule: 'id unique', ok: set((t) => t.channels[1], 'id', 'Demo'), bad: set((t) => t.channels[1], 'id', 'demo'), code: 'channel.id.duplicate', field: 'channels[1].id' },
  {
    rule: 'channelAccessCode starts with letter or _',
    ok: set(demo, 'channelAccessCode', '_web1'),
    bad: set(demo, 'channelAccessCode', '1web'),
    code: 'channel.channelAccessCode.invalid',
    field: 'channels[0].channelAccessCode',
  },
  {
    rule: 'channelAccessCode letters, digits, _',
    ok: set(demo, 'channelAccessCode', 'web_1'),
    bad: set(demo, 'channelAccessCode', 'web-1'),
    code: 'channel.channelAccessCode.invalid',
    field: 'channels[0].channelAccessCode',
  },
  {
    rule: 'channelAccessCode unique',
    ok: set((t) => t.channels[1], 'channelAccessCode', 'web_demo2'),
    bad: set((t) => t.channels[1], 'channelAccessCode', 'web_demo'),
    code: 'channel.channelAccessCode.duplicate',
    field: 'channels[1].channelAccessCode',
  },
  { rule: 'skillQueue is a called route', ok: set(demo, 'skillQueue', '123452'), bad: set(demo, 'skillQueue', '999'), code: 'channel.skillQueue.unknown', field: 'channels[0].skillQueue' },
  { rule: 'skillQueue is multimedia', ok: set(demo, 'skillQueue', '123452'), bad: set(demo, 'skillQueue', '12346'), code: 'channel.skillQueue.notMultimedia', field: 'channels[0].skillQueue' },
  {
    rule: 'transferKeywords is an array',
    ok: set(demo, 'transferKeywords', []),
    bad: set(demo, 'transferKeywords', 'agent'),
    code: 'channel.transferKeywords.type',
    field: 'channels[0].transferKeywords',
  },
  {
    rule: 'at most 20 keywords',
    ok: set(
      demo,
      'transferKeywords',
      Array.from({ length: 20 }, (_, i) => `k${i}`),
    ),
    bad: set(
      demo,
      'transferKeywords',
      Array.from({ length: 21 }, (_, i) => `k${i}`),
    ),
    code: 'channel.transferKeywords.tooMany',
    field: 'channels[0].transferKeywords',
  },
  {
    rule: 'keyword at most 30',
    ok: set(demo, 'transferKeywords', [x(30)]),
    bad: set(demo, 'transferKeywords', ['agent', x(31)]),
    code: 'channel.transferKeywords.invalid',
    field: 'channels[0].transferKeywords[1]',
  },
  {
    rule: 'keyword non-empty string',
    ok: set(demo, 'transferKeywords', ['a']),
    bad: set(demo, 'transferKeywords', [' ']),
    code: 'channel.transferKeywords.invalid',
    field: 'channels[0].transferKeywords[0]',
  },
  {
    rule: 'keywords not repeated',
    ok: set(demo, 'transferKeywords', ['agent', 'agents']),
    bad: set(demo, 'transferKeywords', ['agent', 'Agent']),
    code: 'channel.transferKeywords.duplicate',
    field: 'channels[0].transferKeywords[1]',
  },
  { rule: 'clickToDial null or object', ok: set(demo, 'clickToDial', null), bad: set(demo, 'clickToDial', 'on'), code: 'channel.clickToDial.type', field: 'channels[0].clickToDial' },
  { rule: 'calledParty enum', ok: clickToDial({}), bad: clickToDial({ calledParty: 'bot' }), code: 'channel.clickToDial.calledParty.invalid', field: 'channels[0].clickToDial.calledParty' },
  { rule: 'click-to-dial queue exists', ok: clickToDial({}), bad: clickToDial({ skillQueue: 'Nope' }), code: 'channel.clickToDial.skillQueue.unknown', field: 'channels[0].clickToDial.skillQueue' },
  {
    rule: 'click-to-dial queue type',
    ok: clickToDial({}),
    bad: clickToDial({ skillQueue: 'Billing' }),
    code: 'channel.clickToDial.skillQueue.notClickToDial',
    field: 'channels[0].clickToDial.skillQueue',
  },
  { rule: 'media non-empty', ok: clickToDial({ media: ['voice'] }), bad: clickToDial({ media: [] }), code: 'channel.clickToDial.media.required', field: 'channels[0].clickToDial.media' },
  {
    rule: 'media voice/video',
    ok: clickToDial({ calledParty: 'ivr', skillQueue: undefined, ivrAccessCode: '9001', media: ['voice', 'video'] }),
    bad: clickToDial({ media: ['sms'] }),
    code: 'channel.clickToDial.media.invalid',
    field: 'channels[0].clickToDial.media[0]',
  },
  {
    rule: 'voice click-to-dial: no video',
    ok: both(extra({ name: 'VideoCb', type: 'videoClickToDial' }), clickToDial({ skillQueue: 'VideoCb', media: ['video'] })),
    bad: clickToDial({ media: ['voice', 'video'] }),
    code: 'channel.clickToDial.media.mismatch',
    field: 'channels[0].clickToDial.media',
  },
  {
    rule: 'IVR access code required',
    ok: clickToDial({ calledParty: 'ivr', skillQueue: undefined, ivrAccessCode: '9001' }),
    bad: clickToDial({ calledParty: 'ivr', skillQueue: undefined }),
    code: 'channel.clickToDial.ivrAccessCode.required',
    field: 'channels[0].clickToDial.ivrAccessCode',
  },
  {
    rule: 'IVR exists',
    ok: clickToDial({ calledParty: 'ivr', skillQueue: undefined, ivrAccessCode: '9001' }),
    bad: clickToDial({ calledParty: 'ivr', skillQueue: undefined, ivrAccessCode: '9002' }),
    code: 'channel.clickToDial.ivrAccessCode.unknownIvr',
    field: 'channels[0].clickToDial.ivrAccessCode',
  },
  {
    rule: 'fields of the called party only',
    ok: clickToDial({}),
    bad: clickToDial({ ivrAccessCode: '9001' }),
    code: 'channel.clickToDial.unknownField',
    field: 'channels[0].clickToDial.ivrAccessCode',
  },
  {
    rule: 'noReplyMinutes ≥ 1',
    ok: set(demo, 'dialogEnd', { noReplyMinutes: 1, conclusion: '' }),
    bad: set(demo, 'dialogEnd', { noReplyMinutes: 0, conclusion: '' }),
    code: 'channel.dialogEnd.noReplyMinutes.range',
    field: 'channels[0].dialogEnd.noReplyMinutes',
  },
  {
    rule: 'noReplyMinutes ≤ 1440',
    ok: set(demo, 'dialogEnd', { noReplyMinutes: 1440, conclusion: 'Bye' }),
    bad: set(demo, 'dialogEnd', { noReplyMinutes: 1441, conclusion: 'Bye' }),
    code: 'channel.dialogEnd.noReplyMinutes.range',
    field: 'channels[0].dialogEnd.noReplyMinutes',
  },
  {
    rule: 'conclusion at most 500',
    ok: set(demo, 'dialogEnd', { noReplyMinutes: 5, conclusion: x(500) }),
    bad: set(demo, 'dialogEnd', { noReplyMinutes: 5, conclusion: x(501) }),
    code: 'channel.dialogEnd.conclusion.tooLong',
    field: 'channels[0].dialogEnd.conclusion',
  },
  { rule: 'secretKey at most 43', ok: set(demo, 'secretKey', x(43)), bad: set(demo, 'secretKey', x(44)), code: 'channel.secretKey.invalid', field: 'channels[0].secretKey' },
  { rule: 'secretKey letters and digits', ok: set(demo, 'secretKey', 'abcXYZ019'), bad: set(demo, 'secretKey', 'abc-XYZ'), code: 'channel.secretKey.invalid', field: 'channels[0].secretKey' },
  { rule: 'secretKey null or non-empty', ok: set(demo, 'secretKey', null), bad: set(demo, 'secretKey', ''), code: 'channel.secretKey.invalid', field: 'channels[0].secretKey' },
  { rule: 'secretKey present', ok: set(demo, 'secretKey', null), bad: del(demo, 'secretKey'), code: 'channel.secretKey.required', field: 'channels[0].secretKey' },
  { rule: 'timeZone IANA', ok: workTime({ timeZone: 'Europe/Paris' }), bad: workTime({ timeZone: 'Mars/Base' }), code: 'channel.workTime.timeZone.invalid', field: 'channels[0].workTime.timeZone' },
  { rule: 'workdays 1..7', ok: workTime({ workdays: [7, 1] }), bad: workTime({ workdays: [1, 8] }), code: 'channel.workTime.workdays.invalid', field: 'channels[0].workTime.workdays[1]' },
  { rule: 'workdays unique', ok: workTime({ workdays: [] }), bad: workTime({ workdays: [1, 1] }), code: 'channel.workTime.workdays.duplicate', field: 'channels[0].workTime.workdays[1]' },
  {
    rule: 'at most 4 segments',
    ok: workTime({ nonWorkday: [seg('00:00', '01:00'), seg('02:00', '03:00'), seg('04:00', '05:00'), seg('06:00', '24:00')] }),
    bad: workTime({ nonWorkday: [seg('00:00', '01:00'), seg('02:00', '03:00'), seg('04:00', '05:00'), seg('06:00', '07:00'), seg('08:00', '09:00')] }),
    code: 'channel.workTime.segments.tooMany',
    field: 'channels[0].workTime.nonWorkday',
  },
  {
    rule: 'start HH:MM',
    ok: workTime({ workday: [seg('00:00', '24:00')] }),
    bad: workTime({ workday: [seg('9:00', '12:00')] }),
    code: 'channel.workTime.segment.start.invalid',
    field: 'channels[0].workTime.workday[0].start',
  },
  {
    rule: '24:00 only as end',
    ok: workTime({ workday: [seg('23:59', '24:00')] }),
    bad: workTime({ workday: [seg('24:00', '24:00')] }),
    code: 'channel.workTime.segment.start.invalid',
    field: 'channels[0].workTime.workday[0].start',
  },
  {
    rule: 'end within 24:00',
    ok: workTime({ workday: [seg('08:00', '23:59')] }),
    bad: workTime({ workday: [seg('08:00', '24:30')] }),
    code: 'channel.workTime.segment.end.invalid',
    field: 'channels[0].workTime.workday[0].end',
  },
  {
    rule: 'start before end',
    ok: workTime({ workday: [seg('08:00', '08:01')] }),
    bad: workTime({ workday: [seg('08:00', '08:00')] }),
    code: 'channel.workTime.segment.end.order',
    field: 'channels[0].workTime.workday[0].end',
  },
  {
    rule: 'no overlap (touching is fine)',
    ok: workTime({ workday: [seg('13:00', '18:00'), seg('09:00', '13:00')] }),
    bad: workTime({ workday: [seg('13:00', '18:00'), seg('09:00', '13:01')] }),
    code: 'channel.workTime.overlap',
    field: 'channels[0].workTime.workday[1]',
  },
  {
    rule: 'nonWorkingNotice required',
    ok: workTime({ nonWorkingNotice: 'Closed' }),
    bad: workTime({ nonWorkingNotice: '' }),
    code: 'channel.workTime.nonWorkingNotice.required',
    field: 'channels[0].workTime.nonWorkingNotice',
  },
  {
    rule: 'nonWorkingNotice at most 500',
    ok: workTime({ nonWorkingNotice: x(500) }),
    bad: workTime({ nonWorkingNotice: x(501) }),
    code: 'channel.workTime.nonWorkingNotice.tooLong',
    field: 'channels[0].workTime.nonWorkingNotice',
  },
  {
    rule: 'queueReminder interval required',
    ok: set(demo, 'queueReminder', { intervalSeconds: 1, content: '' }),
    bad: set(demo, 'queueReminder', { content: 'Wait' }),
    code: 'channel.queueReminder.intervalSeconds.required',
    field: 'channels[0].queueReminder.intervalSeconds',
  },
  {
    rule: 'queueReminder interval 1–3600',
    ok: set(demo, 'queueReminder', { intervalSeconds: 3600, content: '' }),
    bad: set(demo, 'queueReminder', { intervalSeconds: 3601, content: '' }),
    code: 'channel.queueReminder.intervalSeconds.range',
    field: 'channels[0].queueReminder.intervalSeconds',
  },
  {
    rule: 'queueReminder content at most 500',
    ok: set(demo, 'queueReminder', { intervalSeconds: 10, content: x(500) }),
    bad: set(demo, 'queueReminder', { intervalSeconds: 10, content: x(501) }),
    code: 'channel.queueReminder.content.tooLong',
    field: 'channels[0].queueReminder.content',
  },
  { rule: 'chatbot null or object', ok: set(demo, 'chatbot', null), bad: set(demo, 'chatbot', true), code: 'channel.chatbot.type', field: 'channels[0].chatbot' },
  { rule: 'chatbot name required', ok: set(bot, 'name', 'A'), bad: set(bot, 'name', ''), code: 'channel.chatbot.name.required', field: 'channels[0].chatbot.name' },
  { rule: 'chatbot name at most 30', ok: set(bot, 'name', x(30)), bad: set(bot, 'name', x(31)), code: 'channel.chatbot.name.tooLong', field: 'channels[0].chatbot.name' },
  { rule: 'chatbot gender enum', ok: set(bot, 'gender', 'unspecified'), bad: set(bot, 'gender', 'robot'), code: 'channel.chatbot.gender.invalid', field: 'channels[0].chatbot.gender' },
  { rule: 'chatbot accessCode digits', ok: set(bot, 'accessCode', '8002'), bad: set(bot, 'accessCode', 'bot'), code: 'channel.chatbot.accessCode.invalid', field: 'channels[0].chatbot.accessCode' },
  { rule: 'greeting required', ok: set(bot, 'greeting', 'Hi'), bad: del(bot, 'greeting'), code: 'channel.chatbot.greeting.required', field: 'channels[0].chatbot.greeting' },
  {
    rule: 'defaultReply at most 500',
    ok: set(bot, 'defaultReply', x(500)),
    bad: set(bot, 'defaultReply', x(501)),
    code: 'channel.chatbot.defaultReply.tooLong',
    field: 'channels[0].chatbot.defaultReply',
  },
  { rule: 'timeoutReply required', ok: set(bot, 'timeoutReply', 'Bye'), bad: set(bot, 'timeoutReply', ''), code: 'channel.chatbot.timeoutReply.required', field: 'channels[0].chatbot.timeoutReply' },
  {
    rule: 'transferPrompt at most 500',
    ok: set(bot, 'transferPrompt', x(500)),
    bad: set(bot, 'transferPrompt', x(501)),
    code: 'channel.chatbot.transferPrompt.tooLong',
    field: 'channels[0].chatbot.transferPrompt',
  },
  { rule: 'rules is an array', ok: set(bot, 'rules', []), bad: set(bot, 'rules', {}), code: 'channel.chatbot.rules.type', field: 'channels[0].chatbot.rules' },
  { rule: 'rule has keywords', ok: set(rule(1), 'keywords', ['x']), bad: set(rule(1), 'keywords', []), code: 'channel.chatbot.rule.keywords.required', field: 'channels[0].chatbot.rules[1].keywords' },
  {
    rule: 'rule keywords non-empty strings',
    ok: set(rule(0), 'keywords', ['a', 'b']),
    bad: set(rule(0), 'keywords', ['a', '']),
    code: 'channel.chatbot.rule.keywords.invalid',
    field: 'channels[0].chatbot.rules[0].keywords[1]',
  },
  { rule: 'rule reply required', ok: set(rule(0), 'reply', 'R'), bad: set(rule(0), 'reply', ''), code: 'channel.chatbot.rule.reply.required', field: 'channels[0].chatbot.rules[0].reply' },
  {
    rule: 'robot assistant access code digits',
    ok: set(demo, 'robotAssistant', { accessCode: '8002', silentAgentSkillQueue: '123452' }),
    bad: set(demo, 'robotAssistant', { accessCode: 'a', silentAgentSkillQueue: '123452' }),
    code: 'channel.robotAssistant.accessCode.invalid',
    field: 'channels[0].robotAssistant.accessCode',
  },
  {
    rule: 'silent-agent queue is a route',
    ok: set(demo, 'robotAssistant', { accessCode: '8002', silentAgentSkillQueue: '123451' }),
    bad: set(demo, 'robotAssistant', { accessCode: '8002', silentAgentSkillQueue: 'Billing' }),
    code: 'channel.robotAssistant.silentAgentSkillQueue.unknown',
    field: 'channels[0].robotAssistant.silentAgentSkillQueue',
  },
  {
    rule: 'silent-agent queue is multimedia',
    ok: set(demo, 'robotAssistant', { accessCode: '8002', silentAgentSkillQueue: '123451' }),
    bad: set(demo, 'robotAssistant', { accessCode: '8002', silentAgentSkillQueue: '12346' }),
    code: 'channel.robotAssistant.silentAgentSkillQueue.notMultimedia',
    field: 'channels[0].robotAssistant.silentAgentSkillQueue',
  },
  {
    rule: 'exactly 5 satisfaction levels',
    ok: set(demo, 'satisfactionLevels', ['1', '2', '3', '4', '5']),
    bad: set(demo, 'satisfactionLevels', ['1', '2', '3', '4']),
    code: 'channel.satisfactionLevels.count',
    field: 'channels[0].satisfactionLevels',
  },
  {
    rule: 'level names non-empty, at most 20',
    ok: set(demo, 'satisfactionLevels', ['1', '2', '3', '4', x(20)]),
    bad: set(demo, 'satisfactionLevels', ['1', '2', '3', '4', x(21)]),
    code: 'channel.satisfactionLevels.invalid',
    field: 'channels[0].satisfactionLevels[4]',
  },
  { rule: 'no unknown channel field', ok: () => {}, bad: set(demo, 'color', 'red'), code: 'channel.unknownField', field: 'channels[0].color' },
  // auto-agents
  {
    rule: 'auto-agent is an agent',
    ok: (t) => t.autoAgents.push({ account: 'bob', acceptAfterSeconds: 0, replies: [] }),
    bad: (t) => t.autoAgents.push({ account: 'zed', acceptAfterSeconds: 0, replies: [] }),
    code: 'autoAgent.account.unknown',
    field: 'autoAgents[0].account',
  },
  {
    rule: 'auto-agent once',
    ok: (t) => t.autoAgents.push({ account: 'bob', acceptAfterSeconds: 1, replies: ['Hi'] }, { account: 'alice', acceptAfterSeconds: 1, replies: [] }),
    bad: (t) => t.autoAgents.push({ account: 'bob', acceptAfterSeconds: 1, replies: ['Hi'] }, { account: 'bob', acceptAfterSeconds: 1, replies: [] }),
    code: 'autoAgent.account.duplicate',
    field: 'autoAgents[1].account',
  },
  {
    rule: 'acceptAfterSeconds 0–3600',
    ok: (t) => t.autoAgents.push({ account: 'bob', acceptAfterSeconds: 3600, replies: [] }),
    bad: (t) => t.autoAgents.push({ account: 'bob', acceptAfterSeconds: 3601, replies: [] }),
    code: 'autoAgent.acceptAfterSeconds.range',
    field: 'autoAgents[0].acceptAfterSeconds',
  },
  {
    rule: 'replies are strings',
    ok: (t) => t.autoAgents.push({ account: 'bob', acceptAfterSeconds: 1, replies: ['ok'] }),
    bad: (t) => t.autoAgents.push({ account: 'bob', acceptAfterSeconds: 1, replies: [42] }),
    code: 'autoAgent.replies.invalid',
    field: 'autoAgents[0].replies[0]',
  },
];

describe('validateTenant', () => {
  it('accepts the seeded tenant', () => {
    expect(errorOf(seedTenant())).toBeUndefined();
  });

  it('rejects a tenant that is not an object', () => {
    expect(errorOf(null)).toMatchObject({ errorCode: 'tenant.notObject', status: 400 });
    expect(errorOf([])).toMatchObject({ errorCode: 'tenant.notObject' });
  });

  it.each(rows)('accepts: $rule', ({ ok }) => {
    const t: Tenant = seedTenant();
    ok(t);
    expect(errorOf(t)).toBeUndefined();
  });

  it.each(rows)('rejects with $code: $rule', ({ bad, code, field }) => {
    const t: Tenant = seedTenant();
    bad(t);
    const e = errorOf(t);
    expect(e, 'expected an ApiFailure').toBeInstanceOf(ApiFailure);
    const body = toApiError(e!);
    expect(body).toEqual({ errorCode: code, field, exceptionInfo: expect.any(String) });
    // The sentence names the field it is about.
    expect(body.exceptionInfo.startsWith(field)).toBe(true);
  });

  it('never echoes the secret key in the message', () => {
    const t = seedTenant();
    t.channels[0]!.secretKey = 'hunter2-secret-value';
    expect(errorOf(t)?.message).not.toContain('hunter2');
  });

  it('reports the first error in a fixed order', () => {
    const t = seedTenant();
    (t.channels[0] as { id: string }).id = '';
    t.skillQueues[0]!.maxWaitTime = 0;
    expect(errorOf(t)?.field).toBe('skillQueues[0].maxWaitTime');
  });
});
