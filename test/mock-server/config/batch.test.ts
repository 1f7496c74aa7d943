/**
 * Batch Configure (step 5 of the admin guide) over the admin API: agents selected by employee
 * ID or segment get the same agent information, validated as a whole — all change or none.
 */
import { describe, expect, it } from 'vitest';
import { seedTenant } from '../../../mock-server/config/seed.js';
import type { Tenant } from '../../../mock-server/config/types.js';
import { setUp } from './admin-api.js';

/** The seed plus audio agents 10023–10025 on a voice queue, and a video queue to move them to. */
async function tenantWithAudioAgents(videoAgents: number) {
  const api = setUp();
  const t: Tenant = seedTenant();
  t.allowances.videoAgents = videoAgents;
  t.skillQueues.push({ ...t.skillQueues[1]!, name: 'Phone', type: 'voice' }, { ...t.skillQueues[1]!, name: 'Video', type: 'video' });
  for (const [account, employeeId] of [
    ['dan', '10023'],
    ['eve', '10024'],
    ['fay', '10025'],
  ] as const) {
    t.agents.push({ ...t.agents[0]!, account, name: account, employeeId, agentType: 'audio', skillQueues: ['Phone'] });
  }
  expect((await api.call('PUT', '/tenant', t)).status).toBe(200);
  const before = api.store.current;
  const changes = api.changes();
  return { ...api, before, unchanged: () => api.store.current === before && api.changes() === changes };
}

const batch = (select: string[], set: object) => ({ select, set });

describe('admin API: batch configure agents', () => {
  it('changes every selected agent when the batch is within the allowances', async () => {
    const { call } = await tenantWithAudioAgents(3);
    const res = await call('POST', '/agents/batch-configure', batch(['10023', '10024-10025'], { agentType: 'video', skillQueues: ['Video'], platformRole: 'qualityChecker', anonymization: true }));
    expect(res.status).toBe(200);
    expect(res.body.items.map((a: { account: string }) => a.account)).toEqual(['dan', 'eve', 'fay']);
    const agents = (await call('GET', '/agents')).body.items;
    for (const account of ['dan', 'eve', 'fay']) {
      expect(agents.find((a: { account: string }) => a.account === account)).toMatchObject({
        agentType: 'video',
        skillQueues: ['Video'],
        platformRole: 'qualityChecker',
        anonymization: true,
        singlePhoneSignIn: false,
      });
    }
    // Fields not set are kept.
    expect(agents.find((a: { account: string }) => a.account === 'alice')).toMatchObject({ agentType: 'multimedia', platformRole: 'commonAgent' });
  });

  it('changes none when one agent would be past an allowance, naming the first agent past it and agentType', async () => {
    const { call, unchanged } = await tenantWithAudioAgents(2);
    const res = await call('POST', '/agents/batch-configure', batch(['10023-10025'], { agentType: 'video', skillQueues: ['Video'] }));
    expect(res).toMatchObject({ status: 400, body: { errorCode: 'agent.allowance.video', field: '10025.agentType' } });
    expect(res.body.exceptionInfo).toMatch(/^Agent fay \(employee ID 10025\): agentType video would be video agent number 3/);
    expect(unchanged()).toBe(true);
    expect((await call('GET', '/agents/dan')).body.item.agentType).toBe('audio');
  });

  it('refuses a segment with an employee ID that is not an agent, changing none', async () => {
    const { call, unchanged } = await tenantWithAudioAgents(5);
    const res = await call('POST', '/agents/batch-configure', batch(['10021', '10023-10026'], { platformRole: 'calloutAgent' }));
    expect(res).toMatchObject({ status: 400, body: { errorCode: 'batch.select.unknown', field: 'select[1]' } });
    expect(res.body.exceptionInfo).toBe('select[1] selects 10026 (in the segment 10023-10026), which is not the employee ID of an agent of the tenant.');
    expect(unchanged()).toBe(true);
  });

  it('refuses a single employee ID that is not an agent', async () => {
    const { call } = setUp();
    expect((await call('POST', '/agents/batch-configure', batch(['10021', '99999'], { anonymization: true }))).body).toMatchObject({
      errorCode: 'batch.select.unknown',
      field: 'select[1]',
    });
  });

  it('checks the media type of the queues unless the agent is versatile', async () => {
    const { call, unchanged } = await tenantWithAudioAgents(5);
    // bob (10022) is versatile and may mix; alice (10021) is multimedia and may not take a video queue.
    const res = await call('POST', '/agents/batch-configure', batch(['10021-10022'], { skillQueues: ['WebSupport', 'Video'] }));
    expect(res.body).toMatchObject({ errorCode: 'agent.skillQueues.mixedMedia', field: '10021.skillQueues[1]' });
    expect(unchanged()).toBe(true);
    expect((await call('POST', '/agents/batch-configure', batch(['10022'], { skillQueues: ['WebSupport', 'Video'] }))).status).toBe(200);
  });

  it('counts intelligent agents after the change', async () => {
    const { call } = await tenantWithAudioAgents(5);
    const res = await call('POST', '/agents/batch-configure', batch(['10021', '10023', '10024'], { intelligentRecognition: true }));
    expect(res.body).toMatchObject({ errorCode: 'agent.allowance.intelligent', field: '10024.intelligentRecognition' });
    expect((await call('POST', '/agents/batch-configure', batch(['10023', '10024'], { intelligentRecognition: true }))).status).toBe(200);
  });

  it('names the field of a malformed batch', async () => {
    const { call } = setUp();
    const post = async (body: unknown) => (await call('POST', '/agents/batch-configure', body)).body;
    expect(await post(batch(['10021'], { agentType: 'robot' }))).toMatchObject({ errorCode: 'batch.set.agentType.invalid', field: 'set.agentType' });
    expect(await post(batch(['10021'], { account: 'x' }))).toMatchObject({ errorCode: 'batch.set.unknownField', field: 'set.account' });
    expect(await post(batch(['10021'], {}))).toMatchObject({ errorCode: 'batch.set.required', field: 'set' });
    expect(await post(batch(['alice'], { anonymization: true }))).toMatchObject({ errorCode: 'batch.select.invalid', field: 'select[0]' });
    expect(await post(batch([], { anonymization: true }))).toMatchObject({ errorCode: 'batch.select.required', field: 'select' });
    expect(await post(batch(['10029-10020'], { anonymization: true }))).toMatchObject({ errorCode: 'batch.select.invalid', field: 'select[0]' });
    expect(await post(batch(['1-100000'], { anonymization: true }))).toMatchObject({ errorCode: 'batch.select.tooMany', field: 'select[0]' });
    expect(await post({ set: { anonymization: true } })).toMatchObject({ errorCode: 'batch.select.required', field: 'select' });
  });
});
