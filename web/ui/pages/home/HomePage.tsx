// Home: what is coming up, what was said recently, what is still open, and what needs fixing.
import { Button, Field, Input, Spinner, Subtitle1, Text, Title2 } from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../../infra/ui/api.ts';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { formatRange } from '../../../infra/ui/time.ts';
import type { ActionItemView } from '../../../infra/ui/types.ts';
import { AppLink, navigate } from '../router.tsx';
import { useApi } from '../use-api.ts';
import { useSession } from '../session.tsx';

interface BookingItem {
  _id: string;
  title: string;
  start: string;
  end: string;
  joinUrl: string | null;
}
interface MeetingItem {
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  status: string;
}
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
  const [openItems, setOpenItems] = useState<Array<ActionItemView & { meeting: MeetingItem }>>([]);

  const ready = (meetings.data?.meetings ?? []).filter((m) => m.status === 'ready').slice(0, 5);
  const readyIds = ready.map((m) => m.id).join(',');
  useEffect(() => {
    let live = true;
    void Promise.all(
      ready.map(async (m) => {
        const full = await api<{ actionItems: ActionItemView[] }>(`/api/meetings/${m.id}`).catch(
          () => ({ actionItems: [] }),
        );
        return full.actionItems.filter((a) => !a.done).map((a) => ({ ...a, meeting: m }));
      }),
    ).then((lists) => live && setOpenItems(lists.flat()));
    return () => {
      live = false;
    };
  }, [readyIds]);

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
      <div className="two-col">
        <section aria-labelledby="upcoming" className="stack">
          <Subtitle1 as="h3" id="upcoming">
            Upcoming meetings
          </Subtitle1>
          {bookings.error ? <Notice intent="error">{bookings.error}</Notice> : null}
          {!bookings.data ? (
            <Spinner size="tiny" label="Loading…" />
          ) : bookings.data.bookings.length === 0 ? (
            <Text>
              Nothing booked yet. <AppLink to="/app/schedule">Find a time</AppLink>.
            </Text>
          ) : (
            <ul>
              {bookings.data.bookings.map((b) => (
                <li key={b._id}>
                  <Text weight="semibold">{b.title}</Text> — {formatRange(b.start, b.end, zone)}
                  {b.joinUrl ? (
                    <>
                      {' '}
                      <a href={b.joinUrl}>join</a>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-labelledby="recent" className="stack">
          <Subtitle1 as="h3" id="recent">
            Meetings and summaries
          </Subtitle1>
          {meetings.error ? <Notice intent="error">{meetings.error}</Notice> : null}
          {(meetings.data?.meetings ?? []).length === 0 ? (
            <Text>No meetings recorded yet.</Text>
          ) : (
            <ul>
              {meetings.data!.meetings.map((m) => (
                <li key={m.id}>
                  <AppLink to={`/app/meetings/${m.id}`}>{m.title}</AppLink> —{' '}
                  {formatRange(m.startsAt, m.endsAt, zone)} ({m.status})
                </li>
              ))}
            </ul>
          )}
          <NewMeeting />
        </section>
        <section aria-labelledby="open-items" className="stack">
          <Subtitle1 as="h3" id="open-items">
            Open action items
          </Subtitle1>
          {openItems.length === 0 ? (
            <Text>No open action items.</Text>
          ) : (
            <ul>
              {openItems.map((a) => (
                <li key={`${a.meeting.id}:${a.index}`}>
                  {a.task}
                  {a.owner ? ` — ${a.owner}` : ''}
                  {a.due ? ` (due ${a.due})` : ''} ·{' '}
                  <AppLink to={`/app/meetings/${a.meeting.id}`}>{a.meeting.title}</AppLink>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}

/** A meeting to upload a recording to: title and time; the meeting page takes it from there. */
function NewMeeting() {
  const now = new Date();
  const local = (d: Date) =>
    new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  const [title, setTitle] = useState('');
  const [start, setStart] = useState(local(new Date(now.getTime() - 3_600_000)));
  const [minutes, setMinutes] = useState('30');
  const [participants, setParticipants] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const startsAt = new Date(start);
      const people = parseParticipants(participants);
      const meeting = await api<{ id: string }>('/api/meetings', {
        body: {
          title,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + Number(minutes) * 60_000).toISOString(),
          timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
          ...(people.length ? { participants: people } : {}),
        },
      });
      navigate(`/app/meetings/${meeting.id}`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form onSubmit={submit} className="stack" aria-labelledby="new-meeting">
      <Subtitle1 as="h4" id="new-meeting" style={{ fontSize: 16 }}>
        Add a meeting recording
      </Subtitle1>
      {error ? <Notice intent="error">{error}</Notice> : null}
      <Field label="Meeting title" required>
        <Input value={title} onChange={(_, d) => setTitle(d.value)} />
      </Field>
      <div className="row">
        <Field label="Started at">
          <Input type="datetime-local" value={start} onChange={(_, d) => setStart(d.value)} />
        </Field>
        <Field label="Minutes">
          <Input
            type="number"
            min={5}
            max={600}
            value={minutes}
            onChange={(_, d) => setMinutes(d.value)}
          />
        </Field>
      </div>
      <Field
        label="Participants"
        hint="Names help Quorum tell who owns an action item: Ana Lopez <ana@example.com>, raj@example.com"
      >
        <Input value={participants} onChange={(_, d) => setParticipants(d.value)} />
      </Field>
      <Button type="submit" disabled={!title.trim()}>
        Create meeting
      </Button>
    </form>
  );
}

/** "Ana Lopez <ana@example.com>, raj@example.com" → participants; throws on a bad address. */
export function parseParticipants(text: string): Array<{ email: string; name?: string }> {
  return text
    .split(/[,;\n]+/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const named = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(part);
      const email = (named ? named[2]! : part).toLowerCase();
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
        throw new Error(`"${part}" is not an email address (or Name <email>).`);
      const name = named?.[1]?.trim();
      return name ? { email, name } : { email };
    });
}
