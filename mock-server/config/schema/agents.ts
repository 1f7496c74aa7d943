/**
 * Agents (Table 3 of the admin guide): the fields of one agent. Its skill queues, their media
 * types and the tenant's allowances are checked across objects in ../rules.ts.
 */
import * as v from 'valibot';
import { bool, list, object, oneOf, optStr, str } from './fields.js';

export const PLATFORM_ROLES = ['commonAgent', 'qualityChecker', 'calloutAgent'] as const;
export const AGENT_TYPES = ['audio', 'video', 'multimedia', 'versatile'] as const;
export type AgentType = (typeof AGENT_TYPES)[number];

export const agentFields = {
  account: str({ max: 64, pattern: /^\S+$/u, text: 'must be 1–64 characters without spaces' }),
  /** Shown to customers; defaults to the account. */
  name: optStr({ max: 50, text: 'must be 1–50 characters or left out', rule: 'invalid' }),
  employeeId: str({ pattern: /^\d{1,20}$/, text: 'must be 1–20 digits' }),
  platformRole: oneOf(PLATFORM_ROLES),
  agentType: oneOf(AGENT_TYPES),
  /** "Agent Mobile/Fixed-Line Number": digits with an optional +, dashes and spaces. */
  phone: optStr({ pattern: /^(?=.*\d)[\d+\- ]{1,32}$/, text: 'must be up to 32 digits, +, - and spaces, or left out' }),
  intelligentRecognition: bool(),
  singlePhoneSignIn: bool(),
  anonymization: bool(),
  skillQueues: v.pipe(list(v.string('type must be a skill queue name (a string)')), v.minLength(1, 'required must list at least one skill queue')),
};

export const agentSchema = object(agentFields);
