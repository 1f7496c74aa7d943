/**
 * The tenant's texts by language (issue 19, item 4): a text is a string or an object by BCP 47
 * tag, validated per language; the customer's applyToken locale picks the text on both faces
 * (our channel API and the real-CEC face), and queryChannelConfig answers in the asked locale.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedTenant } from '../../mock-server/config/seed.js';
import { parseTenant, validateTenant } from '../../mock-server/config/validate.js';
import { ApiFailure } from '../../mock-server/runtime/errors.js';
import { CecCustomer, ORIGIN, request, startWire, type Wire } from './cec/wire.js';

function failure(edit: (t: any) => void): ApiFailure {
  const t: any = seedTenant();
  edit(t);
  try {
    validateTenant(t);
  } catch (e) {
    if (e instanceof ApiFailure) return e;
    throw e;
  }
  throw new Error('the tenant was accepted');
}
const notice = (value: unknown) => (t: any) => {
  t.channels[0].workTime = { timeZone: 'Asia/Shanghai', workdays: [1, 2, 3, 4, 5], workday: [{ start: '09:00', end: '18:00' }], nonWorkday: [], nonWorkingNotice: value };
};

describe('schema: a text given by language', () => {
  it('accepts a plain string and a map by tag, and keeps both as given', () => {
    const t: any = seedTenant();
    notice({ en: 'Closed.', 'pt-BR': 'Fechado.', fr: 'Fermé.' })(t);
    t.channels[1].dialogEnd.conclusion = 'Bye.';
    const ok = parseTenant(t);
    expect(ok.channels[0]!.workTime?.nonWorkingNotice).toEqual({ en: 'Closed.', 'pt-BR': 'Fechado.', fr: 'Fermé.' });
    expect(ok.channels[1]!.dialogEnd?.conclusion).toBe('Bye.');
  });

  it.each([
    ['an empty text of a language', { en: 'Closed.', 'pt-BR': '' }, 'channels[0].workTime.nonWorkingNotice.pt-BR', 'required'],
    ['a blank text of a language', { en: 'Closed.', fr: '   ' }, 'channels[0].workTime.nonWorkingNotice.fr', 'required'],
    ['a text over 500 characters in one language', { en: 'Closed.', fr: 'x'.repeat(501) }, 'channels[0].workTime.nonWorkingNotice.fr', 'tooLong'],
    ['a tag that is not BCP 47', { en: 'Closed.', pt_BR: 'Fechado.' }, 'channels[0].workTime.nonWorkingNotice.pt_BR', 'invalid'],
    ['a tag repeated in another case', { 'pt-BR': 'Fechado.', 'pt-br': 'Fechado!' }, 'channels[0].workTime.nonWorkingNotice.pt-br', 'duplicate'],
    ['a text that is not a string', { en: 5 }, 'channels[0].workTime.nonWorkingNotice.en', 'type'],
    ['no language at all', {}, 'channels[0].workTime.nonWorkingNotice', 'required'],
    ['a list', ['Closed.'], 'channels[0].workTime.nonWorkingNotice', 'type'],
  ])('refuses %s, naming the field', (_what, value, field, rule) => {
    const e = failure(notice(value));
    expect(e.status).toBe(400);
    expect(e.field).toBe(field);
    expect(e.errorCode.endsWith(`.${rule}`)).toBe(true);
    expect(e.message).toContain(field);
  });

  it('checks every text field the same way (chatbot rule reply, satisfaction level, queue reminder)', () => {
    expect(failure((t) => (t.channels[0].chatbot.rules[1].reply = { en: 'ok', fr: '' })).field).toBe('channels[0].chatbot.rules[1].reply.fr');
    expect(failure((t) => (t.channels[0].satisfactionLevels[2] = { en: 'Neutral', es: 'x'.repeat(21) })).field).toBe('channels[0].satisfactionLevels[2].es');
    expect(failure((t) => (t.channels[0].queueReminder.content = { 'pt-BR': 7 })).field).toBe('channels[0].queueReminder.content.pt-BR');
    expect(failure((t) => (t.channels[0].defaultLocale = 'Portuguese!')).field).toBe('channels[0].defaultLocale');
  });
});

describe('both faces answer in the customer locale', () => {
  let wire: Wire;
  beforeEach(() => {
    wire = startWire();
  });
  afterEach(() => wire.close());

  const OURS = `${ORIGIN}/apiaccess/ccmessaging`;
  let n = 0;
  /** Our face: applyToken with `locale`, CONNECT, and the chatbot's greeting from the poll. */
  async function ourGreeting(locale: string | undefined): Promise<string> {
    const userId = `u${++n}`;
    const { body } = await request('POST', `${OURS}/applyToken`, { channelId: 'demo', userId, ...(locale ? { locale } : {}) });
    const headers = { 'ccmessaging-token': body.token };
    const send = (controlType: string, content = '') =>
      request(
        'POST',
        `${OURS}/send`,
        { channel: 'WEB', controlType, mediaType: 'TEXT', content, from: userId, to: 'demo', sourceType: 'CUSTOMER', timestamp: wire.clock.now(), clientMessageId: `m${++n}` },
        headers,
      );
    await send('CONNECT');
    await send('CHAT', 'refund?');
    const polled = await request('GET', `${OURS}/poll?receiverId=${userId}&channel=WEB&cursor=0&wait=0`, undefined, headers);
    return polled.body.downlinkMessages
      .filter((m: any) => m.sourceType === 'ROBOT')
      .map((m: any) => m.content)
      .join(' | ');
  }

  it.each([
    ['pt-BR', 'Olá, sou a Ava', 'Os reembolsos são pagos'],
    ['pt', 'Olá, sou a Ava', 'Os reembolsos são pagos'], // by language
    ['fr', 'Bonjour, je suis Ava', 'Les remboursements sont versés'],
    ['fr-CA', 'Bonjour, je suis Ava', 'Les remboursements sont versés'],
    ['en', "Hi, I'm Ava", 'Refunds are paid'],
    ['de', "Hi, I'm Ava", 'Refunds are paid'], // no German: the channel's default language
    [undefined, "Hi, I'm Ava", 'Refunds are paid'],
  ])('our channel API, locale %s: greeting and reply in that language', async (locale, greeting, reply) => {
    const texts = await ourGreeting(locale);
    expect(texts).toContain(greeting);
    expect(texts).toContain(reply);
  });

  it.each([
    ['pt-BR', 'Obrigado por aguardar', 'Muito insatisfeito'],
    ['fr', 'Merci de patienter', 'Très insatisfait'],
    ['en', 'Thanks for waiting', 'Very dissatisfied'],
  ])('queryChannelConfig with locale %s answers its public texts in it', async (locale, reminder, level) => {
    const r = await request('GET', `${OURS}/queryChannelConfig?channelId=demo&locale=${locale}`);
    expect(r.status).toBe(200);
    expect(r.body.queueReminderContent).toContain(reminder);
    expect(r.body.satisfactionLevels[0].satisfactionLevelDesc).toBe(level);
  });

  it('queryChannelConfig refuses a locale that is not a language tag, naming it', async () => {
    const r = await request('GET', `${OURS}/queryChannelConfig?channelId=demo&locale=pt_BR`);
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('locale');
  });

  it.each([
    ['pt-BR', 'Olá, sou a Ava', 'Os reembolsos são pagos', 'Você está falando com um atendente.'],
    ['fr', 'Bonjour, je suis Ava', 'Les remboursements sont versés', 'Vous êtes en relation avec un conseiller.'],
    ['en', "Hi, I'm Ava", 'Refunds are paid', 'Connected to an agent.'],
  ])('the real-CEC face, locale %s: chatbot and connected-to-agent texts in that language', async (locale, greeting, reply, connected) => {
    const c = await new CecCustomer(wire, `cec-${locale}`, 'demo', locale).start();
    expect((await c.poll()).map((m) => m.content).join(' ')).toContain(greeting);
    await c.send('CHAT', 'refund?');
    expect((await c.poll()).map((m) => m.content).join(' ')).toContain(reply);
    for (const step of ['sign-in', 'ready']) await request('POST', `${ORIGIN}/mock/agents/alice/${step}`);
    await c.send('TRANS2AGENT');
    expect((await request('POST', `${ORIGIN}/mock/agents/alice/accept`)).status).toBe(200);
    const after = (await c.poll()).filter((m) => m.sourceType === 'SYSTEM').map((m) => m.content);
    expect(after).toContain(connected);
  });

  it('the real-CEC survey answers in the language asked for, else the customer locale', async () => {
    const c = await new CecCustomer(wire, 'cec-survey', 'demo', 'fr').start();
    const levels = async (body: object) => (await c.post('getsatisfactionsurveymode', body)).body.satisfactionSurvey.satisfactionLevel[4].satisfactionLevelDesc;
    expect(await levels({})).toBe('Très satisfait');
    expect(await levels({ language: 'pt_BR' })).toBe('Muito satisfeito');
    expect(await levels({ language: 'en_US' })).toBe('Very satisfied');
  });
});
