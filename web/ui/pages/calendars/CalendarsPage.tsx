// Calendar connections: the state of each, connect Google or Microsoft 365 (OAuth), connect a
// CalDAV account (URL, user, app password), disconnect.
import { Badge, Button, Field, Input, Subtitle1, Text, Title2 } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../../infra/ui/api.ts';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { useApi } from '../use-api.ts';

interface Connection {
  id: string;
  provider: 'google' | 'microsoft' | 'caldav';
  accountEmail: string;
  status: 'connected' | 'needs-reconnect' | string;
  problem: string | null;
  serverUrl: string | null;
  connectedAt: string;
}
const NAMES: Record<string, string> = {
  google: 'Google Calendar',
  microsoft: 'Microsoft 365',
  caldav: 'CalDAV',
};

export function CalendarsPage() {
  const calendars = useApi<{
    connections: Connection[];
    available: string[];
    fallback: string | null;
  }>('/api/calendars');
  const [form, setForm] = useState({ serverUrl: '', username: '', password: '' });
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const connect = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await api('/api/calendars/caldav', { body: form });
      setForm({ serverUrl: '', username: '', password: '' });
      await calendars.reload();
      setMessage('CalDAV calendar connected.');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const disconnect = async (c: Connection) => {
    setError(null);
    try {
      const r = await api<{ note: string | null }>(`/api/calendars/${c.id}`, { method: 'DELETE' });
      setMessage(`${NAMES[c.provider]} disconnected.${r.note ? ` ${r.note}` : ''}`);
      await calendars.reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const data = calendars.data;
  return (
    <div className="stack">
      <Title2 as="h2">Calendars</Title2>
      {calendars.error ? <Notice intent="error">{calendars.error}</Notice> : null}
      {error ? <Notice intent="error">{error}</Notice> : null}
      {message ? <Notice intent="success">{message}</Notice> : null}
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
                onClick={() => disconnect(c)}
                aria-label={`Disconnect ${NAMES[c.provider]} ${c.accountEmail}`}
              >
                Disconnect
              </Button>
            </li>
          ))}
        </ul>
      </section>
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
          onSubmit={connect}
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
    </div>
  );
}
