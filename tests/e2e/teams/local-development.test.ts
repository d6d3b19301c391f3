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

  it('refuses a body that is not one activity', async () => {
    const res = await fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '[1,2]',
    });
    expect(res.status).toBe(400);
  });
});
