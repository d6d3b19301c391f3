// The deletion certificates of recordings and captions, issued in batches.
//
// A source is deleted as soon as its transcript is stored (content.ts, deleteSourceWithProof):
// its file goes, and its record is replaced by what the certificate will say (`owed`). Its
// certificate may be signed only once the deleted bytes are in no file of the database, which
// on the embedded database takes a checkpoint (a scrub) that holds writers while it waits for
// readers: about 100 ms on a quiet machine, far more on a busy one. One scrub per meeting held
// every pipeline run waiting on it. Here every certificate a tenant owes is issued after one
// scrub, at most one batch a second per tenant, while the pipeline moves on.
//
// Each owed certificate is on the tenant's `certify` due list (written before the source is
// touched), so one owed by a process that died is issued by the next run of this job, which
// the pipeline's resume sweep enqueues for every tenant that owes any.
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { JobDefinition } from '../../jobs/registry.ts';
import { resumedBySweep } from '../../jobs/runner.ts';
import type { DeletionClaim } from '../../privacy/deletion-certificate.ts';
import { deleteByIds, findByIds } from '../../store/by-id.ts';
import { verifiedTenantContext, type TenantContext } from '../../store/tenant-context.ts';
import { CONTENT_KINDS, sourceSubject } from '../content.ts';
import { CERTIFY_DELETED_SOURCES } from '../job-names.ts';
import type { MeetingsKit } from '../kit.ts';
import { CURRENT, DUE } from '../lists.ts';
import type { SourceDoc } from '../models.ts';

/** Sources certified together at most (one insert each of certificates and audit entries). */
const BATCH = 200;

/** Batches of one tenant start at least this far apart, so scrubs do not follow back to back. */
const BATCH_SPACING_MS = 1000;

function claimFor(source: SourceDoc & { owed: NonNullable<SourceDoc['owed']> }): DeletionClaim {
  return {
    certificateId: source.owed.certificateId,
    subject: sourceSubject(source._id, source.sourceId),
    deleted:
      source.kind === 'audio'
        ? { [CONTENT_KINDS.recordings]: 1, 'audio bytes': source.bytes }
        : { [CONTENT_KINDS.captions]: 1 },
    kept: [
      { what: `meeting ${source._id}: transcript made from it, if any`, why: source.owed.why },
    ],
    at: source.owed.at,
    audit: { actor: 'system', target: `meeting:${source._id}`, details: { source: source.kind } },
  };
}

/** Issues up to BATCH owed certificates of the tenant; resolves to how many were settled. */
async function certifyBatch(kit: MeetingsKit, ctx: TenantContext): Promise<number> {
  const { Sources, lists } = await kit.models(ctx);
  const { certificates, audit } = kit.deps;
  const listed = (await lists.dueIn(DUE.certifying, CURRENT)).slice(0, BATCH);
  if (listed.length === 0) return 0;
  const sources = new Map((await findByIds(Sources, listed)).map((s) => [s._id, s]));
  const owed = [...sources.values()].filter((s) => s.owed !== undefined) as Array<
    SourceDoc & { owed: NonNullable<SourceDoc['owed']> }
  >;
  const claims: DeletionClaim[] = [];
  for (const source of owed) {
    const subject = sourceSubject(source._id, source.sourceId);
    const existing = await certificates.issuedFor(ctx, subject.kind, subject.id);
    if (!existing) {
      claims.push(claimFor(source));
    } else if (!existing.audited) {
      // Issued before certificates wrote their audit entries: the entry is written now.
      const { audit: entry } = claimFor(source);
      await audit.append(ctx, {
        action: 'data.deleted',
        ...entry!,
        details: { certificateId: existing.certificateId, kind: subject.kind, source: source.kind },
      });
    }
  }
  // The meeting content was in the tenant's database only: its files are the ones scrubbed.
  await certificates.issueDeletionCertificates(ctx, claims, { scrub: 'tenant' });
  await deleteByIds(
    Sources,
    owed.map((source) => source._id),
  );
  // Listed without a record: deleted with its meeting. A record not yet replaced is a deletion
  // under way (or cut short, which its pipeline step does again): it stays listed.
  const settled = listed.filter((id) => !sources.has(id) || sources.get(id)!.owed);
  await lists.removeDue(DUE.certifying, CURRENT, settled);
  return settled.length;
}

/** Issues every certificate the tenant owes now; resolves to how many were settled. */
export async function certifyOwed(kit: MeetingsKit, ctx: TenantContext): Promise<number> {
  let certified = 0;
  for (;;) {
    const settled = await certifyBatch(kit, ctx);
    certified += settled;
    if (settled < BATCH) return certified;
  }
}

const jobData = z.object({ tenantId: z.string().min(1) });

export function certifyDeletedSourcesJob(kit: MeetingsKit): JobDefinition<{ tenantId: string }> {
  const lastStart = new Map<string, number>();
  return resumedBySweep({
    name: CERTIFY_DELETED_SOURCES,
    // One batch at a time: a batch covers whatever the tenant owes when it starts.
    concurrency: 1,
    removeOnComplete: true,
    async run(data, { logger }) {
      const { tenantId } = jobData.parse(data);
      const wait = (lastStart.get(tenantId) ?? 0) + BATCH_SPACING_MS - Date.now();
      if (wait > 0) await sleep(wait);
      lastStart.set(tenantId, Date.now());
      const certified = await certifyOwed(kit, verifiedTenantContext(tenantId, 'system'));
      if (certified > 0) logger.info({ tenantId, certified }, 'deleted sources certified');
    },
  });
}

/**
 * Enqueues the job for this tenant if it owes certificates now (after a restart, say). The due
 * list's period stays indexed once a tenant ever owed one, so its documents are read (by id):
 * a tenant that owes nothing costs the sweep those reads, not a job and its own reads.
 */
export async function resumeOwedCertificates(kit: MeetingsKit, ctx: TenantContext): Promise<void> {
  const { lists } = await kit.models(ctx);
  if (!(await lists.duePeriods(DUE.certifying)).includes(CURRENT)) return;
  if ((await lists.dueIn(DUE.certifying, CURRENT)).length === 0) return;
  await kit.deps.queue.now(CERTIFY_DELETED_SOURCES, { tenantId: ctx.tenantId });
}
