// A refused request names its field first ("window.end: These days are over…", as
// infra/http/validate.ts and the core's refusals write it), so a page can show the sentence next
// to that field rather than at the top of the page. The API speaks to programs ("timeZone: is
// not a known IANA time zone"); `plainError` says the same to a person, with the field's label
// as the page shows it ("Time zone: we don't know 'Mars/Base'; pick one like Europe/Berlin").
import { ApiError } from '../../infra/ui/api.ts';

export interface FieldError {
  /** The field's path as the API names it, e.g. `workingHours.0.end`. */
  field: string;
  /** What to tell the person, without the field's path. */
  text: string;
}

/** The field a 400 is about and its sentence; null for any other failure. */
export function fieldErrorOf(error: unknown): FieldError | null {
  if (!(error instanceof ApiError) || error.status !== 400) return null;
  const match = /^([\w.]+): (.+)$/s.exec(error.message);
  return match ? { field: match[1]!, text: match[2]! } : null;
}

interface Wording {
  /** The field's label on the page. */
  label: string;
  /** Plain words for the API's refusal (given what the person typed); none: the API's own. */
  say?: (value: string, apiText: string) => string;
}

/** The API's field names whose refusals read like code, and how to say them. */
const WORDING: Record<string, Wording> = {
  timeZone: {
    label: 'Time zone',
    say: (value) => `we don't know '${value}'; pick one like Europe/Berlin`,
  },
  slug: {
    label: 'Link name',
    // Only the shape rule is rephrased; "that link name is taken" is already plain.
    say: (_value, text) =>
      /lowercase|characters|invalid/i.test(text)
        ? '3–60 lowercase letters, digits or dashes'
        : text,
  },
  serverUrl: {
    label: 'Server URL',
    say: (value) =>
      /^https:\/\//i.test(value)
        ? 'leave the user name and password out of the address; they have their own fields'
        : 'use the https:// address your provider gives for CalDAV, e.g. https://caldav.fastmail.com/ (an http:// address would send your password unencrypted)',
  },
  title: { label: 'Title' },
  participants: { label: 'Who votes' },
  options: { label: 'Times to offer' },
  recording: { label: 'Recording' },
  start: { label: 'Start' },
};

/** The refusals that name no field but are about one (their API code → field). */
const CODE_FIELDS: Record<string, { field: string; say?: (value: string) => string }> = {
  // Said as the field's wording says a bad address.
  'caldav-insecure': { field: 'serverUrl' },
  'slug-taken': { field: 'slug', say: (value) => `'${value}' is taken; choose another one` },
  unsupported_media_type: {
    field: 'recording',
    say: () =>
      'that file is not a recording; choose an audio or video file (e.g. .wav, .mp3, .m4a, .mp4)',
  },
};

/**
 * What to tell the person and next to which field (`field: null`: about the whole form), in
 * plain words. `values` holds what was typed, by the API's field names, to quote it back.
 */
export function plainError(
  error: unknown,
  values: Record<string, string> = {},
): { field: string | null; text: string } {
  const message = (error as Error).message;
  const coded = error instanceof ApiError ? CODE_FIELDS[error.code] : undefined;
  if (coded) {
    const value = values[coded.field] ?? '';
    const words = (coded.say ?? WORDING[coded.field]?.say)?.(value, message) ?? message;
    return { field: coded.field, text: `${WORDING[coded.field]!.label}: ${words}` };
  }
  const found = fieldErrorOf(error);
  if (!found) return { field: null, text: message };
  const top = found.field.split('.')[0]!;
  const wording = WORDING[top];
  if (!wording) return { field: found.field, text: found.text };
  const said = wording.say?.(values[top] ?? '', found.text) ?? found.text;
  return { field: top, text: `${wording.label}: ${said}` };
}
