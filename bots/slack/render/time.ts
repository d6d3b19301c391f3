// Times in Slack messages: `<!date^…>` tokens, which Slack renders in each viewer's own time
// zone and locale, with a UTC fallback for clients that cannot.
import { DateTime } from 'luxon';

function token(at: Date | number, format: string, fallback: string): string {
  const seconds = Math.floor(new Date(at).getTime() / 1000);
  return `<!date^${seconds}^${format}|${fallback}>`;
}

function utc(at: Date | number, format: string): string {
  return DateTime.fromMillis(new Date(at).getTime(), { zone: 'UTC' })
    .setLocale('en-GB')
    .toFormat(format);
}

/** "Tue 23 Mar, 14:00–14:30" in the viewer's zone. */
export function slotText(start: Date | number, end: Date | number): string {
  return `${token(start, '{date_short_pretty} {time}', `${utc(start, 'ccc d LLL HH:mm')} UTC`)}–${token(end, '{time}', `${utc(end, 'HH:mm')} UTC`)}`;
}

/** "Tuesday, March 23rd" in the viewer's zone. */
export function dayText(at: Date | number): string {
  return token(at, '{date_long_pretty}', `${utc(at, 'cccc d LLLL yyyy')} UTC`);
}

/** "Tue 23 Mar 14:00", short enough for an option (75 characters). */
export function startText(start: Date | number): string {
  return token(start, '{date_short_pretty} {time}', `${utc(start, 'd LLL HH:mm')} UTC`);
}
