// A guest's booking is titled with the page's title and the guest's name, with "with" once.
import { expect, test } from 'vitest';
import { guestBookingTitle } from '../../../core/scheduling/booking-pages/guest-title.ts';

test('the guest is added with "with", or joins a title that already has one', () => {
  expect(guestBookingTitle('Intro call', 'Gina Guest')).toBe('Intro call with Gina Guest');
  expect(guestBookingTitle('Intro call with Ana', 'Gina Guest')).toBe(
    'Intro call with Ana and Gina Guest',
  );
  expect(guestBookingTitle('Coffee With Raj ', ' Gina Guest')).toBe(
    'Coffee With Raj and Gina Guest',
  );
  // "without" or "withdrawal" are no "with".
  expect(guestBookingTitle('Withdrawal review', 'Gina')).toBe('Withdrawal review with Gina');
});
