// Storage migration: messages queued before the per-recipient lists existed go on their
// recipient's month list (recipient-refs.ts), so an erasure finds them too. A scan of the
// tenant's messages, as migrations may; adding to a list twice changes nothing.
import type { MigrationStep } from '../store/migrations.ts';
import { EmailMessage, EmailRefs } from './models.ts';
import { recipientRef } from './recipient-refs.ts';

export const emailRecipientListsStep: MigrationStep = {
  name: 'email-recipient-lists',
  description: 'email messages listed by recipient and month',
  async runForTenant(store, ctx) {
    const messages = await store
      .controlModel(EmailMessage)
      .find({ tenantId: ctx.tenantId }, { key: 1, to: 1, createdAt: 1, expiresAt: 1 })
      .lean();
    const Refs = store.controlModel(EmailRefs);
    for (const m of messages) {
      await Refs.updateOne(
        { _id: `${ctx.tenantId}|${recipientRef(m.to, m.createdAt)}` },
        { $addToSet: { keys: m.key }, $max: { expiresAt: m.expiresAt } },
        { upsert: true },
      );
    }
    return messages.length;
  },
};
