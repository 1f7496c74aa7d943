/** Fixtures shared by the session reducer's tests. Not a test file itself. */
import type { ChannelConfig } from '../../widget/core/protocol.js';

/** The `demo` channel's public configuration as the widget receives it; `over` replaces fields. */
export function channelConfig(over: Partial<ChannelConfig> = {}): ChannelConfig {
  return {
    resultCode: '0',
    channelId: 'demo',
    useRobot: true,
    toArtificialKeyWord: ['agent', '人工'],
    queueReminderInterval: 10,
    queueReminderContent: 'Please wait',
    dialogEnd: { noReplyMinutes: 20, conclusion: '' },
    workTime: null,
    chatbot: { name: 'Ava', avatar: '', gender: 'female' },
    clickToDial: null,
    satisfactionLevels: ['1', '2', '3', '4', '5'].map((k) => ({ satisfactionLevelKey: k as '1', satisfactionLevelDesc: `L${k}` })),
    requiresSignature: false,
    upload: { maxBytes: 1000, types: [] },
    ...over,
  };
}
