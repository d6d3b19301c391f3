// Checks CalDAV credentials by really using them, before anything is stored: a wrong password
// must be refused at once, not discovered at the first meeting search.
import { ProviderError } from '../provider.ts';
import type { CalendarVendors } from '../vendors.ts';
import { CalendarConnectionError } from './connection-error.ts';

export interface CalDavCredentials {
  serverUrl: string;
  username: string;
  password: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The app password travels with every request (HTTP Basic), so it goes over https only; plain
 * http is accepted for a server on this machine (a local Radicale in the embedded default).
 */
export function checkCalDavUrl(serverUrl: string): URL {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    throw new CalendarConnectionError(
      'caldav-insecure',
      `serverUrl ${JSON.stringify(serverUrl)} is not a URL. Give the CalDAV address your provider lists, e.g. https://caldav.fastmail.com/.`,
    );
  }
  const secure =
    url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  if (!secure || url.username || url.password) {
    throw new CalendarConnectionError(
      'caldav-insecure',
      `serverUrl must be an https:// address without credentials in it (got ${url.protocol}//${url.host}): ` +
        'the app password goes with every request, so it is never sent unencrypted.',
    );
  }
  return url;
}

/** Signs in and reads an hour of free/busy; throws CalendarConnectionError when that fails. */
export async function checkCalDavAccess(
  credentials: CalDavCredentials,
  ownerId: string,
  options: { timeoutMs: number; now: Date; vendors: CalendarVendors },
): Promise<void> {
  const url = checkCalDavUrl(credentials.serverUrl);
  const provider = options.vendors.caldav({ ...credentials, serverUrl: url.href, ownerId });
  const start = options.now;
  try {
    await provider.freeBusy(
      { calendars: [ownerId], start, end: new Date(start.getTime() + 3_600_000) },
      AbortSignal.timeout(options.timeoutMs),
    );
  } catch (error) {
    if (error instanceof ProviderError && error.status === 401) {
      throw new CalendarConnectionError(
        'caldav-refused',
        `The CalDAV server at ${url.origin} refused username ${JSON.stringify(credentials.username)} ` +
          'with that password. Check both: many providers need an app password, not your account password.',
        { cause: error },
      );
    }
    const detail =
      error instanceof DOMException && error.name === 'TimeoutError'
        ? `no answer within ${Math.round(options.timeoutMs / 1000)} s`
        : error instanceof Error
          ? error.message
          : String(error);
    throw new CalendarConnectionError(
      'caldav-unreachable',
      `Could not use a CalDAV calendar at ${url.href} (${detail}). Check the address.`,
      { cause: error },
    );
  }
}
