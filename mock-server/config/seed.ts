/**
 * The seeded demo tenant: useful the moment the mock starts. One multimedia queue behind the
 * web channel `demo`, a second one to transfer to, two agents, a chatbot with a few answers,
 * and a second channel (`signed`) that requires the integrator's signature.
 */
import * as v from 'valibot';
import { newSkillQueue } from './schema/defaults.js';
import type { CecFaceConfig, SkillQueue, Tenant } from './types.js';

/** What a new skill queue gets when only its name, description and type are given. */
export function skillQueueDefaults(): Omit<SkillQueue, 'name' | 'description' | 'type'> {
  const q = v.parse(newSkillQueue, {}) as Partial<SkillQueue>;
  delete q.type;
  return q as Omit<SkillQueue, 'name' | 'description' | 'type'>;
}

export const DEMO_SECRET_KEY = 'demoSecretKey0123456789abcdefABCDEF';

export function seedTenant(): Tenant {
  return {
    allowances: { videoAgents: 2, multimediaAgents: 10, versatileAgents: 2, intelligentAgents: 2 },
    ivrs: [{ accessCode: '9001', name: 'Main IVR' }],
    skillQueues: [
      {
        ...skillQueueDefaults(),
        name: 'WebSupport',
        description: 'Customer service for the web site',
        type: 'multimedia',
        maxWaitTime: 600,
        answerMode: 'reportEmployeeId',
      },
      {
        ...skillQueueDefaults(),
        name: 'Billing',
        description: 'Billing questions',
        type: 'multimedia',
        maxWaitTime: 600,
      },
      {
        ...skillQueueDefaults(),
        name: 'WebCallback',
        description: 'Voice click-to-dial from the web chat',
        type: 'voiceClickToDial',
      },
    ],
    calledRoutes: [
      { accessCode: '12345', accessCodeType: 'multimedia', extensionCode: '1', deviceType: 'skillQueue', skillQueue: 'WebSupport' },
      { accessCode: '12345', accessCodeType: 'multimedia', extensionCode: '2', deviceType: 'skillQueue', skillQueue: 'Billing' },
      { accessCode: '12346', accessCodeType: 'clickToDial', deviceType: 'skillQueue', skillQueue: 'WebCallback' },
    ],
    agents: [
      {
        account: 'alice',
        name: 'Alice',
        employeeId: '10021',
        platformRole: 'commonAgent',
        agentType: 'multimedia',
        phone: '+86 755 2878 0021',
        intelligentRecognition: false,
        singlePhoneSignIn: false,
        anonymization: false,
        skillQueues: ['WebSupport', 'Billing'],
      },
      {
        account: 'bob',
        name: 'Bob',
        employeeId: '10022',
        platformRole: 'commonAgent',
        agentType: 'versatile',
        phone: '0755-2878-0022',
        intelligentRecognition: false,
        singlePhoneSignIn: false,
        anonymization: false,
        skillQueues: ['WebSupport', 'WebCallback'],
      },
    ],
    channels: [
      {
        id: 'demo',
        channelAccessCode: 'web_demo',
        skillQueue: '123451',
        transferKeywords: ['agent', 'human', '人工'],
        clickToDial: { calledParty: 'agent', skillQueue: 'WebCallback', media: ['voice'] },
        dialogEnd: null,
        secretKey: null,
        workTime: null,
        queueReminder: { intervalSeconds: 10, content: 'Thanks for waiting, an agent will be with you shortly.' },
        chatbot: {
          avatar: '',
          name: 'Ava',
          gender: 'female',
          accessCode: '8001',
          greeting: "Hi, I'm Ava, the virtual assistant. Ask me anything, or type \"agent\" to talk to a person.",
          defaultReply: "Sorry, I didn't understand that. Try asking about opening hours or refunds, or type \"agent\".",
          timeoutReply: 'This chat was closed because we did not hear from you. Come back any time!',
          transferPrompt: 'Connecting you to an agent now…',
          rules: [
            { keywords: ['hours', 'open', '营业'], reply: 'We are open Monday to Friday, 09:00–18:00.' },
            { keywords: ['refund', '退款'], reply: 'Refunds are paid to the original card within 5 working days.' },
          ],
        },
        robotAssistant: null,
        satisfactionLevels: ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
      },
      {
        id: 'signed',
        channelAccessCode: 'web_signed',
        skillQueue: '123451',
        transferKeywords: ['agent'],
        clickToDial: null,
        dialogEnd: { noReplyMinutes: 10, conclusion: 'The chat has ended. Thank you for contacting us.' },
        secretKey: DEMO_SECRET_KEY,
        workTime: null,
        queueReminder: { intervalSeconds: 10, content: 'Please hold on, you are in the queue.' },
        chatbot: null,
        robotAssistant: null,
        satisfactionLevels: ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
      },
    ],
    autoAgents: [],
  };
}

/** The seed tenant's API Fabric credentials for the real-CEC face (`tokenByAkSk`). Mock values, documented in the README. */
export const SEED_CEC_APP_KEY = 'demo-app-key';
export const SEED_CEC_APP_SECRET = 'demo-app-secret-0123456789';

/** The real-CEC face's settings for the seed tenant. */
export function seedCecFace(): CecFaceConfig {
  return {
    appKey: SEED_CEC_APP_KEY,
    appSecret: SEED_CEC_APP_SECRET,
    pollHoldSeconds: 5,
    releaseAfterSeconds: 120,
    language: 'en',
    connectedText: { en: 'Connected to an agent.', zh: '已接通座席。' },
    downloadMaxBytes: 2 * 1024 * 1024,
    satisfactionSurvey: 'WEB',
  };
}
