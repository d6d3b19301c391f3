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
  onConnect,
}: {
  data: CalendarsView | null;
  form: CaldavForm;
  setForm: (form: CaldavForm) => void;
  busy: boolean;
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
      <form
        onSubmit={onConnect}
        className="stack"
        style={{ maxWidth: 520 }}
        aria-labelledby="caldav"
      >
        <Text id="caldav" weight="semibold">
          CalDAV (iCloud, Fastmail, Nextcloud, Radicale…)
        </Text>
        <Field label="Server URL" required hint="e.g. https://caldav.fastmail.com/">
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
