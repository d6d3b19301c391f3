// Whose booking pages are whose: one document per owner in the control database
// (`booking_page_owners`, `_id: <tenantId>:<ownerId>`, `{pages: {<slug>: <createdAt>}}`), so a
// person's pages are read by exact `_id` rather than by a query on every page of the deployment.
import { Schema } from 'mongoose';
import { findByIds } from '../../store/by-id.ts';
import { changeEntries } from '../../store/entry-maps.ts';
import { defineModel, type Store } from '../../store/store.ts';
import { BookingPage, type BookingPageDoc } from './booking-page-model.ts';

export interface PageOwnerDoc {
  /** `<tenantId>:<ownerId>`. */
  _id: string;
  /** Slug -> when the page was published. */
  pages: Record<string, Date>;
}

export const PageOwner = defineModel<PageOwnerDoc>(
  'BookingPageOwner',
  new Schema<PageOwnerDoc>(
    {
      _id: { type: String, required: true },
      pages: { type: Schema.Types.Mixed, default: {} },
    },
    { collection: 'booking_page_owners', versionKey: false, minimize: false },
  ),
);

export const pageOwnerId = (tenantId: string, ownerId: string) => `${tenantId}:${ownerId}`;

type Listed = Pick<BookingPageDoc, '_id' | 'tenantId' | 'ownerId' | 'createdAt'>;

export async function listPage(store: Store, page: Listed): Promise<void> {
  await changeEntries(store.controlModel(PageOwner), pageOwnerId(page.tenantId, page.ownerId), {
    set: { [`pages.${page._id}`]: page.createdAt },
  });
}

export async function unlistPage(store: Store, page: Listed): Promise<void> {
  await changeEntries(store.controlModel(PageOwner), pageOwnerId(page.tenantId, page.ownerId), {
    unset: [`pages.${page._id}`],
  });
}

/** The pages listed for an owner (callers check each page's tenant, owner and state). */
export async function ownerPages(
  store: Store,
  tenantId: string,
  ownerId: string,
): Promise<BookingPageDoc[]> {
  const list = await store.controlModel(PageOwner).findById(pageOwnerId(tenantId, ownerId)).lean();
  return findByIds(store.controlModel(BookingPage), Object.keys(list?.pages ?? {}));
}

/** Every owner document for these pages, built whole (the migration writes them at once). */
export function ownerDocsFor(pages: readonly Listed[]): PageOwnerDoc[] {
  const docs = new Map<string, PageOwnerDoc>();
  for (const page of pages) {
    const id = pageOwnerId(page.tenantId, page.ownerId);
    const doc = docs.get(id) ?? { _id: id, pages: {} };
    doc.pages[page._id] = page.createdAt;
    docs.set(id, doc);
  }
  return [...docs.values()];
}
