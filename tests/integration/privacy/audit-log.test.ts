// The hash-chained audit log on the real database, tampered with through the raw driver.
import { MongoClient, type Collection } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_ACTION_NAMES } from '../../../core/privacy/audit-actions.ts';
import { auditStringIdsStep } from '../../../core/privacy/audit-migration.ts';
import {
  auditEntryId,
  createAuditLog,
  entryHash,
  type AuditInput,
  type AuditLog,
} from '../../../core/privacy/audit-log.ts';
import { openStore, type Store } from '../../../core/store/store.ts';
import {
  tenantDatabaseName,
  verifiedTenantContext,
  type TenantContext,
} from '../../../core/store/tenant-context.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';

let store: Store;
let client: MongoClient;
let audit: AuditLog;

const newTenant = () => verifiedTenantContext(testTenantId(), 'system');
const raw = (ctx: TenantContext): Collection<{ _id: string; [key: string]: unknown }> =>
  client.db(tenantDatabaseName(ctx)).collection('audit_log');
/** Entry n's `_id`. */
const n = auditEntryId;

const entry = (i: number): AuditInput => ({
  action: 'booking.created',
  actor: `user:u${i % 3}`,
  target: `booking:b${i}`,
  ip: '203.0.113.7',
  userAgent: 'Slack/1.0',
  details: {
    slot: { start: `2025-03-0${(i % 9) + 1}T09:00:00Z`, minutes: 30 },
    attendees: [i, i + 1],
  },
});

async function tenantWithEntries(n: number): Promise<TenantContext> {
  const ctx = newTenant();
  for (let i = 1; i <= n; i++) await audit.append(ctx, entry(i));
  return ctx;
}

beforeAll(async () => {
  store = await openStore({ uri: mongoUri() });
  client = await new MongoClient(mongoUri()).connect();
  audit = createAuditLog({ store });
});

afterAll(async () => {
  await client?.close();
  await store?.close();
});

describe('audit log', () => {
  it('chains entries: each holds the previous hash, and the chain verifies', async () => {
    const ctx = newTenant();
    const first = await audit.append(ctx, {
      action: 'sign-in.failed',
      actor: 'user:u1',
      ip: '198.51.100.4',
      userAgent: 'Mozilla/5.0',
      details: { reason: 'bad-password' },
    });
    const second = await audit.append(ctx, { action: 'sign-out', actor: 'user:u1', details: {} });
    expect(first).toMatchObject({ seq: 1, prevHash: '0'.repeat(64), target: null });
    expect(second.seq).toBe(2);
    expect(second.prevHash).toBe(first.hash);
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);

    const stored = await raw(ctx).findOne({ _id: n(1) });
    expect(stored).toMatchObject({
      action: 'sign-in.failed',
      actor: 'user:u1',
      ip: '198.51.100.4',
      userAgent: 'Mozilla/5.0',
      details: { reason: 'bad-password' },
    });
    expect(stored!.at).toBeInstanceOf(Date);

    expect(await audit.verifyAuditChain(ctx)).toEqual({
      intact: true,
      entries: 2,
      head: { seq: 2, hash: second.hash },
      anchor: null,
      anchors: 0,
    });
    expect((await audit.entries(ctx)).map((e) => e.seq)).toEqual([2, 1]);
    expect((await audit.entries(ctx, { before: 2 })).map((e) => e.action)).toEqual([
      'sign-in.failed',
    ]);
  });

  it('reports an empty log as intact with no head', async () => {
    expect(await audit.verifyAuditChain(newTenant())).toEqual({
      intact: true,
      entries: 0,
      head: null,
      anchor: null,
      anchors: 0,
    });
  });

  it('names the first edited entry', async () => {
    const ctx = await tenantWithEntries(8);
    await raw(ctx).updateOne({ _id: n(5) }, { $set: { 'details.slot.minutes': 90 } });
    await raw(ctx).updateOne({ _id: n(7) }, { $set: { actor: 'user:someone-else' } });
    expect(await audit.verifyAuditChain(ctx)).toMatchObject({
      intact: false,
      checked: 4,
      firstBad: { seq: 5, problem: 'edited' },
    });
  });

  it('names the first removed entry, including the very first one', async () => {
    const ctx = await tenantWithEntries(8);
    await raw(ctx).deleteOne({ _id: n(4) });
    const report = await audit.verifyAuditChain(ctx);
    expect(report).toMatchObject({ intact: false, firstBad: { seq: 4, problem: 'missing' } });
    expect(report.intact || report.firstBad.message).toMatch(/entry 4 is missing/);

    const other = await tenantWithEntries(3);
    await raw(other).deleteOne({ _id: n(1) });
    expect(await audit.verifyAuditChain(other)).toMatchObject({
      firstBad: { seq: 1, problem: 'missing' },
    });
  });

  it('notices entries cut off the end, and a last entry rewritten with its hash recomputed', async () => {
    const ctx = await tenantWithEntries(6);
    await raw(ctx).deleteMany({ _id: { $gte: n(5) } });
    expect(await audit.verifyAuditChain(ctx)).toMatchObject({
      intact: false,
      checked: 4,
      firstBad: {
        seq: 5,
        problem: 'missing',
        message: expect.stringMatching(/5 to 6 were removed from the end/),
      },
    });

    const other = await tenantWithEntries(3);
    const three = (await raw(other).findOne({ _id: n(3) }))!;
    const edited = { ...three, actor: 'user:cover-up' } as never as Parameters<typeof entryHash>[1];
    await raw(other).updateOne(
      { _id: n(3) },
      { $set: { actor: 'user:cover-up', hash: entryHash(other.tenantId, edited) } },
    );
    expect(await audit.verifyAuditChain(other)).toMatchObject({
      firstBad: { seq: 3, problem: 'edited' },
    });
  });

  it('carries on after a writer died between writing its entry and moving the head, or the head was lost', async () => {
    const ctx = await tenantWithEntries(3);
    const head = (await client
      .db(tenantDatabaseName(ctx))
      .collection('audit_head')
      .findOne({ _id: 'head' as never }))!;
    expect(head).toMatchObject({ seq: 3 });
    // Entry 4 as a writer would have written it, but the head still says 3.
    const orphan = {
      _id: n(4),
      at: new Date(),
      action: 'sign-out',
      actor: 'user:ghost',
      target: null,
      ip: null,
      userAgent: null,
      details: {},
      prevHash: head.hash as string,
    };
    await raw(ctx).insertOne({ ...orphan, hash: entryHash(ctx.tenantId, orphan as never) });
    expect((await audit.append(ctx, entry(5))).seq).toBe(5);
    expect(await audit.verifyAuditChain(ctx)).toMatchObject({ intact: true, entries: 5 });

    await client.db(tenantDatabaseName(ctx)).collection('audit_head').deleteMany({});
    expect((await audit.append(ctx, entry(6))).seq).toBe(6);
    expect(await audit.verifyAuditChain(ctx)).toMatchObject({ intact: true, entries: 6 });
  });

  it('lists newest first by number, paging back, also past a head left behind', async () => {
    const ctx = await tenantWithEntries(5);
    const heads = client.db(tenantDatabaseName(ctx)).collection('audit_head');
    const three = (await raw(ctx).findOne({ _id: n(3) }))!;
    await heads.updateOne({ _id: 'head' as never }, { $set: { seq: 3, hash: three.hash } });
    expect((await audit.entries(ctx)).map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
    expect((await audit.entries(ctx, { limit: 2 })).map((e) => e.seq)).toEqual([5, 4]);
    expect((await audit.entries(ctx, { before: 3, limit: 5 })).map((e) => e.seq)).toEqual([2, 1]);
    await heads.deleteMany({});
    expect((await audit.entries(ctx, { limit: 1 }))[0]).toMatchObject({ seq: 5 });
    expect(await audit.entries(newTenant())).toEqual([]);
  });

  it('moves entries numbered with a number _id to string ids, and the chain still verifies', async () => {
    const ctx = await tenantWithEntries(4);
    // As the log was written before: `_id` 1, 2, 3, 4.
    const numbered = client
      .db(tenantDatabaseName(ctx))
      .collection<{ _id: number | string; [key: string]: unknown }>('audit_log');
    for (const entry of await raw(ctx).find().toArray()) {
      await numbered.insertOne({ ...entry, _id: Number(entry._id) });
      await numbered.deleteOne({ _id: entry._id });
    }
    // A run cut short had copied entry 2 already.
    await numbered.insertOne({ ...(await numbered.findOne({ _id: 2 }))!, _id: n(2) });

    expect(await auditStringIdsStep.runForTenant(store, ctx)).toBe(4);
    expect(await auditStringIdsStep.runForTenant(store, ctx)).toBe(0);
    expect((await numbered.find().toArray()).map((e) => e._id).sort()).toEqual([1, 2, 3, 4].map(n));
    expect(await audit.verifyAuditChain(ctx)).toMatchObject({ intact: true, entries: 4 });
    expect((await audit.append(ctx, entry(5))).seq).toBe(5);
    expect(await audit.verifyAuditChain(ctx)).toMatchObject({ intact: true, entries: 5 });
  });

  it('names the first entry of a reordered pair', async () => {
    const ctx = await tenantWithEntries(8);
    const six = await raw(ctx).findOne({ _id: n(6) });
    const seven = await raw(ctx).findOne({ _id: n(7) });
    const { _id: _six, ...sixContent } = six!;
    const { _id: _seven, ...sevenContent } = seven!;
    await raw(ctx).replaceOne({ _id: n(6) }, sevenContent);
    await raw(ctx).replaceOne({ _id: n(7) }, sixContent);
    expect(await audit.verifyAuditChain(ctx)).toMatchObject({
      intact: false,
      checked: 5,
      firstBad: { seq: 6, problem: 'reordered' },
    });
  });

  it('notices an edit whose hash was recomputed, at the next link', async () => {
    const ctx = await tenantWithEntries(5);
    const three = (await raw(ctx).findOne({ _id: n(3) }))!;
    const edited = { ...three, actor: 'user:cover-up' } as never as Parameters<typeof entryHash>[1];
    await raw(ctx).updateOne(
      { _id: n(3) },
      { $set: { actor: 'user:cover-up', hash: entryHash(ctx.tenantId, edited) } },
    );
    expect(await audit.verifyAuditChain(ctx)).toMatchObject({
      firstBad: { seq: 4, problem: 'link-broken' },
    });
  });

  it('keeps one chain when 20 callers on two connections append at once', async () => {
    const ctx = newTenant();
    const other = await openStore({ uri: mongoUri() });
    try {
      const logs = [audit, createAuditLog({ store: other })];
      const appended = await Promise.all(
        Array.from({ length: 20 }, (_, i) => logs[i % 2]!.append(ctx, entry(i))),
      );
      expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      expect(await audit.verifyAuditChain(ctx)).toMatchObject({ intact: true, entries: 20 });
    } finally {
      await other.close();
    }
  });

  it('appends many entries in one go, in order, and keeps one chain with racing appenders', async () => {
    const ctx = newTenant();
    await audit.append(ctx, entry(0));
    const other = await openStore({ uri: mongoUri() });
    try {
      const racer = createAuditLog({ store: other });
      // Two batches on one log take turns; a batch and single appends on another connection race.
      const [first, second, ...singles] = await Promise.all([
        audit.appendMany(
          ctx,
          Array.from({ length: 15 }, (_, i) => entry(100 + i)),
        ),
        audit.appendMany(
          ctx,
          Array.from({ length: 15 }, (_, i) => entry(200 + i)),
        ),
        ...Array.from({ length: 6 }, (_, i) => racer.append(ctx, entry(300 + i))),
        racer.appendMany(
          ctx,
          Array.from({ length: 4 }, (_, i) => entry(400 + i)),
        ),
      ]);
      // Each batch's entries keep their order, numbered upwards.
      for (const batch of [first!, second!]) {
        expect(batch.map((e) => e.target)).toEqual(
          batch.map((_, i) => `booking:b${batch === first ? 100 + i : 200 + i}`),
        );
        const seqs = batch.map((e) => e.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      }
      const all = [first!, second!, ...singles.flat()].flat().map((e) => e.seq);
      expect(new Set(all).size).toBe(40);
      expect(await audit.verifyAuditChain(ctx)).toMatchObject({ intact: true, entries: 41 });
      expect(await audit.appendMany(ctx, [])).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('refuses entries that are not well formed, saying what is wrong', async () => {
    const ctx = newTenant();
    await expect(audit.append(ctx, { action: 'sign-in.failed', actor: 'user:u1' })).rejects.toThrow(
      /sign-in.failed needs details.reason/,
    );
    await expect(
      audit.append(ctx, { action: 'data.deleted', actor: 'system', details: {} }),
    ).rejects.toThrow(/details.certificateId/);
    await expect(audit.append(ctx, { action: 'nope' as never, actor: 'system' })).rejects.toThrow(
      /not an audit action/,
    );
    await expect(audit.append(ctx, { action: 'sign-out', actor: '' })).rejects.toThrow(/actor/);
    await expect(
      audit.append(ctx, { action: 'sign-out', actor: 'u', details: { $where: 1 } }),
    ).rejects.toThrow(/details.\$where/);
    expect(await raw(ctx).countDocuments()).toBe(0);
    const long = await audit.append(ctx, {
      action: 'sign-out',
      actor: 'u',
      userAgent: 'x'.repeat(5000),
    });
    expect(long.userAgent).toHaveLength(512);
  });

  it('lists the actions security teams asked for', () => {
    expect(AUDIT_ACTION_NAMES).toEqual(
      expect.arrayContaining([
        'sign-in.succeeded',
        'sign-in.failed',
        'sign-out',
        'calendar.connected',
        'calendar.disconnected',
        'booking.created',
        'booking.cancelled',
        'data.deleted',
        'key.rotated',
        'api-key.created',
        'api-key.revoked',
        'settings.changed',
      ]),
    );
  });
});
