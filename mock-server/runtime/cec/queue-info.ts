/**
 * `queryQueueInfo` on the real CEC face (reference §1.4, api-ccfs-cec/cec_07_2221): where a
 * customer stands, from the runtime's queues, with every documented resultCode the mock can
 * meet — 0 queueing, 1 parameter error, 3 token error, 5 ended, 6 released (CCUCS session
 * invalid), 160004 no session, 160021 with an agent — and 4 (unknown, "not queueing") with the
 * chatbot or outside work time. 160022 (sent to an IVR) never arises: a web chat waits in a
 * multimedia queue, and the admin guide lets those transfer only to skill queues.
 */
import type { Session } from '../session.js';
import type { CecFaceHost } from './user.js';
import { USER_ID } from './send-rules.js';

export class CecQueueInfo {
  constructor(private readonly face: CecFaceHost) {}

  /**
   * `POST /queryQueueInfo {userId, channelConfigId, channel}`. The ccmessaging-token is optional
   * here (documented "False"); when sent it must be valid and be the same user, else code 3.
   */
  queryQueueInfo(body: Record<string, unknown>, token: string | null): Record<string, unknown> {
    const zero = { position: 0, totalWaitTime: 0, currentDeviceWaitTime: 0, configMaxcWaitTime: 0, longestWaitTime: 0, estimateWaitTime: 0 };
    const answer = (resultCode: string, resultDesc: string, extra: Partial<typeof zero> = {}) => ({ ...zero, ...extra, resultCode, resultDesc });
    const { userId, channelConfigId, channel } = body;
    if (typeof userId !== 'string' || !USER_ID.test(userId)) return answer('1', 'userId must be 1–32 letters, digits or . _ - @ :');
    if (typeof channelConfigId !== 'string' || channelConfigId === '') return answer('1', 'channelConfigId is required.');
    if (channel !== 'WEB') return answer('1', 'channel must be "WEB".');
    let user = this.face.findUser(channelConfigId, userId);
    if (token) {
      try {
        const auth = this.face.authenticate(token);
        if (auth.user !== user) return answer('3', 'The ccmessaging-token belongs to another user or channel.');
        user = auth.user;
      } catch {
        return answer('3', 'The ccmessaging-token is not valid or has expired.');
      }
    }
    const s = user && this.face.latestSession(user);
    if (!user || !s) return answer('160004', 'No session: send CONNECT first.');
    if (s.phase === 'ended') {
      if (user.released.has(s.id)) return answer('6', 'The session was released: the customer stopped polling.');
      return answer('5', 'The session has ended.');
    }
    if (s.phase === 'agent') return answer('160021', 'The session is with an agent.');
    if (s.phase !== 'queue' || !s.queueName) return answer('4', `Not queueing: the session is ${s.phase === 'bot' ? 'with the chatbot' : 'outside work time'}.`);
    const now = this.face.cc.clock.now();
    const waited = (x: Session) => Math.round((now - (x.enqueuedAt ?? now)) / 1000);
    const queue = this.face.cc.waiting(s.queueName);
    return answer('0', 'queue info success.', {
      position: this.face.cc.position(s),
      totalWaitTime: Math.round((now - (s.firstEnqueuedAt ?? s.startedAt)) / 1000),
      currentDeviceWaitTime: waited(s),
      configMaxcWaitTime: this.face.cc.queue(s.queueName).maxWaitTime,
      longestWaitTime: Math.max(0, ...queue.map(waited)),
      estimateWaitTime: this.face.cc.estimateWaitSeconds(s),
    });
  }
}
