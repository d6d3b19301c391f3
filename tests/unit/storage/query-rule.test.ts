// The storage rule's classifier: which filters count as an exact `_id` match, which filters a
// database command applies (one per update or delete statement, an aggregate's leading
// $match), and that each kind of breach is caught and reported by shape, never by value.
import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { SWEEP_COMMENT, isExactIdFilter } from '../../../core/store/query-rule.ts';
import {
  filtersOf,
  formatBreaches,
  ruleBreaches,
  shapeOf,
  type Breach,
} from '../../support/command-recorder.ts';

describe('isExactIdFilter', () => {
  it('accepts exactly {_id: <string or ObjectId>}', () => {
    expect(isExactIdFilter({ _id: 'm1' })).toBe(true);
    expect(isExactIdFilter({ _id: new ObjectId() })).toBe(true);
  });

  it('refuses anything more, anything else, or an operator on _id', () => {
    for (const filter of [
      { _id: 'm1', status: 'open' },
      { _id: { $in: ['m1', 'm2'] } },
      { _id: { $eq: 'm1' } },
      { _id: 7 },
      { _id: null },
      { meetingId: 'm1' },
      {},
      [{ _id: 'm1' }],
      null,
      undefined,
      'm1',
    ]) {
      expect(isExactIdFilter(filter), JSON.stringify(filter)).toBe(false);
    }
  });
});

describe('filtersOf', () => {
  it('takes the q of every statement of an update', () => {
    const command = {
      update: 'meetings',
      updates: [
        { q: { _id: 'm1' }, u: { $set: { title: 'a' } } },
        { q: { _id: 'm2', status: 'open' }, u: { $set: { title: 'b' } } },
        { q: { organizerId: 'u1' }, u: { $set: { title: 'c' } }, multi: true },
      ],
    };
    expect(filtersOf(command).map((f) => f.filter)).toEqual([
      { _id: 'm1' },
      { _id: 'm2', status: 'open' },
      { organizerId: 'u1' },
    ]);
    expect(ruleBreaches(command).map((f) => f.filter)).toEqual([
      { _id: 'm2', status: 'open' },
      { organizerId: 'u1' },
    ]);
  });

  it('takes the q of every delete statement, and refuses $in on _id', () => {
    const command = {
      delete: 'meeting_segments',
      deletes: [{ q: { _id: { $in: ['a', 'b'] } }, limit: 0 }],
    };
    expect(ruleBreaches(command)).toEqual([
      { collection: 'meeting_segments', op: 'delete', filter: { _id: { $in: ['a', 'b'] } } },
    ]);
  });

  it("takes an aggregate's leading $match, and treats a pipeline without one as reading all", () => {
    const counted = {
      aggregate: 'users',
      pipeline: [{ $match: { email: 'ana@acme.example' } }, { $group: { _id: 1, n: { $sum: 1 } } }],
      cursor: {},
    };
    expect(ruleBreaches(counted)).toEqual([
      { collection: 'users', op: 'aggregate', filter: { email: 'ana@acme.example' } },
    ]);
    const byId = { aggregate: 'users', pipeline: [{ $match: { _id: 'u1' } }], cursor: {} };
    expect(ruleBreaches(byId)).toEqual([]);
    const grouped = { aggregate: 'users', pipeline: [{ $group: { _id: '$tenantId' } }] };
    expect(ruleBreaches(grouped)).toEqual([{ collection: 'users', op: 'aggregate', filter: {} }]);
  });

  it('refuses a find by _id and one more field, and a find with no filter', () => {
    expect(ruleBreaches({ find: 'polls', filter: { _id: 'p1', status: 'open' } })).toHaveLength(1);
    expect(ruleBreaches({ find: 'polls', filter: {} })).toHaveLength(1);
    expect(ruleBreaches({ find: 'polls' })).toHaveLength(1);
    expect(ruleBreaches({ find: 'polls', filter: { _id: 'p1' }, limit: 1 })).toEqual([]);
  });

  it('reads the filter of count, distinct and findAndModify', () => {
    expect(filtersOf({ count: 'users', query: { tenantId: 't' } })[0]!.filter).toEqual({
      tenantId: 't',
    });
    expect(filtersOf({ distinct: 'users', key: 'email', query: { a: 1 } })[0]!.filter).toEqual({
      a: 1,
    });
    expect(
      ruleBreaches({ findAndModify: 'bookings', query: { idempotencyKey: 'k' }, update: {} }),
    ).toHaveLength(1);
  });

  it('finds no filter in commands that select no stored documents', () => {
    expect(filtersOf({ insert: 'meetings', documents: [{ _id: 'm1' }] })).toEqual([]);
    expect(filtersOf({ getMore: 12345, collection: 'meetings' })).toEqual([]);
    expect(filtersOf({ createIndexes: 'meetings', indexes: [] })).toEqual([]);
    expect(filtersOf({ ping: 1 })).toEqual([]);
  });

  it('lets collections bounded by design be read by any filter', () => {
    expect(ruleBreaches({ find: 'jobs', filter: { name: 'x', nextRunAt: new Date() } })).toEqual(
      [],
    );
  });

  it('lets a command marked as a sweep read everything, and only that one', () => {
    const sweep = { delete: 'sessions', deletes: [{ q: { expiresAt: { $lt: new Date() } } }] };
    expect(ruleBreaches(sweep)).toHaveLength(1);
    expect(ruleBreaches({ ...sweep, comment: `${SWEEP_COMMENT}:sessions` })).toEqual([]);
    expect(ruleBreaches({ ...sweep, comment: 'sweep' })).toHaveLength(1);
  });
});

describe('reports', () => {
  it('show the shape of a filter with its values replaced by types', () => {
    const filter = {
      tenantId: 'secret-tenant',
      _id: new ObjectId(),
      at: { $gt: new Date() },
      email: { $in: ['ana@acme.example', 'raj@acme.example'] },
      deletedAt: null,
      n: 3,
      ok: true,
      title: /budget/i,
    };
    expect(shapeOf(filter)).toEqual({
      _id: 'ObjectId',
      at: { $gt: 'Date' },
      deletedAt: 'null',
      email: { $in: ['string'] },
      n: 'number',
      ok: 'boolean',
      tenantId: 'string',
      title: 'RegExp',
    });
  });

  it('group identical breaches with their count and name the route, without values', () => {
    const breach = (shape: unknown, collection = 'meetings'): Breach => ({
      route: 'GET /api/meetings',
      db: 'tenant',
      collection,
      op: 'find',
      shape: JSON.stringify(shapeOf(shape)),
    });
    const report = formatBreaches('GET /api/meetings', [
      breach({ organizerId: 'u-ana' }),
      breach({ meetingId: 'm1' }, 'meeting_segments'),
      breach({ organizerId: 'u-raj' }),
    ]);
    expect(report.split('\n').slice(1)).toEqual([
      '  2× tenant.meetings find {"organizerId":"string"}',
      '  1× tenant.meeting_segments find {"meetingId":"string"}',
    ]);
    expect(report).toMatch(/^GET \/api\/meetings: 3 filter/);
    expect(report).not.toMatch(/u-ana|u-raj|m1/);
    expect(formatBreaches('GET /api/me', [])).toBe('');
  });
});
