// The Teams section of a person's data (core/identity/personal-data.ts).
import type { UserDoc } from '../../../core/identity/models.ts';
import type { PersonalDataSection } from '../../../core/identity/personal-data.ts';
import { deleteByIds, findByIds } from '../../../core/store/by-id.ts';
import type { Store } from '../../../core/store/store.ts';
import { TeamsUserLink, teamsLinkList } from '../store/tenants.ts';

/** Teams links are personal data: exported with the account and erased with it. */
export function teamsPersonalData(store: Store): PersonalDataSection {
  const lists = teamsLinkList(store);
  const links = async (user: UserDoc) =>
    (await findByIds(store.controlModel(TeamsUserLink), await lists.ids(user._id))).filter(
      (l) => l.userId === user._id,
    );
  return {
    name: 'teams',
    async export(_ctx, user) {
      return {
        links: (await links(user)).map((l) => ({
          msTenantId: l.msTenantId,
          aadObjectId: l.aadObjectId,
          via: l.via,
          createdAt: l.createdAt,
        })),
      };
    },
    async count(_ctx, user) {
      return { teamsLinks: (await links(user)).length };
    },
    async erase(_ctx, user) {
      const ids = (await links(user)).map((l) => l._id);
      const removed = await deleteByIds(store.controlModel(TeamsUserLink), ids);
      await lists.drop(user._id);
      return { teamsLinks: removed };
    },
  };
}
