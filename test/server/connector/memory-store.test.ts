/** The in-memory store passes the store contract, on a manual clock (TTLs take no real time). */
import { MemoryStore } from '../../../widget/server/connector/memory-store.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('memory', async () => {
  let now = 1_700_000_000_000;
  const store = new MemoryStore({ now: () => now });
  return { store, close: () => store.close(), advance: (ms) => void (now += ms) };
});
