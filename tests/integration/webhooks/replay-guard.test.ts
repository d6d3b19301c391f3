import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../core/store/store.ts';
import { createReplayGuard } from '../../../core/webhooks/replay-guard.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';

let store: Store;
beforeAll(async () => {
  store = await openStore({ uri: mongoUri(), controlDbName: `qc_${testTenantId()}` });
});
afterAll(async () => {
  await store.close();
});

describe('replay guard', () => {
  it('accepts a delivery once, across nodes, even when the copies arrive at the same moment', async () => {
    const other = await openStore({ uri: mongoUri(), controlDbName: store.control.name });
    try {
      const nodeA = createReplayGuard(store);
      const nodeB = createReplayGuard(other);
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? nodeA : nodeB).firstSighting('slack', 'v0=deadbeef'),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await nodeA.firstSighting('zoom', 'v0=deadbeef')).toBe(true); // another source
    } finally {
      await other.close();
    }
  });
});
