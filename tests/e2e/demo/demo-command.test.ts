// `quorum demo` run twice as an operator runs it (a child process on the run's real database),
// then the real server on the same database and data folder: the printed password signs each
// person in, the meeting reads back decrypted with its transcript, summary and action items,
// settings and calendars are there, and the second run duplicated nothing.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CAPTIONS, DEMO_PEOPLE } from '../../../infra/cli/demo-data.ts';
import { mongoUri, testTenantId } from '../../support/db.ts';
import { Browser, json, startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function quorum(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/quorum.js', ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'quorum-demo-'));
const env = {
  MONGODB_URI: mongoUri(),
  QUORUM_CONTROL_DB: `qc_${testTenantId()}`,
  QUORUM_DATA_DIR: dataDir,
};
let first: Run;
let second: Run;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let firstReport: any;
let app: TestQuorum;
let client: MongoClient;
let nextIp = 1;

beforeAll(async () => {
  first = await quorum(['demo', '--json'], env);
  expect(first.stderr).toBe('');
  expect(first.status).toBe(0);
  firstReport = JSON.parse(first.stdout);
  second = await quorum(['demo'], env);
  expect(second.stderr).toBe('');
  expect(second.status).toBe(0);
  app = await startTestQuorum(env);
  client = await new MongoClient(mongoUri()).connect();
}, 120_000);

afterAll(async () => {
  await client?.close();
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function signIn(
  email: string,
  password: string,
): Promise<{ status: number; browser: Browser }> {
  const browser = new Browser(app.url);
  const res = await browser.request('/auth/signin', {
    method: 'POST',
    headers: { 'x-forwarded-for': `198.51.100.${nextIp++}` },
    json: { email, password },
  });
  return { status: res.status, browser };
}

describe('quorum demo', () => {
  it('creates the people, their calendars and a summarized meeting on the first run', () => {
    expect(
      firstReport.people.map((p: { email: string; created: boolean }) => [p.email, p.created]),
    ).toEqual(DEMO_PEOPLE.map((p) => [p.email, true]));
    expect(firstReport.people[0].role).toBe('admin');
    expect(firstReport.busyEvents).toBe(DEMO_PEOPLE.reduce((n, p) => n + p.busy.length, 0));
    expect(firstReport.meeting).toMatchObject({ status: 'ready', created: true });
    expect(firstReport.meeting.actionItems).toBeGreaterThan(0);
    expect(firstReport.booking).toMatchObject({ created: true });
    expect(firstReport.bookingPage).toMatchObject({ slug: 'demo-intro-call', created: true });
  });

  it('prints who can sign in and the password, and changes nothing but the password when run again', async () => {
    expect(second.stdout).toContain('already there');
    expect(second.stdout).toContain('already booked');
    for (const person of DEMO_PEOPLE) expect(second.stdout).toContain(person.email);
    const password = second.stdout.match(/the password of all of them is:\n {2}(\S+)\n/)?.[1];
    expect(password).toBeDefined();
    expect(password).not.toBe(firstReport.password);

    const tenantDb = client.db(`quorum_t_${firstReport.tenantId}`);
    const control = client.db(env.QUORUM_CONTROL_DB);
    expect(await control.collection('tenants').countDocuments()).toBe(1);
    expect(await control.collection('users').countDocuments()).toBe(DEMO_PEOPLE.length);
    expect(await tenantDb.collection('meetings').countDocuments()).toBe(1);
    expect(await tenantDb.collection('bookings').countDocuments()).toBe(1);
    expect(await control.collection('booking_pages').countDocuments()).toBe(1);
    expect(second.stdout).toMatch(/Booking page: .*\/book\/demo-intro-call \(already there\)/);
    // The busy events plus the one the upcoming booking put on the organizer's calendar.
    expect(await tenantDb.collection('local_calendar_events').countDocuments()).toBe(
      firstReport.busyEvents + 1,
    );

    // The first run's password no longer works; the second run's does, for everyone.
    expect((await signIn(DEMO_PEOPLE[1]!.email, firstReport.password)).status).toBe(401);
    for (const person of DEMO_PEOPLE) {
      expect((await signIn(person.email, password!)).status, person.email).toBe(200);
    }
  });

  it('shows the meeting decrypted, with speakers, summary and owned action items', async () => {
    const password = second.stdout.match(/the password of all of them is:\n {2}(\S+)\n/)![1]!;
    const { browser: maya } = await signIn('maya@quorum-demo.example', password);
    const { meetings } = await json(maya.request('/api/meetings'));
    expect(meetings).toHaveLength(1);
    const meeting = await json(maya.request(`/api/meetings/${meetings[0].id}`));
    expect(meeting.status).toBe('ready');
    expect(new Set(meeting.transcript.map((s: { speaker: string }) => s.speaker))).toEqual(
      new Set(DEMO_PEOPLE.map((p) => p.name)),
    );
    expect(meeting.transcript[0].text).toBe(
      'Good afternoon everyone. Today we plan the launch of the new booking pages.',
    );
    expect(meeting.summary.decisions.length).toBeGreaterThan(0);
    expect(meeting.actionItems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ owner: 'Raj Patel', done: false }),
        expect.objectContaining({ owner: 'Maya Chen', done: false }),
      ]),
    );
    // Stored encrypted: no sentence of the captions is in the tenant's database as written.
    const raw = JSON.stringify(
      await client
        .db(`quorum_t_${firstReport.tenantId}`)
        .collection('meeting_chunks')
        .find()
        .toArray(),
    );
    expect(raw).toContain('"segments":"q2.');
    expect(raw).not.toContain('accessibility review');
    expect(DEMO_CAPTIONS).toContain('accessibility review');
  });

  it('gives each person their time zone and working hours, and finds times around their busy events', async () => {
    const password = second.stdout.match(/the password of all of them is:\n {2}(\S+)\n/)![1]!;
    for (const person of DEMO_PEOPLE) {
      const { browser } = await signIn(person.email, password);
      const settings = await json(browser.request('/api/me/settings'));
      expect(settings).toMatchObject({
        timeZone: person.settings.timeZone,
        workingHours: person.settings.workingHours,
      });
    }
    const { browser: ana } = await signIn('ana@quorum-demo.example', password);
    const { bookings } = await json(ana.request('/api/bookings'));
    expect(bookings.map((b: { title: string }) => b.title)).toContain(
      'Booking pages: launch check-in',
    );
    const now = new Date();
    const found = await ana.request('/api/scheduling/find', {
      method: 'POST',
      json: {
        attendees: [{ email: 'raj@quorum-demo.example' }, { email: 'maya@quorum-demo.example' }],
        durationMinutes: 30,
        window: {
          start: now.toISOString(),
          end: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
        },
      },
    });
    expect(found.status, await found.clone().text()).toBe(200);
    const { slots } = await json(found);
    expect(slots.length).toBeGreaterThan(0);
    // Every slot lies where the three working days overlap (about 13:00-14:30 UTC) and misses
    // every busy event of the demo calendars.
    const busy = await client
      .db(`quorum_t_${firstReport.tenantId}`)
      .collection('local_calendar_events')
      .find()
      .toArray();
    for (const slot of slots as Array<{ start: string; end: string }>) {
      const start = Date.parse(slot.start);
      const end = Date.parse(slot.end);
      for (const event of busy) {
        const blocks = ['ana', 'raj', 'maya'].some(
          (n) =>
            event.calendarId === `${n}@quorum-demo.example` ||
            event.attendees.some((a: { email: string }) => a.email === `${n}@quorum-demo.example`),
        );
        if (blocks) {
          expect(start >= event.end.getTime() || end <= event.start.getTime(), slot.start).toBe(
            true,
          );
        }
      }
    }
  });
});
