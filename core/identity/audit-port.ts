// What identity code needs from the audit log (core/privacy/audit-log.ts): append one entry.
import type { AuditInput } from '../privacy/audit-log.ts';
import type { TenantContext } from '../store/tenant-context.ts';

export type { AuditInput };
export type AuditRecorder = (ctx: TenantContext, entry: AuditInput) => Promise<unknown>;
