/**
 * The chain the connector tests run: the widget's own runner (browser side) → the connector →
 * the mock's real-CEC face (msw/node, manual mock clock). Not a test file itself.
 */
import { SEED_CEC_APP_KEY, SEED_CEC_APP_SECRET, seedTenant } from '../../../mock-server/config/seed.js';
import type { Tenant } from '../../../mock-server/config/types.js';
import type { cecFaceOf } from '../../../mock-server/handlers/cec/index.js';
import type { ContactCenter } from '../../../mock-server/runtime/contact-center.js';
import type { Clock } from '../../../mock-server/runtime/clock.js';
import { startNodeMock } from '../../node-mock.js';
import type { ConnectorConfigInput } from '../../../widget/server/connector/config.js';
import { createConnector, type ConnectorHandler, type ConnectorOptions } from '../../../widget/server/connector/connector.js';

export const T0 = Date.parse('2026-11-25T02:00:00Z'); // a Wednesday, 10:00 in Shanghai
export const CEC_ORIGIN = 'http://cec.test';
export const CONNECTOR_ORIGIN = 'http://connector.test';

/** The seed tenant's `demo` channel as its console shows it, written into the connector's config. */
export function seedConnectorConfig(over: Partial<ConnectorConfigInput['upstream']> = {}): ConnectorConfigInput {
  const t = seedTenant();
  const demo = t.channels.find((c) => c.id === 'demo')!;
  return {
    upstream: { baseUrl: `${CEC_ORIGIN}/cec`, timeoutMs: 3000, pollTimeoutMs: 30_000, pollIdleMs: 0, attempts: 4, ...over },
    channels: [
      {
        channelId: 'demo',
        useRobot: true,
        toArtificialKeyWord: demo.transferKeywords,
        queueReminder: demo.queueReminder,
        dialogEnd: { noReplyMinutes: 20, conclusion: '' },
        chatbot: { name: demo.chatbot!.name, gender: demo.chatbot!.gender, transferPrompt: demo.chatbot!.transferPrompt, timeoutReply: demo.chatbot!.timeoutReply },
        clickToDial: { calledParty: 'agent', media: ['voice'] },
        satisfactionLevels: demo.satisfactionLevels,
        upload: { maxBytes: 2 * 1024 * 1024, types: ['image/png', 'image/jpeg', 'text/plain'] },
        texts: { agentConnected: ['Connected to an agent.', '已接通座席。'], idleWarning: [], queueTimeout: [], queueBusy: [], noAgents: [] },
      },
    ],
  };
}

export interface Chain {
  cc: ContactCenter;
  clock: Clock;
  face: ReturnType<typeof cecFaceOf>;
  connector: ConnectorHandler;
  /** The fetch a browser-side client uses to reach the connector. */
  browserFetch: typeof fetch;
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/** Starts the mock (both faces) under msw/node and a connector in front of its real face. */
export function startChain(
  opts: { edit?: (t: Tenant) => void; configure?: (cfg: ConnectorConfigInput) => void; connector?: Partial<ConnectorOptions>; upstream?: Partial<ConnectorConfigInput['upstream']> } = {},
): Chain {
  const mock = startNodeMock({ at: T0, origin: CEC_ORIGIN, ...(opts.edit ? { edit: opts.edit } : {}) });
  const logs: Array<Record<string, unknown>> = [];
  const cfg = seedConnectorConfig(opts.upstream);
  opts.configure?.(cfg);
  const connector = createConnector(cfg, {
    env: { CEC_APP_KEY: SEED_CEC_APP_KEY, CEC_APP_SECRET: SEED_CEC_APP_SECRET },
    log: (r) => logs.push(r),
    sweepMs: 0,
    ...opts.connector,
  });
  const browserFetch = ((input: RequestInfo | URL, init?: RequestInit) => connector(new Request(input, init))) as typeof fetch;
  return {
    cc: mock.cc,
    clock: mock.clock,
    face: mock.face,
    connector,
    browserFetch,
    logs,
    close: async () => {
      await connector.close();
      mock.close();
    },
  };
}

/** Waits on a condition (vi.waitFor), never a fixed sleep. */
export { until } from '../../wait.js';
