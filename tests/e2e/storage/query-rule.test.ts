// The storage rule, proven by the commands themselves rather than by timing: while Quorum's main
// routes and its periodic work run, every command its database driver sends is recorded, and
// a route fails when it filters a collection that is not bounded by design by anything but an
// exact `_id` (core/store/query-rule.ts), unless the command is marked as a sweep. The failure
// lists each offending command as `db.collection op filter-shape`, grouped and counted, with
// values replaced by their types.
//
// Routes run one at a time and each waits until all it set off (Slack work, Zoom fetches, jobs)
// has finished, so every command recorded belongs to the route named; timers that would run on
// their own are held off (storage-org.ts) and their work is run here as routes of its own.
import { afterAll, assert, beforeAll, describe, expect, it } from 'vitest';
import { DELIVER_OUTBOX } from '../../../core/delivery/job.ts';
import { ERASE_DELETED_ACCOUNTS } from '../../../core/identity/account-erasure.ts';
import { AUDIT_CHECKPOINT } from '../../../core/privacy/audit-checkpoint.ts';
import { RESUME_MEETINGS } from '../../../core/meetings/job-names.ts';
import {
  PURGE_EXPIRED_MEETINGS,
  PURGE_MEETING_RECORDINGS,
} from '../../../core/meetings/retention/retention.ts';
import { EXPIRE_DOCUMENTS } from '../../../core/store/expiry.ts';
import { moveRetention } from '../../../core/meetings/listing.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { recordCommands, type CommandRecorder } from '../../support/command-recorder.ts';
import { Browser, json } from '../../support/quorum-app.ts';
import { ANA as SLACK_ANA, buttonsOf, meet } from '../slack/slack-org.ts';
import { ANA, RAJ, executeActions, message } from '../teams/teams-org.ts';
import { TRANSCRIPT_VTT, zoomTranscriptEvent } from '../zoom/zoom-org.ts';
import {
  PASSWORD,
  PROBE,
  freshIp,
  runJob,
  settled,
  storageOrg,
  type StorageOrg,
} from './storage-org.ts';

const DAY = 86_400_000;
/** Several platforms, a meeting pipeline and a dozen jobs on two shared cores. */
const SLOW = 90_000;

let org: StorageOrg;
let recorder: CommandRecorder;

beforeAll(async () => {
  org = await storageOrg();
  recorder = recordCommands(org.app.quorum.store.connection.getClient(), {
    controlDb: org.app.quorum.store.control.name,
    probeComment: PROBE,
  });
}, SLOW);
afterAll(async () => {
  recorder?.stop();
  await org?.stop();
});

/** Runs `work` as `name`, then waits until everything it set off has finished. */
function route<T>(name: string, work: () => Promise<T>): Promise<T> {
  return recorder.during(name, async () => {
    const result = await work();
    await settled(org);
    return result;
  });
}

/** Fails with the list of what `name` sent against the rule, grouped and counted. */
function expectRuleKept(name: string): void {
  // Nothing recorded would mean command monitoring is off, not that the route is clean.
  expect(recorder.commandsOf(name), `${name}: no command recorded`).toBeGreaterThan(0);
  if (recorder.breachesOf(name).length > 0) assert.fail(recorder.report(name));
}

/** Next week's Monday 00:00 UTC and the Saturday after it. */
function nextWeek(): { start: string; end: string } {
  const now = new Date();
  const monday = new Date(
    Date.UTC(
      now.getUTCFullYear(),
      now.getUTCMonth(),
      now.getUTCDate() + 8 - (now.getUTCDay() || 7),
    ),
  );
  return { start: monday.toISOString(), end: new Date(monday.getTime() + 5 * DAY).toISOString() };
}

describe('signing in', () => {
  let signedIn: Browser;

  it('POST /auth/signin', async () => {
    signedIn = new Browser(org.app.url);
    const name = 'POST /auth/signin';
    const res = await route(name, () =>
      signedIn.request('/auth/signin', {
        method: 'POST',
        headers: { 'x-forwarded-for': freshIp() },
        json: { email: 'ana@acme.example', password: PASSWORD },
      }),
    );
    expect(res.status).toBe(200);
    expectRuleKept(name);
  });

  it('GET /api/me', async () => {
    const name = 'GET /api/me';
    const me = await route(name, () => json(signedIn.request('/api/me')));
    expect(me.email).toBe('ana@acme.example');
    expectRuleKept(name);
  });
});

/** The meeting made from the Zoom transcript; the retention purge at the end removes its content. */
let meetingId: string;

describe('meetings', () => {
  const topic = 'Beta launch sync';

  it(
    'Zoom recording.transcript_completed, its zoom.fetch-transcript job and the pipeline',
    async () => {
      const name = 'Zoom transcript webhook + zoom.fetch-transcript + meeting pipeline';
      org.zoom.files.set('beta.vtt', { token: 'dl-token-beta', body: TRANSCRIPT_VTT });
      const res = await route(name, () =>
        org.webhook(
          zoomTranscriptEvent(org, {
            meetingId: '81200000777',
            uuid: 'BETAiAAAAAiAiAiiAii==',
            file: 'beta.vtt',
            token: 'dl-token-beta',
            eventTs: Date.now(),
            topic,
          }),
        ),
      );
      expect(res.status).toBe(200);
      // Read after the route, so these reads are not counted as its own.
      const { meetings } = await json(org.ana.request('/api/meetings'));
      const made = (meetings as Array<{ id: string; title: string; status: string }>).find(
        (m) => m.title === topic,
      );
      expect(made?.status).toBe('ready');
      meetingId = made!.id;
      expectRuleKept(name);
    },
    SLOW,
  );

  it('GET /api/meetings/:id, with a transcript', async () => {
    const name = 'GET /api/meetings/:id';
    const meeting = await route(name, () => json(org.ana.request(`/api/meetings/${meetingId}`)));
    expect(meeting.status).toBe('ready');
    expect(meeting.transcript.length).toBeGreaterThan(0);
    expectRuleKept(name);
  });

  it('GET /api/meetings', async () => {
    const name = 'GET /api/meetings';
    const { meetings } = await route(name, () => json(org.ana.request('/api/meetings')));
    expect(meetings.map((m: { id: string }) => m.id)).toContain(meetingId);
    expectRuleKept(name);
  });

  it('GET /api/search?q=', async () => {
    const name = 'GET /api/search?q=';
    const found = await route(name, () => json(org.ana.request('/api/search?q=beta')));
    expect(JSON.stringify(found)).toContain(meetingId);
    expectRuleKept(name);
  });
});

type Slot = { start: string; end: string };

/** Two of `slots` that overlap neither `booked` nor each other, so the poll can book either. */
function apart(slots: Slot[], booked: Slot): Slot[] {
  const chosen: Slot[] = [];
  for (const slot of slots) {
    if ([booked, ...chosen].every((b) => slot.start >= b.end || slot.end <= b.start))
      chosen.push(slot);
  }
  expect(chosen.length).toBeGreaterThanOrEqual(2);
  return chosen.slice(0, 2);
}

describe('scheduling', () => {
  let slots: Slot[];

  it('POST /api/scheduling/find', async () => {
    const name = 'POST /api/scheduling/find';
    const found = await route(name, () =>
      json(
        org.ana.request('/api/scheduling/find', {
          method: 'POST',
          json: {
            attendees: [{ email: 'raj@acme.example' }],
            durationMinutes: 30,
            limit: 20,
            window: nextWeek(),
          },
        }),
      ),
    );
    slots = found.slots;
    expect(slots.length).toBeGreaterThan(2);
    expectRuleKept(name);
  });

  it('POST /api/bookings', async () => {
    const name = 'POST /api/bookings';
    const res = await route(name, () =>
      org.ana.request('/api/bookings', {
        method: 'POST',
        json: {
          title: 'Roadmap review',
          start: slots[0]!.start,
          end: slots[0]!.end,
          attendees: [{ email: 'raj@acme.example' }],
        },
      }),
    );
    expect(res.status).toBe(201);
    expectRuleKept(name);
  });

  describe('a poll', () => {
    let pollId: string;
    let links: Array<{ email: string; url: string }>;
    const tokenOf = (email: string) =>
      encodeURIComponent(new URL(links.find((l) => l.email === email)!.url).searchParams.get('t')!);
    const vote = (email: string, yes: number[]) =>
      fetch(`${org.app.url}/api/public/polls/${pollId}/votes?t=${tokenOf(email)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ yes }),
      });

    it('POST /api/polls', async () => {
      const name = 'POST /api/polls';
      const created = await route(name, () =>
        json(
          org.ana.request('/api/polls', {
            method: 'POST',
            json: {
              title: 'Partner call',
              options: apart(slots.slice(1), slots[0]!),
              participants: [{ email: 'zoe@partner.example' }, { email: 'max@partner.example' }],
            },
          }),
        ),
      );
      pollId = created.poll._id;
      links = created.links;
      expect(links).toHaveLength(2);
      expectRuleKept(name);
    });

    it('GET /api/public/polls/:id (the guest link)', async () => {
      const name = 'GET /api/public/polls/:id';
      const view = await route(name, () =>
        json(
          fetch(`${org.app.url}/api/public/polls/${pollId}?t=${tokenOf('zoe@partner.example')}`),
        ),
      );
      expect(view.email).toBe('zoe@partner.example');
      expectRuleKept(name);
    });

    it('POST /api/public/polls/:id/votes', async () => {
      const name = 'POST /api/public/polls/:id/votes';
      const voted = await route(name, () => json(vote('zoe@partner.example', [0, 1])));
      expect(voted.status).toBe('open');
      expectRuleKept(name);
    });

    it('POST /api/public/polls/:id/votes, the last vote, which books the poll', async () => {
      const name = 'POST /api/public/polls/:id/votes (last vote: books)';
      const voted = await route(name, () => json(vote('max@partner.example', [1])));
      expect(voted.status).toBe('booked');
      expectRuleKept(name);
    });

    it('GET /api/polls/:id (the organizer)', async () => {
      const name = 'GET /api/polls/:id';
      const seen = await route(name, () => json(org.ana.request(`/api/polls/${pollId}`)));
      expect(seen.votes).toHaveLength(2);
      expectRuleKept(name);
    });
  });

  describe('a rotation', () => {
    let plan: { meetings: Array<{ start: string }>; booking: { attendees: unknown[] } };

    it('POST /api/rotations/plan', async () => {
      const name = 'POST /api/rotations/plan';
      plan = await route(name, () =>
        json(
          org.ana.request('/api/rotations/plan', {
            method: 'POST',
            json: {
              attendees: [{ email: 'raj@acme.example' }],
              durationMinutes: 30,
              window: nextWeek(),
              count: 4,
            },
          }),
        ),
      );
      expect(plan.meetings).toHaveLength(4);
      expectRuleKept(name);
    });

    it('POST /api/rotations (books its series, adds to the team’s record)', async () => {
      const name = 'POST /api/rotations';
      // Ana's and Raj's hours overlap, so one time suits them: book it as two turns anyway.
      const res = await route(name, () =>
        org.ana.request('/api/rotations', {
          method: 'POST',
          json: {
            title: 'Rotation check',
            attendees: plan.booking.attendees,
            durationMinutes: 30,
            count: 4,
            starts: [plan.meetings[0]!.start, plan.meetings[1]!.start],
          },
        }),
      );
      expect(res.status).toBe(201);
      expectRuleKept(name);
    });
  });
});

describe('chat platforms', () => {
  it('Slack /meet find', async () => {
    const name = 'Slack /meet find';
    const { blocks } = await route(name, () =>
      meet(org, SLACK_ANA, 'find 30m with <@U0RAJ|raj> next week'),
    );
    expect(buttonsOf(blocks).some((b) => b.action_id === 'quorum.slot.pick')).toBe(true);
    expectRuleKept(name);
  });

  it('Teams find', async () => {
    const name = 'Teams find';
    const before = org.connector.sent.length;
    const res = await route(name, () =>
      org.send(message(org, ANA, 'find 30m with <at>Raj Patel</at> next week', [RAJ])),
    );
    expect(res.status).toBe(200);
    const card = org.connector.sent
      .slice(before)
      .flatMap((s) => (s.body.attachments as Array<{ content: unknown }> | undefined) ?? [])[0];
    expect(executeActions(card?.content).length).toBeGreaterThan(0);
    expectRuleKept(name);
  });
});

describe('work on timers', () => {
  // The Zoom meeting's summary waits in the outbox for each chat platform: the delivery job's
  // work for one platform at a time, so each is shown to have had something to deliver.
  it('the outbox delivery to Slack (delivery job, every 15 s)', async () => {
    const name = 'outbox delivery to Slack (every 15 s)';
    const handled = await route(name, () => org.app.quorum.services.delivery.runOnce('slack'));
    expect(handled).toBeGreaterThan(0);
    expectRuleKept(name);
  });

  it('the outbox delivery to Teams (delivery job, every 15 s)', async () => {
    const name = 'outbox delivery to Teams (every 15 s)';
    const handled = await route(name, () => org.app.quorum.services.delivery.runOnce('teams'));
    expect(handled).toBeGreaterThan(0);
    expectRuleKept(name);
  });

  for (const [job, every] of [
    [DELIVER_OUTBOX, 'every 15 seconds'],
    [EXPIRE_DOCUMENTS, 'every 10 minutes'],
    [RESUME_MEETINGS, 'every 5 minutes'],
    [PURGE_MEETING_RECORDINGS, 'hourly'],
    [ERASE_DELETED_ACCOUNTS, 'daily'],
    [AUDIT_CHECKPOINT, 'daily'],
  ] as const) {
    it(`job ${job} (${every})`, async () => {
      const name = `job ${job} (${every})`;
      await route(name, () => runJob(org.app, job));
      expectRuleKept(name);
    });
  }

  it(
    'the retention purge (privacy.purge-expired-meetings)',
    async () => {
      const settings = await org.ana.request('/api/admin/settings', {
        method: 'PUT',
        json: { retentionDays: 1 },
      });
      expect(settings.status).toBe(200);
      // The meeting's retention period began two days ago, so the purge has work to do: on its
      // record and on the retention list the purge reads.
      const retainFrom = new Date(Date.now() - 2 * DAY);
      const before = await org.app.quorum.store.connection
        .useDb(`quorum_t_${org.tenantId}`)
        .collection('meetings')
        .findOneAndUpdate(
          { _id: meetingId as never },
          { $set: { retainFrom } },
          { comment: PROBE },
        );
      assert(before, 'the meeting exists');
      const ctx = verifiedTenantContext(org.tenantId, 'system');
      const { lists } = await org.app.quorum.services.meetings.kit.models(ctx);
      await moveRetention(lists, meetingId, before.retainFrom as Date, retainFrom);
      const name = 'job privacy.purge-expired-meetings (retention, daily)';
      await route(name, () => runJob(org.app, PURGE_EXPIRED_MEETINGS));
      const meeting = await json(org.ana.request(`/api/meetings/${meetingId}`));
      expect(meeting.transcript ?? []).toEqual([]);
      expectRuleKept(name);
    },
    SLOW,
  );
});

describe('the audit log', () => {
  // After the retention purge and the checkpoint job above, so the log has anchors to read.
  it('GET /api/audit (its chain checked against the latest anchor)', async () => {
    const name = 'GET /api/audit';
    const audit = await route(name, () => json(org.ana.request('/api/audit')));
    expect(audit.verification).toMatchObject({ intact: true, anchor: { signature: 'verified' } });
    expectRuleKept(name);
  });
});
