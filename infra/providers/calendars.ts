// The calendar vendors behind core's CalendarVendors port: googleapis, the Graph client and
// tsdav. Core chooses which one answers for a connection; this module is the only place that
// knows how each is built.
import type { CalendarVendors } from '../../core/calendars/vendors.ts';
import { caldavCalendarProvider } from './caldav/caldav-calendar.ts';

export interface CalendarVendorOptions {
  /** API roots other than the public ones (a national cloud, or a local test server). */
  apiRoots?: { google?: string; microsoft?: string };
}

export function createCalendarVendors(options: CalendarVendorOptions = {}): CalendarVendors {
  const roots = options.apiRoots ?? {};
  return {
    async google(tokens) {
      // The Google and Graph SDKs are large: loaded the first time someone uses them.
      const { googleCalendarProvider } = await import('./google/google-calendar.ts');
      return googleCalendarProvider({ tokens, ...(roots.google ? { rootUrl: roots.google } : {}) });
    },
    async microsoft(tokens) {
      const { microsoftCalendarProvider } = await import('./microsoft/graph-calendar.ts');
      return microsoftCalendarProvider({
        tokens,
        ...(roots.microsoft ? { baseUrl: roots.microsoft } : {}),
      });
    },
    caldav: (account) => caldavCalendarProvider(account),
  };
}
