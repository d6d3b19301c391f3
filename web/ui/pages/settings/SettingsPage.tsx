// Settings: time zone, working hours per weekday, default meeting link; for administrators the
// organization's meeting settings, people, API keys, and the audit log with its verification.
import {
  Button,
  Checkbox,
  Field,
  Input,
  Select,
  Subtitle1,
  Text,
  Title2,
} from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../../infra/ui/api.ts';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../use-api.ts';

const DAYS = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
] as const;
type Day = (typeof DAYS)[number][0];
interface Rule {
  days: Day[];
  start: string;
  end: string;
}
interface UserSettings {
  timeZone: string;
  workingHours: Rule[];
  defaultLinkType: 'teams' | 'meet' | 'zoom' | 'none';
}
type Week = Record<Day, { on: boolean; start: string; end: string }>;

/** Rules (several days each) → one row per weekday, as the form shows them. */
export function weekOf(rules: Rule[]): Week {
  const week = Object.fromEntries(
    DAYS.map(([d]) => [d, { on: false, start: '09:00', end: '17:00' }]),
  ) as Week;
  for (const r of rules) for (const d of r.days) week[d] = { on: true, start: r.start, end: r.end };
  return week;
}
/** The form's rows → rules, days with the same hours grouped. */
export function rulesOf(week: Week): Rule[] {
  const groups = new Map<string, Day[]>();
  for (const [d] of DAYS) {
    const w = week[d];
    if (!w.on) continue;
    const key = `${w.start}-${w.end}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  return [...groups].map(([key, days]) => {
    const [start, end] = key.split('-') as [string, string];
    return { days, start, end };
  });
}

function zones(): string[] {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf(
      'timeZone',
    );
  } catch {
    return [];
  }
}

export function SettingsPage() {
  const { user } = useSession();
  return (
    <div className="stack">
      <Title2 as="h2">Settings</Title2>
      <MySettings />
      {user?.role === 'admin' ? (
        <>
          <MeetingSettings />
          <People />
          <ApiKeys />
          <AuditLog />
        </>
      ) : null}
    </div>
  );
}

function MySettings() {
  const settings = useApi<UserSettings>('/api/me/settings');
  const [timeZone, setTimeZone] = useState('');
  const [week, setWeek] = useState<Week | null>(null);
  const [link, setLink] = useState<UserSettings['defaultLinkType']>('none');
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    if (!settings.data) return;
    setTimeZone(settings.data.timeZone);
    setWeek(weekOf(settings.data.workingHours));
    setLink(settings.data.defaultLinkType);
  }, [settings.data]);
  if (!week) return settings.error ? <Notice intent="error">{settings.error}</Notice> : null;
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setStatus(null);
    try {
      await api('/api/me/settings', {
        method: 'PUT',
        body: { timeZone, workingHours: rulesOf(week), defaultLinkType: link },
      });
      setStatus({ ok: true, text: 'Your settings are saved.' });
    } catch (e) {
      setStatus({ ok: false, text: (e as Error).message });
    }
  };
  return (
    <form onSubmit={save} className="stack" aria-labelledby="mine" style={{ maxWidth: 640 }}>
      <Subtitle1 as="h3" id="mine">
        Your scheduling
      </Subtitle1>
      <Field label="Time zone" hint="An IANA name, e.g. Europe/Berlin">
        <Input value={timeZone} onChange={(_, d) => setTimeZone(d.value)} list="time-zones" />
      </Field>
      <datalist id="time-zones">
        {zones().map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
        <legend>
          <Text weight="semibold">Working hours</Text>
        </legend>
        {DAYS.map(([d, name]) => (
          <div key={d} className="row" style={{ alignItems: 'center' }}>
            <Checkbox
              label={name}
              checked={week[d].on}
              onChange={(_, v) => setWeek({ ...week, [d]: { ...week[d], on: !!v.checked } })}
              style={{ minWidth: 130 }}
            />
            <Input
              type="time"
              aria-label={`${name} start`}
              value={week[d].start}
              disabled={!week[d].on}
              onChange={(_, v) => setWeek({ ...week, [d]: { ...week[d], start: v.value } })}
            />
            <Text aria-hidden="true">to</Text>
            <Input
              type="time"
              aria-label={`${name} end`}
              value={week[d].end}
              disabled={!week[d].on}
              onChange={(_, v) => setWeek({ ...week, [d]: { ...week[d], end: v.value } })}
            />
          </div>
        ))}
      </fieldset>
      <Field label="Default meeting link">
        <Select
          value={link}
          onChange={(_, d) => setLink(d.value as UserSettings['defaultLinkType'])}
        >
          <option value="none">No online meeting</option>
          <option value="teams">Microsoft Teams</option>
          <option value="meet">Google Meet</option>
          <option value="zoom">Zoom</option>
        </Select>
      </Field>
      {status ? <Notice intent={status.ok ? 'success' : 'error'}>{status.text}</Notice> : null}
      <Button type="submit" appearance="primary">
        Save my settings
      </Button>
    </form>
  );
}

const ENGINE_NAMES: Record<string, string> = {
  pocketsphinx: 'PocketSphinx (offline, on this server)',
  'azure-speech': 'Azure Speech',
  'azure-whisper': 'Azure OpenAI Whisper',
  extractive: 'Extractive (local, deterministic)',
  'azure-openai': 'Azure OpenAI',
};

interface MeetingSettingsView {
  retentionDays: number;
  transcriptionEngine: string;
  recordingLimitMb: number;
}

function MeetingSettings() {
  const settings = useApi<MeetingSettingsView>('/api/admin/settings');
  const engines = useApi<{ transcriptionEngines: string[]; summarizer: string }>(
    '/api/admin/meeting-engines',
  );
  const [form, setForm] = useState<MeetingSettingsView | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => setForm(settings.data), [settings.data]);
  if (!form) return settings.error ? <Notice intent="error">{settings.error}</Notice> : null;
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api('/api/admin/settings', {
        method: 'PUT',
        body: {
          retentionDays: Number(form.retentionDays),
          transcriptionEngine: form.transcriptionEngine,
          recordingLimitMb: Number(form.recordingLimitMb),
        },
      });
      setStatus({ ok: true, text: 'Meeting settings saved.' });
    } catch (e) {
      setStatus({ ok: false, text: (e as Error).message });
    }
  };
  return (
    <form
      onSubmit={save}
      className="stack"
      aria-labelledby="org-meetings"
      style={{ maxWidth: 640 }}
    >
      <Subtitle1 as="h3" id="org-meetings">
        Meetings (organization)
      </Subtitle1>
      <div className="row">
        <Field label="Keep transcripts and summaries (days)">
          <Input
            type="number"
            min={1}
            max={365}
            value={String(form.retentionDays)}
            onChange={(_, d) => setForm({ ...form, retentionDays: Number(d.value) })}
          />
        </Field>
        <Field label="Transcription engine">
          <Select
            value={form.transcriptionEngine}
            onChange={(_, d) => setForm({ ...form, transcriptionEngine: d.value })}
          >
            {(engines.data?.transcriptionEngines ?? [form.transcriptionEngine]).map((e) => (
              <option key={e} value={e}>
                {ENGINE_NAMES[e] ?? e}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Largest recording (MiB)">
          <Input
            type="number"
            min={1}
            max={2048}
            value={String(form.recordingLimitMb)}
            onChange={(_, d) => setForm({ ...form, recordingLimitMb: Number(d.value) })}
          />
        </Field>
      </div>
      {engines.data ? (
        <Text>
          Summarizer: {ENGINE_NAMES[engines.data.summarizer] ?? engines.data.summarizer} (set by
          this deployment&apos;s configuration).
        </Text>
      ) : null}
      {status ? <Notice intent={status.ok ? 'success' : 'error'}>{status.text}</Notice> : null}
      <Button type="submit">Save meeting settings</Button>
    </form>
  );
}

function People() {
  const people = useApi<{
    people: Array<{ id: string; name: string; email: string; role: string }>;
  }>('/api/people');
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const add = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api('/api/admin/people', { body: form });
      setStatus({ ok: true, text: `${form.name} can now sign in with ${form.email}.` });
      setForm({ name: '', email: '', password: '' });
      await people.reload();
    } catch (e) {
      setStatus({ ok: false, text: (e as Error).message });
    }
  };
  return (
    <section aria-labelledby="people" className="stack">
      <Subtitle1 as="h3" id="people">
        People
      </Subtitle1>
      <ul>
        {(people.data?.people ?? []).map((p) => (
          <li key={p.id}>
            {p.name} ({p.email}){p.role === 'admin' ? ', administrator' : ''}
          </li>
        ))}
      </ul>
      <form onSubmit={add} className="row" aria-label="Add a colleague">
        <Field label="Colleague's name" required>
          <Input value={form.name} onChange={(_, d) => setForm({ ...form, name: d.value })} />
        </Field>
        <Field label="Colleague's email" required>
          <Input
            type="email"
            value={form.email}
            onChange={(_, d) => setForm({ ...form, email: d.value })}
          />
        </Field>
        <Field label="First password" required>
          <Input
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={(_, d) => setForm({ ...form, password: d.value })}
          />
        </Field>
        <Button type="submit">Add colleague</Button>
      </form>
      {status ? <Notice intent={status.ok ? 'success' : 'error'}>{status.text}</Notice> : null}
    </section>
  );
}

const PERMISSIONS = ['meetings:read', 'meetings:write', 'bookings:read', 'audit:read'];

function ApiKeys() {
  const keys = useApi<{
    keys: Array<{
      _id: string;
      name: string;
      permissions: string[];
      createdAt: string;
      revokedAt?: string | null;
    }>;
  }>('/api/admin/api-keys');
  const [name, setName] = useState('');
  const [perms, setPerms] = useState<string[]>(['meetings:read']);
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const r = await api<{ key: string }>('/api/admin/api-keys', {
        body: { name, permissions: perms },
      });
      setCreated(r.key);
      setName('');
      await keys.reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const revoke = async (id: string) => {
    try {
      await api(`/api/admin/api-keys/${id}`, { method: 'DELETE' });
      await keys.reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section aria-labelledby="api-keys" className="stack">
      <Subtitle1 as="h3" id="api-keys">
        API keys
      </Subtitle1>
      <ul>
        {(keys.data?.keys ?? [])
          .filter((k) => !k.revokedAt)
          .map((k) => (
            <li key={k._id}>
              {k.name} ({k.permissions.join(', ')}){' '}
              <Button size="small" onClick={() => revoke(k._id)} aria-label={`Revoke ${k.name}`}>
                Revoke
              </Button>
            </li>
          ))}
      </ul>
      <form onSubmit={create} className="stack" style={{ maxWidth: 640 }} aria-label="New API key">
        <Field label="Key name" required>
          <Input value={name} onChange={(_, d) => setName(d.value)} />
        </Field>
        <div className="row">
          {PERMISSIONS.map((p) => (
            <Checkbox
              key={p}
              label={p}
              checked={perms.includes(p)}
              onChange={(_, d) =>
                setPerms(d.checked ? [...perms, p] : perms.filter((x) => x !== p))
              }
            />
          ))}
        </div>
        <Button type="submit">Create API key</Button>
      </form>
      {created ? (
        <Notice intent="success" title="Copy the key now">
          It is shown only once: <code>{created}</code>
        </Notice>
      ) : null}
      {error ? <Notice intent="error">{error}</Notice> : null}
    </section>
  );
}

interface AuditView {
  verification:
    | { intact: true; entries: number }
    | {
        intact: false;
        checked: number;
        firstBad: { seq: number; problem: string; message: string };
      };
  entries: Array<{
    seq: number;
    at: string;
    action: string;
    actor: string;
    target?: string | null;
  }>;
}

function AuditLog() {
  const audit = useApi<AuditView>('/api/audit?limit=50');
  if (audit.error) return <Notice intent="error">{audit.error}</Notice>;
  if (!audit.data) return null;
  const v = audit.data.verification;
  return (
    <section aria-labelledby="audit" className="stack">
      <Subtitle1 as="h3" id="audit">
        Audit log
      </Subtitle1>
      {v.intact ? (
        <Notice intent="success" title="Chain verified">
          All {v.entries} entries are in place and unchanged.
        </Notice>
      ) : (
        <Notice intent="error" title="Chain broken">
          Entry {v.firstBad.seq} is {v.firstBad.problem}: {v.firstBad.message} ({v.checked} entries
          before it are good).
        </Notice>
      )}
      <div style={{ overflowX: 'auto' }}>
        <table style={{ borderCollapse: 'collapse', width: '100%' }}>
          <caption style={{ textAlign: 'left' }}>Latest entries</caption>
          <thead>
            <tr>
              <th scope="col" style={{ textAlign: 'left' }}>
                When
              </th>
              <th scope="col" style={{ textAlign: 'left' }}>
                Action
              </th>
              <th scope="col" style={{ textAlign: 'left' }}>
                Actor
              </th>
              <th scope="col" style={{ textAlign: 'left' }}>
                Target
              </th>
            </tr>
          </thead>
          <tbody>
            {audit.data.entries.map((e) => (
              <tr key={e.seq}>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>{e.action}</td>
                <td>{e.actor}</td>
                <td>{e.target ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
