// A person's email in "export my data" and account erasure: their email settings, and what
// Quorum mailed them (kind, state, when — the content itself is dropped once sent). On erasure
// the settings go, and every such message, with any not yet sent.
import type { PersonalDataSection } from '../identity/personal-data.ts';
import type { Store } from '../store/store.ts';
import type { EmailOutbox } from './outbox.ts';
import { EmailPreferencesModel, emailPreferencesOf } from './preferences.ts';

export function emailPersonalData(store: Store, outbox: EmailOutbox): PersonalDataSection {
  return {
    name: 'email',
    async export(ctx, user) {
      return {
        settings: await emailPreferencesOf(store, ctx, user._id),
        messages: await outbox.sentTo(ctx, user.email),
      };
    },
    async count(ctx, user) {
      return { emailMessages: (await outbox.sentTo(ctx, user.email)).length };
    },
    async erase(ctx, user) {
      const Preferences = await store.tenantModel(ctx, EmailPreferencesModel);
      await Preferences.deleteOne({ _id: user._id });
      return { emailMessages: await outbox.eraseTo(ctx, user.email) };
    },
  };
}
