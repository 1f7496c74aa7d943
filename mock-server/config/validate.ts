/**
 * Validation of the tenant configuration (part A of docs/requirements.md, from Tables 1–4 of
 * the admin guide). Pure: `validateTenant` throws the first ConfigError it finds, in a fixed
 * order (allowances, IVRs, skill queues, called routes, agents, channels, auto-agents; within
 * an object, its fields in table order, then its references), so the same input always gets
 * the same error. Each object is checked against the ones before it in its list, so a
 * duplicate is reported on the later copy and an allowance on the first agent past it.
 */
import type { ApiError } from '../../widget/core/protocol.js';
import type { Tenant } from './types.js';
import { validateAgents } from './validate/agents.js';
import { ConfigError, Scope } from './validate/check.js';
import { validateChannels } from './validate/channels.js';
import { validateQueues } from './validate/queues.js';
import { validateRoutes } from './validate/routes.js';

export { ConfigError } from './validate/check.js';
export { validateAgent, QUEUE_FAMILY } from './validate/agents.js';
export { validateChannel } from './validate/channels.js';
export { validateIvr, validateQueueFields, validateQueueTargets } from './validate/queues.js';
export { validateRoute } from './validate/routes.js';
export { isTimeZone } from './validate/channel-parts.js';

export const COLLECTIONS = ['skillQueues', 'calledRoutes', 'agents', 'channels', 'ivrs', 'autoAgents'] as const;
const ALLOWANCE_FIELDS = ['videoAgents', 'multimediaAgents', 'versatileAgents', 'intelligentAgents'];
const MAX_ALLOWANCE = 100_000;
const REPLY_MAX = 1000;

export function toApiError(e: ConfigError): Required<ApiError> {
  return { errorCode: e.errorCode, exceptionInfo: e.message, field: e.field };
}

export function validateAllowances(t: Tenant): void {
  const a = Scope.of('allowances', 'allowances', t.allowances);
  a.known(ALLOWANCE_FIELDS);
  for (const key of ALLOWANCE_FIELDS) a.int(key, 0, MAX_ALLOWANCE);
}

/** Simulated agents (demo convenience): an existing agent, a delay, canned replies. */
export function validateAutoAgent(t: Tenant, i: number): void {
  const s = Scope.of('autoAgent', `autoAgents[${i}]`, t.autoAgents[i]);
  s.known(['account', 'acceptAfterSeconds', 'replies']);
  const account = s.str('account', { max: 64 });
  if (!t.agents.some((a) => a.account === account)) s.fail('account', 'unknown', `"${account}" is not the account of an agent of the tenant`);
  const j = t.autoAgents.slice(0, i).findIndex((a) => a.account === account);
  if (j >= 0) s.fail('account', 'duplicate', `"${account}" is already simulated by autoAgents[${j}]`);
  s.int('acceptAfterSeconds', 0, 3600);
  s.arr('replies').forEach((r, k) => {
    if (typeof r !== 'string' || r.trim() === '' || r.length > REPLY_MAX) {
      s.raise('autoAgent.replies.invalid', `replies[${k}]`, `must be a non-empty string of at most ${REPLY_MAX} characters`);
    }
  });
}

/** Throws the first rule the tenant breaks, as a ConfigError naming the field. */
export function validateTenant(t: unknown): asserts t is Tenant {
  const s = Scope.of('tenant', '', t, 'a tenant object');
  s.known(['allowances', ...COLLECTIONS]);
  s.obj('allowances');
  for (const key of COLLECTIONS) s.arr(key);
  const tenant = t as Tenant;
  validateAllowances(tenant);
  validateQueues(tenant);
  validateRoutes(tenant);
  validateAgents(tenant);
  validateChannels(tenant);
  tenant.autoAgents.forEach((_, i) => validateAutoAgent(tenant, i));
}
