// A booking's confirmation (with its reschedule and cancel buttons), its cancellation, and the
// list of the person's meetings to cancel or move.
import type { BookingDoc } from '../../../core/scheduling/booking/booking-model.ts';
import { ACTIONS, buttonRow, card, execute, md, note, openUrl, text, when } from './card.ts';
import type { AdaptiveCard, CardElement } from './card.ts';

export function confirmationCard(booking: BookingDoc, notes: string[] = []): AdaptiveCard {
  const people = booking.attendees.map(
    (a) => `${a.name ?? a.email}${a.optional ? ' (optional)' : ''}`,
  );
  const body: CardElement[] = [
    text(`✅ Booked **${md(booking.title)}**`, { size: 'Medium' }),
    text(when(booking.start, booking.end)),
    {
      type: 'FactSet',
      facts: [
        { title: 'Organizer', value: md(booking.organizerEmail) },
        ...(people.length > 0 ? [{ title: 'With', value: md(people.join(', ')) }] : []),
        {
          title: 'Link',
          value: booking.joinUrl ? `[Join the meeting](${booking.joinUrl})` : 'none',
        },
      ],
    },
    ...notes.map((n) => note(md(n))),
  ];
  const data = { b: booking._id };
  return card(body, [
    ...(booking.joinUrl ? [openUrl('Join', booking.joinUrl)] : []),
    execute('Reschedule', ACTIONS.reschedule, data),
    execute('Cancel', ACTIONS.cancel, data),
  ]);
}

export function cancelledCard(booking: BookingDoc): AdaptiveCard {
  return card([
    text(`🗑️ Cancelled **${md(booking.title)}**`, { size: 'Medium' }),
    text(when(booking.start, booking.end), { isSubtle: true }),
  ]);
}

/** The meetings a person organizes, each with the button of the change they asked for. */
export function upcomingCard(own: BookingDoc[], verb: 'cancel' | 'reschedule'): AdaptiveCard {
  return card([
    text(
      verb === 'cancel'
        ? '**Which meeting do you want to cancel?**'
        : '**Which meeting do you want to move?**',
    ),
    ...own.map((b) =>
      buttonRow(
        [
          text(`**${md(b.title)}**`),
          text(when(b.start, b.end), { isSubtle: true, spacing: 'None' }),
        ],
        execute(
          verb === 'cancel' ? 'Cancel' : 'Reschedule',
          verb === 'cancel' ? ACTIONS.cancel : ACTIONS.reschedule,
          { b: b._id },
        ),
      ),
    ),
  ]);
}
