/// <reference types="office-js" />
// How the pane signs in. Outlook frames the pane on another site, so Quorum's cookie does not
// reach it there: the pane holds a Quorum session token and sends it as a bearer token. It gets
// one from Office SSO (Office.auth.getAccessToken, checked by the server as a Microsoft token),
// or from a sign-in dialog that runs first-party and hands the token back (messageParent).
// Opened directly in a browser where the cookie works (development, tests), the cookie is used.
import { api, ApiError, type ApiOptions } from '../../../infra/ui/api.ts';

const STORAGE_KEY = 'quorum.outlook.session';
let token: string | null = readStored();

function readStored(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage refused (partitioned or disabled): keep it in memory only
  }
}

function remember(value: string | null): void {
  token = value;
  try {
    if (value) sessionStorage.setItem(STORAGE_KEY, value);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // memory only
  }
}

export interface SignedInUser {
  name: string;
  email: string;
}

/** Quorum's API with the pane's credentials; a stale token is dropped so sign-in is offered. */
export async function paneApi<T>(path: string, options: ApiOptions = {}): Promise<T> {
  const headers = { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  try {
    return await api<T>(path, { ...options, headers });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && token) remember(null);
    throw error;
  }
}

interface AuthState {
  user: { name: string; email: string } | null;
  sso: string[];
}

interface TokenAnswer {
  token: string;
  user: SignedInUser;
}

/** Who the pane is signed in as: a held token or cookie first, then Office SSO silently. */
export async function signInQuietly(): Promise<{ user: SignedInUser | null; sso: string[] }> {
  const state = await paneApi<AuthState>('/auth/state');
  if (state.user) return { user: state.user, sso: state.sso };
  if (token) remember(null);
  if (state.sso.includes('microsoft') && Office.auth?.getAccessToken) {
    try {
      const msToken = await Office.auth.getAccessToken({
        allowSignInPrompt: true,
        allowConsentPrompt: true,
        forMSGraphAccess: false,
      });
      const answer = await api<TokenAnswer>('/outlook/auth/sso', { body: { token: msToken } });
      remember(answer.token);
      return { user: answer.user, sso: state.sso };
    } catch {
      // SSO unavailable here (older Outlook, consent missing, personal account): the dialog.
    }
  }
  return { user: null, sso: state.sso };
}

/** The fallback: Quorum's own sign-in in an Office dialog, which returns a session token. */
export function signInWithDialog(provider: string | null): Promise<SignedInUser> {
  const done = '/outlook/auth-done';
  // Without Microsoft sign-in set up, the dialog's own page asks for the Quorum password.
  const start = provider
    ? `/auth/sso/${provider}/start?returnTo=${encodeURIComponent(done)}`
    : done;
  return new Promise((resolve, reject) => {
    Office.context.ui.displayDialogAsync(
      `${location.origin}${start}`,
      { height: 60, width: 30, promptBeforeOpen: false },
      (result) => {
        if (result.status !== Office.AsyncResultStatus.Succeeded) {
          reject(new Error(result.error?.message ?? 'Outlook could not open the sign-in window.'));
          return;
        }
        const dialog = result.value;
        dialog.addEventHandler(Office.EventType.DialogMessageReceived, (arg) => {
          dialog.close();
          try {
            const message = JSON.parse((arg as { message: string }).message) as TokenAnswer;
            remember(message.token);
            resolve(message.user);
          } catch {
            reject(new Error('The sign-in window did not finish. Try again.'));
          }
        });
        dialog.addEventHandler(Office.EventType.DialogEventReceived, () =>
          reject(new Error('The sign-in window was closed before sign-in finished.')),
        );
      },
    );
  });
}

/** Runs in the dialog after sign-in: asks for a pane token and hands it to the pane. */
export async function finishDialogSignIn(): Promise<void> {
  const answer = await api<TokenAnswer>('/outlook/auth/token', { method: 'POST' });
  Office.context.ui.messageParent(JSON.stringify({ token: answer.token, user: answer.user }));
}
