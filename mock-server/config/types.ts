/**
 * The tenant configuration of the mock contact center: part A of docs/requirements.md
 * (skill queues, called routes, agents, web channels, tenant allowances). Every type is
 * inferred from its schema in schema/; the seeded demo tenant is in seed.ts.
 */
import type * as v from 'valibot';
import type { LocalizedText } from '../../widget/core/locale.js';
import type { agentSchema } from './schema/agents.js';
import type { channelSchema, chatbotSchema } from './schema/channels.js';
import type { calledRouteSchema, ivrSchema, overflowPolicySchema, skillQueueSchema } from './schema/queues.js';
import type { allowancesSchema, tenantSchema } from './schema/tenant.js';

export type { SkillQueueType, AccessCodeType } from './schema/queues.js';
export type OverflowPolicy = v.InferOutput<typeof overflowPolicySchema>;
export type SkillQueue = v.InferOutput<typeof skillQueueSchema>;
export type CalledRoute = v.InferOutput<typeof calledRouteSchema>;
export type Agent = v.InferOutput<typeof agentSchema>;
export type Chatbot = NonNullable<v.InferOutput<typeof chatbotSchema>>;
export type ChatbotRule = Chatbot['rules'][number];
export type WebChannel = v.InferOutput<typeof channelSchema>;
/** `T` with every LocalizedText (a text given by language) as the one string a customer reads. */
export type Resolved<T> = [T] extends [LocalizedText]
  ? [LocalizedText] extends [T]
    ? string
    : T
  : T extends readonly (infer U)[]
    ? Resolved<U>[]
    : T extends object
      ? { [K in keyof T]: Resolved<T[K]> }
      : T;
/** A web channel as one customer reads it (config/localize.ts): every text in their language. */
export type LocalChannel = Resolved<WebChannel>;
export type LocalChatbot = NonNullable<LocalChannel['chatbot']>;
export type TenantAllowances = v.InferOutput<typeof allowancesSchema>;
export type IvrFlow = v.InferOutput<typeof ivrSchema>;
export type Tenant = v.InferOutput<typeof tenantSchema>;

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
  /**
   * The SYSTEM text sent when an agent accepts, by the customer's applyToken locale (the
   * product's fallback, widget/core/locale.ts; then `language`): en and zh, and any other tags.
   */
  connectedText: { en: string; zh: string } & Readonly<Record<string, string>>;
  /** Largest file `downloadFileStream` returns, bytes; default 2 MB. */
  downloadMaxBytes: number;
  /**
   * The tenant's satisfaction survey (Configuration Center › Workbench › Satisfaction Survey,
   * tenant-wide on the real CEC): `WEB` offers the channel's levels, `NO` none
   * (`getsatisfactionsurveymode` answers `surveyType: "NO"`). Default `WEB`.
   */
  satisfactionSurvey: 'WEB' | 'NO';
}
