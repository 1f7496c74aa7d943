/**
 * The connector's public texts by language (issue 19, item 4): its config takes a string or an
 * object by BCP 47 tag, queryChannelConfig answers in the customer's locale, and the SYSTEM
 * texts the CEC sends are recognised in every language they are configured in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SessionRunner } from '../../../widget/client/runner.js';
import { ConfigError, parseConfig } from '../../../widget/server/connector/config.js';
import { fastRunner, memoryStorage } from '../../client/helpers.js';
import { CONNECTOR_ORIGIN, seedConnectorConfig, startChain, until, type Chain } from './helpers.js';

let chain: Chain | null = null;
const runners: SessionRunner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) r.destroy();
  await chain?.close();
  chain = null;
});

function issuesOf(edit: (c: any) => void): string[] {
  const cfg: any = seedConnectorConfig();
  edit(cfg.channels[0]);
  try {
    parseConfig(cfg);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
  return [];
}

describe('connector config: texts by language', () => {
  it('accepts the seed channel, whose texts are given by language', () => {
    expect(issuesOf(() => {})).toEqual([]);
    expect(issuesOf((c) => (c.defaultLocale = 'pt-BR'))).toEqual([]);
  });

  it.each([
    ['an empty text of a language', (c: any) => (c.queueReminder.content = { en: 'Wait.', 'pt-BR': '' }), 'channels[0].queueReminder.content.pt-BR'],
    ['a tag that is not BCP 47', (c: any) => (c.chatbot.transferPrompt = { en: 'Now.', fr_FR: 'Maintenant.' }), 'channels[0].chatbot.transferPrompt.fr_FR'],
    ['a number', (c: any) => (c.dialogEnd.conclusion = 5), 'channels[0].dialogEnd.conclusion'],
    ['a level over 64 characters in one language', (c: any) => (c.satisfactionLevels[0] = { en: 'Bad', es: 'x'.repeat(65) }), 'channels[0].satisfactionLevels[0].es'],
    ['a default language that is not a tag', (c: any) => (c.defaultLocale = 'Portuguese'), 'channels[0].defaultLocale'],
  ])('refuses %s, naming the field', (_what, edit, field) => {
    const issues = issuesOf(edit);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]!.startsWith(`${field}: `)).toBe(true);
  });
});

describe('connector: the customer locale', () => {
  it.each([
    ['pt-BR', 'Obrigado por aguardar', 'Muito insatisfeito'],
    ['fr', 'Merci de patienter', 'Très insatisfait'],
    ['en', 'Thanks for waiting', 'Very dissatisfied'],
  ])('queryChannelConfig with locale %s answers in it', async (locale, reminder, level) => {
    const c = (chain = startChain());
    const res = await c.browserFetch(`${CONNECTOR_ORIGIN}/apiaccess/ccmessaging/queryChannelConfig?channelId=demo&locale=${locale}`);
    const body = await res.json();
    expect(res.status).toBe(200);
    expect(body.queueReminderContent).toContain(reminder);
    expect(body.satisfactionLevels[0].satisfactionLevelDesc).toBe(level);
  });

  it('SYSTEM texts the CEC sends in Portuguese still become events (matched in every configured language)', async () => {
    // The real CEC takes only zh / en as applyToken locale, so a Brazilian tenant configures its
    // CEC texts in Portuguese: the upstream sends those whatever the connector asks for.
    const c = (chain = startChain({
      edit: (t) => {
        const demo = t.channels.find((ch) => ch.id === 'demo')!;
        demo.chatbot!.transferPrompt = 'Conectando você a um atendente…';
        demo.queueReminder.content = 'Obrigado por aguardar, um atendente falará com você em breve.';
      },
    }));
    c.cc.desk.signIn('alice'); // on duty (not ready), or the queue releases the customer
    const r = new SessionRunner({
      baseUrl: CONNECTOR_ORIGIN,
      channelId: 'demo',
      userId: 'pt-1',
      userName: 'Cliente',
      locale: 'pt-BR',
      storage: memoryStorage(),
      ...fastRunner,
      pollWaitSeconds: 25,
      fetch: c.browserFetch,
    });
    runners.push(r);
    r.start();
    await until('bot phase', () => r.state.phase === 'bot');
    r.dispatch({ type: 'message.submit', id: r.newId(), text: 'quero um atendente', now: r.now(), name: 'x' });
    await until('queue phase', () => r.state.phase === 'queue');
    // The chatbot's Portuguese transferPrompt is recognised as the hand-over.
    expect(r.state.transcript.find((m) => m.event === 'bot.transfer')?.text).toBe('Conectando você a um atendente…');
    c.clock.advance(10_000);
    await until('reminder', () => r.state.queue?.reminder === 'Obrigado por aguardar, um atendente falará com você em breve.');
  });
});
