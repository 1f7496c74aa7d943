/**
 * The tenant configuration of the mock contact center: part A of docs/requirements.md
 * (skill queues, called routes, agents, web channels, tenant allowances).
 * Validation lives in validate.ts; the seeded demo tenant in seed.ts.
 */
import type { TimeSegment } from '../../widget/core/protocol.js';

export type SkillQueueType = 'voice' | 'multimedia' | 'video' | 'voiceClickToDial' | 'videoClickToDial';

export interface OverflowPolicy {
  processMethod: 'release' | 'transfer';
  deviceType: 'skillQueue' | 'ivr';
  /** Skill queue name or IVR access code; required for `transfer`. */
  target?: string;
}

export interface SkillQueue {
  name: string;
  /** Seconds, 1–60000, default 60. */
  maxWaitTime: number;
  /** 1–10000, default 100. */
  maxCallsInQueue: number;
  description: string;
  type: SkillQueueType;
  /** Wrap-up seconds after a session, 0–3600, default 5. */
  arrangingDuration: number;
  onTimeout: OverflowPolicy;
  onBusy: OverflowPolicy;
  onNoAgents: OverflowPolicy;
  /** Voice and video queues only. */
  queuingMethod?: 'defaultTone' | 'customTone' | 'ivr';
  keepingMethod?: 'defaultTone' | 'customTone';
  answerMode: 'reportEmployeeId' | 'noVoice';
}

export type AccessCodeType = 'multimedia' | 'voice' | 'video' | 'clickToDial';

export interface CalledRoute {
  accessCode: string;
  accessCodeType: AccessCodeType;
  extensionCode?: string;
  deviceType: 'skillQueue';
  skillQueue: string;
}

export interface Agent {
  account: string;
  /** Shown to customers; defaults to the account. */
  name?: string;
  employeeId: string;
  platformRole: 'commonAgent' | 'qualityChecker' | 'calloutAgent';
  agentType: 'audio' | 'video' | 'multimedia' | 'versatile';
  phone?: string;
  intelligentRecognition: boolean;
  singlePhoneSignIn: boolean;
  anonymization: boolean;
  skillQueues: string[];
}

export interface ChatbotRule {
  /** Any of these words (case-insensitive, anywhere in the message) triggers the reply. */
  keywords: string[];
  reply: string;
}

export interface Chatbot {
  avatar: string;
  name: string;
  gender: 'female' | 'male' | 'unspecified';
  accessCode: string;
  greeting: string;
  defaultReply: string;
  timeoutReply: string;
  transferPrompt: string;
  rules: ChatbotRule[];
}

export interface WebChannel {
  /** Fixed when created; the widget is configured with it. */
  id: string;
  channelAccessCode: string;
  /** Full access code (access + extension) of a multimedia called route. */
  skillQueue: string;
  transferKeywords: string[];
  clickToDial:
    | null
    | { calledParty: 'agent'; skillQueue: string; media: Array<'voice' | 'video'> }
    | { calledParty: 'ivr'; ivrAccessCode: string; media: Array<'voice' | 'video'> };
  /** Null: off (the session ends after 20 minutes without a customer message). */
  dialogEnd: null | { noReplyMinutes: number; conclusion: string };
  /** Null: off. At most 43 letters and digits. */
  secretKey: string | null;
  workTime: null | {
    timeZone: string;
    workdays: number[];
    workday: TimeSegment[];
    nonWorkday: TimeSegment[];
    nonWorkingNotice: string;
  };
  queueReminder: { intervalSeconds: number; content: string };
  /** Null: off. */
  chatbot: Chatbot | null;
  robotAssistant: null | { accessCode: string; silentAgentSkillQueue: string };
  satisfactionLevels: string[];
}

export interface TenantAllowances {
  videoAgents: number;
  multimediaAgents: number;
  versatileAgents: number;
  intelligentAgents: number;
}

export interface IvrFlow {
  accessCode: string;
  name: string;
}

export interface Tenant {
  allowances: TenantAllowances;
  skillQueues: SkillQueue[];
  calledRoutes: CalledRoute[];
  agents: Agent[];
  channels: WebChannel[];
  ivrs: IvrFlow[];
  /** Simulated agents that accept and reply on their own (demo convenience). */
  autoAgents: Array<{ account: string; acceptAfterSeconds: number; replies: string[] }>;
}

export const DEFAULT_NO_REPLY_MINUTES = 20;

/**
 * Settings of the real-CEC face of the mock (`/cec/...`, the Huawei web-channel REST API). Kept
 * beside the Tenant, not inside it: the tenant document is the admin guide's Tables 1–4.
 */
export interface CecFaceConfig {
  /** The tenant's API Fabric credentials, checked by `tokenByAkSk`. */
  appKey: string;
  appSecret: string;
  /** How long `poll` holds when nothing is waiting (`ccmessaging.longpolling.timeout`), seconds; default 5. */
  pollHoldSeconds: number;
  /** A customer with a session who has not polled for this long is released, seconds. */
  releaseAfterSeconds: number;
  /** The tenant's language: SYSTEM messages are signed "system" (en) or "系统" (zh). */
  language: 'en' | 'zh';
  /** The SYSTEM text sent when an agent accepts, by the customer's applyToken locale. */
  connectedText: { en: string; zh: string };
  /** Largest file `downloadFileStream` returns, bytes; default 2 MB. */
  downloadMaxBytes: number;
}
