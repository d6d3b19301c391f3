// Who is signed in (from /auth/state), shared by every page of the app.
import { createContext, useContext } from 'react';

export interface Viewer {
  id: string;
  name: string;
  email: string;
  role: 'admin' | 'member' | string;
}

export interface SessionState {
  freshInstall: boolean;
  /** Whether POST /auth/signup would create an organization (fresh install or open sign-up). */
  signupOpen: boolean;
  sso: string[];
  user: Viewer | null;
  /** Re-reads /auth/state (after sign-in or sign-out). */
  refresh(): Promise<void>;
}

export const SessionContext = createContext<SessionState>({
  freshInstall: false,
  signupOpen: false,
  sso: [],
  user: null,
  refresh: async () => {},
});

export const useSession = () => useContext(SessionContext);
