// Envelope encryption on the real database: what is stored, what can be read, and what not.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BSON, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataKeyModel } from '../../../core/privacy/data-keys.ts';
import { createEnvelope, type Envelope } from '../../../core/privacy/envelope.ts';
import { DecryptionFailedError, EncryptionFailedError } from '../../../core/privacy/errors.ts';
import type { KeyProvider } from '../../../core/privacy/key-provider.ts';
import { openLocalKeyring, type LocalKeyring } from '../../../core/privacy/local-keyring.ts';
import { sealedFields, type Sealed } from '../../../core/privacy/sealed-fields.ts';
import { openStore, type Store } from '../../../core/store/store.ts';
import {
  tenantDatabaseName,
  verifiedTenantContext,
  type TenantContext,
} from '../../../core/store/tenant-context.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';

interface Segment {
  _id: string;
  meetingId: string;
  startMs: number;
  speaker: string;
  text: string;
  keywords?: string[];
}

let store: Store;
let client: MongoClient;
let keyring: LocalKeyring;
let envelope: Envelope;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'quorum-env-'));

const newTenant = () => verifiedTenantContext(testTenantId(), 'system');
const meeting = (meetingId: string) => ({ kind: 'meeting', meetingId }) as const;
const raw = (ctx: TenantContext, collection: string) =>
  client.db(tenantDatabaseName(ctx)).collection<Record<string, unknown>>(collection);
/** The stored form of a segment, written and read with the raw driver. */
const rawSegments = (ctx: TenantContext) =>
  client
    .db(tenantDatabaseName(ctx))
    .collection<Sealed<Segment, 'speaker' | 'text' | 'keywords'>>('transcript_segments');

async function failure<T extends Error>(promise: Promise<unknown>, type: new (...a: never[]) => T) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
}

const segments = () =>
  sealedFields<Segment, 'speaker' | 'text' | 'keywords'>(envelope, {
    collection: 'transcript_segments',
    fields: ['speaker', 'text', 'keywords'],
    scope: (s) => meeting(s.meetingId),
  });

beforeAll(async () => {
  store = await openStore({ uri: mongoUri() });
  client = await new MongoClient(mongoUri()).connect();
  keyring = await openLocalKeyring({ dataDir: scratch });
  envelope = createEnvelope({ store, keys: keyring });
});

afterAll(async () => {
  await client?.close();
  await store?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('envelope encryption', () => {
  it('stores no plaintext: the raw BSON of sealed documents contains none of the values', async () => {
    const ctx = newTenant();
    const docs: Segment[] = [
      {
        _id: 's1',
        meetingId: 'm1',
        startMs: 0,
        speaker: 'Ana Pereira',
        text: 'Budget approved at 48000 euros',
        keywords: ['budget', 'approval'],
      },
      {
        _id: 's2',
        meetingId: 'm1',
        startMs: 5000,
        speaker: 'Raj Malhotra',
        text: 'Launch moves to the ninth of May',
      },
    ];
    const collection = rawSegments(ctx);
    for (const doc of docs) await collection.insertOne(await segments().seal(ctx, doc));

    const stored = await collection.find().toArray();
    expect(stored).toHaveLength(2);
    const bytes = Buffer.concat(stored.map((d) => Buffer.from(BSON.serialize(d))));
    const json = JSON.stringify(stored);
    for (const secret of [
      'Ana Pereira',
      'Raj Malhotra',
      'Budget approved',
      '48000',
      'ninth of May',
      'budget',
      'approval',
    ]) {
      expect(bytes.includes(Buffer.from(secret)), secret).toBe(false);
      expect(json.includes(secret), secret).toBe(false);
    }
    // The data key is stored too, only wrapped.
    const keyDoc = await raw(ctx, 'data_keys').findOne({ _id: 'meeting:m1' as never });
    expect(keyDoc).toMatchObject({ kekVersion: '1', provider: 'local-keyring' });
    expect(Object.keys(keyDoc!).sort()).toEqual([
      '_id',
      'createdAt',
      'kekVersion',
      'provider',
      'wrapped',
    ]);

    const opened = await Promise.all(stored.map((d) => segments().open(ctx, d as never)));
    expect(opened).toEqual(docs);
  });

  it('compresses what it is asked to before sealing: stored as q2, smaller, and opens the same', async () => {
    const ctx = newTenant();
    const spoken = Array.from(
      { length: 300 },
      (_, i) => `Speaker ${i % 4}: the budget for the launch in May is approved, item ${i}.`,
    ).join(' ');
    const doc: Segment = { _id: 'long', meetingId: 'm9', startMs: 0, speaker: 'Ana', text: spoken };
    const packed = sealedFields<Segment, 'text'>(envelope, {
      collection: 'transcript_segments',
      fields: ['text'],
      scope: (s) => meeting(s.meetingId),
      compress: true,
    });
    const compressed = await packed.seal(ctx, doc);
    const plain = await segments().seal(ctx, { ...doc, _id: 'long2' });
    expect(compressed.text).toMatch(/^q2\./);
    expect(plain.text).toMatch(/^q1\./);
    expect(compressed.text.length * 4).toBeLessThan(plain.text.length);
    expect(compressed.text).not.toContain('budget');
    // Either form opens, whichever spec reads it: the version says how it was sealed.
    expect(await packed.open(ctx, compressed)).toEqual(doc);
    expect((await packed.open(ctx, plain as never)).text).toBe(spoken);
    await envelope.destroyDataKey(ctx, meeting('m9'));
    const shredded = await failure(packed.open(ctx, compressed), DecryptionFailedError);
    expect(shredded.reason).toBe('key-destroyed');
  });

  it('fails to decrypt a ciphertext moved to another record, another field or another tenant', async () => {
    const ctx = newTenant();
    const s = segments();
    const a = await s.seal(ctx, {
      _id: 'a',
      meetingId: 'm1',
      startMs: 0,
      speaker: 'Ana',
      text: 'alpha',
    });
    const b = await s.seal(ctx, {
      _id: 'b',
      meetingId: 'm1',
      startMs: 1,
      speaker: 'Raj',
      text: 'bravo',
    });

    const otherRecord = { ...b, text: a.text };
    expect((await failure(s.open(ctx, otherRecord), DecryptionFailedError)).reason).toBe(
      'not-authentic',
    );
    const otherField = { ...a, speaker: a.text };
    expect((await failure(s.open(ctx, otherField), DecryptionFailedError)).reason).toBe(
      'not-authentic',
    );

    // Another tenant: even with a data key of the same name, the record identity differs.
    const other = newTenant();
    await s.seal(other, { _id: 'a', meetingId: 'm1', startMs: 0, speaker: 'X', text: 'other' });
    expect((await failure(s.open(other, a), DecryptionFailedError)).reason).toBe('not-authentic');
    const third = newTenant();
    expect((await failure(s.open(third, a), DecryptionFailedError)).reason).toBe('key-missing');
  });

  it('fails on tampered ciphertext, and refuses a sealed field that holds plaintext', async () => {
    const ctx = newTenant();
    const s = segments();
    const sealed = await s.seal(ctx, {
      _id: 'a',
      meetingId: 'm1',
      startMs: 0,
      speaker: 'Ana',
      text: 'alpha',
    });
    const flipped =
      sealed.text.slice(0, -3) + (sealed.text.at(-3) === 'A' ? 'B' : 'A') + sealed.text.slice(-2);
    expect(
      (await failure(s.open(ctx, { ...sealed, text: flipped }), DecryptionFailedError)).reason,
    ).toBe('not-authentic');
    expect(
      (await failure(s.open(ctx, { ...sealed, text: 'alpha' }), DecryptionFailedError)).reason,
    ).toBe('malformed');
  });

  it('fails closed: when the key provider throws, nothing is returned and nothing is written', async () => {
    const ctx = newTenant();
    const down: KeyProvider = {
      name: 'down',
      currentVersion: () => Promise.reject(new Error('connect ECONNREFUSED')),
      wrap: () => Promise.reject(new Error('connect ECONNREFUSED')),
      unwrap: () => Promise.reject(new Error('connect ECONNREFUSED')),
      rotate: () => Promise.reject(new Error('connect ECONNREFUSED')),
    };
    const broken = createEnvelope({ store, keys: down });
    const s = sealedFields<Segment, 'speaker' | 'text' | 'keywords'>(broken, {
      collection: 'transcript_segments',
      fields: ['speaker', 'text', 'keywords'],
      scope: (d) => meeting(d.meetingId),
    });
    const collection = rawSegments(ctx);
    const attempt = s
      .seal(ctx, { _id: 'a', meetingId: 'm1', startMs: 0, speaker: 'Ana', text: 'alpha' })
      .then((doc) => collection.insertOne(doc));
    const error = await failure(attempt, EncryptionFailedError);
    expect(error.reason).toBe('key-unavailable');
    expect(error.message).toMatch(/ECONNREFUSED.*nothing was written/);
    expect(await collection.countDocuments()).toBe(0);
    expect(await raw(ctx, 'data_keys').countDocuments()).toBe(0);

    await expect(
      s.seal(ctx, { _id: undefined as never, meetingId: 'm1', startMs: 0, speaker: '', text: 'x' }),
    ).rejects.toMatchObject({ reason: 'invalid-input' });
  });

  it('crypto-shreds: after destroyDataKey the ciphertext can never be read, nor more written', async () => {
    const ctx = newTenant();
    const target = { collection: 'summaries', id: 'sum1', field: 'text' };
    const sealed = await envelope.encrypt(
      ctx,
      meeting('m9'),
      target,
      'Decision: hire two engineers',
    );
    expect(await envelope.decrypt(ctx, target, sealed)).toBe('Decision: hire two engineers');

    const destroyed = await envelope.destroyDataKey(ctx, meeting('m9'));
    expect(destroyed.hadKey).toBe(true);
    const tombstone = await raw(ctx, 'data_keys').findOne({ _id: 'meeting:m9' as never });
    expect(tombstone).not.toHaveProperty('wrapped');
    expect(tombstone).not.toHaveProperty('kekVersion');

    for (const reader of [envelope, createEnvelope({ store, keys: keyring })]) {
      const error = await failure(reader.decrypt(ctx, target, sealed), DecryptionFailedError);
      expect(error.reason).toBe('key-destroyed');
      expect(error.message).toMatch(/destroyed at .*crypto-shredded/);
    }
    const again = await failure(
      envelope.encrypt(ctx, meeting('m9'), target, 'more'),
      EncryptionFailedError,
    );
    expect(again.reason).toBe('key-destroyed');
    expect((await envelope.destroyDataKey(ctx, meeting('m9'))).destroyedAt).toEqual(
      destroyed.destroyedAt,
    );
    // Other meetings of the tenant are unaffected.
    const other = await envelope.encrypt(ctx, meeting('m10'), target, 'still here');
    expect(await envelope.decrypt(ctx, target, other)).toBe('still here');
  });

  it('crypto-shreds many keys at once, keeping earlier tombstones and making new ones', async () => {
    const ctx = newTenant();
    const target = { collection: 'summaries', id: 'sum1', field: 'text' };
    const a = await envelope.encrypt(ctx, meeting('b1'), target, 'first');
    const b = await envelope.encrypt(ctx, meeting('b2'), target, 'second');
    const kept = await envelope.encrypt(ctx, meeting('b4'), target, 'kept');
    const earlier = await envelope.destroyDataKey(ctx, meeting('b2'));

    // b3 never had a key: it gets a tombstone, so nothing is encrypted for it afterwards.
    await envelope.destroyDataKeys(ctx, [meeting('b1'), meeting('b2'), meeting('b3')]);
    for (const [sealed] of [[a], [b]] as const) {
      const error = await failure(envelope.decrypt(ctx, target, sealed), DecryptionFailedError);
      expect(error.reason).toBe('key-destroyed');
    }
    const none = await failure(
      envelope.encrypt(ctx, meeting('b3'), target, 'x'),
      EncryptionFailedError,
    );
    expect(none.reason).toBe('key-destroyed');
    const tombstones = await raw(ctx, 'data_keys')
      .find({ _id: { $in: ['meeting:b1', 'meeting:b2', 'meeting:b3'] as never[] } })
      .sort({ _id: 1 })
      .toArray();
    expect(tombstones.map((t) => [t._id, 'wrapped' in t, t.destroyedAt instanceof Date])).toEqual([
      ['meeting:b1', false, true],
      ['meeting:b2', false, true],
      ['meeting:b3', false, true],
    ]);
    expect(tombstones[1]!.destroyedAt).toEqual(earlier.destroyedAt);
    expect(await envelope.decrypt(ctx, target, kept)).toBe('kept');
  });

  it('rotates the tenant key: data keys re-wrapped, data documents untouched and still readable', async () => {
    const ctx = newTenant();
    const s = segments();
    const collection = rawSegments(ctx);
    for (const m of ['m1', 'm2', 'm3']) {
      await collection.insertOne(
        await s.seal(ctx, {
          _id: `seg-${m}`,
          meetingId: m,
          startMs: 0,
          speaker: 'Ana',
          text: `notes of ${m}`,
        }),
      );
    }
    await envelope.destroyDataKey(ctx, meeting('m3'));
    const keysBefore = await raw(ctx, 'data_keys').find().sort({ _id: 1 }).toArray();
    const dataBefore = await collection.find().sort({ _id: 1 }).toArray();

    const result = await envelope.rotateTenantKey(ctx);
    expect(result).toEqual({ kekVersion: '2', rewrapped: 2 });

    const keysAfter = await raw(ctx, 'data_keys').find().sort({ _id: 1 }).toArray();
    for (const [i, after] of keysAfter.entries()) {
      const before = keysBefore[i]!;
      if (before.destroyedAt) {
        expect(after).toEqual(before);
        continue;
      }
      expect(after.kekVersion).toBe('2');
      expect(before.kekVersion).toBe('1');
      expect(after.wrapped).not.toBe(before.wrapped);
    }
    expect(await collection.find().sort({ _id: 1 }).toArray()).toEqual(dataBefore);

    // A cold reader (no cached keys) decrypts through the new KEK version.
    const cold = sealedFields<Segment, 'text'>(createEnvelope({ store, keys: keyring }), {
      collection: 'transcript_segments',
      fields: ['text'],
      scope: (d) => meeting(d.meetingId),
    });
    const m1 = await collection.findOne({ _id: 'seg-m1' as never });
    expect((await cold.open(ctx, m1 as never)).text).toBe('notes of m1');
  });

  it('never re-wraps a key destroyed during a rotation, nor leaves a key on a tombstone', async () => {
    const ctx = newTenant();
    const target = { collection: 'summaries', id: 's1', field: 'text' };
    const sealed = await envelope.encrypt(ctx, meeting('r1'), target, 'to be shredded');
    await envelope.encrypt(ctx, meeting('r2'), target, 'kept');
    // The meeting is deleted while the rotation re-wraps its key (between read and write).
    const rotating: KeyProvider = {
      name: keyring.name,
      currentVersion: (t) => keyring.currentVersion(t),
      unwrap: (t, w, v) => keyring.unwrap(t, w, v),
      rotate: (t) => keyring.rotate(t),
      async wrap(t, dataKey) {
        await envelope.destroyDataKey(ctx, meeting('r1'));
        return keyring.wrap(t, dataKey);
      },
    };
    expect(await createEnvelope({ store, keys: rotating }).rotateTenantKey(ctx)).toMatchObject({
      rewrapped: 1,
    });
    const tombstone = await raw(ctx, 'data_keys').findOne({ _id: 'meeting:r1' as never });
    expect(tombstone).toMatchObject({ destroyedAt: expect.any(Date) });
    expect(tombstone).not.toHaveProperty('wrapped');

    // As another process's rotation racing the destruction could leave it: a key on the
    // tombstone. Read as destroyed, and taken off.
    await raw(ctx, 'data_keys').updateOne(
      { _id: 'meeting:r1' as never },
      { $set: { wrapped: 'c3RhbGU=', kekVersion: '1' } },
    );
    const cold = createEnvelope({ store, keys: keyring });
    const error = await failure(cold.decrypt(ctx, target, sealed), DecryptionFailedError);
    expect(error.reason).toBe('key-destroyed');
    expect(await raw(ctx, 'data_keys').findOne({ _id: 'meeting:r1' as never })).not.toHaveProperty(
      'wrapped',
    );
  });

  it('seals and opens OAuth tokens under the tenant token key', async () => {
    const ctx = newTenant();
    const target = { collection: 'calendar_grants', id: 'g1', field: 'refreshToken' };
    const sealed = await envelope.sealToken(ctx, target, '1//0gRefreshTokenValue');
    expect(sealed).not.toContain('RefreshTokenValue');
    expect(await envelope.openToken(ctx, target, sealed)).toBe('1//0gRefreshTokenValue');
    expect(await raw(ctx, 'data_keys').findOne({ _id: 'tokens' as never })).toMatchObject({
      kekVersion: '1',
    });
    await expect(
      envelope.openToken(ctx, { ...target, field: 'accessToken' }, sealed),
    ).rejects.toMatchObject({ reason: 'not-authentic' });
    await expect(envelope.sealToken(ctx, target, '')).rejects.toBeInstanceOf(EncryptionFailedError);
  });

  it('fingerprints a text under a tenant key: stable, per tenant and purpose, and keyed', async () => {
    const [ctx, other] = [newTenant(), newTenant()];
    const titles = { kind: 'titles' } as const;
    const print = (c: TenantContext, purpose: string, text: string) =>
      envelope.fingerprint(c, titles, purpose, text);
    const board = await print(ctx, 'title', 'Board prep');
    expect(board).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // The same text gives the same fingerprint, also from another process (another envelope).
    expect(
      await createEnvelope({ store, keys: keyring }).fingerprint(
        ctx,
        titles,
        'title',
        'Board prep',
      ),
    ).toBe(board);
    // Anything else gives another: another text, purpose or tenant.
    expect(await print(ctx, 'title', 'Board prep ')).not.toBe(board);
    expect(await print(ctx, 'name', 'Board prep')).not.toBe(board);
    expect(await print(other, 'title', 'Board prep')).not.toBe(board);
    // Keyed: not a plain digest anyone could compute from a guess.
    const { createHash } = await import('node:crypto');
    const plain = createHash('sha256').update('Board prep').digest().subarray(0, 16);
    expect(board).not.toBe(plain.toString('base64url'));
    // Rotating the tenant's key-encryption key keeps its data keys, and so its fingerprints.
    await envelope.rotateTenantKey(ctx);
    expect(await print(ctx, 'title', 'Board prep')).toBe(board);
  });

  it('creates one data key per meeting even when many writers race for it', async () => {
    const ctx = newTenant();
    const target = (i: number) => ({ collection: 'agenda', id: `a${i}`, field: 'text' });
    const writers = [
      createEnvelope({ store, keys: keyring }),
      createEnvelope({ store, keys: keyring }),
    ];
    const sealed = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        writers[i % 2]!.encrypt(ctx, meeting('race'), target(i), `item ${i}`),
      ),
    );
    const reader = createEnvelope({ store, keys: keyring });
    const opened = await Promise.all(sealed.map((v, i) => reader.decrypt(ctx, target(i), v)));
    expect(opened).toEqual(Array.from({ length: 16 }, (_, i) => `item ${i}`));
    const DataKeys = await store.tenantModel(ctx, DataKeyModel);
    expect(await DataKeys.countDocuments()).toBe(1);
  });
});
