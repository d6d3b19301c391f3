// Titles people give things — meetings, bookings, polls, the times offered (proposals) and the
// local calendar's events ("Board prep", "1:1 with manager") — say what a meeting is about, so
// they are stored sealed (AES-256-GCM, bound to their tenant, collection, record and field, like
// every sealed field: envelope.ts).
//
//   const titles = sealedTitles(envelope, { collection: 'bookings', what: 'booking' });
//   await Bookings.create(await titles.seal(ctx, booking));      // booking.title sealed
//   const booking = await titles.open(ctx, await Bookings.findById(id).lean());
//
// Why the tenant's titles key and not each meeting's own key: titles are read in lists (my
// meetings, my upcoming bookings, search results), and a key per row would cost a key look-up
// and unwrap (a Key Vault call) per row; with one key per tenant a list of 50 costs 50 AES-GCM
// operations and at most one unwrap a minute. What this gives up: deleting a meeting destroys
// its content's key, but its title is gone only with its record (backups keep it readable to
// whoever holds the tenant's key-encryption key).
//
// Records written before titles were sealed hold them in plaintext until the storage migration
// seals them (title-migration.ts, the `sealed-titles` step): `open` returns such a value as it
// is. A stored value that is sealed opens or fails with UnreadableTitleError: the ciphertext is
// never shown in a title's place. (A title of the old layout that happens to start like a sealed
// value, "q1.…", reads as unreadable until the migration has sealed it.)
import type { TenantContext } from '../store/tenant-context.ts';
import type { DataKeyScope } from './data-keys.ts';
import type { Envelope } from './envelope.ts';
import { DecryptionFailedError } from './errors.ts';
import { isSealed, parseSealed } from './field-cipher.ts';

export const TITLES_SCOPE: DataKeyScope = { kind: 'titles' };

/** A title (or another sealed field) that cannot be opened; the message is fit to show. */
export class UnreadableTitleError extends DecryptionFailedError {
  constructor(what: string, field: string, cause: DecryptionFailedError) {
    const why =
      cause.reason === 'not-authentic' || cause.reason === 'malformed'
        ? 'it failed its integrity check (it was altered or damaged)'
        : "its organization's key is unavailable";
    super(cause.reason, `The ${field} of this ${what} cannot be shown: ${why}.`, { cause });
  }
}

export interface SealedTitlesSpec<K extends string> {
  collection: string;
  /** What a record is, for errors ("booking", "poll"). */
  what: string;
  /** The fields sealed (default: title); null and undefined are left as they are. */
  fields?: readonly K[];
}

type WithId = { _id: unknown };

export interface SealedTitles<K extends string> {
  /** The document with its fields sealed; throws EncryptionFailedError (write nothing then). */
  seal<T extends WithId & Partial<Record<K, unknown>>>(ctx: TenantContext, doc: T): Promise<T>;
  /** The document with its fields opened; throws UnreadableTitleError. */
  open<T extends WithId & Partial<Record<K, unknown>>>(ctx: TenantContext, doc: T): Promise<T>;
  openAll<T extends WithId & Partial<Record<K, unknown>>>(
    ctx: TenantContext,
    docs: readonly T[],
  ): Promise<T[]>;
  /** One value of one record, sealed. */
  sealValue(ctx: TenantContext, id: string, field: K, text: string): Promise<string>;
  /** One stored value of one record, opened (plaintext of the old layout as it is). */
  openValue(ctx: TenantContext, id: string, field: K, stored: string): Promise<string>;
}

export function sealedTitles<K extends string = 'title'>(
  envelope: Envelope,
  spec: SealedTitlesSpec<K>,
): SealedTitles<K> {
  const fields = spec.fields ?? (['title'] as unknown as readonly K[]);
  const target = (id: string, field: string) => ({ collection: spec.collection, id, field });

  async function openValue(ctx: TenantContext, id: string, field: K, stored: string) {
    if (!isSealed(stored)) return stored;
    let opened: unknown;
    try {
      opened = await envelope.decrypt(ctx, target(id, field), stored);
    } catch (error) {
      if (error instanceof DecryptionFailedError) {
        throw new UnreadableTitleError(spec.what, field, error);
      }
      throw error;
    }
    if (typeof opened !== 'string') {
      const malformed = new DecryptionFailedError('malformed', `${field} is not text`);
      throw new UnreadableTitleError(spec.what, field, malformed);
    }
    return opened;
  }

  async function each<T extends WithId>(
    doc: T,
    change: (id: string, field: K, value: string) => Promise<string>,
  ): Promise<T> {
    const id = String(doc._id);
    const out = { ...doc } as Record<string, unknown>;
    await Promise.all(
      fields.map(async (field) => {
        const value = out[field];
        if (typeof value === 'string') out[field] = await change(id, field, value);
      }),
    );
    return out as T;
  }

  const sealValue = (ctx: TenantContext, id: string, field: K, text: string) =>
    envelope.encrypt(ctx, TITLES_SCOPE, target(id, field), text) as Promise<string>;

  return {
    seal: (ctx, doc) =>
      each(doc, async (id, field, value) =>
        // Already sealed (a record read as stored and written back): sealed once only.
        isSealedValue(value) ? value : sealValue(ctx, id, field, value),
      ),
    sealValue,
    open: (ctx, doc) => each(doc, (id, field, value) => openValue(ctx, id, field, value)),
    openAll: (ctx, docs) =>
      Promise.all(docs.map((doc) => each(doc, (id, f, v) => openValue(ctx, id, f, v)))),
    openValue,
  };
}

/**
 * Whether a stored value is a sealed one (a well-formed q1 or q2 value), not a title of the old
 * layout that merely starts like one ("q1.review"): the migration seals the latter.
 */
export function isSealedValue(value: unknown): value is string {
  if (!isSealed(value)) return false;
  try {
    parseSealed(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * A fingerprint of a title under the tenant's titles key: where a key must tell two titles apart
 * (an idempotency key), it carries this instead of the title.
 */
export function titleFingerprint(envelope: Envelope, ctx: TenantContext, title: string) {
  return envelope.fingerprint(ctx, TITLES_SCOPE, 'title', title);
}

/**
 * The idempotency key of a booking asked for without one: who, when, and the title's
 * fingerprint. (It becomes the booking's stored key and its local calendar event's request id.)
 */
export function contentKey(organizerId: string, start: Date, fingerprint: string): string {
  return `${organizerId}:${start.toISOString()}:t1.${fingerprint}`;
}

// The web's key before titles were sealed: `<organizer id>:<start ISO>:<title>`.
const OLD_CONTENT_KEY_HEAD = /^([^:]+):(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)$/;

/**
 * For a key made before titles were sealed, with `title` in it: the key it is made as now.
 * Undefined for any other key (a client's own key is left as it is).
 */
export function rekeyedContentKey(key: string, title: string, fingerprint: string) {
  const suffix = `:${title}`;
  if (!key.endsWith(suffix)) return undefined;
  const head = OLD_CONTENT_KEY_HEAD.exec(key.slice(0, -suffix.length));
  return head ? contentKey(head[1]!, new Date(head[2]!), fingerprint) : undefined;
}
