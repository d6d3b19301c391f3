// Who the panel's user is: the app context Zoom sealed goes to Quorum, which opens it and, for a
// linked Zoom user, starts a one-hour panel session (a cookie). An unlinked user authorizes
// Quorum in Zoom (in-client OAuth with PKCE): Quorum hands out the challenge and state, Zoom's
// onAuthorized event hands back the code, and Quorum exchanges it.
import { api, ApiError, type ApiOptions } from '../../../infra/ui/api.ts';
import type { ZoomSdk } from './zoom-sdk.ts';

export interface PanelUser {
  name: string;
  email: string;
}
export interface Authorize {
  codeChallenge: string;
  state: string;
}
export type SessionResult =
  | { kind: 'ready'; user: PanelUser }
  | { kind: 'needs-link'; authorize: Authorize; message: string };

async function appContext(sdk: ZoomSdk): Promise<string> {
  return (await sdk.getAppContext()).context;
}

export async function openSession(sdk: ZoomSdk): Promise<SessionResult> {
  const context = await appContext(sdk);
  let res: Response;
  try {
    res = await fetch('/zoom/api/session', {
      method: 'POST',
      headers: { accept: 'application/json', 'x-zoom-app-context': context },
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'unreachable', 'Quorum could not be reached. Check your connection.');
  }
  const body = (await res.json().catch(() => ({}))) as {
    error?: string;
    message?: string;
    user?: PanelUser;
    authorize?: Authorize;
  };
  if (res.ok && body.user) return { kind: 'ready', user: body.user };
  if (res.status === 401 && body.error === 'zoom_not_linked' && body.authorize) {
    return { kind: 'needs-link', authorize: body.authorize, message: body.message ?? '' };
  }
  throw new ApiError(
    res.status,
    body.error ?? 'http_error',
    body.message ?? `Quorum answered ${res.status}. Close and reopen the app.`,
  );
}

/** In-client OAuth: resolves with the panel user once Quorum has linked the Zoom account. */
export function linkInClient(sdk: ZoomSdk, authorize: Authorize): Promise<PanelUser> {
  return new Promise<PanelUser>((resolve, reject) => {
    sdk.onAuthorized((event) => {
      if (!event.result || !event.code) {
        reject(
          new ApiError(
            0,
            'declined',
            'Zoom authorization was declined, so Quorum cannot link your account.',
          ),
        );
        return;
      }
      appContext(sdk)
        .then((context) =>
          api<{ user: PanelUser }>('/zoom/oauth/callback', {
            method: 'POST',
            headers: { 'x-zoom-app-context': context },
            body: { code: event.code, state: authorize.state },
          }),
        )
        .then((answer) => resolve(answer.user), reject);
    });
    sdk.authorize({ codeChallenge: authorize.codeChallenge, state: authorize.state }).catch(reject);
  });
}

let renew: (() => Promise<void>) | undefined;

/** How to get a new panel session when the current one has ended (set once signed in). */
export function renewSessionWith(fn: () => Promise<void>): void {
  renew = fn;
}

/** Quorum's API for the panel: a session that ended (after its hour) is renewed once, then the call is retried. */
export async function panelApi<T>(path: string, options: ApiOptions = {}): Promise<T> {
  try {
    return await api<T>(path, options);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401 && renew)) throw error;
    await renew();
    return api<T>(path, options);
  }
}
