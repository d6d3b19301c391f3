// Timelines written the earlier way (one document per owner and month) are split into the
// month's parts by the start-up migration: "my meetings" lists them again, the month documents
// are gone, and a new meeting goes into a part of a few days, not into the month's document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../../core/store/migrations.ts';
import { allMigrationSteps } from '../../../infra/server/migrations.ts';
import { asCreatedByEarlierVersion } from '../../support/earlier-tenant.ts';
import { json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { organization, type Org } from './people.ts';
import { capturedLogger } from '../../support/captured-logger.ts';

let app: TestQuorum;
let acme: Org;
const RAJ = { email: 'raj@acme.example', name: 'Raj Patel' };
/** Starts on days of one month that fall in three different parts, and one of the next. */
const STARTS = ['2027-03-02T09:00:00Z', '2027-03-12T09:00:00Z', '2027-03-30T09:00:00Z'];
const LATER = '2027-04-05T09:00:00Z';

function lists() {
  return app.quorum.store.connection
    .useDb(`quorum_t_${acme.tenantId}`)
    .db!.collection<{ _id: string; entries: string[] }>('meeting_lists');
}

async function createMeeting(title: string, startsAt: string): Promise<string> {
  const res = await acme.admin.request('/api/meetings', {
    method: 'POST',
    json: {
      title,
      startsAt,
      endsAt: new Date(Date.parse(startsAt) + 3_600_000).toISOString(),
      timeZone: 'UTC',
      participants: [RAJ],
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json(res)).id;
}

async function listedTitles(): Promise<string[]> {
  const listed = await json(acme.admin.request('/api/meetings'));
  return (listed.meetings as Array<{ title: string }>).map((m) => m.title);
}

/** Rewrites the tenant's timeline documents as the earlier version kept them: one a month. */
async function toMonthDocuments(): Promise<number> {
  const parts = await lists()
    .find({ _id: { $regex: /^timeline:.+:\d{4}-\d{2}:\d$/ } })
    .toArray();
  const months = new Map<string, string[]>();
  for (const part of parts) {
    const month = part._id.slice(0, part._id.lastIndexOf(':'));
    months.set(month, [...(months.get(month) ?? []), ...part.entries]);
  }
  for (const [_id, entries] of months) await lists().insertOne({ _id, entries });
  await lists().deleteMany({ _id: { $in: parts.map((p) => p._id) } });
  return months.size;
}

beforeAll(async () => {
  app = await startTestQuorum({ QUORUM_ROLE: 'web' });
  acme = await organization(app, 'Acme', { name: 'Ana Lopez', email: 'ana@acme.example' }, [RAJ]);
});
afterAll(async () => {
  await app?.stop();
});

describe('meeting timelines by part of the month', () => {
  it('puts a new meeting in the part of its days', async () => {
    const id = await createMeeting('Week one', STARTS[0]!);
    const part = await lists().findOne({ _id: 'timeline:e:raj@acme.example:2027-03:0' });
    expect(part?.entries).toEqual([`2027-03-02T09:00:00.000Z ${id}`]);
    expect(await lists().findOne({ _id: 'timeline:e:raj@acme.example:2027-03' })).toBeNull();
  });

  it('moves month documents of the earlier layout into parts, once, losing nothing', async () => {
    for (const [i, startsAt] of STARTS.slice(1).entries())
      await createMeeting(`Mid ${i}`, startsAt);
    await createMeeting('April', LATER);
    const before = await listedTitles();
    expect(before).toHaveLength(4);

    // Ana's and Raj's timelines (and the pair's) over two months.
    expect(await toMonthDocuments()).toBeGreaterThanOrEqual(6);
    await asCreatedByEarlierVersion(app.quorum.store, acme.tenantId);
    expect(await listedTitles()).toEqual([]);

    const { logger, text: output } = capturedLogger();
    await runMigrations(app.quorum.store, allMigrationSteps(app.quorum.services), logger);
    expect(output()).toContain('meeting timelines split by part of the month');
    expect(await listedTitles()).toEqual(before);
    const left = await lists()
      .find({ _id: { $regex: /^timeline:.+:\d{4}-\d{2}$/ } })
      .toArray();
    expect(left).toEqual([]);
    const raj = await lists()
      .find({ _id: { $regex: /^timeline:e:raj@acme\.example:2027-03:/ } })
      .toArray();
    expect(raj.map((d) => [d._id.slice(-1), d.entries.length]).sort()).toEqual([
      ['0', 1],
      ['1', 1],
      ['3', 1],
    ]);
  });
});
