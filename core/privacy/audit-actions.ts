// The actions the audit log records, and the details each one must carry.
import { z } from 'zod';

/** Details each action requires; any action may carry further JSON details. */
export const AUDIT_ACTIONS = {
  'sign-in.succeeded': z.looseObject({}),
  /** `reason`: why it failed, e.g. "bad-password", "unknown-user", "locked", "sso-error". */
  'sign-in.failed': z.looseObject({ reason: z.string().min(1) }),
  'sign-out': z.looseObject({}),
  /** `provider`: google, microsoft, caldav… */
  'calendar.connected': z.looseObject({ provider: z.string().min(1) }),
  'calendar.disconnected': z.looseObject({ provider: z.string().min(1) }),
  'booking.created': z.looseObject({}),
  'booking.rescheduled': z.looseObject({}),
  'booking.cancelled': z.looseObject({}),
  'booking-page.published': z.looseObject({}),
  'booking-page.removed': z.looseObject({}),
  /** `certificateId`: the deletion certificate that proves what was deleted. */
  'data.deleted': z.looseObject({ certificateId: z.string().min(1) }),
  /** `kekVersion`: the new key-encryption key version; `rewrapped`: data keys re-wrapped. */
  'key.rotated': z.looseObject({ kekVersion: z.string().min(1) }),
  /** An account was deleted by its owner or an admin; its data is erased later, with a certificate. */
  'account.deleted': z.looseObject({}),
  'api-key.created': z.looseObject({}),
  'api-key.revoked': z.looseObject({}),
  /** Quorum was installed in a chat platform's workspace or tenant; `platform`: slack, teams… */
  'integration.installed': z.looseObject({ platform: z.string().min(1) }),
  /** A person linked their account on a platform (Slack, Teams, Zoom) to their Quorum account. */
  'account.linked': z.looseObject({ platform: z.string().min(1) }),
  /** `changed`: the names of the settings that changed (never their secret values). */
  'settings.changed': z.looseObject({ changed: z.array(z.string()).min(1) }),
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const AUDIT_ACTION_NAMES = Object.keys(AUDIT_ACTIONS) as AuditAction[];

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, value);
}
