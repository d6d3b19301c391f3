// A tenant created while Quorum runs (sign-up, `quorum demo`, the scale bench) holds nothing in
// any earlier layout: it is recorded done for every current migration step when it is created,
// so the next start runs none of them over its data (before, a restart on a grown tenant read
// all of it to move nothing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MigrationRecordModel } from '../../../core/store/migrations.ts';
import { findByIds } from '../../../core/store/by-id.ts';
import { allMigrationSteps } from '../../../infra/server/migrations.ts';
import { testTenantId } from '../../support/db.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

const CONTROL_DB = `qc_${testTenantId()}`;
const PASSWORD = 'lantern-quartz-meadow-42';

let app: TestQuorum;
let tenantId: string;
let stepNames: string[];

async function records(quorum: TestQuorum) {
  const ids = stepNames.map((step) => `${step}:${tenantId}`);
  return findByIds(quorum.quorum.store.controlModel(MigrationRecordModel), ids);
}

beforeAll(async () => {
  app = await startTestQuorum({ QUORUM_CONTROL_DB: CONTROL_DB });
  stepNames = allMigrationSteps(app.quorum.services).map((step) => step.name);
  const ana = new Browser(app.url);
  const signup = await ana.request('/auth/signup', {
    method: 'POST',
    json: { organization: 'Fresh', name: 'Ana', email: 'ana@fresh.example', password: PASSWORD },
  });
  expect(signup.status).toBe(201);
  tenantId = (await json(ana.request('/api/me'))).tenantId as string;
  const meeting = await ana.request('/api/meetings', {
    method: 'POST',
    json: {
      title: 'Kick-off',
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 90_000_000).toISOString(),
      timeZone: 'UTC',
      participants: [],
    },
  });
  expect(meeting.status, await meeting.clone().text()).toBeLessThan(300);
});
afterAll(async () => {
  await app?.stop();
});

describe('a tenant created at runtime', () => {
  it('is recorded done for every current migration step, having nothing to move', async () => {
    const found = await records(app);
    expect(found.map((r) => r.step)).toEqual(stepNames);
    for (const record of found) expect(record).toMatchObject({ tenantId, moved: 0 });
  });

  it('runs no step at the next start', async () => {
    const before = await records(app);
    await app.quorum.stop();
    // The same database and data folder (its keyring), as a restart of `npm start`.
    const again = await startTestQuorum({
      QUORUM_CONTROL_DB: CONTROL_DB,
      QUORUM_DATA_DIR: app.dataDir,
    });
    try {
      // A step that ran would have written its record again, with a later finishedAt.
      const after = await records(again);
      expect(after.map((r) => [r._id, r.finishedAt.getTime()])).toEqual(
        before.map((r) => [r._id, r.finishedAt.getTime()]),
      );
      // And the tenant works as before: its meeting is listed.
      const ana = new Browser(again.url);
      const signin = await ana.request('/auth/signin', {
        method: 'POST',
        json: { email: 'ana@fresh.example', password: PASSWORD },
      });
      expect(signin.status).toBe(200);
      const listed = await json(ana.request('/api/meetings'));
      expect(JSON.stringify(listed)).toContain('Kick-off');
    } finally {
      await again.stop();
    }
  });
});
