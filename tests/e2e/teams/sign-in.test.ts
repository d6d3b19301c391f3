// "connect" in Teams: the OAuth card, Teams SSO's silent token exchange (signin/tokenExchange)
// signing a person in and connecting their Microsoft 365 calendar through the on-behalf-of
// grant, and the 412 fallback to the card's sign-in button whenever that cannot finish silently.
// Entra (token endpoint, keys, discovery) and the Bot Connector are fake-bot-connector.ts; the
// calendar is read through the real Graph client from fake-graph.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Member } from '../../support/fake-bot-connector.ts';
import { CHAT, MS_TENANT, RAJ, message, teamsOrg, textOf, type TeamsOrg } from './teams-org.ts';

const LEE: Member = {
  id: '29:1lee',
  aadObjectId: 'd4d4d4d4-0000-4000-8000-00000000d0d4',
  name: 'Lee Park',
  email: 'lee@acme.example',
};
const KIM: Member = {
  id: '29:1kim',
  aadObjectId: 'e5e5e5e5-0000-4000-8000-00000000e0e5',
  name: 'Kim Ito',
  email: 'kim@acme.example',
};
const ANA_MEMBER: Member = {
  id: '29:1ana',
  aadObjectId: 'a1a1a1a1-0000-4000-8000-00000000a0a1',
  name: 'Ana Lopez',
  email: 'ana@acme.example',
};

let org: TeamsOrg;
let resource: string;
/** Access tokens Entra (the fake) issued for the delegated calendar scopes, in order. */
const delegated: string[] = [];

beforeAll(async () => {
  org = await teamsOrg();
  resource = `api://${new URL(org.app.url).host}/botid-${org.connector.appId}`;
  org.connector.onTokenIssued((token, scope) => {
    if (scope.includes('Calendars.ReadWrite')) delegated.push(token);
  });
  org.connector.members.set(CHAT, [ANA_MEMBER, RAJ, LEE, KIM]);
  org.graph.schedules.set('lee@acme.example', []);
});
afterAll(async () => {
  if (process.env.SHOW_LOGS) console.log(org.app.logs().slice(-6000));
  await org?.stop();
});

const personal = (who: Member) => ({ id: `a:personal-${who.id}`, type: 'personal' });

interface OAuthCard {
  text: string;
  connectionName: string;
  buttons: Array<{ type: string; title: string; value: string }>;
  tokenExchangeResource?: { id: string; uri: string };
}

/** Sends "connect" in the person's personal chat and returns the OAuth card Quorum posted. */
async function connect(who: Member): Promise<OAuthCard> {
  const before = org.connector.sent.length;
  const res = await org.send(message(org, who, 'connect', [], personal(who)));
  expect(res.status).toBe(200);
  const sent = org.connector.sent.slice(before).filter((s) => s.method === 'POST');
  expect(sent).toHaveLength(1);
  const [attachment] = sent[0]!.body.attachments as Array<{
    contentType: string;
    content: unknown;
  }>;
  expect(attachment!.contentType).toBe('application/vnd.microsoft.card.oauth');
  return attachment!.content as OAuthCard;
}

/** The invoke Teams sends after silently getting an Entra token for the card's resource. */
function tokenExchange(who: Member, value: { id: string; token: string }) {
  const { text: _text, entities: _entities, ...common } = message(org, who, '', [], personal(who));
  return {
    ...common,
    type: 'invoke',
    name: 'signin/tokenExchange',
    value: { id: value.id, connectionName: 'quorum', token: value.token },
  };
}

const ssoToken = (who: Member, audience = resource) =>
  org.connector.signSso({
    tenantId: MS_TENANT,
    audience,
    oid: who.aadObjectId!,
    email: who.email!,
  });

/** The messages Quorum posted into a conversation since `before`, as text. */
const postedSince = (before: number, conversationId: string) =>
  org.connector.sent
    .slice(before)
    .filter((s) => s.method === 'POST' && s.conversationId === conversationId)
    .map((s) => textOf(s.body));

describe('the connect card', () => {
  it('is an OAuth card with Teams SSO’s token exchange resource and a sign-in button to Quorum', async () => {
    const card = await connect(LEE);
    expect(card.connectionName).toBe('quorum');
    expect(card.tokenExchangeResource?.uri).toBe(resource);
    expect(card.tokenExchangeResource?.id).toMatch(/\S{8,}/);
    expect(card.buttons).toEqual([
      expect.objectContaining({
        type: 'signin',
        value: expect.stringMatching(/\/connect\/teams\?t=/),
      }),
    ]);
    expect(card.text).toMatch(/calendar/);
  });
});

describe('Teams SSO', () => {
  it('signs the person in, connects their calendar on their behalf, and schedules from it', async () => {
    const card = await connect(LEE);
    const token = await ssoToken(LEE);
    const before = org.connector.sent.length;
    const res = await org.send(tokenExchange(LEE, { id: card.tokenExchangeResource!.id, token }));
    expect(res.status).toBe(200);

    // The on-behalf-of grant, with the bot's own credentials and exactly the calendar scopes.
    const obo = org.connector.tokenRequests.find(
      (r) => r.get('requested_token_use') === 'on_behalf_of',
    );
    expect(obo?.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(obo?.get('assertion')).toBe(token);
    expect(obo?.get('scope')?.split(' ').sort()).toEqual([
      'https://graph.microsoft.com/Calendars.ReadWrite',
      'https://graph.microsoft.com/OnlineMeetings.ReadWrite',
      'offline_access',
    ]);
    const told = postedSince(before, personal(LEE).id);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('Connected');
    expect(told[0]).toContain('lee@acme.example');
    expect(told[0]).toContain('Microsoft 365');

    // Lee is a member of Ana's organization now.
    const people = JSON.stringify(await (await org.ana.request('/api/people')).json());
    expect(people).toContain('lee@acme.example');

    // Lee's own calendar is read through Graph with the delegated token.
    expect(delegated).toHaveLength(1);
    const find = await org.send(
      message(org, LEE, 'find 30m with <at>Ana Lopez</at> next week', [ANA_MEMBER]),
    );
    expect(find.status).toBe(200);
    const reads = org.graph.requests.filter((r) => r.path === '/v1.0/me/calendar/getSchedule');
    expect(reads.map((r) => r.authorization)).toContain(`Bearer ${delegated[0]}`);
  });

  it('refreshes that calendar access through the Teams app it was granted to', async () => {
    // Graph stops taking the first access token: Quorum refreshes with the Teams app's client.
    org.graph.acceptedTokens.delete(delegated[0]!);
    const refreshesBefore = org.connector.tokenRequests.filter(
      (r) => r.get('grant_type') === 'refresh_token',
    ).length;
    const find = await org.send(
      message(org, LEE, 'find 30m with <at>Ana Lopez</at> next week', [ANA_MEMBER]),
    );
    expect(find.status).toBe(200);
    const refreshes = org.connector.tokenRequests.filter(
      (r) => r.get('grant_type') === 'refresh_token',
    );
    expect(refreshes.length).toBe(refreshesBefore + 1);
    expect(refreshes.at(-1)?.get('client_id') ?? org.connector.appId).toBe(org.connector.appId);
    expect(delegated).toHaveLength(2);
    const reads = org.graph.requests.filter((r) => r.path === '/v1.0/me/calendar/getSchedule');
    expect(reads.at(-1)?.authorization).toBe(`Bearer ${delegated[1]}`);
  });

  it('handles one exchange once, however many of the person’s clients send it', async () => {
    const card = await connect(LEE);
    const token = await ssoToken(LEE);
    const before = org.connector.sent.length;
    const exchange = tokenExchange(LEE, { id: card.tokenExchangeResource!.id, token });
    const [first, second] = await Promise.all([org.send(exchange), org.send(exchange)]);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    // Lee's calendar was already connected: no new grant, one message.
    expect(postedSince(before, personal(LEE).id)).toHaveLength(1);
    expect(delegated).toHaveLength(2);
  });

  it('answers 412 for a token that is not the sender’s own or not for this app, and changes nothing', async () => {
    const card = await connect(KIM);
    const before = org.connector.sent.length;
    const requestsBefore = org.connector.tokenRequests.length;
    for (const token of [await ssoToken(LEE), await ssoToken(KIM, 'api://elsewhere/another-app')]) {
      const res = await org.send(tokenExchange(KIM, { id: card.tokenExchangeResource!.id, token }));
      expect(res.status).toBe(412);
      expect(await res.json()).toMatchObject({
        id: card.tokenExchangeResource!.id,
        connectionName: 'quorum',
        failureDetail: expect.stringMatching(/not valid/),
      });
    }
    expect(org.connector.sent.length).toBe(before);
    expect(org.connector.tokenRequests.length).toBe(requestsBefore);
    const people = JSON.stringify(await (await org.ana.request('/api/people')).json());
    expect(people).not.toContain('kim@acme.example');
  });

  it('answers 412 when Microsoft needs consent first, so Teams shows the sign-in button', async () => {
    const card = await connect(KIM);
    org.connector.consented = false;
    try {
      const before = org.connector.sent.length;
      const res = await org.send(
        tokenExchange(KIM, { id: card.tokenExchangeResource!.id, token: await ssoToken(KIM) }),
      );
      expect(res.status).toBe(412);
      expect(((await res.json()) as { failureDetail: string }).failureDetail).toMatch(/consent/);
      expect(postedSince(before, personal(KIM).id)).toEqual([]);
      expect(delegated).toHaveLength(2);
    } finally {
      org.connector.consented = true;
    }
    // With consent given, the next exchange connects Kim's calendar.
    const again = await connect(KIM);
    const res = await org.send(
      tokenExchange(KIM, { id: again.tokenExchangeResource!.id, token: await ssoToken(KIM) }),
    );
    expect(res.status).toBe(200);
    expect(delegated).toHaveLength(3);
  });
});
