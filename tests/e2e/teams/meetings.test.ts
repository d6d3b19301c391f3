// The Teams bot in meetings, end to end through the real server: meetingStart posts the agenda
// into the meeting chat; meetingEnd queues the job that reads the transcript through the real
// Graph client from a local Graph (documented transcript list and WebVTT content), the meeting
// pipeline summarizes it, and the summary card (owners mentioned) lands in the meeting chat,
// once. A transcript Graph refuses is reported once with what an administrator must grant;
// one not there yet is asked for again later.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEAMS_VTT, waitForStatus } from '../../integration/meetings/people.ts';
import { User } from '../../../core/identity/models.ts';
import { recordBooking } from '../../../core/scheduling/booking/booking-index.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { json, summaryPublished } from '../../support/quorum-app.ts';
import {
  ANA,
  MS_TENANT,
  RAJ,
  meetingEvent as meetingEventOf,
  setUpTeamsMeeting,
  teamsMeetingIn,
  teamsOrg,
  textOf,
  waitFor,
  type TeamsOrg,
  type TestTeamsMeeting,
} from './teams-org.ts';

let org: TeamsOrg;

const meetingIn = teamsMeetingIn;
const setUp = (m: TestTeamsMeeting) => setUpTeamsMeeting(org, m);
const meetingEvent = (m: TestTeamsMeeting, which: 'Start' | 'End') => meetingEventOf(org, m, which);

beforeAll(async () => {
  org = await teamsOrg();
});
afterAll(async () => {
  if (process.env.SHOW_LOGS) console.log(org.app.logs().slice(-8000));
  await org?.stop();
});

describe('a meeting with the bot in it', () => {
  const m = meetingIn(1);

  it('posts the agenda into the meeting chat when the meeting starts', async () => {
    setUp(m);
    const res = await org.send(meetingEvent(m, 'Start'));
    expect(res.status).toBe(200);
    const cards = org.connector.cardsIn(m.chat);
    expect(cards).toHaveLength(1);
    expect(textOf(cards[0])).toContain(`Agenda: ${m.title}`);
  });

  it('fetches the transcript through Graph after the end and posts the summary card, owners mentioned, once', async () => {
    org.graph.transcripts.set(`${ANA.aadObjectId}/${m.onlineMeetingId}`, [
      {
        id: 'MSMjMCMjZDAwYWU3NjUtNmM2Yi00NjQxLTgwMWQtMTkzMmFmMjEzNzdh',
        createdDateTime: new Date().toISOString(),
        vtt: TEAMS_VTT,
      },
    ]);
    const res = await org.send(meetingEvent(m, 'End'));
    expect(res.status).toBe(200);
    // The job asked Graph for the list, then the content as WebVTT, as the application.
    const content = await waitFor(() =>
      org.graph.requests.find((r) => r.path.endsWith('/content')),
    );
    expect(content.path).toBe(
      `/v1.0/users/${ANA.aadObjectId}/onlineMeetings/${m.onlineMeetingId}/transcripts/MSMjMCMjZDAwYWU3NjUtNmM2Yi00NjQxLTgwMWQtMTkzMmFmMjEzNzdh/content`,
    );
    expect(content.query.$format).toBe('text/vtt');
    const graphGrant = org.connector.tokenRequests.find(
      (r) => r.get('scope') === `${org.graph.baseUrl.replace(/\/$/, '')}/.default`,
    );
    expect(graphGrant?.get('grant_type')).toBe('client_credentials');

    const list = await json(org.ana.request('/api/meetings'));
    const meeting = list.meetings.find((x: { title: string }) => x.title === m.title);
    expect(meeting).toBeDefined();
    const ready = await waitForStatus(org.ana, meeting.id, ['ready', 'failed'], 60_000);
    expect(ready.status).toBe('ready');
    await summaryPublished(org.app, meeting.id);

    await org.app.quorum.services.delivery.runOnce('teams');
    await org.app.quorum.services.delivery.runOnce('teams');
    const summaries = org.connector.sent.filter(
      (s) => s.conversationId === m.chat && textOf(s.body).includes(`Summary: ${m.title}`),
    );
    expect(summaries).toHaveLength(1);
    const card = (summaries[0]!.body.attachments as Array<{ content: Record<string, unknown> }>)[0]!
      .content;
    const shown = textOf(card);
    expect(shown).toContain('Decisions');
    expect(shown).toContain('hire two engineers');
    expect(shown).toContain('Action items');
    // Raj owns the spreadsheet: mentioned, so Teams notifies him.
    expect(shown).toContain('<at>Raj Patel</at>');
    expect((card.msteams as { entities: unknown[] }).entities).toEqual([
      {
        type: 'mention',
        text: '<at>Raj Patel</at>',
        mentioned: { id: RAJ.aadObjectId, name: 'Raj Patel' },
      },
    ]);

    // Shared again on request (the Zoom panel's "Share to Teams"): one more card, same chat.
    expect((await json(org.ana.request('/api/share-targets'))).targets).toContain('teams');
    const shared = await org.ana.request(`/api/meetings/${meeting.id}/share`, {
      method: 'POST',
      json: { to: 'teams' },
    });
    expect(shared.status, await shared.clone().text()).toBe(200);
    expect(
      org.connector.sent.filter(
        (s) => s.conversationId === m.chat && textOf(s.body).includes(`Summary: ${m.title}`),
      ),
    ).toHaveLength(2);
  });
});

describe('a meeting Quorum booked', () => {
  it('is recognised by its join link, so its agenda and summary belong to the booking', async () => {
    const m = meetingIn(4);
    setUp(m);
    const joinUrl = `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(m.chat)}/0`;
    // A booking as a Microsoft 365 calendar makes it: the event's Teams link recorded.
    const ctx = verifiedTenantContext(org.tenantId, 'system');
    const ana = await org.app.quorum.store.controlModel(User).findOne({ email: ANA.email }).lean();
    const start = new Date(Date.now() + 5 * 60_000);
    // Written as the booking service writes it: listed under its link, then stored.
    await recordBooking(org.app.quorum.store, ctx, {
      _id: 'b-teams-4',
      idempotencyKey: 'seed-teams-4',
      status: 'confirmed',
      organizerId: ana!._id,
      organizerEmail: ANA.email,
      title: 'Quarterly planning',
      start,
      end: new Date(start.getTime() + 30 * 60_000),
      timeZone: 'Europe/Berlin',
      attendees: [{ email: RAJ.email, name: RAJ.name, optional: false }],
      linkType: 'teams',
      joinUrl,
      provider: 'microsoft',
      providerEventId: 'AAMkAGI2TG93AAA=',
      origin: null,
      followUpOf: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    expect((await org.send(meetingEvent(m, 'Start'))).status).toBe(200);
    expect(textOf(org.connector.cardsIn(m.chat)[0])).toContain('Agenda: Quarterly planning');
    const list = await json(org.ana.request('/api/meetings'));
    const meeting = list.meetings.find((x: { title: string }) => x.title === 'Quarterly planning');
    expect(meeting?.bookingId).toBe('b-teams-4');
  });
});

describe('transcripts Teams does not give', () => {
  it('says once in the meeting chat what an administrator must grant when Graph refuses', async () => {
    const m = meetingIn(2);
    setUp(m);
    org.graph.transcriptsForbidden.add(`${ANA.aadObjectId}/${m.onlineMeetingId}`);
    expect((await org.send(meetingEvent(m, 'Start'))).status).toBe(200);
    expect((await org.send(meetingEvent(m, 'End'))).status).toBe(200);
    const notice = await waitFor(() =>
      org.connector.cardsIn(m.chat).find((c) => textOf(c).includes('cannot read this meeting')),
    );
    expect(textOf(notice)).toContain('OnlineMeetingTranscript.Read.All');
    expect(textOf(notice)).toContain('OnlineMeetingTranscript.Read.Chat');
    const ctxData = { tenantId: org.tenantId, teamsMeetingId: m.teamsMeetingId, attempt: 0 };
    expect(await org.app.quorum.services.teams!.fetchTranscript(ctxData)).toBe('forbidden');
    const notices = org.connector
      .cardsIn(m.chat)
      .filter((c) => textOf(c).includes('cannot read this meeting'));
    expect(notices).toHaveLength(1);
  });

  it('asks again later while the transcript is not there yet, then uses it', async () => {
    const m = meetingIn(3);
    setUp(m);
    expect((await org.send(meetingEvent(m, 'Start'))).status).toBe(200);
    const data = { tenantId: org.tenantId, teamsMeetingId: m.teamsMeetingId, attempt: 0 };
    expect(await org.app.quorum.services.teams!.fetchTranscript(data)).toBe('retry-scheduled');
    org.graph.transcripts.set(`${ANA.aadObjectId}/${m.onlineMeetingId}`, [
      { id: 'tr-3', createdDateTime: new Date().toISOString(), vtt: TEAMS_VTT },
    ]);
    expect(await org.app.quorum.services.teams!.fetchTranscript({ ...data, attempt: 1 })).toBe(
      'captions-added',
    );
  });
});

describe('the meeting side panel', () => {
  const m = meetingIn(1);
  const audience = () => `api://${new URL(org.app.url).host}/botid-${org.connector.appId}`;
  const panelApi = (path: string, token: string | undefined, init: RequestInit = {}) =>
    fetch(`${org.app.url}/teams/panel/api/${path}`, {
      ...init,
      headers: {
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });

  it('is a page only Teams may frame', async () => {
    const res = await fetch(`${org.app.url}/teams/panel`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain(
      "frame-ancestors 'self' https://teams.microsoft.com",
    );
    expect(await res.text()).toContain('<div id="root">');
  });

  it('shows the agenda and the action items to a participant signed in with Teams SSO', async () => {
    const token = await org.connector.signSso({
      tenantId: MS_TENANT,
      audience: audience(),
      oid: RAJ.aadObjectId,
      email: RAJ.email,
    });
    const res = await panelApi(
      `meeting?teamsMeetingId=${encodeURIComponent(m.teamsMeetingId)}`,
      token,
    );
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await json(res);
    expect(body.meeting.title).toBe(m.title);
    expect(Array.isArray(body.agenda)).toBe(true);
    expect(body.actionItems.map((i: { task: string }) => i.task).join(' ')).toContain(
      'spreadsheet',
    );
  });

  it('refuses no token, a token for another app, and a token Entra did not sign', async () => {
    const query = `meeting?teamsMeetingId=${encodeURIComponent(m.teamsMeetingId)}`;
    expect((await panelApi(query, undefined)).status).toBe(401);
    const other = await org.connector.signSso({
      tenantId: MS_TENANT,
      audience: 'api://elsewhere.example/botid-0000',
      oid: RAJ.aadObjectId,
      email: RAJ.email,
    });
    expect((await panelApi(query, other)).status).toBe(401);
    const otherTenant = await org.connector.signSso({
      tenantId: '0b0b0b0b-1111-4222-8333-444455556666',
      audience: audience(),
      oid: RAJ.aadObjectId,
      email: RAJ.email,
    });
    expect((await panelApi(query, otherTenant)).status).toBe(401);
    const forged = (
      await org.connector.signSso({
        tenantId: MS_TENANT,
        audience: audience(),
        oid: RAJ.aadObjectId,
        email: RAJ.email,
      })
    ).replace(/\.[^.]+$/, '.AAAA');
    expect((await panelApi(query, forged)).status).toBe(401);
  });

  it('posts follow-up times into the meeting chat from “Schedule follow-up”', async () => {
    const token = await org.connector.signSso({
      tenantId: MS_TENANT,
      audience: audience(),
      oid: ANA.aadObjectId,
      email: ANA.email,
    });
    const before = org.connector.cardsIn(m.chat).length;
    const res = await panelApi('follow-up', token, {
      method: 'POST',
      body: JSON.stringify({ teamsMeetingId: m.teamsMeetingId }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const cards = org.connector.cardsIn(m.chat).slice(before);
    expect(cards).toHaveLength(1);
    expect(textOf(cards[0])).toContain(`A follow-up of “${m.title}”`);
    expect(textOf(cards[0])).toContain('quorum.book');
  });
});
