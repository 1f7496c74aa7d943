/** The connector's races on the in-memory store, two instances sharing one MemoryStore. */
import { MemoryStore } from '../../../widget/server/connector/memory-store.js';
import { describeConnectorRaces } from './races.js';

describeConnectorRaces('memory', async () => {
  const store = new MemoryStore();
  return { stores: [store, store], close: () => store.close() };
});
