// One audit log entry: its content, how it is checked before it is written, its number and
// `_id`, and its hash. The log itself (appending, chaining, verifying) is in audit-log.ts.
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { Schema } from 'mongoose';
import { z } from 'zod';
import { defineModel } from '../store/store.ts';
import { AUDIT_ACTIONS, isAuditAction, type AuditAction } from './audit-actions.ts';

export const GENESIS = '0'.repeat(64);
const USER_AGENT_MAX = 512;

export interface AuditInput {
  action: AuditAction;
  /** Who acted: `user:<id>`, `api-key:<id>`, `system`, `operator:cli`… */
  actor: string;
  /** What it acted on: `meeting:<id>`, `booking:<id>`, `api-key:<id>`… */
  target?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** JSON details; some actions require some (see audit-actions.ts). Never secrets. */
  details?: Record<string, unknown>;
}

export interface AuditEntry {
  seq: number;
  at: Date;
  action: AuditAction;
  actor: string;
  target: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface StoredEntry extends Omit<AuditEntry, 'seq'> {
  /** The entry's number, 12 digits (a number in logs written before the migration). */
  _id: string;
}

const ID_DIGITS = 12;
const ID_PATTERN = /^\d{12}$/;

/** The `_id` of entry `seq`. */
export function auditEntryId(seq: number): string {
  return String(seq).padStart(ID_DIGITS, '0');
}

/** The number of a stored entry, or undefined if its `_id` is not one the log writes. */
export function seqOf(id: unknown): number | undefined {
  if (typeof id === 'number') return Number.isInteger(id) && id > 0 ? id : undefined;
  return typeof id === 'string' && ID_PATTERN.test(id) ? Number(id) : undefined;
}

export const AuditEntryModel = defineModel<StoredEntry>(
  'AuditEntry',
  new Schema<StoredEntry>(
    {
      _id: { type: String, required: true },
      at: { type: Date, required: true },
      action: { type: String, required: true },
      actor: { type: String, required: true },
      target: { type: String, default: null },
      ip: { type: String, default: null },
      userAgent: { type: String, default: null },
      // Mixed, and no minimizing: the stored details must read back exactly as hashed.
      details: { type: Schema.Types.Mixed, default: {} },
      prevHash: { type: String, required: true },
      hash: { type: String, required: true },
    },
    { collection: 'audit_log', versionKey: false, minimize: false },
  ),
);

export interface AuditHead {
  _id: string;
  seq: number;
  hash: string;
}

export const HEAD_ID = 'head';

export const AuditHeadModel = defineModel<AuditHead>(
  'AuditHead',
  new Schema<AuditHead>(
    {
      _id: { type: String, required: true },
      seq: { type: Number, required: true },
      hash: { type: String, required: true },
    },
    { collection: 'audit_head', versionKey: false },
  ),
);

const shortText = (max: number) => z.string().min(1).max(max);

const inputSchema = z.object({
  action: z.string().refine(isAuditAction, 'is not an audit action (see AUDIT_ACTIONS)'),
  actor: shortText(200),
  target: shortText(200).nullish(),
  ip: shortText(64).nullish(),
  userAgent: z.string().nullish(),
  details: z.record(z.string(), z.json()).optional(),
});

function badKey(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = badKey(item, `${path}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.startsWith('$') || key.includes('.')) return `${path}.${key}`;
      const found = badKey(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

export type EntryContent = Omit<StoredEntry, '_id' | 'at' | 'prevHash' | 'hash'>;

export function normalize(input: AuditInput): EntryContent {
  let details: unknown;
  try {
    // Through JSON once, so what is hashed is exactly what the database stores and returns.
    details = JSON.parse(JSON.stringify(input.details ?? {}));
  } catch (error) {
    throw new Error(`invalid audit entry: details are not JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const parsed = inputSchema.safeParse({ ...input, details });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`invalid audit entry: ${issue.path.join('.') || 'entry'} ${issue.message}`);
  }
  const action = parsed.data.action as AuditAction;
  const required = AUDIT_ACTIONS[action].safeParse(details);
  if (!required.success) {
    const issue = required.error.issues[0]!;
    throw new Error(
      `invalid audit entry: ${action} needs details.${issue.path.join('.')} (${issue.message})`,
    );
  }
  const reserved = badKey(details, 'details');
  if (reserved) {
    throw new Error(`invalid audit entry: key ${reserved} may not start with "$" or contain "."`);
  }
  return {
    action,
    actor: parsed.data.actor,
    target: parsed.data.target ?? null,
    ip: parsed.data.ip ?? null,
    // A client controls its user agent: keep a bounded prefix rather than refuse the entry.
    userAgent: parsed.data.userAgent ? parsed.data.userAgent.slice(0, USER_AGENT_MAX) : null,
    details: details as Record<string, unknown>,
  };
}

/**
 * SHA-256 (hex) over the canonical JSON of everything an entry says, except its own hash. The
 * number is hashed as a number, whichever form its `_id` has.
 */
export function entryHash(
  tenantId: string,
  entry: Omit<StoredEntry, 'hash' | '_id'> & { _id: string | number },
): string {
  const content = canonicalize({
    v: 1,
    tenantId,
    seq: typeof entry._id === 'number' ? entry._id : Number(entry._id),
    at: entry.at instanceof Date ? entry.at.toISOString() : entry.at,
    action: entry.action,
    actor: entry.actor,
    target: entry.target,
    ip: entry.ip,
    userAgent: entry.userAgent,
    details: entry.details,
    prevHash: entry.prevHash,
  });
  return createHash('sha256').update(content!).digest('hex');
}

export function toEntry(stored: StoredEntry): AuditEntry {
  const { _id, ...rest } = stored;
  return { seq: Number(_id), ...rest };
}
