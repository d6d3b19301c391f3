// Home: what is coming up, what was said recently, what is still open, and what needs fixing.
import { Title2 } from '@fluentui/react-components';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { AppLink } from '../../router.tsx';
import { useApi } from '../../use-api.ts';
import { useSession } from '../../session.tsx';
import { NextMeeting } from './NextMeeting.tsx';
import {
  OpenActionItems,
  RecentMeetings,
  UpcomingMeetings,
  type BookingItem,
  type MeetingItem,
} from './sections.tsx';

interface Connection {
  id: string;
  provider: string;
  accountEmail: string;
  status: string;
  problem: string | null;
}

const PROVIDER_NAMES: Record<string, string> = {
  google: 'Google',
  microsoft: 'Microsoft 365',
  caldav: 'CalDAV',
};

export function HomePage() {
  const { user } = useSession();
  const bookings = useApi<{ bookings: BookingItem[] }>('/api/bookings');
  const meetings = useApi<{ meetings: MeetingItem[] }>('/api/meetings?limit=20');
  const calendars = useApi<{ connections: Connection[] }>('/api/calendars');
  const settings = useApi<{ timeZone: string }>('/api/me/settings');
  const zone = settings.data?.timeZone;

  const broken = (calendars.data?.connections ?? []).filter((c) => c.status !== 'connected');
  return (
    <div className="stack">
      <Title2 as="h2">Hello, {user?.name}</Title2>
      {broken.map((c) => (
        <Notice key={c.id} intent="warning" title="A calendar needs reconnecting">
          Your {PROVIDER_NAMES[c.provider] ?? c.provider} calendar ({c.accountEmail}) stopped
          answering{c.problem ? `: ${c.problem.replace(/\.$/, '')}` : ''}.{' '}
          <AppLink to="/app/calendars">Reconnect it on the Calendars page</AppLink>.
        </Notice>
      ))}
      <NextMeeting zone={zone} />
      <div className="two-col">
        <UpcomingMeetings bookings={bookings} zone={zone} />
        <RecentMeetings meetings={meetings} zone={zone} />
        <OpenActionItems meetings={meetings.data?.meetings} />
      </div>
    </div>
  );
}
