/** The whole tenant configuration: allowances and the collections, in the order they are checked. */
import { agentSchema } from './agents.js';
import { channelSchema } from './channels.js';
import { int, list, nested, object, str, word } from './fields.js';
import { calledRouteSchema, ivrSchema, skillQueueSchema } from './queues.js';

const MAX_ALLOWANCE = 100_000;

/** How many agents of each kind the tenant was given when it was created. */
export const allowancesSchema = nested({
  videoAgents: int(0, MAX_ALLOWANCE),
  multimediaAgents: int(0, MAX_ALLOWANCE),
  versatileAgents: int(0, MAX_ALLOWANCE),
  intelligentAgents: int(0, MAX_ALLOWANCE),
});

/** Simulated agents (demo convenience): an existing agent, a delay, canned replies. */
export const autoAgentSchema = object({
  account: str({ max: 64 }),
  acceptAfterSeconds: int(0, 3600),
  replies: list(word(1000)),
});

export const tenantSchema = object(
  {
    allowances: allowancesSchema,
    ivrs: list(ivrSchema),
    skillQueues: list(skillQueueSchema),
    calledRoutes: list(calledRouteSchema),
    agents: list(agentSchema),
    channels: list(channelSchema),
    autoAgents: list(autoAgentSchema),
  },
  { notObject: 'notObject must be a tenant object' },
);
