/** Fixtures shared by the session reducer's tests. Not a test file itself. */
import type { ChannelConfig, DownlinkMessage } from '../../widget/core/protocol.js';

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

/** An agent's chat message of session s1 at `seq` ("Message <seq>"), with `partial` over it. */
export function agentMessage(seq: number, partial: Partial<DownlinkMessage> = {}): DownlinkMessage {
  return {
    seq,
    messageId: `m${seq}`,
    sessionId: 's1',
    from: 'alice',
    to: 'c1',
    channel: 'WEB',
    controlType: 'CHAT',
    mediaType: 'TEXT',
    content: `Message ${seq}`,
    sourceType: 'AGENT',
    senderNickname: 'Alice',
    timestamp: 1000 + seq,
    queueFlag: 'N',
    ...partial,
  };
}
