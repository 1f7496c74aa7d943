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
        // "agente" (es) already contains "agent".
        transferKeywords: ['agent', 'human', '人工', 'atendente', 'humano', 'conseiller', 'humain'],
        clickToDial: { calledParty: 'agent', skillQueue: 'WebCallback', media: ['voice'] },
        // Texts by language (the customer's applyToken locale picks one; README, tenant configuration).
        defaultLocale: 'en',
        dialogEnd: null,
        secretKey: null,
        workTime: null,
        queueReminder: {
          intervalSeconds: 10,
          content: {
            en: 'Thanks for waiting, an agent will be with you shortly.',
            'pt-BR': 'Obrigado por aguardar, um atendente falará com você em breve.',
            fr: 'Merci de patienter, un conseiller va vous répondre sous peu.',
            es: 'Gracias por esperar, un agente le atenderá en breve.',
            'zh-CN': '感谢您的耐心等待，座席将很快为您服务。',
          },
        },
        chatbot: {
          avatar: '',
          name: 'Ava',
          gender: 'female',
          accessCode: '8001',
          greeting: {
            en: 'Hi, I\'m Ava, the virtual assistant. Ask me anything, or type "agent" to talk to a person.',
            'pt-BR': 'Olá, sou a Ava, a assistente virtual. Pergunte o que quiser ou digite "atendente" para falar com uma pessoa.',
            fr: "Bonjour, je suis Ava, l'assistante virtuelle. Posez-moi vos questions, ou tapez « conseiller » pour parler à une personne.",
            es: 'Hola, soy Ava, la asistente virtual. Pregúnteme lo que quiera o escriba "agente" para hablar con una persona.',
            'zh-CN': '您好，我是虚拟助手 Ava。有问题尽管问我，或输入“人工”转接人工客服。',
          },
          defaultReply: {
            en: 'Sorry, I didn\'t understand that. Try asking about opening hours or refunds, or type "agent".',
            'pt-BR': 'Desculpe, não entendi. Pergunte sobre o horário de atendimento ou reembolsos, ou digite "atendente".',
            fr: "Désolée, je n'ai pas compris. Demandez-moi les horaires ou les remboursements, ou tapez « conseiller ».",
            es: 'Lo siento, no lo he entendido. Pregunte por el horario o los reembolsos, o escriba "agente".',
            'zh-CN': '抱歉，我没有理解。您可以询问营业时间或退款，或输入“人工”。',
          },
          timeoutReply: {
            en: 'This chat was closed because we did not hear from you. Come back any time!',
            'pt-BR': 'Esta conversa foi encerrada porque não tivemos resposta. Volte quando quiser!',
            fr: 'Cette conversation a été fermée faute de réponse de votre part. Revenez quand vous voulez !',
            es: 'Esta conversación se cerró porque no recibimos respuesta. ¡Vuelva cuando quiera!',
            'zh-CN': '由于长时间未收到您的消息，本次会话已结束。欢迎随时再来！',
          },
          transferPrompt: {
            en: 'Connecting you to an agent now…',
            'pt-BR': 'Conectando você a um atendente…',
            fr: 'Je vous mets en relation avec un conseiller…',
            es: 'Le estamos conectando con un agente…',
            'zh-CN': '正在为您转接人工客服…',
          },
          rules: [
            {
              keywords: ['hours', 'open', '营业', 'horário', 'horaires', 'horario'],
              reply: {
                en: 'We are open Monday to Friday, 09:00–18:00.',
                'pt-BR': 'Atendemos de segunda a sexta, das 09:00 às 18:00.',
                fr: 'Nous sommes ouverts du lundi au vendredi, de 09:00 à 18:00.',
                es: 'Abrimos de lunes a viernes, de 09:00 a 18:00.',
                'zh-CN': '我们的营业时间为周一至周五 09:00–18:00。',
              },
            },
            {
              keywords: ['refund', '退款', 'reembolso', 'rembours'],
              reply: {
                en: 'Refunds are paid to the original card within 5 working days.',
                'pt-BR': 'Os reembolsos são pagos no cartão original em até 5 dias úteis.',
                fr: "Les remboursements sont versés sur la carte d'origine sous 5 jours ouvrés.",
                es: 'Los reembolsos se abonan en la tarjeta original en un plazo de 5 días hábiles.',
                'zh-CN': '退款将在 5 个工作日内退回原支付卡。',
              },
            },
          ],
        },
        robotAssistant: null,
        satisfactionLevels: [
          { en: 'Very dissatisfied', 'pt-BR': 'Muito insatisfeito', fr: 'Très insatisfait', es: 'Muy insatisfecho', 'zh-CN': '非常不满意' },
          { en: 'Dissatisfied', 'pt-BR': 'Insatisfeito', fr: 'Insatisfait', es: 'Insatisfecho', 'zh-CN': '不满意' },
          { en: 'Neutral', 'pt-BR': 'Neutro', fr: 'Neutre', es: 'Neutral', 'zh-CN': '一般' },
          { en: 'Satisfied', 'pt-BR': 'Satisfeito', fr: 'Satisfait', es: 'Satisfecho', 'zh-CN': '满意' },
          { en: 'Very satisfied', 'pt-BR': 'Muito satisfeito', fr: 'Très satisfait', es: 'Muy satisfecho', 'zh-CN': '非常满意' },
        ],
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
    connectedText: {
      en: 'Connected to an agent.',
      zh: '已接通座席。',
      'pt-BR': 'Você está falando com um atendente.',
      fr: 'Vous êtes en relation avec un conseiller.',
      es: 'Está hablando con un agente.',
    },
    downloadMaxBytes: 2 * 1024 * 1024,
    satisfactionSurvey: 'WEB',
  };
}
