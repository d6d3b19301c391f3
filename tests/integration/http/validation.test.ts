// What a person sends that cannot mean what they think is refused with 400 naming the field and
// saying what to do, never saved or answered as if it were fine (issue 19, item 4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';
import { organization } from '../meetings/people.ts';

let app: TestQuorum;
let ana: Browser;
const DAY = 86_400_000;

beforeAll(async () => {
  app = await startTestQuorum();
  ana = (await organization(app, 'Checks', { name: 'Ana Admin', email: 'ana@checks.example' }))
    .admin;
});
afterAll(async () => {
  await app?.stop();
});

async function send(method: string, pathname: string, body: unknown, browser = ana) {
  const res = await browser.request(pathname, {
    method,
    headers: { origin: app.url },
    json: body,
  });
  return { status: res.status, body: await json(res) };
}

/** An instant `days` from now on a whole hour, as the API takes it. */
function daysFromNow(days: number): string {
  return new Date(Math.floor((Date.now() + days * DAY) / 3_600_000) * 3_600_000).toISOString();
}

describe('working hours', () => {
  const settings = (start: string, end: string) => ({
    timeZone: 'Europe/Berlin',
    workingHours: [{ days: ['mon', 'tue'], start, end }],
    defaultLinkType: 'none',
  });

  it('refuses hours that end before they start, and keeps what was saved', async () => {
    const before = await json(ana.request('/api/me/settings'));
    for (const [start, end] of [
      ['09:00', '08:00'],
      ['09:00', '09:00'],
    ]) {
      const res = await send('PUT', '/api/me/settings', settings(start!, end!));
      expect(res.status, `${start}–${end}`).toBe(400);
      expect(res.body.message).toMatch(
        /^workingHours\.0\.end: Working hours end before they start\. .*choose an end after the start/,
      );
    }
    expect(await json(ana.request('/api/me/settings'))).toEqual(before);
  });

  it('saves hours that end after they start, up to 24:00', async () => {
    for (const [start, end] of [
      ['08:00', '09:00'],
      ['22:00', '24:00'],
    ]) {
      const res = await send('PUT', '/api/me/settings', settings(start!, end!));
      expect(res.status, `${start}–${end}`).toBe(200);
    }
  });
});

describe('the window to search', () => {
  const find = (start: string, end: string) =>
    send('POST', '/api/scheduling/find', { durationMinutes: 30, window: { start, end } });

  it('refuses a window that is over, saying so, instead of "no common time"', async () => {
    const res = await find(daysFromNow(-9), daysFromNow(-2));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^window\.end: These days are over: .*from today on\./);
  });

  it('searches a window that has begun from now on: no time offered is past', async () => {
    await send('PUT', '/api/me/settings', {
      timeZone: 'UTC',
      workingHours: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: '00:00', end: '24:00' },
      ],
      defaultLinkType: 'none',
    });
    const asked = Date.now();
    const res = await find(daysFromNow(-3), daysFromNow(3));
    expect(res.status).toBe(200);
    expect(res.body.slots.length).toBeGreaterThan(0);
    for (const slot of res.body.slots) expect(Date.parse(slot.start)).toBeGreaterThan(asked);
  });
});

describe('a recording of a meeting', () => {
  const recording = (startsAt: string) => ({
    title: 'Retro',
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + 3_600_000).toISOString(),
    alreadyHappened: true,
  });

  it('refuses a meeting that "started" months ahead', async () => {
    const res = await send('POST', '/api/meetings', recording(daysFromNow(100)));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(
      /^startsAt: A recording is of a meeting that already took place.*Choose the time the meeting actually started\./,
    );
    const list = await json(ana.request('/api/meetings'));
    expect(list.meetings.map((m: { title: string }) => m.title)).not.toContain('Retro');
  });

  it('takes one that started an hour ago, and a planned meeting ahead without the flag', async () => {
    const past = await send('POST', '/api/meetings', recording(daysFromNow(-1 / 24)));
    expect(past.status).toBe(201);
    const { alreadyHappened: _, ...planned } = recording(daysFromNow(100));
    expect((await send('POST', '/api/meetings', planned)).status).toBe(201);
  });
});

describe('a poll vote', () => {
  async function guestLink() {
    const res = await send('POST', '/api/polls', {
      title: 'Offsite',
      options: [
        { start: daysFromNow(10), end: daysFromNow(10 + 1 / 24) },
        { start: daysFromNow(11), end: daysFromNow(11 + 1 / 24) },
      ],
      participants: [{ email: 'gina@guest.example' }, { email: 'raj@guest.example' }],
    });
    expect(res.status).toBe(201);
    const url = new URL(res.body.links[0].url);
    return `/api/public${url.pathname}/votes${url.search}`;
  }

  it('refuses an empty answer, saying how to answer "none works"', async () => {
    const votes = await guestLink();
    const guest = new Browser(app.url);
    const empty = await send('POST', votes, { yes: [] }, guest);
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/^yes: No time is ticked\. .*"None of these times work/);
    const both = await send('POST', votes, { yes: [0], noneWork: true }, guest);
    expect(both.status).toBe(400);
    expect(both.body.message).toMatch(/^noneWork: /);
  });

  it('takes "none of these work" as an explicit choice, and times that work', async () => {
    const votes = await guestLink();
    const guest = new Browser(app.url);
    const none = await send('POST', votes, { yes: [], noneWork: true }, guest);
    expect(none.status).toBe(200);
    expect(none.body.status).toBe('open');
    expect((await send('POST', votes, { yes: [1] }, guest)).status).toBe(200);
  });
});
