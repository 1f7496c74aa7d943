/**
 * The tenant configuration of the mock contact center: part A of docs/requirements.md
 * (skill queues, called routes, agents, web channels, tenant allowances). Every type is
 * inferred from its schema in schema/; the seeded demo tenant is in seed.ts.
 */
import type * as v from 'valibot';
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
export type TenantAllowances = v.InferOutput<typeof allowancesSchema>;
export type IvrFlow = v.InferOutput<typeof ivrSchema>;
export type Tenant = v.InferOutput<typeof tenantSchema>;

export const DEFAULT_NO_REPLY_MINUTES = 20;
