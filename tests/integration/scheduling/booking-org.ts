// Set-up shared by the scheduling integration tests: an organization on the real server, its
// people signed in from their own browsers with their zones and hours, and meetings put straight
// into their local calendars. Kept in one place so each test file says only what differs (its
// people, hours and meetings) and a change to sign-up or settings is made once.
import { expect } from 'vitest';
import { localCalendarProvider } from '../../../core/calendars/local/local-calendar.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { Browser, json, type TestQuorum } from '../../support/quorum-app.ts';

export const password = 'copper-meadow-signal-58';

/** Signs up a new organization with its first admin; fails the test unless it is created. */
export async function signUpOrganization(
  browser: Browser,
  organization: string,
  name: string,
  email: string,
) {
  const res = await browser.request('/auth/signup', {
    method: 'POST',
    json: { organization, name, email, password },
  });
  expect(res.status).toBe(201);
}

/**
 * The admin adds a colleague, who then signs in from a browser of their own. `ip` is the
 * colleague's address: each file gives its own so sign-in limits per address never interfere.
 */
export async function addSignedInColleague(
  app: TestQuorum,
  admin: Browser,
  colleague: { name: string; email: string; ip: string },
): Promise<Browser> {
  const added = await admin.request('/api/admin/people', {
    method: 'POST',
    json: { name: colleague.name, email: colleague.email, password },
  });
  expect(added.status).toBe(201);
  const browser = new Browser(app.url);
  const signin = await browser.request('/auth/signin', {
    method: 'POST',
    headers: { 'x-forwarded-for': colleague.ip },
    json: { email: colleague.email, password },
  });
  expect(signin.status).toBe(200);
  return browser;
}

/** Saves someone's zone, working hours and link type; fails the test unless accepted. */
export async function saveSettings(browser: Browser, settings: object) {
  const res = await browser.request('/api/me/settings', { method: 'PUT', json: settings });
  expect(res.status).toBe(200);
}

/** Monday-to-Friday working hours in one zone, with no online-meeting link by default. */
export function weekdayHours(timeZone: string, start: string, end: string) {
  return {
    timeZone,
    workingHours: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start, end }],
    defaultLinkType: 'none',
  };
}

/**
 * Acme with Ana (admin, 09:00–17:00 Berlin) and her colleague Raj (10:00–18:00 Kolkata), both
 * signed in: the two people, in two zones, that the booking tests schedule between.
 */
export async function setUpAnaAndRaj(app: TestQuorum) {
  const ana = new Browser(app.url);
  await signUpOrganization(ana, 'Acme', 'Ana', 'ana@acme.example');
  const raj = await addSignedInColleague(app, ana, {
    name: 'Raj',
    email: 'raj@acme.example',
    ip: '192.0.2.77',
  });
  const tenantId: string = (await json(ana.request('/api/me'))).tenantId;
  await saveSettings(ana, weekdayHours('Europe/Berlin', '09:00', '17:00'));
  await saveSettings(raj, weekdayHours('Asia/Kolkata', '10:00', '18:00'));
  return { ana, raj, tenantId };
}

/** Someone's local calendar, opened as the system would (no signed-in person needed). */
export function localCalendarOf(app: TestQuorum, tenantId: string, ownerEmail: string) {
  return localCalendarProvider({
    store: app.quorum.store,
    envelope: app.quorum.services.envelope,
    tenant: verifiedTenantContext(tenantId, 'system'),
    ownerEmail,
  });
}

/** Puts a meeting into someone's calendar the way any calendar client would. */
export async function seedBusy(
  app: TestQuorum,
  tenantId: string,
  email: string,
  title: string,
  start: Date,
  end: Date,
) {
  await localCalendarOf(app, tenantId, email).createEvent({
    title,
    start,
    end,
    timeZone: 'UTC',
    attendees: [],
    onlineMeeting: 'none',
    requestId: `seed-${title}`,
  });
}
