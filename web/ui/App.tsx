// The web app: routes, the signed-in shell (navigation), and the public pages guests open.
import { Button, Spinner, Title1, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api } from '../../infra/ui/api.ts';
import { Notice } from '../../infra/ui/Notice.tsx';
import { AppLink, match, navigate, useLocation } from './router.tsx';
import { SessionContext, useSession, type SessionState } from './session.tsx';
import { BookingPage } from './pages/booking/BookingPage.tsx';
import { BookingPagesPage } from './pages/booking-pages/BookingPagesPage.tsx';
import { CalendarsPage } from './pages/calendars/CalendarsPage.tsx';
import { CertificateCheckPage } from './pages/CertificateCheckPage.tsx';
import { HomePage } from './pages/home/HomePage.tsx';
import { MeetingPage } from './pages/meeting/MeetingPage.tsx';
import { PollPage } from './pages/PollPage.tsx';
import { PollsPage } from './pages/polls/PollsPage.tsx';
import { SearchPage } from './pages/search/SearchPage.tsx';
import { PublicBookingPage } from './pages/public-booking/PublicBookingPage.tsx';
import { SchedulePage } from './pages/schedule/SchedulePage.tsx';
import { SettingsPage } from './pages/settings/SettingsPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';

const NAV = [
  { to: '/app', label: 'Home' },
  { to: '/app/schedule', label: 'Schedule' },
  { to: '/app/polls', label: 'Polls' },
  { to: '/app/search', label: 'Search' },
  { to: '/app/calendars', label: 'Calendars' },
  { to: '/app/booking-pages', label: 'Booking pages' },
  { to: '/app/settings', label: 'Settings' },
  { to: '/verify', label: 'Check a certificate' },
];

function Shell({ children, path }: { children: ReactNode; path: string }) {
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header
        style={{
          display: 'flex',
          flexWrap: 'wrap',
          alignItems: 'center',
          gap: '8px 20px',
          padding: '12px 16px',
          borderBottom: `1px solid ${tokens.colorNeutralStroke1}`,
        }}
      >
        <AppLink to="/app" style={{ color: 'inherit', textDecoration: 'none' }}>
          <Title1 as="h1" style={{ fontSize: 24 }}>
            Quorum
          </Title1>
        </AppLink>
        <nav aria-label="Main">
          <ul
            style={{
              display: 'flex',
              flexWrap: 'wrap',
              gap: '4px 16px',
              listStyle: 'none',
              margin: 0,
              padding: 0,
            }}
          >
            {NAV.map((item) => (
              <li key={item.to}>
                <AppLink
                  to={item.to}
                  aria-current={path === item.to ? 'page' : undefined}
                  style={{
                    color: tokens.colorBrandForeground1,
                    fontWeight: path === item.to ? 700 : 400,
                  }}
                >
                  {item.label}
                </AppLink>
              </li>
            ))}
          </ul>
        </nav>
        <SignOut />
      </header>
      <main id="main" style={{ padding: 16, maxWidth: 1200, margin: '0 auto' }}>
        {children}
      </main>
    </>
  );
}

function SignOut() {
  const { user, refresh } = useSession();
  if (!user) return null;
  return (
    <Button
      appearance="subtle"
      style={{ marginLeft: 'auto' }}
      onClick={async () => {
        await api('/auth/signout', { method: 'POST', body: {} }).catch(() => undefined);
        await refresh();
        navigate('/app');
      }}
    >
      Sign out {user.name}
    </Button>
  );
}

/** Public pages: open to anyone, framed simply. */
function PublicFrame({ children }: { children: ReactNode }) {
  return (
    <main id="main" style={{ padding: 16, maxWidth: 760, margin: '0 auto' }}>
      {children}
    </main>
  );
}

export function App() {
  const { path, query } = useLocation();
  const [state, setState] = useState<Omit<SessionState, 'refresh'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(async () => {
    try {
      setState(await api<Omit<SessionState, 'refresh'>>('/auth/state'));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => {
    document.title = titleFor(path);
  }, [path]);

  // Public pages need no session.
  const book = match('/book/:slug', path);
  if (book)
    return (
      <PublicFrame>
        <PublicBookingPage slug={book.slug!} />
      </PublicFrame>
    );
  const poll = match('/polls/:id', path);
  if (poll)
    return (
      <PublicFrame>
        <PollPage id={poll.id!} token={query.get('t') ?? ''} />
      </PublicFrame>
    );

  if (error)
    return (
      <PublicFrame>
        <Title1 as="h1">Quorum</Title1>
        <Notice intent="error">{error}</Notice>
      </PublicFrame>
    );
  if (!state)
    return (
      <PublicFrame>
        <Title1 as="h1">Quorum</Title1>
        <Spinner label="Loading…" />
      </PublicFrame>
    );
  const session: SessionState = { ...state, refresh };

  if (path === '/verify')
    return (
      <SessionContext.Provider value={session}>
        {session.user ? (
          <Shell path={path}>
            <CertificateCheckPage certificateId={query.get('certificate')} />
          </Shell>
        ) : (
          <PublicFrame>
            <Title1 as="h1">Quorum</Title1>
            <CertificateCheckPage certificateId={null} />
          </PublicFrame>
        )}
      </SessionContext.Provider>
    );

  if (!session.user)
    return (
      <SessionContext.Provider value={session}>
        <PublicFrame>
          <SignInPage />
        </PublicFrame>
      </SessionContext.Provider>
    );

  const meeting = match('/app/meetings/:id', path);
  const booking = match('/app/bookings/:id', path);
  let page: ReactNode;
  if (path === '/' || path === '/app') page = <HomePage />;
  else if (path === '/app/schedule') page = <SchedulePage />;
  else if (path === '/app/polls') page = <PollsPage />;
  else if (path === '/app/search') page = <SearchPage />;
  else if (path === '/app/calendars') page = <CalendarsPage />;
  else if (path === '/app/booking-pages') page = <BookingPagesPage />;
  else if (path === '/app/settings') page = <SettingsPage />;
  else if (meeting) page = <MeetingPage id={meeting.id!} />;
  else if (booking) page = <BookingPage id={booking.id!} />;
  else
    page = (
      <Notice intent="warning" title="Page not found">
        There is no page at {path}. <AppLink to="/app">Go home</AppLink>.
      </Notice>
    );
  return (
    <SessionContext.Provider value={session}>
      <Shell path={path}>{page}</Shell>
    </SessionContext.Provider>
  );
}

function titleFor(path: string): string {
  const named = NAV.find((n) => n.to === path);
  if (named) return `${named.label} — Quorum`;
  if (path.startsWith('/app/meetings/') || path.startsWith('/app/bookings/'))
    return 'Meeting — Quorum';
  if (path.startsWith('/book/')) return 'Book a time — Quorum';
  if (path.startsWith('/polls/')) return 'Vote on times — Quorum';
  return 'Quorum';
}
