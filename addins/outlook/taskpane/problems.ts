// What the pane says when something is in the way, in words an Outlook user can act on.
import { ApiError } from '../../../infra/ui/api.ts';

export interface Problem {
  title: string;
  message: string;
}

export const OFFLINE: Problem = {
  title: 'You are offline',
  message:
    'Quorum needs a connection to read calendars. The pane carries on when you are back online.',
};

export function problemOf(error: unknown): Problem {
  if (error instanceof ApiError) {
    if (error.status === 0) {
      return {
        title: 'Quorum cannot be reached',
        message: 'Check your connection, or ask your administrator whether Quorum is running.',
      };
    }
    if (error.status === 401) {
      return {
        title: 'Signed out of Quorum',
        message: 'Your Quorum sign-in ended. Close and reopen the pane to sign in again.',
      };
    }
    if (error.status >= 500) {
      return {
        title: 'Quorum is not answering properly',
        message: `Quorum answered ${error.status}. Try again in a moment; nothing was changed in your item.`,
      };
    }
    return { title: 'Quorum could not do that', message: error.message };
  }
  return {
    title: 'Outlook refused the change',
    message: error instanceof Error ? error.message : String(error),
  };
}
