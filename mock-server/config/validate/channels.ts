/** Web channels (Table 4 of the admin guide and the channel's own id). */
import type { Tenant } from '../types.js';
import { DIGITS, DIGITS_TEXT, Scope, charCount, fullCode } from './check.js';
import { TEXT_MAX, validateChatbot, validateWorkTime } from './channel-parts.js';

const CHANNEL_FIELDS = [
  'id', 'channelAccessCode', 'skillQueue', 'transferKeywords', 'clickToDial', 'dialogEnd', 'secretKey',
  'workTime', 'queueReminder', 'chatbot', 'robotAssistant', 'satisfactionLevels',
];
const MAX_KEYWORDS = 20;
const KEYWORD_MAX = 30;
const LEVEL_MAX = 20;

/** A key of `c` that must be the full code of a multimedia called route ("a multimedia called party"). */
function multimediaParty(t: Tenant, c: Scope, key: string): void {
  const code = c.str(key, { max: 48, text: 'must be the full code of a multimedia called route' });
  const route = t.calledRoutes.find((r) => fullCode(r) === code);
  if (!route) return c.fail(key, 'unknown', `"${code}" is not the full code (access + extension) of a called route of the tenant`);
  if (route.accessCodeType !== 'multimedia') c.fail(key, 'notMultimedia', `"${code}" is a ${route.accessCodeType} called route; a multimedia one is needed`);
}

function keywords(c: Scope): void {
  const list = c.arr('transferKeywords');
  if (list.length > MAX_KEYWORDS) c.fail('transferKeywords', 'tooMany', `has ${list.length} keywords; at most ${MAX_KEYWORDS} are allowed`);
  const seen: string[] = [];
  list.forEach((w, k) => {
    const key = `transferKeywords[${k}]`;
    if (typeof w !== 'string' || w.trim() === '' || charCount(w) > KEYWORD_MAX) {
      c.raise('channel.transferKeywords.invalid', key, `must be a non-empty string of at most ${KEYWORD_MAX} characters`);
    }
    // Matching is case-insensitive, so "Agent" and "agent" are the same keyword.
    const j = seen.indexOf(w.toLowerCase());
    if (j >= 0) c.raise('channel.transferKeywords.duplicate', key, `repeats transferKeywords[${j}] ("${w}")`);
    seen.push(w.toLowerCase());
  });
}

/**
 * Click-to-dial: to an agent of a click-to-dial queue, or to an IVR. A voice click-to-dial
 * queue takes voice calls only; a video one takes video and voice.
 */
function clickToDial(t: Tenant, c: Scope): void {
  const d = c.obj('clickToDial', true);
  if (!d) return;
  const party = d.oneOf('calledParty', ['agent', 'ivr']);
  d.known(party === 'agent' ? ['calledParty', 'skillQueue', 'media'] : ['calledParty', 'ivrAccessCode', 'media']);
  const media = d.arr('media');
  if (media.length === 0) d.fail('media', 'required', 'must list voice, video or both');
  media.forEach((m, k) => {
    if (m !== 'voice' && m !== 'video') d.raise('channel.clickToDial.media.invalid', `media[${k}]`, 'must be voice or video');
    if (media.indexOf(m) < k) d.raise('channel.clickToDial.media.invalid', `media[${k}]`, `repeats ${m}`);
  });
  if (party === 'ivr') {
    const code = d.str('ivrAccessCode', { pattern: DIGITS, text: DIGITS_TEXT });
    if (!t.ivrs.some((v) => v.accessCode === code)) d.fail('ivrAccessCode', 'unknownIvr', `"${code}" is not the access code of an IVR of the tenant`);
    return;
  }
  const name = d.str('skillQueue', { max: 20, text: 'must be the name of a click-to-dial skill queue' });
  const q = t.skillQueues.find((x) => x.name === name);
  if (!q) return d.fail('skillQueue', 'unknown', `"${name}" is not a skill queue of the tenant`);
  if (q.type !== 'voiceClickToDial' && q.type !== 'videoClickToDial') {
    d.fail('skillQueue', 'notClickToDial', `"${name}" is a ${q.type} queue; a voiceClickToDial or videoClickToDial queue is needed`);
  }
  if (q.type === 'voiceClickToDial' && media.includes('video')) {
    d.fail('media', 'mismatch', `cannot include video: "${name}" is a voice click-to-dial queue`);
  }
}

export function validateChannel(t: Tenant, i: number): void {
  const c = Scope.of('channel', `channels[${i}]`, t.channels[i]);
  const before = t.channels.slice(0, i);
  c.known(CHANNEL_FIELDS);
  const id = c.str('id', { pattern: /^[A-Za-z0-9_-]{1,64}$/, text: 'must be 1–64 letters, digits, _ or -' });
  let j = before.findIndex((x) => x.id === id);
  if (j >= 0) c.fail('id', 'duplicate', `"${id}" is already the id of channels[${j}]`);
  const code = c.str('channelAccessCode', {
    pattern: /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
    text: 'must be at most 64 letters, digits and _, starting with a letter or _',
  });
  j = before.findIndex((x) => x.channelAccessCode === code);
  if (j >= 0) c.fail('channelAccessCode', 'duplicate', `"${code}" is already the access code of channels[${j}]`);
  multimediaParty(t, c, 'skillQueue');
  keywords(c);
  clickToDial(t, c);

  const end = c.obj('dialogEnd', true);
  if (end) {
    end.known(['noReplyMinutes', 'conclusion']);
    end.int('noReplyMinutes', 1, 1440);
    end.text('conclusion', TEXT_MAX);
  }

  const key = c.o.secretKey;
  if (key === undefined) c.fail('secretKey', 'required', 'is required (null turns it off)');
  // Never echo the key itself: it is a credential.
  if (key !== null && (typeof key !== 'string' || !/^[A-Za-z0-9]{1,43}$/.test(key))) {
    c.fail('secretKey', 'invalid', 'must be null (off) or 1–43 letters and digits');
  }

  validateWorkTime(c);

  const reminder = c.obj('queueReminder');
  reminder.known(['intervalSeconds', 'content']);
  reminder.int('intervalSeconds', 1, 3600);
  reminder.text('content', TEXT_MAX);

  validateChatbot(c);

  const robot = c.obj('robotAssistant', true);
  if (robot) {
    robot.known(['accessCode', 'silentAgentSkillQueue']);
    robot.str('accessCode', { pattern: DIGITS, text: DIGITS_TEXT });
    multimediaParty(t, robot, 'silentAgentSkillQueue');
  }

  const levels = c.arr('satisfactionLevels');
  if (levels.length !== 5) c.fail('satisfactionLevels', 'count', `must list exactly 5 level names (worst to best), not ${levels.length}`);
  levels.forEach((l, k) => {
    if (typeof l !== 'string' || l.trim() === '' || charCount(l) > LEVEL_MAX) {
      c.raise('channel.satisfactionLevels.invalid', `satisfactionLevels[${k}]`, `must be a non-empty string of at most ${LEVEL_MAX} characters`);
    }
  });
}

export function validateChannels(t: Tenant): void {
  t.channels.forEach((_, i) => validateChannel(t, i));
}
