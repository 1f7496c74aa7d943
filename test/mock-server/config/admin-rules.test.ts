/**
 * Admin API rules from the admin guide that the console relies on: waiting tones of voice and
 * video queues and the agent's phone; overflow policies that go back to release; and errors
 * that always name the field of the object being changed, never another object.
 */
import { describe, expect, it } from 'vitest';
import { seedTenant } from '../../../mock-server/config/seed.js';
import type { Tenant } from '../../../mock-server/config/types.js';
import { setUp } from './admin-api.js';

describe('admin API: waiting tones (voice and video queues) and the agent phone', () => {
  it('gives a new voice or video queue the default tones, and keeps the ones set', async () => {
    const { call } = setUp();
    const video = await call('POST', '/skill-queues', { name: 'VideoDesk', description: 'Video', type: 'video' });
    expect(video.body.item).toMatchObject({ queuingMethod: 'defaultTone', keepingMethod: 'defaultTone' });
    const res = await call('PATCH', '/skill-queues/VideoDesk', { queuingMethod: 'ivr', keepingMethod: 'customTone' });
    expect(res.body.item).toMatchObject({ queuingMethod: 'ivr', keepingMethod: 'customTone' });
    expect((await call('GET', '/skill-queues/VideoDesk')).body.item.queuingMethod).toBe('ivr');
  });

  it('gives a queue that becomes voice the default tones', async () => {
    const { call } = setUp();
    await call('POST', '/skill-queues', { name: 'Sales', description: 'Sales', type: 'multimedia' });
    const res = await call('PATCH', '/skill-queues/Sales', { type: 'voice' });
    expect(res.status).toBe(200);
    expect(res.body.item).toMatchObject({ type: 'voice', queuingMethod: 'defaultTone', keepingMethod: 'defaultTone' });
  });

  it('stores the default tones of a voice queue put without them in the whole tenant', async () => {
    const { call } = setUp();
    const t: Tenant = seedTenant();
    t.skillQueues.push({ ...t.skillQueues[1]!, name: 'Phone', type: 'voice' });
    expect((await call('PUT', '/tenant', t)).status).toBe(200);
    expect((await call('GET', '/skill-queues/Phone')).body.item).toMatchObject({ queuingMethod: 'defaultTone', keepingMethod: 'defaultTone' });
  });

  it('refuses tones on a multimedia or click-to-dial queue, naming the field', async () => {
    const { call } = setUp();
    expect((await call('POST', '/skill-queues', { name: 'Chat', description: 'Chat', type: 'multimedia', keepingMethod: 'defaultTone' })).body).toMatchObject({
      errorCode: 'queue.keepingMethod.notAllowed',
      field: 'keepingMethod',
    });
    expect((await call('PATCH', '/skill-queues/WebCallback', { queuingMethod: 'ivr' })).body).toMatchObject({ errorCode: 'queue.queuingMethod.notAllowed', field: 'queuingMethod' });
  });

  it('seeds the agents with a mobile or fixed-line number and validates a new one', async () => {
    const { call } = setUp();
    const agents = (await call('GET', '/agents')).body.items;
    expect(agents.map((a: { phone?: string }) => a.phone)).toEqual(['+86 755 2878 0021', '0755-2878-0022']);
    expect((await call('PATCH', '/agents/alice', { phone: '138 0013 8000' })).body.item.phone).toBe('138 0013 8000');
    expect((await call('PATCH', '/agents/alice', { phone: 'ext. 12' })).body).toMatchObject({ errorCode: 'agent.phone.invalid', field: 'phone' });
  });
});

describe('admin API: overflow policies', () => {
  it.each(['onTimeout', 'onBusy', 'onNoAgents'])('accepts a PATCH of %s back to {"processMethod":"release"}', async (key) => {
    const { call } = setUp();
    const transfer = await call('PATCH', '/skill-queues/Billing', { [key]: { processMethod: 'transfer', deviceType: 'skillQueue', target: 'WebSupport' } });
    expect(transfer.status).toBe(200);
    const res = await call('PATCH', '/skill-queues/Billing', { [key]: { processMethod: 'release' } });
    expect(res.status).toBe(200);
    expect(res.body.item[key]).toEqual({ processMethod: 'release', deviceType: 'skillQueue' });
    expect((await call('GET', '/skill-queues/Billing')).body.item[key]).toEqual({ processMethod: 'release', deviceType: 'skillQueue' });
  });

  it('needs a device type and target only for a transfer', async () => {
    const { call } = setUp();
    expect((await call('PATCH', '/skill-queues/Billing', { onBusy: { processMethod: 'transfer', target: 'WebSupport' } })).body.item.onBusy).toEqual({
      processMethod: 'transfer',
      deviceType: 'skillQueue',
      target: 'WebSupport',
    });
    expect((await call('PATCH', '/skill-queues/Billing', { onBusy: { processMethod: 'transfer' } })).body).toMatchObject({
      errorCode: 'queue.policy.target.required',
      field: 'onBusy.target',
    });
  });
});

/**
 * audio1 comes first in the list, before the agents already using each allowance, so "the
 * first agent past the allowance" in list order would be one of those untouched agents.
 */
async function tenantWithAudioAgentFirst() {
  const api = setUp();
  const t: Tenant = seedTenant();
  t.allowances = { videoAgents: 1, multimediaAgents: 1, versatileAgents: 1, intelligentAgents: 1 };
  t.skillQueues.push({ ...t.skillQueues[1]!, name: 'Phone', type: 'voice' }, { ...t.skillQueues[1]!, name: 'Video', type: 'video' });
  const base = t.agents[0]!;
  t.agents = [
    { ...base, account: 'audio1', employeeId: '10020', agentType: 'audio', skillQueues: ['Phone'] },
    { ...base, account: 'alice', employeeId: '10021', agentType: 'multimedia', skillQueues: ['WebSupport'], intelligentRecognition: true },
    { ...base, account: 'bob', employeeId: '10022', agentType: 'versatile', skillQueues: ['WebSupport', 'WebCallback'] },
    { ...base, account: 'vera', employeeId: '10023', agentType: 'video', skillQueues: ['Video'] },
  ];
  expect((await api.call('PUT', '/tenant', t)).status).toBe(200);
  return api;
}

describe('admin API: an error names the field of the object being changed', () => {
  it.each([
    ['video', ['Video'], 'agent.allowance.video'],
    ['multimedia', ['WebSupport'], 'agent.allowance.multimedia'],
    ['versatile', ['Phone'], 'agent.allowance.versatile'],
  ])('PATCH of agent audio1 to %s past the allowance names agentType, not another agent', async (agentType, skillQueues, errorCode) => {
    const { call, store } = await tenantWithAudioAgentFirst();
    const res = await call('PATCH', '/agents/audio1', { agentType, skillQueues });
    expect(res).toMatchObject({ status: 400, body: { errorCode, field: 'agentType' } });
    expect(res.body.exceptionInfo).toMatch(/^agentType /);
    expect(store.current.agents[0]!.agentType).toBe('audio');
  });

  it('PATCH of agent audio1 to intelligent recognition past the allowance names intelligentRecognition', async () => {
    const { call } = await tenantWithAudioAgentFirst();
    const res = await call('PATCH', '/agents/audio1', { intelligentRecognition: true });
    expect(res.body).toMatchObject({ errorCode: 'agent.allowance.intelligent', field: 'intelligentRecognition' });
  });

  it('a duplicate channel access code on update blames the channel being changed', async () => {
    const { call } = setUp();
    const res = await call('PATCH', '/channels/demo', { channelAccessCode: 'web_signed' });
    expect(res.body).toMatchObject({ errorCode: 'channel.channelAccessCode.duplicate', field: 'channelAccessCode' });
    expect(res.body.exceptionInfo).toContain('channels[1]');
  });

  it('a duplicate employee ID on update blames the agent being changed', async () => {
    const { call } = setUp();
    expect((await call('PATCH', '/agents/alice', { employeeId: '10022' })).body).toMatchObject({ errorCode: 'agent.employeeId.duplicate', field: 'employeeId' });
  });

  it('create blames the new object too', async () => {
    const { call } = setUp();
    expect((await call('POST', '/channels', { id: 'shop', channelAccessCode: 'web_demo', skillQueue: '123451' })).body).toMatchObject({
      errorCode: 'channel.channelAccessCode.duplicate',
      field: 'channelAccessCode',
    });
    expect((await call('POST', '/agents', { account: 'carol', employeeId: '10021', agentType: 'multimedia', skillQueues: ['Billing'] })).body).toMatchObject({
      errorCode: 'agent.employeeId.duplicate',
      field: 'employeeId',
    });
    expect((await call('POST', '/ivrs', { accessCode: '9001' })).body).toMatchObject({ errorCode: 'ivr.accessCode.duplicate', field: 'accessCode' });
    expect((await call('POST', '/called-routes', { accessCode: '1234', extensionCode: '51', accessCodeType: 'multimedia', skillQueue: 'Billing' })).body).toMatchObject({
      errorCode: 'route.fullCode.duplicate',
      field: 'extensionCode',
    });
  });
});
