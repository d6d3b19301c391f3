// Teams settings: on with its three credentials, on without them only with the explicit
// local-development flag, refused half set or with both, secrets never echoed.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../infra/server/config.ts';

const CREDENTIALS = {
  TEAMS_CLIENT_ID: '00000000-0000-4000-8000-000000000001',
  TEAMS_CLIENT_SECRET: 'teams~secret~value~for~tests',
  TEAMS_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47',
};

describe('Teams settings', () => {
  it('leaves the bot off when nothing is set', () => {
    const result = loadConfig({});
    expect(result.ok && result.config.teams).toBeUndefined();
  });

  it('turns the bot on with its credentials, verifying tokens at the public Bot Framework and Entra hosts', () => {
    const result = loadConfig(CREDENTIALS);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.teams).toEqual({
      credentials: {
        clientId: CREDENTIALS.TEAMS_CLIENT_ID,
        clientSecret: CREDENTIALS.TEAMS_CLIENT_SECRET,
        tenantId: CREDENTIALS.TEAMS_TENANT_ID,
      },
      loginUrl: 'https://login.microsoftonline.com',
      openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
      graphUrl: 'https://graph.microsoft.com',
    });
  });

  it('turns the bot on without credentials only with TEAMS_ALLOW_UNAUTHENTICATED=true', () => {
    const result = loadConfig({ TEAMS_ALLOW_UNAUTHENTICATED: 'true' });
    expect(result.ok && result.config.teams?.credentials).toBeUndefined();
    expect(result.ok && result.config.teams).toBeTruthy();
  });

  it('refuses the local-development flag together with credentials', () => {
    const result = loadConfig({ ...CREDENTIALS, TEAMS_ALLOW_UNAUTHENTICATED: 'true' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([expect.stringMatching(/^TEAMS_ALLOW_UNAUTHENTICATED: /)]);
  });

  it('refuses credentials half set, and never echoes the secret', () => {
    const result = loadConfig({ TEAMS_CLIENT_SECRET: CREDENTIALS.TEAMS_CLIENT_SECRET });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]).toMatch(
      /TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID together/,
    );
    expect(JSON.stringify(result.problems)).not.toContain('secret~value');
    const bad = loadConfig({ ...CREDENTIALS, TEAMS_ALLOW_UNAUTHENTICATED: 'yes' });
    expect(bad.ok).toBe(false);
  });
});
