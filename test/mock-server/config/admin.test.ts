/** The tenant administration API, driven through its MSW handlers (no server needed). */
import { describe, expect, it } from 'vitest';
import { seedTenant } from '../../../mock-server/config/seed.js';
import { setUp } from './admin-api.js';

describe('admin API: reads', () => {
  it('returns the whole tenant, lists and single objects', async () => {
    const { call } = setUp();
    const tenant = await call('GET', '/tenant');
    expect(tenant).toEqual({ status: 200, body: { resultCode: '0', item: seedTenant() } });
    const queues = await call('GET', '/skill-queues');
    expect(queues.body.items.map((q: { name: string }) => q.name)).toEqual(['WebSupport', 'Billing', 'WebCallback']);
    expect((await call('GET', '/called-routes/123452')).body.item.skillQueue).toBe('Billing');
    expect((await call('GET', '/agents/alice')).body.item.employeeId).toBe('10021');
    expect((await call('GET', '/ivrs/9001')).body.item.name).toBe('Main IVR');
    // The admin owns the secret key, so it is returned here.
    expect((await call('GET', '/channels/signed')).body.item.secretKey).toMatch(/^[A-Za-z0-9]+$/);
  });

  it('answers 404 with <kind>.notFound for a missing key', async () => {
    const { call } = setUp();
    expect(await call('GET', '/skill-queues/Nope')).toEqual({
      status: 404,
      body: { errorCode: 'queue.notFound', exceptionInfo: expect.stringContaining('Nope'), field: 'name' },
    });
    expect((await call('PATCH', '/channels/nope', {})).body.errorCode).toBe('channel.notFound');
    expect((await call('DELETE', '/called-routes/999')).body.errorCode).toBe('route.notFound');
  });
});

describe('admin API: create', () => {
  it('creates a queue with the defaults filled', async () => {
    const { call } = setUp();
    const res = await call('POST', '/skill-queues', { name: 'Sales', description: 'Sales questions' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      resultCode: '0',
      item: {
        name: 'Sales',
        description: 'Sales questions',
        type: 'voice',
        maxWaitTime: 60,
        maxCallsInQueue: 100,
        arrangingDuration: 5,
        onTimeout: { processMethod: 'release', deviceType: 'skillQueue' },
        onBusy: { processMethod: 'release', deviceType: 'skillQueue' },
        onNoAgents: { processMethod: 'release', deviceType: 'skillQueue' },
        queuingMethod: 'defaultTone',
        keepingMethod: 'defaultTone',
        answerMode: 'noVoice',
      },
    });
    expect((await call('GET', '/skill-queues/Sales')).body.item).toEqual(res.body.item);
  });

  it('finds a key that needs URL encoding', async () => {
    const { call } = setUp();
    await call('POST', '/skill-queues', { name: '售后服务', description: 'After-sales', type: 'multimedia' });
    const res = await call('GET', `/skill-queues/${encodeURIComponent('售后服务')}`);
    expect(res.body.item).toMatchObject({ name: '售后服务', type: 'multimedia' });
    expect(res.body.item).not.toHaveProperty('queuingMethod');
  });

  it('rejects a bad value with 400 naming the field, and stores nothing', async () => {
    const { call, changes } = setUp();
    const res = await call('POST', '/skill-queues', { name: 'Sales', description: 'Sales', maxWaitTime: 60001 });
    expect(res).toEqual({
      status: 400,
      body: { errorCode: 'queue.maxWaitTime.range', exceptionInfo: 'maxWaitTime must be an integer from 1 to 60000.', field: 'maxWaitTime' },
    });
    expect((await call('GET', '/skill-queues/Sales')).status).toBe(404);
    expect(changes()).toBe(0);
  });

  it('rejects a duplicate key', async () => {
    const { call } = setUp();
    const res = await call('POST', '/agents', { account: 'alice', agentType: 'multimedia', skillQueues: ['Billing'] });
    expect(res.body).toMatchObject({ errorCode: 'agent.account.duplicate', field: 'account' });
  });

  it('fills agent, route, channel and IVR defaults', async () => {
    const { call } = setUp();
    const agent = await call('POST', '/agents', { account: 'carol', agentType: 'multimedia', skillQueues: ['Billing'] });
    expect(agent.body.item).toMatchObject({ employeeId: '10023', platformRole: 'commonAgent', intelligentRecognition: false, singlePhoneSignIn: false, anonymization: false });
    const route = await call('POST', '/called-routes', { accessCode: '12345', extensionCode: '3', accessCodeType: 'multimedia', skillQueue: 'Billing' });
    expect(route.body.item.deviceType).toBe('skillQueue');
    const channel = await call('POST', '/channels', { id: 'shop', channelAccessCode: 'web_shop', skillQueue: '123453', queueReminder: { content: 'Hold on' } });
    expect(channel.status).toBe(201);
    expect(channel.body.item).toMatchObject({ transferKeywords: [], chatbot: null, secretKey: null, workTime: null, dialogEnd: null, queueReminder: { intervalSeconds: 10, content: 'Hold on' } });
    expect(channel.body.item.satisfactionLevels).toHaveLength(5);
    expect((await call('POST', '/ivrs', { accessCode: '9002' })).body.item).toEqual({ accessCode: '9002', name: 'IVR 9002' });
  });

  it('rejects an agent past the tenant allowance', async () => {
    const { call } = setUp();
    const res = await call('POST', '/agents', { account: 'dave', agentType: 'versatile', skillQueues: ['Billing'] });
    expect(res.status).toBe(201);
    const over = await call('POST', '/agents', { account: 'erin', agentType: 'versatile', skillQueues: ['Billing'] });
    expect(over.body).toMatchObject({ errorCode: 'agent.allowance.versatile', field: 'agentType' });
  });

  it('answers 400 request.invalidJson for a body that is not JSON', async () => {
    const { call } = setUp();
    expect((await call('POST', '/skill-queues', '{name:')).body.errorCode).toBe('request.invalidJson');
    expect((await call('PUT', '/tenant', '[1]')).body.errorCode).toBe('request.invalidJson');
  });
});

describe('admin API: update', () => {
  it('merges a patch and returns the stored object', async () => {
    const { call } = setUp();
    const res = await call('PATCH', '/skill-queues/Billing', { maxWaitTime: 120, onTimeout: { processMethod: 'transfer', deviceType: 'skillQueue', target: 'WebSupport' } });
    expect(res.status).toBe(200);
    expect(res.body.item).toMatchObject({ name: 'Billing', maxWaitTime: 120, description: 'Billing questions', onTimeout: { target: 'WebSupport' } });
    expect((await call('GET', '/skill-queues/Billing')).body.item.maxWaitTime).toBe(120);
  });

  it('rejects a bad patch naming the field, keeping the old object', async () => {
    const { call } = setUp();
    const res = await call('PATCH', '/skill-queues/Billing', { maxWaitTime: 120, onTimeout: { processMethod: 'transfer', deviceType: 'ivr', target: '9001' } });
    expect(res).toMatchObject({ status: 400, body: { errorCode: 'queue.policy.ivrNotAllowed', field: 'onTimeout.deviceType' } });
    expect((await call('GET', '/skill-queues/Billing')).body.item.maxWaitTime).toBe(600);
  });

  it('does not let the key change', async () => {
    const { call } = setUp();
    expect((await call('PATCH', '/skill-queues/Billing', { name: 'Invoices' })).body).toMatchObject({ errorCode: 'queue.name.immutable', field: 'name' });
    expect((await call('PATCH', '/called-routes/123452', { extensionCode: '9' })).body).toMatchObject({ errorCode: 'route.fullCode.immutable', field: 'extensionCode' });
    expect((await call('PATCH', '/channels/demo', { id: 'demo2' })).body).toMatchObject({ errorCode: 'channel.id.immutable', field: 'id' });
    expect((await call('PATCH', '/channels/demo', { id: 'demo', transferKeywords: ['human'] })).status).toBe(200);
  });

  it('turns a feature off with null and clears an optional field', async () => {
    const { call } = setUp();
    expect((await call('PATCH', '/channels/signed', { secretKey: null })).body.item.secretKey).toBeNull();
    await call('PATCH', '/agents/alice', { phone: '+86 755 1234' });
    const res = await call('PATCH', '/agents/alice', { phone: null });
    expect(res.body.item).not.toHaveProperty('phone');
  });

  it('drops waiting tones when a queue becomes multimedia', async () => {
    const { call } = setUp();
    await call('POST', '/skill-queues', { name: 'Sales', description: 'Sales' });
    const res = await call('PATCH', '/skill-queues/Sales', { type: 'multimedia' });
    expect(res.status).toBe(200);
    expect(res.body.item).not.toHaveProperty('queuingMethod');
    expect(res.body.item).not.toHaveProperty('keepingMethod');
  });

  it('reports a break in another object with its full path', async () => {
    const { call } = setUp();
    const res = await call('PATCH', '/skill-queues/WebCallback', { type: 'voice' });
    expect(res.body).toMatchObject({ errorCode: 'route.skillQueue.typeMismatch', field: 'calledRoutes[2].skillQueue' });
  });
});

describe('admin API: delete', () => {
  it('refuses to delete what is still referenced, naming the reference', async () => {
    const { call } = setUp();
    expect(await call('DELETE', '/skill-queues/Billing')).toMatchObject({ status: 400, body: { errorCode: 'queue.inUse.route', field: 'calledRoutes[1].skillQueue' } });
    expect((await call('DELETE', '/called-routes/123451')).body).toMatchObject({ errorCode: 'route.inUse.channel', field: 'channels[0].skillQueue' });
    expect((await call('DELETE', '/skill-queues/WebCallback')).body.errorCode).toBe('queue.inUse.route');
    await call('POST', '/skill-queues', { name: 'Sales', description: 'Sales', onBusy: { processMethod: 'transfer', deviceType: 'ivr', target: '9001' } });
    expect((await call('DELETE', '/ivrs/9001')).body).toMatchObject({ errorCode: 'ivr.inUse.transfer', field: 'skillQueues[3].onBusy.target' });
    await call('PATCH', '/agents/alice', { skillQueues: ['WebSupport'] });
    await call('DELETE', '/called-routes/123452');
    expect((await call('DELETE', '/skill-queues/Billing')).status).toBe(204);
  });

  it('deletes an unreferenced object with 204', async () => {
    const { call } = setUp();
    await call('POST', '/skill-queues', { name: 'Sales', description: 'Sales' });
    expect(await call('DELETE', '/skill-queues/Sales')).toEqual({ status: 204, body: null });
    expect((await call('GET', '/skill-queues/Sales')).status).toBe(404);
    expect(await call('DELETE', '/channels/signed')).toEqual({ status: 204, body: null });
  });

  it('refuses to delete an agent that runs as an auto-agent', async () => {
    const { call } = setUp();
    const tenant = (await call('GET', '/tenant')).body.item;
    tenant.autoAgents = [{ account: 'bob', acceptAfterSeconds: 2, replies: ['Hello'] }];
    expect((await call('PUT', '/tenant', tenant)).status).toBe(200);
    expect((await call('DELETE', '/agents/bob')).body).toMatchObject({ errorCode: 'agent.inUse.autoAgent', field: 'autoAgents[0].account' });
  });
});

describe('admin API: whole tenant, allowances, reset', () => {
  it('saves nothing of a rejected PUT of the whole tenant', async () => {
    const { call, changes } = setUp();
    const before = (await call('GET', '/tenant')).body.item;
    const next = structuredClone(before);
    next.skillQueues[0].description = 'Changed';
    next.channels.push({ ...next.channels[0], id: 'other', channelAccessCode: 'web_other' });
    next.channels[1].secretKey = 'not a valid key!';
    const res = await call('PUT', '/tenant', next);
    expect(res).toMatchObject({ status: 400, body: { errorCode: 'channel.secretKey.invalid', field: 'channels[1].secretKey' } });
    expect(res.body.exceptionInfo).not.toContain('not a valid key');
    expect((await call('GET', '/tenant')).body.item).toEqual(before);
    expect(changes()).toBe(0);
  });

  it('replaces the whole tenant when it is valid', async () => {
    const { call, store } = setUp();
    const next = seedTenant();
    next.skillQueues[0]!.description = 'Changed';
    const res = await call('PUT', '/tenant', next);
    expect(res.status).toBe(200);
    expect(store.current.skillQueues[0]!.description).toBe('Changed');
  });

  it('sets allowances, refusing values below what agents use', async () => {
    const { call } = setUp();
    expect((await call('PUT', '/allowances', { videoAgents: 5 })).body.item).toEqual({ videoAgents: 5, multimediaAgents: 10, versatileAgents: 2, intelligentAgents: 2 });
    expect((await call('PUT', '/allowances', { videoAgents: -1 })).body).toMatchObject({ errorCode: 'allowances.videoAgents.range', field: 'videoAgents' });
    expect((await call('PUT', '/allowances', { multimediaAgents: 0 })).body).toMatchObject({ errorCode: 'allowances.belowUsage', field: 'multimediaAgents' });
    expect((await call('GET', '/tenant')).body.item.allowances.multimediaAgents).toBe(10);
  });

  it('resets to the seeded tenant', async () => {
    const { call, store } = setUp();
    await call('POST', '/skill-queues', { name: 'Sales', description: 'Sales' });
    await call('DELETE', '/channels/signed');
    const res = await call('POST', '/reset');
    expect(res.body).toEqual({ resultCode: '0', item: seedTenant() });
    expect(store.current).toEqual(seedTenant());
  });

  it('gives callers copies, so the snapshot cannot be changed behind the store', () => {
    const { store } = setUp();
    store.get('skillQueues', 'Billing').maxWaitTime = 1;
    store.list('agents')[0]!.skillQueues.push('x');
    expect(store.current.skillQueues[1]!.maxWaitTime).toBe(600);
    expect(store.current.agents[0]!.skillQueues).toEqual(['WebSupport', 'Billing']);
  });
});
