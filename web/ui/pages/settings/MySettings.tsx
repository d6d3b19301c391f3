// The person's own settings: time zone, working hours per weekday, the hours Quorum must never
// use (even for a least-burden time across zones), default meeting link.
import {
  Button,
  Checkbox,
  Field,
  Input,
  Select,
  Subtitle1,
  Text,
} from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import { acceptableFromNever, neverFromAcceptable } from '../../../../core/identity/never-hours.ts';
import { api } from '../../../../infra/ui/api.ts';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { fieldErrorOf, plainError } from '../../field-error.ts';
import { useApi } from '../../use-api.ts';

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
  acceptableHours?: { start: string; end: string } | null;
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

export function MySettings() {
  const settings = useApi<UserSettings>('/api/me/settings');
  const [timeZone, setTimeZone] = useState('');
  const [week, setWeek] = useState<Week | null>(null);
  const [link, setLink] = useState<UserSettings['defaultLinkType']>('none');
  const [neverBefore, setNeverBefore] = useState('');
  const [neverAfter, setNeverAfter] = useState('');
  /** A refused "never" time, shown under its field. */
  const [neverError, setNeverError] = useState<{ end: 'start' | 'end'; text: string } | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  /** A refused time zone, in plain words at its field. */
  const [zoneError, setZoneError] = useState<string | null>(null);
  /** A refused working-hours rule, shown on the rows of its days. */
  const [hoursError, setHoursError] = useState<{
    days: Day[];
    end: 'start' | 'end';
    text: string;
  } | null>(null);
  const hoursProblem = (d: Day, end: 'start' | 'end') =>
    hoursError?.days.includes(d) && hoursError.end === end ? hoursError.text : undefined;
  useEffect(() => {
    if (!settings.data) return;
    setTimeZone(settings.data.timeZone);
    setWeek(weekOf(settings.data.workingHours));
    setLink(settings.data.defaultLinkType);
    const never = neverFromAcceptable(settings.data.acceptableHours);
    setNeverBefore(never.before);
    setNeverAfter(never.after);
  }, [settings.data]);
  if (!week) return settings.error ? <Notice intent="error">{settings.error}</Notice> : null;
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setStatus(null);
    setHoursError(null);
    setZoneError(null);
    setNeverError(null);
    const rules = rulesOf(week);
    try {
      await api('/api/me/settings', {
        method: 'PUT',
        body: {
          timeZone,
          workingHours: rules,
          defaultLinkType: link,
          acceptableHours: acceptableFromNever({ before: neverBefore, after: neverAfter }),
        },
      });
      setStatus({ ok: true, text: 'Your settings are saved.' });
    } catch (e) {
      const problem = fieldErrorOf(e);
      const rule = /^workingHours\.(\d+)\.(start|end)$/.exec(problem?.field ?? '');
      const days = rule ? rules[Number(rule[1])]?.days : undefined;
      const plain = plainError(e, { timeZone });
      const never = /^acceptableHours\.(start|end)$/.exec(problem?.field ?? '');
      if (problem && never) setNeverError({ end: never[1] as 'start' | 'end', text: problem.text });
      else if (problem && rule && days)
        setHoursError({ days, end: rule[2] as 'start' | 'end', text: problem.text });
      else if (plain.field === 'timeZone') setZoneError(plain.text);
      else setStatus({ ok: false, text: plain.text });
    }
  };
  return (
    <form onSubmit={save} className="stack" aria-labelledby="mine" style={{ maxWidth: 640 }}>
      <Subtitle1 as="h3" id="mine">
        Your scheduling
      </Subtitle1>
      <Field
        label="Time zone"
        hint="An IANA name, e.g. Europe/Berlin"
        validationMessage={zoneError ?? undefined}
      >
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
          <div key={d} className="row" style={{ alignItems: 'flex-start' }}>
            <Checkbox
              label={name}
              checked={week[d].on}
              onChange={(_, v) => setWeek({ ...week, [d]: { ...week[d], on: !!v.checked } })}
              style={{ minWidth: 130 }}
            />
            <Field validationMessage={hoursProblem(d, 'start')}>
              <Input
                type="time"
                aria-label={`${name} start`}
                value={week[d].start}
                disabled={!week[d].on}
                onChange={(_, v) => setWeek({ ...week, [d]: { ...week[d], start: v.value } })}
              />
            </Field>
            <Text aria-hidden="true" style={{ paddingTop: 6 }}>
              to
            </Text>
            <Field validationMessage={hoursProblem(d, 'end')} style={{ maxWidth: 320 }}>
              <Input
                type="time"
                aria-label={`${name} end`}
                value={week[d].end}
                disabled={!week[d].on}
                onChange={(_, v) => setWeek({ ...week, [d]: { ...week[d], end: v.value } })}
              />
            </Field>
          </div>
        ))}
      </fieldset>
      <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
        <legend>
          <Text weight="semibold">Never schedule me</Text>
        </legend>
        <Text size={200}>
          When no time suits everyone’s working hours, Quorum offers the times that cost least
          outside them, but never these hours (in your time zone). Leave empty for no limit.
        </Text>
        <div className="row" style={{ alignItems: 'flex-start' }}>
          <Field
            label="Never before"
            validationMessage={neverError?.end === 'start' ? neverError.text : undefined}
          >
            <Input type="time" value={neverBefore} onChange={(_, v) => setNeverBefore(v.value)} />
          </Field>
          <Field
            label="Never after"
            validationMessage={neverError?.end === 'end' ? neverError.text : undefined}
          >
            <Input type="time" value={neverAfter} onChange={(_, v) => setNeverAfter(v.value)} />
          </Field>
        </div>
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
