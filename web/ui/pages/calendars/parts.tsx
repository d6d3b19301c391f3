// The Calendars page's parts: the person's connections, and connecting another calendar.
import { Badge, Button, Field, Input, Subtitle1, Text } from '@fluentui/react-components';
import type { FormEvent } from 'react';

export interface Connection {
  id: string;
  provider: 'google' | 'microsoft' | 'caldav';
  accountEmail: string;
  status: 'connected' | 'needs-reconnect' | string;
  problem: string | null;
  serverUrl: string | null;
  connectedAt: string;
}
export interface CalendarsView {
  connections: Connection[];
  available: string[];
  fallback: string | null;
  /** Providers the administrator has not set up, with the settings that would. */
  notConfigured?: Array<{ provider: string; settings: string[] }>;
}
export interface CaldavForm {
  serverUrl: string;
  username: string;
  password: string;
}
export const NAMES: Record<string, string> = {
  google: 'Google Calendar',
  microsoft: 'Microsoft 365',
  caldav: 'CalDAV',
};

export function ConnectionList({
  data,
  onDisconnect,
}: {
  data: CalendarsView | null;
  onDisconnect: (c: Connection) => void;
}) {
  return (
    <section aria-labelledby="connected" className="stack">
      <Subtitle1 as="h3" id="connected">
        Connected
      </Subtitle1>
      {data?.fallback === 'local' ? (
        <Text>
          No calendar connected: Quorum uses its own local calendar for you until you connect one.
        </Text>
      ) : null}
      <ul style={{ listStyle: 'none', padding: 0 }} aria-label="Calendar connections">
        {(data?.connections ?? []).map((c) => (
          <li key={c.id} className="row" style={{ marginBottom: 8 }}>
            <Text weight="semibold">{NAMES[c.provider] ?? c.provider}</Text>
            <Text>{c.accountEmail}</Text>
            {c.serverUrl ? <Text>{c.serverUrl}</Text> : null}
            <Badge appearance="filled" color={c.status === 'connected' ? 'success' : 'warning'}>
              {c.status === 'connected' ? 'connected' : 'needs reconnecting'}
            </Badge>
            {c.problem ? <Text>{c.problem}</Text> : null}
            {c.status !== 'connected' && c.provider !== 'caldav' ? (
              <Button as="a" href={`/connect/${c.provider}/start?returnTo=/app/calendars`}>
                Reconnect
              </Button>
            ) : null}
            <Button
              onClick={() => onDisconnect(c)}
              aria-label={`Disconnect ${NAMES[c.provider]} ${c.accountEmail}`}
            >
              Disconnect
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ConnectCalendar({
  data,
  form,
  setForm,
  busy,
  urlError,
  onConnect,
}: {
  data: CalendarsView | null;
  form: CaldavForm;
  setForm: (form: CaldavForm) => void;
  busy: boolean;
  /** Why the server address was refused, shown at its field. */
  urlError: string | null;
  onConnect: (event: FormEvent) => void;
}) {
  return (
    <section aria-labelledby="connect" className="stack">
      <Subtitle1 as="h3" id="connect">
        Connect a calendar
      </Subtitle1>
      <div className="row">
        {(data?.available ?? [])
          .filter((p) => p !== 'caldav')
          .map((p) => (
            <Button
              key={p}
              as="a"
              appearance="primary"
              href={`/connect/${p}/start?returnTo=/app/calendars`}
            >
              Connect {NAMES[p] ?? p}
            </Button>
          ))}
      </div>
      <NotConfigured data={data} />
      <form
        onSubmit={onConnect}
        className="stack"
        style={{ maxWidth: 520 }}
        aria-labelledby="caldav"
      >
        <Text id="caldav" weight="semibold">
          CalDAV (iCloud, Fastmail, Nextcloud, Radicale…)
        </Text>
        <Field
          label="Server URL"
          required
          hint="e.g. https://caldav.fastmail.com/"
          validationMessage={urlError ?? undefined}
        >
          <Input
            type="url"
            value={form.serverUrl}
            onChange={(_, d) => setForm({ ...form, serverUrl: d.value })}
          />
        </Field>
        <Field label="Username" required>
          <Input
            value={form.username}
            onChange={(_, d) => setForm({ ...form, username: d.value })}
            autoComplete="username"
          />
        </Field>
        <Field
          label="App password"
          required
          hint="An app-specific password from your provider, not your main password."
        >
          <Input
            type="password"
            value={form.password}
            onChange={(_, d) => setForm({ ...form, password: d.value })}
            autoComplete="off"
          />
        </Field>
        <Button type="submit" appearance="primary" disabled={busy}>
          Connect CalDAV
        </Button>
      </form>
    </section>
  );
}

/** Google or Microsoft not set up here: who can turn it on, and exactly how. */
function NotConfigured({ data }: { data: CalendarsView | null }) {
  const missing = data?.notConfigured ?? [];
  if (missing.length === 0) return null;
  return (
    <ul aria-label="Calendars not set up" style={{ paddingLeft: 18 }}>
      {missing.map((m) => (
        <li key={m.provider}>
          <Text>
            {NAMES[m.provider] ?? m.provider} is not set up on this Quorum. An administrator sets{' '}
            {m.settings.map((s, i) => (
              <span key={s}>
                {i > 0 ? (i === m.settings.length - 1 ? ' and ' : ', ') : ''}
                <code>{s}</code>
              </span>
            ))}{' '}
            in Quorum&apos;s environment and restarts it; the app registered with{' '}
            {m.provider === 'google' ? 'Google' : 'Microsoft'} redirects to{' '}
            <code>/connect/{m.provider}/callback</code> on Quorum&apos;s address.
          </Text>
        </li>
      ))}
    </ul>
  );
}
