// Calendar connections: the state of each, connect Google or Microsoft 365 (OAuth), connect a
// CalDAV account (URL, user, app password), disconnect.
import { Title2 } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../../../infra/ui/api.ts';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { plainError } from '../../field-error.ts';
import { useApi } from '../../use-api.ts';
import {
  ConnectCalendar,
  ConnectionList,
  NAMES,
  type CalendarsView,
  type Connection,
} from './parts.tsx';

export function CalendarsPage() {
  const calendars = useApi<CalendarsView>('/api/calendars');
  const [form, setForm] = useState({ serverUrl: '', username: '', password: '' });
  const [error, setError] = useState<string | null>(null);
  /** A refused server address, in plain words at its field. */
  const [urlError, setUrlError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const connect = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setUrlError(null);
    setMessage(null);
    try {
      await api('/api/calendars/caldav', { body: form });
      setForm({ serverUrl: '', username: '', password: '' });
      await calendars.reload();
      setMessage('CalDAV calendar connected.');
    } catch (e) {
      const plain = plainError(e, { serverUrl: form.serverUrl });
      if (plain.field === 'serverUrl') setUrlError(plain.text);
      else setError(plain.text);
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
      <ConnectionList data={data} onDisconnect={(c) => void disconnect(c)} />
      <ConnectCalendar
        data={data}
        form={form}
        setForm={setForm}
        busy={busy}
        urlError={urlError}
        onConnect={connect}
      />
    </div>
  );
}
