// Local development without an app registration: only with TEAMS_ALLOW_UNAUTHENTICATED=true
// does Quorum accept activities without a Bot Connector token, and it says so loudly at start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeBotConnector, type FakeBotConnector } from '../../support/fake-bot-connector.ts';
import { startTestQuorum, type TestQuorum } from '../../support/quorum-app.ts';

let app: TestQuorum;
let connector: FakeBotConnector;

beforeAll(async () => {
  // The Bot Framework Emulator's side: no token on either direction.
  connector = await startFakeBotConnector({ requireToken: false });
  app = await startTestQuorum({ TEAMS_ALLOW_UNAUTHENTICATED: 'true' });
});
afterAll(async () => {
  await app?.stop();
  await connector?.close();
});

const TENANT = '0f0f0f0f-0000-4000-8000-000000000f0f';

describe('TEAMS_ALLOW_UNAUTHENTICATED=true without credentials', () => {
  it('warns at start that activities are not verified', () => {
    expect(app.logs()).toContain('WITHOUT token verification (TEAMS_ALLOW_UNAUTHENTICATED=true)');
  });

  it('accepts an activity without a token and answers at its serviceUrl', async () => {
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: '1',
        serviceUrl: connector.serviceUrl,
        channelId: 'emulator',
        from: { id: 'user-1', name: 'Dev' },
        conversation: { id: 'conv-1', conversationType: 'personal' },
        recipient: { id: 'bot', name: 'Quorum' },
        text: 'help',
      }),
    });
    expect(res.status).toBe(200);
    expect(connector.sent).toHaveLength(1);
    expect(connector.sent[0]!.authorization).toBeUndefined();
    expect(JSON.stringify(connector.sent[0]!.body)).toContain(
      'Quorum schedules meetings from Teams',
    );
  });

  it('answers connect with an OAuth card whose only way in is the sign-in button (no SSO without credentials)', async () => {
    const before = connector.sent.length;
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: '2',
        serviceUrl: connector.serviceUrl,
        channelId: 'msteams',
        from: { id: '29:dev', name: 'Dev', aadObjectId: 'f6f6f6f6-0000-4000-8000-00000000f0f6' },
        conversation: { id: 'conv-2', conversationType: 'personal', tenantId: TENANT },
        channelData: { tenant: { id: TENANT } },
        recipient: { id: 'bot', name: 'Quorum' },
        text: 'connect',
      }),
    });
    expect(res.status).toBe(200);
    const [attachment] = connector.sent[before]!.body.attachments as Array<{
      contentType: string;
      content: Record<string, unknown>;
    }>;
    expect(attachment!.contentType).toBe('application/vnd.microsoft.card.oauth');
    expect(attachment!.content.tokenExchangeResource).toBeUndefined();
    expect(JSON.stringify(attachment!.content.buttons)).toMatch(
      /"type":"signin".*\/connect\/teams\?t=/,
    );
  });

  it('refuses a body that is not one activity', async () => {
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[1,2]',
    });
    expect(res.status).toBe(400);
  });
});
