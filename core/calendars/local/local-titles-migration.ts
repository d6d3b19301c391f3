// Local calendar events in the storage migration that seals titles (core/privacy/
// title-migration.ts): their titles and descriptions are sealed, and an event booked on the web
// without a key, whose request id held its title, gets the request id its booking now has
// (core/scheduling/booking/booking-records.ts). Its `_id` stays: it is only ever looked up by it.
import type { Envelope } from '../../privacy/envelope.ts';
import { rekeyedContentKey, sealedTitles, titleFingerprint } from '../../privacy/sealed-titles.ts';
import type { TitledCollection } from '../../privacy/title-migration.ts';
import { LOCAL_EVENT_TITLES, LocalEvent } from './local-event-model.ts';

export function localEventTitlesMigration(envelope: Envelope): TitledCollection {
  return {
    model: LocalEvent,
    titles: sealedTitles(envelope, LOCAL_EVENT_TITLES),
    fields: LOCAL_EVENT_TITLES.fields,
    async also(ctx, doc, plain) {
      const requestId = doc.requestId;
      if (!plain.includes('title') || typeof requestId !== 'string') return {};
      const title = doc.title as string;
      const fingerprint = await titleFingerprint(envelope, ctx, title);
      const next = rekeyedContentKey(requestId, title, fingerprint);
      return next ? { requestId: next } : {};
    },
  };
}
