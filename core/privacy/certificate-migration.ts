// Storage migration: certificates issued before the subject records existed get one, naming the
// newest certificate of each subject (what findBySubject returned until then).
//
// Idempotent: a subject that has its record keeps it (a duplicate insert is refused). Scans are
// fine here: migrations run before the server takes requests.
import type { MigrationStep } from '../store/migrations.ts';
import { isDuplicateKeyError } from './duplicate-key.ts';
import {
  DeletionCertificateModel,
  DeletionSubjectModel,
  subjectKey,
} from './deletion-certificates.ts';

export const certificateSubjectsStep: MigrationStep = {
  name: 'deletion-certificate-subjects',
  description: 'deletion certificates found by subject through a record per subject',
  async runForTenant(store, ctx) {
    const Certificates = await store.tenantModel(ctx, DeletionCertificateModel);
    const all = await Certificates.find({}, { subjectKind: 1, subjectId: 1, issuedAt: 1 }).lean();
    const newest = new Map<string, { certificateId: string; issuedAt: Date }>();
    for (const c of all) {
      const key = subjectKey(c.subjectKind, c.subjectId);
      const known = newest.get(key);
      if (!known || c.issuedAt > known.issuedAt) {
        newest.set(key, { certificateId: c._id, issuedAt: c.issuedAt });
      }
    }
    if (newest.size === 0) return 0;
    const Subjects = await store.tenantModel(ctx, DeletionSubjectModel);
    try {
      await Subjects.insertMany(
        [...newest].map(([_id, { certificateId }]) => ({ _id, certificateId })),
        { ordered: false },
      );
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    return newest.size;
  },
};
