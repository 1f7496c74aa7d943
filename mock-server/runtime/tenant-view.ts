/**
 * The runtime's read-only view of the tenant configuration: a channel, a skill queue, the queue
 * behind a channel's called route, and the channel configuration the widget fetches. Every
 * lookup of an unknown name is a 404 naming the field.
 */
import type { ChannelConfig } from '../../widget/core/protocol.js';
import type { TenantStore } from '../config/store.js';
import { localizeChannel } from '../config/localize.js';
import { DEFAULT_NO_REPLY_MINUTES, type LocalChannel, type SkillQueue, type WebChannel } from '../config/types.js';
import type { Session } from './session.js';
import { ApiFailure } from './errors.js';
import { UPLOAD_MAX_BYTES, UPLOAD_TYPES } from './uploads.js';

export class TenantView {
  constructor(readonly store: TenantStore) {}

  /** The channel as configured (texts possibly by language). */
  configured(channelId: string): WebChannel {
    const ch = this.store.current.channels.find((c) => c.id === channelId);
    if (!ch) throw new ApiFailure(404, 'channel.notFound', `No web channel has the id "${channelId}".`, 'channelId');
    return ch;
  }

  /**
   * The channel as a customer of `locale` reads it: each text in their language (config/localize.ts).
   * Without a locale: the channel's default language, else the first text given.
   */
  channel(channelId: string, locale?: string): LocalChannel {
    return localizeChannel(this.configured(channelId), locale);
  }

  /** The channel as the session's customer reads it (the locale of their last applyToken). */
  channelOf(s: Session): LocalChannel {
    return this.channel(s.channelId, s.stream.locale);
  }

  queue(name: string): SkillQueue {
    const q = this.store.current.skillQueues.find((s) => s.name === name);
    if (!q) throw new ApiFailure(404, 'queue.notFound', `No skill queue is named "${name}".`, 'queueName');
    return q;
  }

  /** The skill queue behind a channel's multimedia called route (access + extension code). */
  channelQueue(ch: Pick<WebChannel, 'id' | 'skillQueue'>): SkillQueue {
    const route = this.store.current.calledRoutes.find((r) => r.accessCode + (r.extensionCode ?? '') === ch.skillQueue);
    if (!route) throw new ApiFailure(500, 'channel.routeMissing', `Channel "${ch.id}" points to no called route.`);
    return this.queue(route.skillQueue);
  }

  /** `queryChannelConfig`'s answer: what the widget needs to know about a channel, its texts in `locale`. */
  channelConfig(channelId: string, locale?: string): ChannelConfig {
    const ch = this.channel(channelId, locale);
    const levels = ch.satisfactionLevels;
    return {
      resultCode: '0',
      channelId: ch.id,
      useRobot: ch.chatbot !== null,
      toArtificialKeyWord: ch.chatbot ? [...ch.transferKeywords] : [],
      queueReminderInterval: ch.queueReminder.intervalSeconds,
      queueReminderContent: ch.queueReminder.content,
      dialogEnd: ch.dialogEnd ?? { noReplyMinutes: DEFAULT_NO_REPLY_MINUTES, conclusion: '' },
      workTime: ch.workTime,
      chatbot: ch.chatbot ? { name: ch.chatbot.name, avatar: ch.chatbot.avatar, gender: ch.chatbot.gender } : null,
      clickToDial: ch.clickToDial ? { calledParty: ch.clickToDial.calledParty, media: [...ch.clickToDial.media] } : null,
      satisfactionLevels: levels.map((d, i) => ({
        satisfactionLevelKey: String(i + 1) as '1',
        satisfactionLevelDesc: d,
      })),
      requiresSignature: ch.secretKey !== null,
      upload: { maxBytes: UPLOAD_MAX_BYTES, types: [...UPLOAD_TYPES] },
    };
  }
}
