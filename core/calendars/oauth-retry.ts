// One refresh, one retry: how every OAuth calendar provider treats an expired access token.
//
// A provider call may fan out into several HTTP requests (free/busy in batches). They share one
// session so a burst of 401s costs a single refresh, and each request is retried at most once.
import { GrantRevokedError, ProviderError, type AccessTokenSource } from './provider.ts';

export interface TokenSession {
  /** The access token to try first (asked of the source once per session). */
  token(): Promise<string>;
  /** A refreshed token, after a 401 (refreshed once per session). */
  refreshed(): Promise<string>;
}

export function tokenSession(source: AccessTokenSource): TokenSession {
  let first: Promise<string> | undefined;
  let fresh: Promise<string> | undefined;
  return {
    token: () => (first ??= source.accessToken()),
    refreshed: () => (fresh ??= refreshOrRevoked(source)),
  };
}

/**
 * Runs `attempt` with the session's token; on a 401 refreshes the token and runs it once more.
 * A refresh the identity provider refuses (`invalid_grant`) becomes `GrantRevokedError`, so the
 * caller can mark the connection as needing to be reconnected.
 */
export async function withTokenRetry<T>(
  session: TokenSession,
  service: string,
  isUnauthorized: (error: unknown) => boolean,
  attempt: (accessToken: string) => Promise<T>,
): Promise<T> {
  try {
    return await attempt(await session.token());
  } catch (error) {
    if (!isUnauthorized(error)) throw error;
  }
  const fresh = await session.refreshed();
  try {
    return await attempt(fresh);
  } catch (error) {
    if (isUnauthorized(error)) {
      throw new ProviderError(
        `${service} refused the access token again after refreshing it; reconnect the calendar`,
        401,
      );
    }
    throw error;
  }
}

async function refreshOrRevoked(source: AccessTokenSource): Promise<string> {
  try {
    return await source.refresh();
  } catch (error) {
    if (error instanceof GrantRevokedError) throw error;
    if (isInvalidGrant(error)) {
      throw new GrantRevokedError('the calendar grant was revoked or has expired (invalid_grant)', {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * OAuth servers answer a dead refresh token with `{"error":"invalid_grant"}` (RFC 6749 §5.2).
 * Token libraries surface that as `error.error` (openid-client), `error.response.data.error`
 * (gaxios) or only in the message, so all three are checked.
 */
export function isInvalidGrant(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { error?: unknown; message?: unknown; response?: { data?: unknown } };
  if (e.error === 'invalid_grant') return true;
  const data = e.response?.data;
  if (
    typeof data === 'object' &&
    data !== null &&
    'error' in data &&
    data.error === 'invalid_grant'
  )
    return true;
  return typeof e.message === 'string' && e.message.includes('invalid_grant');
}

/** The connection itself is unusable (revoked, or still refused after a refresh). */
export function isConnectionBroken(error: unknown): boolean {
  return (
    error instanceof GrantRevokedError || (error instanceof ProviderError && error.status === 401)
  );
}
