/**
 * End to end in Chromium, the rest of the customer's journey through the connector (issue 15):
 * the widget by its script tag on a shop page → the connector → the mock's real-CEC face, on a
 * manual mock clock. Each test asserts what the customer sees in the widget (roles, names, text of
 * its shadow DOM) and what the agent side sees through the mock's `/mock` API. Read state, the
 * idle warning and end, off hours with a message left, a click-to-dial voice call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cecFaceOf } from '../../mock-server/handlers/cec/index.js';
import { MemoryStore } from '../../widget/server/connector/memory-store.js';
import type { ConnectorConfigInput } from '../../widget/server/connector/config.js';
import { startConnectorE2E, type ConnectorE2E, type ShopPage } from './connector-harness.js';

const WAIT = { timeout: 15_000 };

/** Opens the chat on a new shop page and waits for the chatbot's greeting. */
async function openChat(e2e: ConnectorE2E) {
  const page = await e2e.openShop();
  await page.getByRole('button', { name: 'Open chat' }).click();
  const log = page.getByRole('log', { name: 'Conversation' });
  await expect.poll(() => log.textContent(), WAIT).toContain("Hi, I'm Ava");
  return { page, log, message: page.getByRole('textbox', { name: 'Message' }) };
}

async function say(page: ShopPage, text: string) {
  const message = page.getByRole('textbox', { name: 'Message' });
  await message.fill(text);
  await message.press('Enter');
}

/** The customer asks for an agent and `account` (signed in and ready) takes the chat, through `/mock`. */
async function chatWithAgent(e2e: ConnectorE2E, account: string) {
  await e2e.mockApi('POST', `/agents/${account}/sign-in`);
  await e2e.mockApi('POST', `/agents/${account}/ready`);
  const chat = await openChat(e2e);
  await say(chat.page, 'agent please');
  let sessionId = '';
  await expect
    .poll(async () => {
      const { agent } = await e2e.mockApi('GET', `/agents/${account}`);
      sessionId = agent.waiting.find((w: { customerName: string }) => w.customerName === 'Li Lei')?.sessionId ?? '';
      return sessionId;
    }, WAIT)
    .not.toBe('');
  await e2e.mockApi('POST', `/agents/${account}/accept`, { sessionId });
  await expect.poll(() => chat.log.textContent(), WAIT).toContain('joined the chat');
  return chat;
}

/**
 * Moves the mock clock through `/mock/clock/advance`, once the connector's upstream poll for the
 * customer of `page` is held by the CEC face: a real CEC sees that poll at nearly all times (the
 * connector polls again at once), while a jump of minutes with none would read to the face as a
 * customer gone for minutes (it releases one after 120 s without a poll).
 */
async function advance(e2e: ConnectorE2E, page: ShopPage, seconds: number) {
  await expect.poll(() => cecFaceOf(e2e.cc).findUser('demo', page.userId)?.polling ?? 0, WAIT).toBeGreaterThan(0);
  await e2e.mockApi('POST', '/clock/advance', { seconds });
}

/** The status line ("Sending…", "Sent", "Read") under the customer's message `text`. */
function statusOf(page: ShopPage, text: string) {
  return page.getByRole('listitem').filter({ hasText: text }).locator('[part="status"]');
}

describe('through the connector, in Chromium: read state, idle, off hours, click-to-dial', () => {
  describe('in work time', () => {
    let e2e: ConnectorE2E;
    beforeAll(async () => {
      e2e = await startConnectorE2E();
    });
    afterAll(async () => {
      await e2e?.close();
    });

    it("read state: the customer's message shows Sent, then Read once the agent has read it; a later one is Sent until read again; the agent sees Seen under what the customer has read", {
      timeout: 90_000,
    }, async () => {
      const { page, log } = await chatWithAgent(e2e, 'alice');
      expect(await page.locator('cec-chat textarea[name="message"]').count()).toBe(1);
      await e2e.mockApi('POST', '/agents/alice/send', { content: 'Hello, I am Alice.' });
      await expect.poll(() => log.textContent(), WAIT).toContain('Hello, I am Alice.');
      // The other way: the panel is open, so the widget's READ goes through the connector to the
      // CEC face, and the agent's view says which of its messages the customer has seen.
      const seenByCustomer = async () => {
        const { agent } = await e2e.mockApi('GET', '/agents/alice');
        return agent.session.messages.find((m: { seq: number }) => m.seq === agent.session.customerReadSeq)?.content ?? null;
      };
      await expect.poll(seenByCustomer, WAIT).toBe('Hello, I am Alice.');

      await say(page, 'My parcel is late.');
      await expect.poll(() => statusOf(page, 'My parcel is late.').textContent(), WAIT).toBe('Sent');
      // The agent opens the chat (their workbench's snapshot marks what they see as read).
      const { agent } = await e2e.mockApi('GET', '/agents/alice');
      expect(agent.session.messages.some((m: { content: string }) => m.content === 'My parcel is late.')).toBe(true);
      await expect.poll(() => statusOf(page, 'My parcel is late.').textContent(), WAIT).toBe('Read');

      await say(page, 'It was due on Monday.');
      await expect.poll(() => statusOf(page, 'It was due on Monday.').textContent(), WAIT).toBe('Sent');
      expect(await statusOf(page, 'My parcel is late.').textContent()).toBe('Read');
      await e2e.mockApi('POST', '/agents/alice/send', { content: 'Let me check.' }); // replying reads it too
      await expect.poll(() => statusOf(page, 'It was due on Monday.').textContent(), WAIT).toBe('Read');
      await expect.poll(seenByCustomer, WAIT).toBe('Let me check.');
      expect(page.errors).toEqual([]);
      await e2e.mockApi('POST', '/agents/alice/end');
      await expect.poll(() => log.textContent(), WAIT).toContain('The agent ended the chat.');
      await page.close();
    });

    it('click-to-dial voice: the call rings, the agent sees and answers it, it is connected with a duration, hung up cleanly on both sides', { timeout: 90_000 }, async () => {
      const { page, log } = await chatWithAgent(e2e, 'bob'); // bob serves the click-to-dial queue
      const card = page.locator('[part="call"]');
      await page.getByRole('button', { name: 'Voice call' }).click();
      await expect.poll(() => card.textContent(), WAIT).toContain('Ringing');
      await expect.poll(async () => (await e2e.mockApi('GET', '/agents/bob/call')).call?.status, WAIT).toBe('ringing');

      await e2e.mockApi('POST', '/agents/bob/call/answer');
      await expect.poll(() => card.textContent(), WAIT).toMatch(/Connected · \d\d:\d\d/);
      // The chat goes on during the call.
      await say(page, 'can you hear me?');
      await expect.poll(async () => (await e2e.mockApi('GET', '/agents/bob')).agent.session?.messages.some((m: { content: string }) => m.content === 'can you hear me?'), WAIT).toBe(true);

      await page.getByRole('button', { name: 'Hang up' }).click();
      await expect.poll(() => card.textContent(), WAIT).toContain('Call ended.');
      // (The in-page mock also writes "Voice call connected." into the chat; the real CEC sends no
      // click-to-call notes, so through the connector the call card alone tells the story.)
      await expect.poll(async () => (await e2e.mockApi('GET', '/agents/bob/call')).call, WAIT).toBe(null);
      // The chat outlives the call.
      await e2e.mockApi('POST', '/agents/bob/send', { content: 'Thanks for calling.' });
      await expect.poll(() => log.textContent(), WAIT).toContain('Thanks for calling.');
      expect(page.errors).toEqual([]);
      await e2e.mockApi('POST', '/agents/bob/end');
      await page.close();
    });
  });

  describe('the idle rule, on the mock clock', () => {
    let e2e: ConnectorE2E;
    const store = new MemoryStore();
    beforeAll(async () => {
      // The connector's session timing (the no-reply countdown) follows the mock clock; its
      // store's TTLs and poll leases stay in real time, as in Redis (a lease measured by the
      // mock clock would lapse at every jump of the clock and stop the upstream poll loop).
      e2e = await startConnectorE2E({ connector: { now: () => e2e.clock.now(), store } });
    });
    afterAll(async () => {
      await e2e?.close();
      await store.close();
    });

    it('the customer stays silent: the idle warning with its countdown, then the chat closes for no reply (agent side too); a new message starts a new chat', { timeout: 90_000 }, async () => {
      const { page, log } = await chatWithAgent(e2e, 'alice');
      await e2e.mockApi('POST', '/agents/alice/send', { content: 'Is there anything else?' });
      await expect.poll(() => log.textContent(), WAIT).toContain('Is there anything else?');
      const warning = page.locator('[part="idle-warning"]');
      expect(await warning.count()).toBe(0);

      // 18 of the channel's 20 no-reply minutes (the demo channel's default): the warning, 2 min ahead.
      await advance(e2e, page, 18 * 60);
      await expect.poll(() => warning.textContent(), WAIT).toMatch(/Are you still there\? This chat will close in 2 min/);
      expect(await page.getByRole('button', { name: "I'm still here" }).count()).toBe(1);
      expect((await e2e.mockApi('GET', '/agents/alice')).agent.session).not.toBe(null);

      await advance(e2e, page, 2 * 60);
      const ended = page.locator('[part="ended"]');
      await expect.poll(() => ended.textContent(), WAIT).toContain('The chat was closed because there was no reply.');
      expect(await warning.count()).toBe(0);
      await expect.poll(async () => (await e2e.mockApi('GET', '/agents/alice')).agent.session, WAIT).toBe(null);

      await page.getByRole('button', { name: 'Start a new chat' }).click();
      await expect.poll(() => ended.count(), WAIT).toBe(0);
      await say(page, 'When are you open?');
      await expect.poll(() => log.textContent(), WAIT).toContain('Monday to Friday');
      expect(page.errors).toEqual([]);
      await page.close();
    });

    it('"I\'m still here" answers the warning: the agent sees it and the countdown starts again', { timeout: 90_000 }, async () => {
      await e2e.mockApi('POST', '/clock/advance', { seconds: 60 }); // alice's wrap-up after the last chat
      const { page } = await chatWithAgent(e2e, 'alice');
      const warning = page.locator('[part="idle-warning"]');
      await advance(e2e, page, 18 * 60);
      await expect.poll(() => warning.count(), WAIT).toBe(1);
      await page.getByRole('button', { name: "I'm still here" }).click();
      await expect.poll(() => warning.count(), WAIT).toBe(0);
      await expect.poll(async () => (await e2e.mockApi('GET', '/agents/alice')).agent.session?.messages.some((m: { content: string }) => m.content === "I'm still here"), WAIT).toBe(true);
      // Past the old limit: the reply started a new countdown on both sides, so nothing ends.
      await advance(e2e, page, 3 * 60);
      await expect.poll(async () => (await e2e.mockApi('GET', '/agents/alice')).agent.status, WAIT).toBe('busy');
      expect(await page.locator('[part="ended"]').count()).toBe(0);
      expect(await warning.count()).toBe(0);
      // And the new countdown warns again at its own time.
      await advance(e2e, page, 15 * 60);
      await expect.poll(() => warning.textContent(), WAIT).toMatch(/Are you still there\?/);
      expect(page.errors).toEqual([]);
      await e2e.mockApi('POST', '/agents/alice/end');
      await page.close();
    });
  });

  describe('outside work time', () => {
    const workTime = {
      timeZone: 'Asia/Shanghai',
      workdays: [1, 2, 3, 4, 5],
      workday: [{ start: '09:00', end: '17:00' }],
      nonWorkday: [],
      nonWorkingNotice: 'Our agents work 09:00–17:00 (Beijing time) on workdays.',
    };
    let e2e: ConnectorE2E;
    beforeAll(async () => {
      // Wednesday 2026-11-25, 20:00 in Shanghai: closed. The channel's work time is the same in the
      // CEC (the mock's tenant) and in the connector's config, as the README asks.
      e2e = await startConnectorE2E({
        start: Date.parse('2026-11-25T12:00:00Z'),
        configure: (cfg: ConnectorConfigInput) => {
          cfg.channels[0]!.workTime = workTime;
        },
        connector: { now: () => e2e.clock.now() },
      });
      e2e.cc.store.update('channels', 'demo', { workTime });
    });
    afterAll(async () => {
      await e2e?.close();
    });

    it('the work-hours notice with the next opening, the leave-a-message form, and the message left reaches the CEC with its fields', { timeout: 90_000 }, async () => {
      const page = await e2e.openShop();
      await page.getByRole('button', { name: 'Open chat' }).click();
      const offhours = page.locator('[part="offhours"]');
      await expect.poll(() => offhours.textContent(), WAIT).toContain('We are closed right now');
      expect(await offhours.textContent()).toMatch(/We open again Thursday .*\(your time\)/);
      const log = page.getByRole('log', { name: 'Conversation' });
      await expect.poll(() => log.textContent(), WAIT).toContain('Our agents work 09:00–17:00');
      expect(await page.locator('cec-chat textarea[name="message"]').count()).toBe(0); // no chat box, the form instead

      await offhours.locator('textarea[name="leave"]').fill('Please call me about my refund.');
      await offhours.locator('input[name="contact"]').fill('+86 138 0000 0000');
      await page.getByRole('button', { name: 'Leave a message' }).click();
      await expect.poll(() => offhours.textContent(), WAIT).toContain('your message was saved');
      const { items } = await e2e.mockApi('GET', '/left-messages');
      expect(items.at(-1)).toMatchObject({ channelId: 'demo', content: 'Please call me about my refund.', contact: '+86 138 0000 0000' });
      expect(items.at(-1).userId).toMatch(/^e2e-/);
      expect(page.errors).toEqual([]);
      await page.close();
    });
  });
});
