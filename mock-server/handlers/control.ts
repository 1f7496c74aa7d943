/**
 * Test and QA controls (mock-only):
 * `GET  /mock/clock`            `{now}`
 * `POST /mock/clock/advance`    `{ms}` or `{seconds}`: moves the mock clock, firing due timers
 * `GET  /mock/faults`, `PUT /mock/faults` `{latencyMs?, jitterMs?, dropRate?, errorRate?, route?}`
 * `POST /mock/reset`            configuration back to the seed, every session forgotten
 * `GET  /mock/left-messages`    what customers left outside work time or after a release
 * `GET  /mock/sessions?after=&limit=` one page of the sessions kept (oldest first, limit 1–1000,
 *                               default 100): `{items, next, total}`; pass `next` as `after` for
 *                               the next page (null at the end). Ended sessions are kept 30 minutes.
 * `POST /mock/sign`             `{channelId, userId, name?}` → `{signature}` made with the channel's
 *                               secretKey: the demo's stand-in for the integrator's server
 */
import { http, type HttpHandler } from 'msw';
import type { ContactCenter } from '../runtime/contact-center.js';
import { signChannelToken } from '../../widget/server/sign.js';
import { ApiFailure, badRequest } from '../runtime/errors.js';
import { FaultSettingError } from '../runtime/faults.js';
import { intParam, ok, readFields, readJson, readQuery, text, urlOf, withErrors } from './http-util.js';

const DEFAULT_SESSION_PAGE = 100;
const MAX_SESSION_PAGE = 1000;

export function controlHandlers(cc: ContactCenter, prefix: string): HttpHandler[] {
  return [
    http.get(
      `${prefix}/clock`,
      withErrors(() => ok({ now: cc.clock.now(), mode: cc.clock.mode })),
    ),
    http.post(
      `${prefix}/clock/advance`,
      withErrors(async ({ request }) => {
        const body = await readJson(request);
        const ms = typeof body.ms === 'number' ? body.ms : typeof body.seconds === 'number' ? body.seconds * 1000 : NaN;
        if (!Number.isFinite(ms) || ms < 0 || ms > 366 * 24 * 3600_000) {
          throw badRequest('clock.advance.invalid', 'ms (or seconds) must be a non-negative number of at most a year.', 'ms');
        }
        cc.clock.advance(ms);
        return ok({ now: cc.clock.now() });
      }),
    ),
    http.get(
      `${prefix}/faults`,
      withErrors(() => ok({ global: cc.faults.global, routes: cc.faults.routes })),
    ),
    http.put(
      `${prefix}/faults`,
      withErrors(async ({ request }) => {
        const { route, ...settings } = await readJson(request, 'faults.invalid');
        if (route !== undefined && typeof route !== 'string') throw badRequest('faults.route.invalid', 'route must be a string.', 'route');
        try {
          cc.faults.set(settings, route as string | undefined);
        } catch (e) {
          if (e instanceof FaultSettingError) throw badRequest('faults.invalid', e.message, e.field);
          throw e;
        }
        return ok({ global: cc.faults.global, routes: cc.faults.routes });
      }),
    ),
    http.post(
      `${prefix}/reset`,
      withErrors(() => {
        cc.resetRuntime();
        cc.faults.reset();
        cc.store.reset();
        cc.desk.startAutoAgents();
        return ok({});
      }),
    ),
    http.post(
      `${prefix}/sign`,
      withErrors(async ({ request }) => {
        const body = readFields(await readJson(request), 'sign', {
          channelId: text({ required: true, max: 64 }),
          userId: text({ required: true, max: 64 }),
          name: text({ max: 64 }),
        });
        const ch = cc.channel(body.channelId);
        if (!ch.secretKey) throw new ApiFailure(409, 'sign.noSecretKey', `Channel "${ch.id}" has no secretKey: no signature is needed.`, 'channelId');
        const signature = await signChannelToken({
          secretKey: ch.secretKey,
          channelId: ch.id,
          userId: body.userId,
          name: body.name || undefined,
          // The integrator's server signs on real time; the mock clock is session timing only.
          now: cc.wallClock(),
        });
        return ok({ signature });
      }),
    ),
    http.get(
      `${prefix}/left-messages`,
      withErrors(() => ok({ items: cc.leftMessages })),
    ),
    http.get(
      `${prefix}/sessions`,
      withErrors(({ request }) => {
        const q = readQuery(urlOf(request), 'sessions', {
          limit: intParam(1, MAX_SESSION_PAGE, DEFAULT_SESSION_PAGE),
          after: text({ max: 16, pattern: /^s\d{1,15}$/, patternText: 'must be a session id such as "s12" (the next of the previous page)' }),
        });
        const page = cc.sessionPage(q.after || undefined, q.limit);
        return ok({
          items: page.items.map((s) => ({
            id: s.id,
            channelId: s.channelId,
            userId: s.stream.userId,
            phase: s.phase,
            queueName: s.queueName,
            agent: s.agent,
            endReason: s.endReason,
            evaluations: s.evaluations,
          })),
          next: page.next,
          total: cc.sessionCount,
        });
      }),
    ),
  ];
}
