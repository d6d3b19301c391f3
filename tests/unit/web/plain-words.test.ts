// The API's refusals said to a person (web/ui/field-error.ts) and dates in one format
// (infra/ui/time.ts), without a browser.
import { expect, test } from 'vitest';
import { ApiError } from '../../../infra/ui/api.ts';
import { formatDay, formatMoment, formatRange } from '../../../infra/ui/time.ts';
import { plainError } from '../../../web/ui/field-error.ts';

const refused = (message: string, code = 'invalid_request', status = 400) =>
  new ApiError(status, code, message);

test('field refusals get the label the page shows and plain words', () => {
  expect(
    plainError(refused('timeZone: is not a known IANA time zone (e.g. Europe/Berlin)'), {
      timeZone: 'Mars/Base',
    }),
  ).toEqual({
    field: 'timeZone',
    text: "Time zone: we don't know 'Mars/Base'; pick one like Europe/Berlin",
  });
  expect(plainError(refused('slug: use 3–60 lowercase letters, digits and dashes'))).toEqual({
    field: 'slug',
    text: 'Link name: 3–60 lowercase letters, digits or dashes',
  });
  // Refusals that name no field, at the field they concern.
  expect(
    plainError(refused('The link name "ana" is taken. Choose another one.', 'slug-taken', 409), {
      slug: 'ana',
    }),
  ).toEqual({ field: 'slug', text: "Link name: 'ana' is taken; choose another one" });
  expect(
    plainError(refused('serverUrl must be an https:// address …', 'caldav-insecure'), {
      serverUrl: 'http://dav.example/',
    }).text,
  ).toMatch(/^Server URL: use the https:\/\/ address your provider gives/);
  expect(
    plainError(refused('Send the recording as …', 'unsupported_media_type', 415)),
  ).toMatchObject({ field: 'recording', text: expect.stringMatching(/^Recording: that file/) });
});

test('other failures are the server sentence, about the whole form', () => {
  expect(plainError(refused('Quorum could not be reached.', 'unreachable', 0))).toEqual({
    field: null,
    text: 'Quorum could not be reached.',
  });
  expect(plainError(refused('window.end: These days are over.'))).toEqual({
    field: 'window.end',
    text: 'These days are over.',
  });
});

test('dates share one format; a date without a time is that day everywhere', () => {
  const day = formatDay('2026-12-11', 'Pacific/Honolulu');
  expect(day).toBe(formatDay('2026-12-11', 'Asia/Tokyo'));
  expect(day).toContain('11');
  const at = '2026-12-11T15:30:00Z';
  expect(formatMoment(at, 'UTC').startsWith(formatDay(at, 'UTC'))).toBe(true);
  expect(formatRange(at, '2026-12-11T16:00:00Z', 'UTC').startsWith(formatDay(at, 'UTC'))).toBe(
    true,
  );
});

test('the year is shown only for a day more than half a year away', () => {
  const soon = new Date(Date.now() + 3 * 86_400_000);
  expect(formatDay(soon.toISOString(), 'UTC')).not.toContain(String(soon.getUTCFullYear()));
  expect(formatDay('2019-03-05', 'UTC')).toContain('2019');
});
