// The Zoom panel in real Chromium, loaded from the real server, with a stand-in for the Zoom
// client's `zoomSdk` global that answers as the Apps SDK documents. It links the Zoom user with
// in-client OAuth against the fake Zoom, opens a booked meeting, schedules a follow-up with a
// Zoom link, shares the summary to the chat and (once the organization installed Slack, against
// the fake Slack) to Slack; shows live transcript lines while real audio streams into the live
// socket; and a plain browser is told to open it from Zoom.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sealedTitles } from '../../../core/privacy/sealed-titles.ts';
import { BOOKING_TITLES, Booking } from '../../../core/scheduling/booking/booking-model.ts';
import { verifiedTenantContext } from '../../../core/store/tenant-context.ts';
import { launchChromium } from '../../support/chromium.ts';
import { blockKitProblems, startFakeSlack, type FakeSlack } from '../../support/fake-slack.ts';
import {
  openLiveSocket,
  PCM_BYTES_PER_SECOND,
  sendPcm,
  spokenPcm,
} from '../../support/live-audio.ts';
import { json, summaryPublished } from '../../support/quorum-app.ts';
import { installSlack, slackOAuthEnv } from '../../support/slack-install.ts';
import { waitForStatus } from '../../integration/meetings/people.ts';
import { ANA_ZOOM, zoomOrg, type ZoomOrg } from './zoom-org.ts';

let org: ZoomOrg;
let slack: FakeSlack;
let browser: Browser;
let pcm: Buffer;
/** The meeting the in-meeting test summarized, for the Slack test after it. */
let summarized: { zoomMeetingId: string; meetingId: string } | undefined;

/** QUORUM_LIVE_CHUNK_SECONDS: a guess at the line being spoken every half of it. */
const LIVE_PIECE_SECONDS = 3;
/** Spoken with pauses long enough to end an utterance, so lines are final while audio flows. */
const LIVE_PAUSE_MS = 600;
const LIVE_SCRIPT = [
  'Let us review the marketing budget.',
  'I will send the spreadsheet to finance by Friday.',
];

beforeAll(async () => {
  slack = await startFakeSlack();
  org = await zoomOrg({
    ...slackOAuthEnv(slack),
    QUORUM_LIVE_CHUNK_SECONDS: String(LIVE_PIECE_SECONDS),
  });
  browser = await launchChromium();
  pcm = spokenPcm(LIVE_SCRIPT, LIVE_PAUSE_MS);
});
afterAll(async () => {
  await browser?.close();
  await org?.stop();
  await slack?.close();
});

interface StandIn {
  runningContext: 'inMeeting' | 'inMainClient';
  context: string;
  meetingID: string;
  /** getMeetingUUID's answer; the meeting instance Zoom reports. */
  meetingUUID?: string;
}

/** The Zoom client's side: a `zoomSdk` global answering with documented Apps SDK responses. */
async function zoomPage(standIn: StandIn): Promise<Page> {
  const context = await browser.newContext();
  // The user's consent screen in the Zoom client: the fake Zoom hands out a code.
  await context.exposeBinding('zoomConsent', (_source, challenge: string) =>
    org.zoom.consent(ANA_ZOOM.id, challenge, `${org.app.url}/zoom/oauth/callback`),
  );
  await context.addInitScript((s: StandIn) => {
    const calls: Array<{ api: string; args: unknown }> = [];
    const chat: string[] = [];
    let authorized: ((event: unknown) => void) | undefined;
    const record = (api: string, args?: unknown) => calls.push({ api, args });
    const w = globalThis as unknown as Record<string, unknown>;
    w.__zoomCalls = calls;
    w.__zoomChat = chat;
    w.zoomSdk = {
      async config(options: unknown) {
        record('config', options);
        return {
          runningContext: s.runningContext,
          unsupportedApis: [],
          clientVersion: '6.2.5.43573',
          browserVersion: 'applewebkit/605.1.15',
          auth: { status: 'authorized', upgradable: true },
          userAgent: navigator.userAgent,
          product: 'desktop',
        };
      },
      async getAppContext() {
        record('getAppContext');
        return { context: s.context };
      },
      async getRunningContext() {
        record('getRunningContext');
        return { context: s.runningContext };
      },
      async getMeetingContext() {
        record('getMeetingContext');
        return { meetingTopic: 'Pricing review', meetingID: s.meetingID };
      },
      async getMeetingUUID() {
        record('getMeetingUUID');
        return { meetingUUID: s.meetingUUID ?? 'CCCCiAAAAAiAiAiiAii==' };
      },
      async getMeetingParticipants() {
        record('getMeetingParticipants');
        return {
          participants: [
            {
              screenName: 'Ana Lopez',
              participantId: '16778240',
              participantUUID: 'A1B2C3D4',
              role: 'host',
            },
            {
              screenName: 'Raj Patel',
              participantId: '16779264',
              participantUUID: 'E5F6A7B8',
              role: 'attendee',
            },
          ],
        };
      },
      async sendMessageToChat(options: { message: string }) {
        record('sendMessageToChat', options);
        chat.push(options.message);
        return { result: [{ channelId: 'meeting-chat', messageId: 'msg-1' }] };
      },
      onAuthorized(handler: (event: unknown) => void) {
        record('onAuthorized');
        authorized = handler;
      },
      async authorize(options: { codeChallenge: string; state: string }) {
        record('authorize', options);
        const code = await (w.zoomConsent as (c: string) => Promise<string>)(options.codeChallenge);
        setTimeout(() =>
          authorized?.({
            code,
            redirectUri: `${(w.location as { origin: string }).origin}/zoom/oauth/callback`,
            result: true,
            state: options.state,
            timestamp: Math.floor(Date.now() / 1000),
          }),
        );
        return { message: 'Success' };
      },
    };
  }, standIn);
  return context.newPage();
}

async function called(page: Page): Promise<Array<{ api: string; args: unknown }>> {
  return page.evaluate(
    () =>
      (globalThis as unknown as { __zoomCalls: Array<{ api: string; args: unknown }> }).__zoomCalls,
  );
}

const usedApis = new Set<string>();
let configured: string[] = [];

async function remember(page: Page) {
  for (const call of await called(page)) {
    if (call.api === 'config') configured = (call.args as { capabilities: string[] }).capabilities;
    else usedApis.add(call.api);
  }
}

test('the panel and its assets carry the headers Zoom requires, frameable only by Zoom', async () => {
  const res = await fetch(`${org.app.url}/zoom/panel`);
  expect(res.status).toBe(200);
  const html = await res.text();
  const check = (headers: Headers) => {
    expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBeTruthy();
    expect(headers.get('content-security-policy')).toContain("default-src 'self'");
  };
  check(res.headers);
  expect(res.headers.get('content-security-policy')).toContain(
    "frame-ancestors 'self' https://*.zoom.us https://zoom.us",
  );
  expect(res.headers.get('x-frame-options')).toBeNull();
  const assets = [...html.matchAll(/(?:src|href)="(\/ui\/[^"]+)"/g)].map((m) => m[1]!);
  expect(assets.length).toBeGreaterThan(0);
  for (const asset of assets) {
    const a = await fetch(org.app.url + asset);
    expect(a.status).toBe(200);
    check(a.headers);
  }
});

test('opened in a plain browser, the page says it must be opened from Zoom', async () => {
  const page = await browser.newPage();
  await page.goto(`${org.app.url}/zoom/panel`);
  await expect(
    page.getByText('This page must be opened from Zoom').waitFor(),
  ).resolves.toBeUndefined();
  await page.close();
});

test('in the main client: in-client OAuth links the Zoom user, then upcoming meetings show', async () => {
  const page = await zoomPage({
    runningContext: 'inMainClient',
    context: org.context({ typ: 'panel' }),
    meetingID: '',
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${org.app.url}/zoom/panel`);
  await page.getByRole('button', { name: 'Authorize Quorum' }).click();
  await page.getByRole('heading', { name: 'Upcoming meetings' }).waitFor();
  expect(org.zoom.tokenRequests.at(-1)?.get('grant_type')).toBe('authorization_code');
  expect(org.zoom.tokenRequests.at(-1)?.get('code_verifier')).toMatch(/^[\w-]{43,128}$/);
  await remember(page);
  expect(errors).toEqual([]);
  await page.context().close();
});

test('in a meeting: agenda, participants, follow-up booked with a Zoom link, summary shared to chat', async () => {
  // A Zoom meeting Quorum booked for Ana and Raj (Ana's Zoom grant makes the Zoom meeting).
  const start = new Date(Date.now() + 86_400_000);
  start.setUTCHours(9, 0, 0, 0);
  const booked = await org.ana.request('/api/bookings', {
    method: 'POST',
    json: {
      title: 'Pricing review',
      start: start.toISOString(),
      end: new Date(start.getTime() + 45 * 60_000).toISOString(),
      attendees: [{ email: 'raj@acme.example' }],
      linkType: 'zoom',
    },
  });
  expect(booked.status).toBe(201);
  const { booking } = await json(booked);
  const zoomMeeting = org.zoom.meetings.find((m) => m.joinUrl === booking.joinUrl)!;
  const meetingsBefore = org.zoom.meetings.length;

  const page = await zoomPage({
    runningContext: 'inMeeting',
    context: org.context({ mid: 'CCCCiAAAAAiAiAiiAii==' }),
    meetingID: zoomMeeting.id,
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${org.app.url}/zoom/panel`);
  await page.getByRole('heading', { name: 'Pricing review' }).waitFor();
  const agenda = page.getByRole('region', { name: 'Agenda' });
  // The agenda Quorum generated from the booking (its title, no earlier open items yet).
  await expect(agenda.locator('li').first().textContent()).resolves.toContain('Pricing review');
  await expect(page.getByRole('region', { name: 'Participants' }).textContent()).resolves.toContain(
    'Raj Patel',
  );

  // The panel session ends (its hour is up, or it was signed out): the panel gets a new one
  // from a fresh app context and carries on.
  await org.app.quorum.store.control
    .collection('sessions')
    .updateMany({ userAgent: { $regex: 'Chrome' } }, { $set: { revokedAt: new Date() } });
  const contextsBefore = (await called(page)).filter((c) => c.api === 'getAppContext').length;
  await page.getByRole('button', { name: 'Schedule follow-up' }).click();
  await page.getByLabel('Meeting link').selectOption('zoom');
  const first = page.locator('[data-slot-start]').first();
  const slotStart = await first.getAttribute('data-slot-start');
  await first.click();
  await page.getByText('Follow-up booked').waitFor();

  const ctx = verifiedTenantContext(org.tenantId, 'system');
  const Bookings = await org.app.quorum.store.tenantModel(ctx, Booking);
  // Titles are stored sealed: opened as the booking service reads them.
  const titles = sealedTitles(org.app.quorum.services.envelope, BOOKING_TITLES);
  const followUp = (await titles.openAll(ctx, await Bookings.find({}).lean())).find(
    (b) => b.title === 'Follow-up: Pricing review',
  );
  expect(followUp).toMatchObject({
    status: 'confirmed',
    linkType: 'zoom',
    organizerEmail: 'ana@acme.example',
  });
  expect(followUp!.start.toISOString()).toBe(slotStart);
  expect(followUp!.attendees.map((a) => a.email)).toEqual(['raj@acme.example']);
  expect(followUp!.followUpOf).toBe(booking._id);
  expect(org.zoom.meetings).toHaveLength(meetingsBefore + 1);
  expect((await called(page)).filter((c) => c.api === 'getAppContext').length).toBe(
    contextsBefore + 1,
  );
  expect(followUp!.joinUrl).toBe(org.zoom.meetings.at(-1)!.joinUrl);
  await remember(page);
  await page.context().close();

  // After the meeting: Zoom's transcript arrives, Quorum summarizes, the panel shares it.
  org.zoom.files.set('pricing.vtt', {
    token: 'dl-pricing',
    body: 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:06.000\nAna Lopez: We decided to keep the enterprise price at 40 euros.\n\n2\n00:00:06.500 --> 00:00:11.000\nRaj Patel: I will update the pricing page by Friday.\n',
  });
  const delivered = await org.webhook({
    event: 'recording.transcript_completed',
    event_ts: Date.now(),
    payload: {
      account_id: ANA_ZOOM.accountId,
      object: {
        uuid: 'CCCCiAAAAAiAiAiiAii==',
        id: Number(zoomMeeting.id),
        host_id: ANA_ZOOM.id,
        host_email: ANA_ZOOM.email,
        topic: 'Pricing review',
        type: 2,
        start_time: start.toISOString(),
        timezone: 'UTC',
        duration: 45,
        recording_files: [
          {
            file_type: 'TRANSCRIPT',
            file_extension: 'VTT',
            download_url: `${org.zoom.url}/rec/download/pricing.vtt`,
            status: 'completed',
          },
        ],
      },
    },
    download_token: 'dl-pricing',
  });
  expect(delivered.status).toBe(200);
  await org.app.quorum.services.zoom!.idle();
  const meeting = (await json(org.ana.request('/api/meetings'))).meetings.find(
    (m: { bookingId: string }) => m.bookingId === booking._id,
  );
  expect((await waitForStatus(org.ana, meeting.id, ['ready', 'failed'], 60_000)).status).toBe(
    'ready',
  );

  const after = await zoomPage({
    runningContext: 'inMeeting',
    context: org.context({ mid: 'CCCCiAAAAAiAiAiiAii==' }),
    meetingID: zoomMeeting.id,
  });
  after.on('pageerror', (e) => errors.push(e.message));
  await after.goto(`${org.app.url}/zoom/panel`);
  // No chat platform connected yet: once Quorum said so, only the meeting chat is offered.
  const sharing = after.locator('[role="group"][aria-label="Share the summary"]');
  await after.locator('[aria-label="Share the summary"][aria-busy="false"]').waitFor();
  await expect(sharing.getByRole('button').allTextContents()).resolves.toEqual(['Share to chat']);
  await after.getByRole('button', { name: 'Share to chat' }).click();
  await after.getByText('Shared to the meeting chat.').waitFor();
  const chat = await after.evaluate(
    () => (globalThis as unknown as { __zoomChat: string[] }).__zoomChat,
  );
  expect(chat).toHaveLength(1);
  expect(chat[0]).toContain('Quorum summary: Pricing review');
  expect(chat[0]).toContain('pricing page');
  await remember(after);
  await after.context().close();
  expect(errors).toEqual([]);
  summarized = { zoomMeetingId: zoomMeeting.id, meetingId: meeting.id };
}, 120_000);

test('after the meeting, with Slack installed: Share to Slack posts the summary, refusals are said plainly', async () => {
  expect(summarized, 'the summarized meeting of the test above').toBeDefined();
  const { zoomMeetingId, meetingId } = summarized!;
  // The outbox's "meeting summarized" went by while Slack was not installed: drained now, so the
  // only summary Slack receives below is the one the panel asks for.
  await summaryPublished(org.app, meetingId);
  await org.app.quorum.services.delivery.runOnce('slack');
  const installed = await installSlack(org.ana, slack, {
    code: 'code-acme-zoom',
    teamId: 'T0ACME',
    teamName: 'Acme',
    botToken: 'xoxb-5555-6666-acmezoomtoken',
    botUserId: 'U0QUORUM',
    installerId: 'U0ANA',
  });
  expect(installed.status, await installed.clone().text()).toBe(200);
  slack.addUser({ id: 'U0RAJ', teamId: 'T0ACME', name: 'Raj Patel', email: 'raj@acme.example' });

  const page = await zoomPage({
    runningContext: 'inMeeting',
    context: org.context({ mid: 'CCCCiAAAAAiAiAiiAii==' }),
    meetingID: zoomMeetingId,
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${org.app.url}/zoom/panel`);
  const sharing = page.locator('[role="group"][aria-label="Share the summary"]');
  await page.locator('[aria-label="Share the summary"][aria-busy="false"]').waitFor();
  // Slack is connected, Teams is not (this Quorum has no Teams bot).
  await expect(sharing.getByRole('button').allTextContents()).resolves.toEqual([
    'Share to chat',
    'Share to Slack',
  ]);
  const shareToSlack = page.getByRole('button', { name: 'Share to Slack' });
  const outcome = sharing.locator('[role="alert"], [role="status"]');
  const posts = () => slack.callsOf('chat.postMessage').length;

  // Ana has no Slack account in the workspace yet: nowhere to post it, and the panel says why.
  const before = posts();
  await shareToSlack.click();
  await page.getByText('link your Slack account with /meet connect').waitFor();
  await expect(outcome.textContent()).resolves.toBe(
    'Quorum could not find where to post it: link your Slack account with /meet connect.',
  );
  expect(posts()).toBe(before);

  // Ana is in Slack now, but Slack refuses the message: a plain sentence, no Slack internals.
  slack.addUser({ id: 'U0ANA', teamId: 'T0ACME', name: 'Ana Lopez', email: 'ana@acme.example' });
  slack.failures.set('chat.postMessage', 'channel_not_found');
  await shareToSlack.click();
  await page.getByText('Slack did not take the summary just now').waitFor();
  const refusal = (await outcome.textContent())!;
  expect(refusal).toBe(
    "Slack did not take the summary just now. Try again in a moment; if it keeps failing, ask your administrator to check Quorum's Slack connection.",
  );
  expect(posts()).toBe(before + 1);
  expect(slack.messages.filter((m) => m.channel === 'U0ANA')).toEqual([]);

  // Slack takes it: the summary goes to Ana by direct message (the meeting was not booked from
  // a Slack channel), with the installed workspace's bot token.
  slack.failures.delete('chat.postMessage');
  await shareToSlack.click();
  await page.getByText('Shared to Slack.').waitFor();
  await expect(outcome.textContent()).resolves.toBe('Shared to Slack.');
  const call = slack.callsOf('chat.postMessage').at(-1)!;
  expect(call.token).toBe('xoxb-5555-6666-acmezoomtoken');
  const dms = slack.messages.filter((m) => m.channel === 'U0ANA');
  expect(dms).toHaveLength(1);
  expect(blockKitProblems(dms[0]!.blocks, 'message')).toEqual([]);
  const shown = JSON.stringify(dms[0]!.blocks);
  expect(shown).toContain('Summary: Pricing review');
  const stored = await json(org.ana.request(`/api/meetings/${meetingId}`));
  expect(stored.summary.summary.length).toBeGreaterThan(0);
  for (const sentence of stored.summary.summary as string[])
    expect(shown).toContain(JSON.stringify(sentence).slice(1, -1));
  expect(shown).toContain('pricing page');
  expect(errors).toEqual([]);
  await remember(page);
  await page.context().close();
}, 60_000);

test('in a meeting while Quorum hears it: live lines appear as they are transcribed, then the end', async () => {
  const start = new Date(Date.now() + 2 * 86_400_000);
  start.setUTCHours(14, 0, 0, 0);
  const booked = await org.ana.request('/api/bookings', {
    method: 'POST',
    json: {
      title: 'Budget stand-up',
      start: start.toISOString(),
      end: new Date(start.getTime() + 30 * 60_000).toISOString(),
      attendees: [{ email: 'raj@acme.example' }],
      linkType: 'zoom',
    },
  });
  expect(booked.status).toBe(201);
  const { booking } = await json(booked);
  const zoomMeeting = org.zoom.meetings.find((m) => m.joinUrl === booking.joinUrl)!;

  const page = await zoomPage({
    runningContext: 'inMeeting',
    context: org.context({ mid: 'DDDDiBBBBBiBiBiiBii==' }),
    meetingID: zoomMeeting.id,
    meetingUUID: 'DDDDiBBBBBiBiBiiBii==',
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${org.app.url}/zoom/panel`);
  await page.getByRole('heading', { name: 'Budget stand-up' }).waitFor();
  const live = page.getByRole('region', { name: 'Live transcript' });
  // The panel watches the meeting's live feed before any audio arrives.
  await live.getByText('Listening: lines appear here as people speak.').waitFor();
  const meeting = (await json(org.ana.request('/api/meetings'))).meetings.find(
    (m: { bookingId: string }) => m.bookingId === booking._id,
  );
  expect(meeting).toBeDefined();

  const opened = await openLiveSocket(org.app.url, meeting.id, {
    cookie: org.ana.cookieHeader(),
    origin: org.app.url,
  });
  if (!('ws' in opened)) throw new Error(`live audio refused: ${opened.status} ${opened.body}`);
  const { ws, messages } = opened;
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const piece = LIVE_PIECE_SECONDS * PCM_BYTES_PER_SECOND;
  const interimLine = live.locator('li[data-final="false"]');
  const finalLines = live.locator('li[data-final="true"]');

  // Just over half a piece, in the middle of the first sentence: Quorum guesses at what it has
  // so far, an interim line the panel shows (dimmed) until the sentence's final line.
  sendPcm(ws, pcm.subarray(0, piece * 0.6));
  await interimLine.waitFor();
  const interimText = (await interimLine.textContent())!;
  expect(interimText).toMatch(/^Speaker 1:\s*\S/);
  expect(await finalLines.count()).toBe(0);

  // The rest of the audio, all but its last piece: the first sentence ended with a pause, so its
  // final line appears while the capture is on.
  const lastPieceStart = Math.floor(pcm.length / piece) * piece;
  expect(lastPieceStart).toBeGreaterThanOrEqual(piece);
  sendPcm(ws, pcm.subarray(piece * 0.6, lastPieceStart));
  await finalLines.first().waitFor();
  expect(messages.some((m) => m.type === 'ended')).toBe(false);

  // The end of the audio: the last line is transcribed, then the panel says the capture ended.
  sendPcm(ws, pcm.subarray(lastPieceStart));
  ws.send(JSON.stringify({ type: 'end' }));
  await live.getByText('The live audio has ended. Quorum is writing the summary.').waitFor();
  expect(await closed).toBe(1000);
  const ended = messages.at(-1)!;
  expect(ended).toMatchObject({ type: 'ended', status: 'summarizing' });
  expect(await interimLine.count()).toBe(0);

  // What the panel showed is exactly what Quorum stored, in order.
  const shownLines = await finalLines.allTextContents();
  expect(shownLines).toHaveLength(ended.segments as number);
  const ready = await waitForStatus(org.ana, meeting.id, ['ready', 'failed'], 60_000);
  expect(ready.status, JSON.stringify(ready.failure)).toBe('ready');
  expect(shownLines).toEqual(
    ready.transcript.map((s: { speaker: string; text: string }) => `${s.speaker}: ${s.text}`),
  );
  // PocketSphinx mishears synthetic speech here and there; the script still shows through.
  expect(shownLines.join(' ')).toMatch(/marketing|budget|spreadsheet|finance|friday|review/);
  expect(errors).toEqual([]);
  await remember(page);
  await page.context().close();
}, 120_000);

test('zoomSdk.config asks for exactly the capabilities the panel used', () => {
  expect([...usedApis].sort()).toEqual([...configured].sort());
});
