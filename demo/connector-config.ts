/**
 * The connector's config (`connector.json`, schema in widget/server/connector/config.ts) that
 * matches a web channel of the mock's tenant: the channel's public settings as the CEC console
 * holds them. Used by the demo server (its own connector, `?mock=connector`) and by the
 * Integration instructions (the copyable file). Secrets are never in it: the AK/SK and a
 * channel's secretKey are named by environment variable only. Pure: no DOM, no Node.
 */

/** Environment variable names the connector reads its secrets from (its defaults, and ours for a channel's key). */
export const CONNECTOR_ENV = { appKey: 'CEC_APP_KEY', appSecret: 'CEC_APP_SECRET', secretKey: 'CEC_SECRET_KEY' } as const;

import type { LocalizedText } from '../widget/core/locale.js';
import { seedCecFace } from '../mock-server/config/seed.js';

/** The "connected to an agent" SYSTEM texts the mock's real-CEC face sends, in every language it has them. */
const AGENT_CONNECTED = Object.values(seedCecFace().connectedText);

/** A web channel as the mock's admin API returns it (only the fields used here). */
export interface ChannelLike {
  id: unknown;
  secretKey?: unknown;
  hasSecretKey?: unknown;
  transferKeywords?: unknown;
  /** The channel's own language (texts given by language fall back to it). */
  defaultLocale?: string;
  queueReminder?: { intervalSeconds: number; content: LocalizedText } | null;
  dialogEnd?: { noReplyMinutes: number; conclusion: LocalizedText } | null;
  workTime?: { timeZone: string; workdays: number[]; workday: unknown[]; nonWorkday?: unknown[]; nonWorkingNotice: LocalizedText } | null;
  chatbot?: { name: string; avatar?: string; gender?: string; transferPrompt?: LocalizedText; timeoutReply?: LocalizedText } | null;
  clickToDial?: { calledParty: string; media: string[] } | null;
  satisfactionLevels?: unknown;
}

/**
 * One `channels[]` entry of connector.json for `channel`. `secretKeyEnv` names the variable
 * holding the key when the channel has one (the key itself is left out). An avatar that is a
 * data: URL or longer than the connector allows (2048) is left empty: host it and put its URL.
 */
export function connectorChannel(channel: ChannelLike, secretKeyEnv: string = CONNECTOR_ENV.secretKey): Record<string, unknown> {
  const signed = !!channel.secretKey || channel.hasSecretKey === true;
  const bot = channel.chatbot ?? null;
  const avatar = bot?.avatar && !bot.avatar.startsWith('data:') && bot.avatar.length <= 2048 ? bot.avatar : '';
  return {
    channelId: String(channel.id),
    ...(signed ? { secretKeyEnv } : {}),
    ...(channel.defaultLocale ? { defaultLocale: channel.defaultLocale } : {}),
    useRobot: bot !== null,
    toArtificialKeyWord: Array.isArray(channel.transferKeywords) ? channel.transferKeywords : [],
    queueReminder: channel.queueReminder ?? { intervalSeconds: 30, content: '' },
    dialogEnd: channel.dialogEnd ?? { noReplyMinutes: 20, conclusion: '' },
    workTime: channel.workTime
      ? {
          timeZone: channel.workTime.timeZone,
          workdays: channel.workTime.workdays,
          workday: channel.workTime.workday,
          nonWorkday: channel.workTime.nonWorkday ?? [],
          nonWorkingNotice: channel.workTime.nonWorkingNotice,
        }
      : null,
    chatbot: bot ? { name: bot.name, avatar, gender: bot.gender ?? 'unspecified', transferPrompt: bot.transferPrompt ?? '', timeoutReply: bot.timeoutReply ?? '' } : null,
    clickToDial: channel.clickToDial ? { calledParty: channel.clickToDial.calledParty, media: channel.clickToDial.media } : null,
    ...(Array.isArray(channel.satisfactionLevels) && channel.satisfactionLevels.length === 5 ? { satisfactionLevels: channel.satisfactionLevels } : {}),
    texts: { agentConnected: AGENT_CONNECTED, idleWarning: [], queueTimeout: [], queueBusy: [], noAgents: [] },
  };
}

/**
 * A whole connector.json for `channels`, whose upstream is the CEC gateway at `upstreamBaseUrl`
 * (for the mock: its `/cec` face). `allowedOrigins` lists the shop origins that call it from a browser.
 */
export function connectorConfig(channels: ChannelLike[], upstreamBaseUrl: string, allowedOrigins: string[] = []): Record<string, unknown> {
  return {
    upstream: { baseUrl: upstreamBaseUrl, appKeyEnv: CONNECTOR_ENV.appKey, appSecretEnv: CONNECTOR_ENV.appSecret },
    channels: channels.map((c) => connectorChannel(c)),
    allowedOrigins,
  };
}
