/**
 * The mock's chatbot: keyword → reply rules, else the defaultReply. Transfer keywords are
 * checked first, so "agent, refund please" goes to a person, not to the refund answer.
 */
import { findKeyword } from '../../widget/core/keywords.js';
import type { LocalChatbot } from '../config/types.js';

export type BotDecision = { kind: 'transfer' } | { kind: 'reply'; text: string; matched: boolean };

export function decide(bot: LocalChatbot, transferKeywords: readonly string[], text: string): BotDecision {
  if (findKeyword(text, transferKeywords) !== undefined) return { kind: 'transfer' };
  for (const rule of bot.rules) {
    if (findKeyword(text, rule.keywords) !== undefined) return { kind: 'reply', text: rule.reply, matched: true };
  }
  return { kind: 'reply', text: bot.defaultReply, matched: false };
}
