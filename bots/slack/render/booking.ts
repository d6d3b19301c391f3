// The booking modal (title, attendees, duration, link, agenda) and the confirmation message
// with its reschedule and cancel buttons.
import type { types } from '@slack/bolt';
import type { BookingDoc } from '../../../core/scheduling/booking/booking-model.ts';
import type { LinkType } from '../../../core/identity/user-settings.ts';
import type { SlackMessage } from './help.ts';
import { plain } from './notices.ts';
import {
  LIMITS,
  actions,
  button,
  context,
  escapeText,
  fit,
  fitList,
  section,
  type Block,
} from './limits.ts';
import { LINK_NAMES, input, linkSelect, option, selectInput } from './inputs.ts';
import { slotText } from './time.ts';

export const BOOK_VIEW = 'quorum.book';
export const DURATIONS = [15, 30, 45, 60, 90, 120];
export interface BookForm {
  title: string;
  start: number;
  durationMinutes: number;
  attendees: Array<{ email: string; optional: boolean }>;
  linkType: LinkType;
  privateMetadata: string;
}

function durationText(minutes: number): string {
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return minutes > 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
}

/** Attendees as the modal shows them: one per line, optional ones marked. */
export function attendeeLines(attendees: BookForm['attendees']): string {
  return attendees.map((a) => (a.optional ? `${a.email} (optional)` : a.email)).join('\n');
}

export function bookingModal(form: BookForm): types.ModalView {
  const durations = [...new Set([...DURATIONS, form.durationMinutes])].sort((a, b) => a - b);
  const durationOptions = durations.map((m) => option(durationText(m), String(m)));
  return {
    type: 'modal',
    callback_id: BOOK_VIEW,
    private_metadata: form.privateMetadata,
    title: { type: 'plain_text', text: 'Book a meeting' },
    submit: { type: 'plain_text', text: 'Book' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`*When:* ${slotText(form.start, form.start + form.durationMinutes * 60_000)}`),
      input('title', 'Title', {
        type: 'plain_text_input',
        initial_value: fit(form.title, 200),
        max_length: 200,
      }),
      input(
        'attendees',
        'Attendees',
        {
          type: 'plain_text_input',
          multiline: true,
          max_length: LIMITS.inputValue,
          ...(form.attendees.length > 0 && {
            initial_value: fit(attendeeLines(form.attendees), LIMITS.inputValue),
          }),
        },
        {
          hint: 'Emails, one per line or separated by commas. Add "(optional)" after someone who need not come.',
        },
      ),
      selectInput(
        'duration',
        'Duration',
        durationOptions,
        option(durationText(form.durationMinutes), String(form.durationMinutes)),
      ),
      linkSelect('link', 'Online meeting', form.linkType),
      input(
        'agenda',
        'Agenda',
        { type: 'plain_text_input', multiline: true, max_length: LIMITS.inputValue },
        { optional: true },
      ),
    ],
  };
}

export function bookingConfirmation(
  booking: BookingDoc,
  organizerSlackId: string | undefined,
  note?: string,
): SlackMessage {
  const people = booking.attendees.map((a) => escapeText(a.name ?? a.email));
  const join = booking.joinUrl
    ? ` · <${booking.joinUrl}|Join (${LINK_NAMES[booking.linkType]})>`
    : '';
  const organizer = organizerSlackId
    ? `<@${organizerSlackId}>`
    : escapeText(booking.organizerEmail);
  const blocks: Block[] = [
    section(
      `:white_check_mark: *${escapeText(booking.title)}* is booked for ${slotText(booking.start, booking.end)}${join}`,
    ),
    context(
      fit(
        `Organizer: ${organizer} · With: ${fitList(people, 2000)}${note ? ` · ${note}` : ''}`,
        LIMITS.contextText,
      ),
    ),
    actions(
      [
        button('Reschedule', 'quorum.booking.reschedule', { value: booking._id }),
        {
          ...button('Cancel meeting', 'quorum.booking.cancel', {
            value: booking._id,
            style: 'danger',
          }),
          confirm: {
            title: { type: 'plain_text', text: 'Cancel this meeting?' },
            text: {
              type: 'plain_text',
              text: fit(`"${booking.title}" is removed from every calendar.`, 300),
            },
            confirm: { type: 'plain_text', text: 'Cancel it' },
            deny: { type: 'plain_text', text: 'Keep it' },
          },
        },
      ],
      `booking:${booking._id}`,
    ),
  ];
  return { text: `${booking.title} is booked`, blocks };
}

export function cancelledMessage(booking: BookingDoc, bySlackId: string): SlackMessage {
  return {
    text: `${booking.title} was cancelled`,
    blocks: [
      section(
        `:x: ~${escapeText(booking.title)}~ (${slotText(booking.start, booking.end)}) was cancelled by <@${bySlackId}>.`,
      ),
    ],
  };
}

/** The slot list's own message once booked from it. */
export function bookedMessage(booking: BookingDoc): SlackMessage {
  return plain(
    `:white_check_mark: Booked *${escapeText(booking.title)}* for ${slotText(booking.start, booking.end)}.`,
  );
}

/** The same booking asked for again (a double submit). */
export function alreadyBookedMessage(booking: BookingDoc): SlackMessage {
  return plain(
    `This time was already booked: *${escapeText(booking.title)}*, ${slotText(booking.start, booking.end)}.`,
  );
}
