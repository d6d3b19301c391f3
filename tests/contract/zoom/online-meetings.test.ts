// A Zoom link without a booking (for the Outlook task pane): made with the person's own Zoom
// grant through Zoom's REST API, refused with what to do when they have not linked Zoom.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { json } from '../../support/quorum-app.ts';
import { ANA_ZOOM, linkAnaInClient, zoomOrg, type ZoomOrg } from '../../e2e/zoom/zoom-org.ts';

let org: ZoomOrg;
const request = {
  type: 'zoom',
  title: 'Design review',
  start: '2026-12-01T14:00:00Z',
  end: '2026-12-01T14:45:00Z',
  timeZone: 'Europe/Berlin',
};

beforeAll(async () => {
  org = await zoomOrg();
});
afterAll(async () => {
  await org?.stop();
});

it('asks someone who has not linked Zoom to link it, and makes no meeting', async () => {
  const res = await org.ana.request('/api/online-meetings', { method: 'POST', json: request });
  expect(res.status).toBe(409);
  const body = await json(res);
  expect(body.error).toBe('zoom_not_linked');
  expect(body.message).toContain('Authorize');
  expect(org.zoom.meetings).toEqual([]);
});

it('refuses a bad request, saying which field is wrong', async () => {
  for (const [change, field] of [
    [{ end: request.start }, 'end'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
  ] as const) {
    const res = await org.ana.request('/api/online-meetings', {
      method: 'POST',
      json: { ...request, ...change },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await json(res))).toContain(field);
  }
});

it('makes a Zoom meeting with the person’s own grant and returns its join link', async () => {
  await linkAnaInClient(org);
  const res = await org.ana.request('/api/online-meetings', { method: 'POST', json: request });
  expect(res.status, await res.clone().text()).toBe(201);
  const { joinUrl } = await json(res);
  expect(org.zoom.meetings).toHaveLength(1);
  const made = org.zoom.meetings[0]!;
  expect(joinUrl).toBe(made.joinUrl);
  expect(made.hostId).toBe(ANA_ZOOM.id);
  expect(made.body).toMatchObject({ topic: 'Design review', duration: 45 });
});

it('answers only people who are signed in', async () => {
  const res = await fetch(`${org.app.url}/api/online-meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  expect(res.status).toBe(401);
});
