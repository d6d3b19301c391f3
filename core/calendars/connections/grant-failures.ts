// A provider's refusal of a calendar grant, in words for the person; never the code or tokens.
import { CalendarConnectionError } from './connection-error.ts';

/**
 * Microsoft answers an on-behalf-of request it cannot grant silently with `invalid_grant`
 * (AADSTS65001, no consent yet) or `interaction_required` (conditional access, MFA): both mean
 * the person has to go through a consent screen, which the caller offers.
 */
export function onBehalfOfFailure(error: unknown): CalendarConnectionError {
  const e = error as { error?: unknown; error_description?: unknown };
  const description = typeof e.error_description === 'string' ? e.error_description : '';
  if (
    e.error === 'interaction_required' ||
    e.error === 'consent_required' ||
    (e.error === 'invalid_grant' && /AADSTS65001|consent/i.test(description))
  ) {
    return new CalendarConnectionError(
      'consent-required',
      'Microsoft needs your consent (or your administrator’s) before Quorum may use your calendar.',
      { cause: error },
    );
  }
  return grantFailure('Microsoft', error);
}

export function grantFailure(label: string, error: unknown): CalendarConnectionError {
  const e = error as { error?: unknown; error_description?: unknown; message?: unknown };
  if (e.error === 'access_denied') {
    return new CalendarConnectionError(
      'declined',
      `${label} calendar access was not allowed, so nothing was connected.`,
      { cause: error },
    );
  }
  const detail =
    typeof e.error === 'string'
      ? `${e.error}${typeof e.error_description === 'string' ? `: ${e.error_description}` : ''}`
      : typeof e.message === 'string'
        ? e.message
        : String(error);
  return new CalendarConnectionError(
    'grant-failed',
    `${label} did not complete the calendar connection (${detail}). Start again.`,
    { cause: error },
  );
}
